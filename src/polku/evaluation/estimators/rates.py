"""Outcome rates with Wilson intervals, and a case-mix-adjusted comparison of groups.

Used for the provider comparison (public and private providers, as in Helsinki's 2019 trial,
../shared/domain/OUTCOME_CONTRACTS.md): each provider's observed rate, and the rate it would have
had with everyone's case mix.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from django.utils.translation import gettext
from scipy import stats

from polku.evaluation.estimators import _checks
from polku.evaluation.estimators.errors import EstimationError


@dataclass(frozen=True)
class Rate:
    successes: int
    n: int
    rate: float
    lower: float
    upper: float

    def summary(self) -> str:
        return f"{self.successes}/{self.n} = {self.rate:.3f} ({self.lower:.3f}–{self.upper:.3f})"


def _z(alpha: float) -> float:
    _checks.require_alpha(alpha)
    return float(stats.norm.ppf(1 - alpha / 2))


def wilson(successes: int, n: int, alpha: float = 0.05) -> Rate:
    """A proportion with its Wilson score interval.

    Parameters
    ----------
    successes, n
        Whole numbers with ``0 <= successes <= n`` and ``n >= 1``.
    alpha
        1 − the confidence level (0.05 gives a 95% interval).

    Returns
    -------
    Rate
        ``successes / n`` and the interval, which always lies within [0, 1] and contains the rate.

    Notes
    -----
    The Wilson interval keeps close to its nominal coverage for small groups and rates near 0 or 1,
    where the textbook (Wald) interval collapses to a point or leaves [0, 1] (Brown, Cai and
    DasGupta 2001 recommend it for n < 40).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    JASA 22, 209–212. Brown, L. D., Cai, T. T., DasGupta, A. (2001). Interval estimation for a
    binomial proportion. Statistical Science 16, 101–133.
    """
    if n < 1 or not 0 <= successes <= n:
        raise EstimationError(
            gettext("A rate needs at least one person, and no more successes than people.")
        )
    z = _z(alpha)
    share = successes / n
    denominator = 1 + z**2 / n
    centre = (share + z**2 / (2 * n)) / denominator
    half = z * np.sqrt(share * (1 - share) / n + z**2 / (4 * n**2)) / denominator
    # Rounding can leave the bound a hair inside the rate at 0 and 1; the exact bound is the rate.
    lower = min(share, max(0.0, centre - half))
    upper = max(share, min(1.0, centre + half))
    return Rate(successes=successes, n=n, rate=share, lower=float(lower), upper=float(upper))


@dataclass(frozen=True)
class GroupComparison:
    group: str
    observed: Rate
    adjusted: float
    adjusted_lower: float
    adjusted_upper: float
    odds_ratio: float | None  # against the reference group; None for the reference itself
    odds_ratio_lower: float | None
    odds_ratio_upper: float | None

    def summary(self) -> str:
        odds = (
            f"OR {self.odds_ratio:.2f} ({self.odds_ratio_lower:.2f}–{self.odds_ratio_upper:.2f})"
            if self.odds_ratio is not None
            else "reference"
        )
        return (
            f"{self.group}: observed {self.observed.summary()}; adjusted {self.adjusted:.3f} "
            f"({self.adjusted_lower:.3f}–{self.adjusted_upper:.3f}); {odds}"
        )


def compare_groups(
    frame: pd.DataFrame,
    *,
    group: str,
    outcome: str,
    covariates: Sequence[str],
    reference: str,
    alpha: float = 0.05,
) -> list[GroupComparison]:
    """Observed and case-mix-adjusted outcome rates of groups (e.g. providers).

    Parameters
    ----------
    frame
        One row per person. Rows missing the group, the outcome or a covariate are left out
        (complete-case analysis).
    group
        The column naming each person's group; compared as text.
    outcome
        A 0/1 column (1 = the outcome happened, e.g. employed at exit).
    covariates
        Case-mix columns: numbers as they are, text or categories as dummies.
    reference
        The group the odds ratios compare against.

    Returns
    -------
    list[GroupComparison]
        One per group, the reference first, then the others in sorted order.

    Raises
    ------
    EstimationError
        Fewer than two groups, the reference missing, a group where everyone (or no one) had the
        outcome (its odds cannot be estimated), a constant covariate, or a model that does not
        converge.

    Notes
    -----
    A logistic regression of the outcome on group dummies and the covariates (maximum likelihood,
    statsmodels, no penalty). The adjusted rate of group g is marginal standardisation: the
    model's predicted probability for every person in the data as if they were in g, averaged —
    the rate g would have had with the case mix of all groups together. Its interval comes from
    the delta method on the logit scale (the gradient of the average prediction with respect to
    the coefficients, through the coefficients' covariance), transformed back, so it stays within
    (0, 1). The odds ratio of g is exp of its coefficient, with a Wald interval. Without
    covariates the model is saturated and the adjusted rate equals the observed one.

    The comparison is only as good as the covariates: differences in what they do not measure
    (motivation, health) remain in the adjusted rates.

    References
    ----------
    Muller, C. J., MacLehose, R. F. (2014). Estimating predicted probabilities from logistic
    regression: different methods correspond to different target populations. Int. J. Epidemiol.
    43, 962–970.
    """
    _checks.require_columns(frame, [group, outcome, *covariates])
    z = _z(alpha)
    data = frame.loc[:, [group, outcome, *covariates]].copy()
    data[outcome] = _checks.binary(data, outcome)
    data = data.dropna()
    if data.empty:
        raise EstimationError(gettext("No row has a value in every column used."))
    labels = data[group].astype(str)
    groups = [str(reference), *sorted(set(labels) - {str(reference)})]
    if str(reference) not in set(labels):
        raise EstimationError(
            gettext("The reference group “%(group)s” has no one in the data.")
            % {"group": reference}
        )
    if len(groups) < 2:  # noqa: PLR2004 - a comparison needs two groups
        raise EstimationError(gettext("A comparison needs at least two groups."))
    y = data[outcome].to_numpy(dtype=float)
    for name in groups:
        in_group = y[(labels == name).to_numpy()]
        if in_group.min() == in_group.max():
            raise EstimationError(
                gettext(
                    "In group “%(group)s” everyone or no one had the outcome, so its adjusted "
                    "rate cannot be estimated."
                )
                % {"group": name}
            )
    dummies = pd.DataFrame(
        {f"{group}={name}": (labels == name).astype(float) for name in groups[1:]},
        index=data.index,
    )
    case_mix = _checks.design(data, covariates)
    x = pd.concat([pd.Series(1.0, index=data.index, name="const"), dummies, case_mix], axis=1)
    result = _fit_logit(y, x.to_numpy(dtype=float))
    beta = np.asarray(result.params)
    covariance = np.asarray(result.cov_params())
    observed_counts = {name: int(y[(labels == name).to_numpy()].sum()) for name in groups}
    sizes = {name: int((labels == name).sum()) for name in groups}
    comparisons = []
    for position, name in enumerate(groups):
        as_if = x.to_numpy(dtype=float).copy()
        as_if[:, 1 : len(groups)] = 0.0
        if position:
            as_if[:, position] = 1.0
        adjusted, lower, upper = _standardised_rate(as_if, beta, covariance, z)
        if position:
            coefficient = beta[position]
            spread = z * np.sqrt(covariance[position, position])
            odds: tuple[float | None, float | None, float | None] = (
                float(np.exp(coefficient)),
                float(np.exp(coefficient - spread)),
                float(np.exp(coefficient + spread)),
            )
        else:
            odds = (None, None, None)
        comparisons.append(
            GroupComparison(
                group=name,
                observed=wilson(observed_counts[name], sizes[name], alpha),
                adjusted=adjusted,
                adjusted_lower=lower,
                adjusted_upper=upper,
                odds_ratio=odds[0],
                odds_ratio_lower=odds[1],
                odds_ratio_upper=odds[2],
            )
        )
    return comparisons


def _fit_logit(y: np.ndarray, x: np.ndarray) -> sm.regression.linear_model.RegressionResults:
    if len(y) <= x.shape[1]:
        raise EstimationError(gettext("Too few rows for the number of groups and covariates."))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = sm.Logit(y, x).fit(disp=False, maxiter=200)
        except (np.linalg.LinAlgError, ValueError) as error:
            raise EstimationError(
                gettext("The model could not be fitted: covariates may repeat one another.")
            ) from error
    if not result.mle_retvals.get("converged", False) or not np.all(np.isfinite(result.bse)):
        raise EstimationError(
            gettext("The model could not be fitted: covariates may repeat one another.")
        )
    return result


def _standardised_rate(
    x: np.ndarray, beta: np.ndarray, covariance: np.ndarray, z: float
) -> tuple[float, float, float]:
    """Average predicted probability over `x`, with a delta-method interval on the logit scale."""
    predicted = 1 / (1 + np.exp(-(x @ beta)))
    rate = float(predicted.mean())
    gradient = (predicted * (1 - predicted)) @ x / len(predicted)
    std_error = float(np.sqrt(gradient @ covariance @ gradient))
    logit = np.log(rate / (1 - rate))
    spread = z * std_error / (rate * (1 - rate))
    return (
        rate,
        float(1 / (1 + np.exp(-(logit - spread)))),
        float(1 / (1 + np.exp(-(logit + spread)))),
    )
