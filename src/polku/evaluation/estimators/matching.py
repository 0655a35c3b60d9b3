"""Propensity score matching: the effect of taking part on those who took part (ATT).

A comparison group (people who did not take part, issue 6) is matched to the participants on the
propensity score; the balance table shows whether matching made the groups alike.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext
from sklearn.linear_model import LogisticRegression

from polku.evaluation.estimators import _checks
from polku.evaluation.estimators.errors import EstimationError

# Inverse ridge strength on standardised covariates: a penalty of 1/(2C)·|β|² that is negligible
# beside the log-likelihood of any real sample, yet keeps the fit finite when a covariate
# separates the groups (an unpenalised fit would diverge there). See `propensity_logits`.
PENALTY_C = 1e4
# Two scores this close are the same score (rounding in the fit), so their controls tie.
TIE_TOLERANCE = 1e-9
# Below this share of usable resamples the bootstrap interval would describe only the lucky ones.
MIN_BOOTSTRAP_SUCCESS = 0.9


@dataclass(frozen=True)
class BalanceRow:
    covariate: str
    mean_treated: float  # all participants
    mean_control_before: float  # all of the comparison group
    smd_before: float
    mean_control_after: float  # matched comparison persons, weighted as matched
    smd_after: float  # matched participants against their matches
    mean_treated_after: float = float("nan")  # matched participants only


@dataclass(frozen=True)
class PsmResult:
    att: float
    lower: float  # bootstrap percentile interval; NaN when bootstrap=0
    upper: float
    n_treated: int
    n_control: int
    n_matched_treated: int
    n_matched_control: int  # distinct comparison persons used
    n_unmatched_treated: int  # participants with no one within the caliper, left out of the ATT
    caliper: float | None  # in standard deviations of the logit of the propensity score
    replacement: bool
    bootstrap: int  # resamples that gave an estimate
    balance: tuple[BalanceRow, ...]
    caliper_width: float | None = None  # the caliper on the logit scale
    unadjusted: float = float("nan")  # participants' mean outcome less the comparison group's

    def summary(self) -> str:
        return (
            f"ATT {self.att:.4g} ({self.lower:.4g}–{self.upper:.4g}); matched "
            f"{self.n_matched_treated} of {self.n_treated} treated to "
            f"{self.n_matched_control} controls"
        )


def psm(
    frame: pd.DataFrame,
    *,
    treatment: str,
    outcome: str,
    covariates: Sequence[str],
    caliper: float | None = 0.2,
    replacement: bool = False,
    bootstrap: int = 500,
    seed: int = 2026,
    alpha: float = 0.05,
) -> PsmResult:
    """The average effect of treatment on the treated, by propensity score matching.

    Parameters
    ----------
    frame
        One row per person; rows missing any column used are left out (complete cases).
    treatment
        1 for participants, 0 for the comparison group.
    outcome
        The outcome, numeric (a 0/1 outcome gives a difference in rates).
    covariates
        What both groups were measured on before treatment; numbers as they are, text or
        categories as dummies.
    caliper
        The largest allowed distance between a participant's and their match's logit of the
        propensity score, in pooled standard deviations of that logit; None for no caliper.
    replacement
        Whether a comparison person may be the match of several participants.
    bootstrap
        Number of bootstrap resamples for the interval; 0 for none (bounds NaN).
    seed
        Seed of the resampling, so the same data always gives the same interval.

    Returns
    -------
    PsmResult
        The ATT over matched participants, its interval, the counts and the balance table.

    Raises
    ------
    EstimationError
        Fewer than two participants or comparison persons, a constant covariate, an outcome or
        treatment that is not numeric, no participant with a match (no overlap), or a bootstrap
        where more than a tenth of the resamples had no match.

    Notes
    -----
    Propensity score: a logistic regression of treatment on the standardised covariates
    (scikit-learn, Newton–Cholesky) with a very weak ridge penalty (C = 1e4), practically the
    maximum likelihood fit but finite under separation. Matching is on its logit (the linear
    predictor), where the caliper is defined (Austin 2011 recommends 0.2 pooled standard deviations,
    sqrt((var_treated + var_control) / 2)). Nearest neighbour, one match per participant:

    - with replacement, each participant takes the nearest comparison person; when several are
      exactly as near (same score), all of them are used with equal weights, as Stata's
      `teffects` and R's `Matching(ties=TRUE)` do;
    - without replacement, greedy: participants in order of decreasing propensity score (those
      with the fewest comparison persons near them first), ties in row order, each taking the
      nearest comparison person not yet taken (of two as near, the lower score, then row order).

    Participants with no one within the caliper are left out and counted; the ATT is then the
    effect on the matched participants. ATT = mean over matched participants of (own outcome −
    the mean outcome of their matches).

    Balance: the standardised mean difference of each covariate, (mean_t − mean_c) / s with
    s = sqrt((var_t + var_c) / 2) over all participants and all comparison persons, before
    matching and after it (matched participants against their weighted matches), with the same s
    both times so that the change shows the change in means only (Austin 2009). |SMD| < 0.1 is
    commonly taken as balanced.

    Interval: percentile bootstrap. Each resample draws participants and comparison persons
    separately with replacement (keeping both group sizes), refits the propensity model and
    matches again, so the interval includes the uncertainty of the estimated score (Austin and
    Small 2014). Resamples in which no one matches are skipped (counted in `bootstrap`). For
    matching with replacement the bootstrap is known not to be exactly valid (Abadie and Imbens
    2008): read the interval as approximate.

    References
    ----------
    Rosenbaum, P. R., Rubin, D. B. (1983). The central role of the propensity score in
    observational studies for causal effects. Biometrika 70, 41–55. Austin, P. C. (2011). Optimal
    caliper widths for propensity-score matching. Pharmaceutical Statistics 10, 150–161. Austin,
    P. C. (2009). Balance diagnostics for comparing the distribution of baseline covariates.
    Statistics in Medicine 28, 3083–3107. Austin, P. C., Small, D. S. (2014). The use of
    bootstrapping when using propensity-score matching without replacement. Statistics in
    Medicine 33, 4306–4319. Abadie, A., Imbens, G. W. (2008). On the failure of the bootstrap for
    matching estimators. Econometrica 76, 1537–1557.
    """
    if not covariates:
        raise EstimationError(gettext("Choose at least one covariate."))
    if caliper is not None and not caliper > 0:
        raise EstimationError(gettext("The caliper must be a positive number."))
    if bootstrap < 0:
        raise EstimationError(gettext("The number of bootstrap resamples cannot be negative."))
    _checks.require_columns(frame, [treatment, outcome, *covariates])
    data = frame.loc[:, list(dict.fromkeys([treatment, outcome, *covariates]))].copy()
    data[treatment] = _checks.binary(data, treatment)
    data[outcome] = _checks.numeric(data, outcome)
    data = data.dropna()
    treated = data[treatment].to_numpy() == 1
    if treated.sum() < 2 or (~treated).sum() < 2:  # noqa: PLR2004 - a variance needs two
        raise EstimationError(
            gettext("Matching needs at least two people who took part and two who did not.")
        )
    covariate_frame = _checks.design(data, covariates)
    x = covariate_frame.to_numpy(dtype=float)
    y = data[outcome].to_numpy(dtype=float)
    found = _estimate(x, treated, y, caliper=caliper, replacement=replacement)
    if found is None:
        raise EstimationError(
            gettext(
                "No participant has a comparison person close enough in propensity score (no "
                "overlap). Widen the caliper or check the covariates."
            )
        )
    att, weights, matched, width = found
    lower, upper, used = _bootstrap(
        x,
        treated,
        y,
        caliper=caliper,
        replacement=replacement,
        times=bootstrap,
        seed=seed,
        alpha=alpha,
    )
    return PsmResult(
        att=att,
        lower=lower,
        upper=upper,
        n_treated=int(treated.sum()),
        n_control=int((~treated).sum()),
        n_matched_treated=int(matched.sum()),
        n_matched_control=int((weights > 0).sum()),
        n_unmatched_treated=int(treated.sum() - matched.sum()),
        caliper=caliper,
        replacement=replacement,
        bootstrap=used,
        balance=_balance(covariate_frame, treated, matched, weights),
        caliper_width=width,
        unadjusted=float(y[treated].mean() - y[~treated].mean()),
    )


def propensity_logits(x: np.ndarray, treated: np.ndarray) -> np.ndarray:
    """The logit of each row's estimated propensity score (see `psm`, Notes)."""
    spread = x.std(axis=0)
    standardised = (x - x.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    model = LogisticRegression(C=PENALTY_C, solver="newton-cholesky", max_iter=200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a slow convergence under separation changes nothing here
        model.fit(standardised, treated.astype(int))
    return np.asarray(model.decision_function(standardised), dtype=float)


def caliper_width(logits: np.ndarray, treated: np.ndarray, caliper: float | None) -> float | None:
    """The caliper on the logit scale: `caliper` pooled standard deviations (Austin 2011)."""
    if caliper is None:
        return None
    pooled = np.sqrt((logits[treated].var(ddof=1) + logits[~treated].var(ddof=1)) / 2)
    return float(caliper * pooled)


def nearest_neighbours(
    treated_scores: np.ndarray,
    control_scores: np.ndarray,
    *,
    width: float | None,
    replacement: bool,
) -> list[tuple[int, ...]]:
    """For each participant, the positions of their matched comparison persons (empty: none).

    One nearest neighbour within `width` (None: no limit); see `psm`, Notes, for ties and the
    greedy order without replacement.
    """
    order = np.argsort(control_scores, kind="stable")
    ordered = control_scores[order]
    if replacement:
        return [
            tuple(int(order[i]) for i in _nearest_with_ties(ordered, score, width))
            for score in treated_scores
        ]
    return _greedy(treated_scores, ordered, order, width)


def _within(distance: float, width: float | None) -> bool:
    return width is None or distance <= width + TIE_TOLERANCE


def _nearest_with_ties(ordered: np.ndarray, score: float, width: float | None) -> list[int]:
    position = int(np.searchsorted(ordered, score))
    candidates = [i for i in (position - 1, position) if 0 <= i < len(ordered)]
    best = min(abs(ordered[i] - score) for i in candidates)
    if not _within(best, width):
        return []
    limit = best + TIE_TOLERANCE * max(1.0, abs(score))
    left = position - 1
    while left >= 0 and abs(ordered[left] - score) <= limit:
        left -= 1
    right = position
    while right < len(ordered) and abs(ordered[right] - score) <= limit:
        right += 1
    return list(range(left + 1, right))


class _Available:
    """Positions in a sorted array that are not yet taken, with nearest-free lookups.

    Two "next free" pointer forests with path compression, so a whole greedy matching costs about
    O(n log n) however many comparison persons are taken.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.right = list(range(size + 1))  # right[size] is the end marker
        self.left = list(range(size + 1))  # shifted by one: left[0] is the start marker

    @staticmethod
    def _root(parent: list[int], i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def at_or_after(self, i: int) -> int | None:
        found = self._root(self.right, i)
        return found if found < self.size else None

    def at_or_before(self, i: int) -> int | None:
        found = self._root(self.left, i + 1) - 1
        return found if found >= 0 else None

    def take(self, i: int) -> None:
        self.right[i] = i + 1
        self.left[i + 1] = i


def _greedy(
    treated_scores: np.ndarray, ordered: np.ndarray, order: np.ndarray, width: float | None
) -> list[tuple[int, ...]]:
    free = _Available(len(ordered))
    matches: list[tuple[int, ...]] = [() for _ in treated_scores]
    # Highest score first: they have the fewest comparison persons near them. Stable sort on the
    # negated score keeps row order among equal scores.
    for participant in np.argsort(-treated_scores, kind="stable"):
        score = treated_scores[participant]
        position = int(np.searchsorted(ordered, score))
        below = free.at_or_before(position - 1) if position > 0 else None
        above = free.at_or_after(position) if position < len(ordered) else None
        options = [i for i in (below, above) if i is not None]
        if not options:
            break
        # Of two as near, the lower score (`below` comes first; `min` keeps the first).
        best = min(options, key=lambda i: abs(ordered[i] - score))
        if _within(abs(ordered[best] - score), width):
            free.take(best)
            matches[participant] = (int(order[best]),)
    return matches


def _estimate(
    x: np.ndarray,
    treated: np.ndarray,
    y: np.ndarray,
    *,
    caliper: float | None,
    replacement: bool,
) -> tuple[float, np.ndarray, np.ndarray, float | None] | None:
    """ATT, comparison persons' weights, matched-participant mask and caliper width; None if no
    participant matched."""
    logits = propensity_logits(x, treated)
    width = caliper_width(logits, treated, caliper)
    treated_rows = np.flatnonzero(treated)
    control_rows = np.flatnonzero(~treated)
    matches = nearest_neighbours(
        logits[treated_rows], logits[control_rows], width=width, replacement=replacement
    )
    weights = np.zeros(len(control_rows))
    matched = np.zeros(len(treated_rows), dtype=bool)
    effects = []
    for participant, controls in enumerate(matches):
        if not controls:
            continue
        chosen = np.asarray(controls)
        matched[participant] = True
        weights[chosen] += 1 / len(chosen)
        effects.append(y[treated_rows[participant]] - y[control_rows[chosen]].mean())
    if not effects:
        return None
    return float(np.mean(effects)), weights, matched, width


def _bootstrap(
    x: np.ndarray,
    treated: np.ndarray,
    y: np.ndarray,
    *,
    caliper: float | None,
    replacement: bool,
    times: int,
    seed: int,
    alpha: float,
) -> tuple[float, float, int]:
    if times == 0:
        return float("nan"), float("nan"), 0
    generator = np.random.default_rng(seed)
    treated_rows = np.flatnonzero(treated)
    control_rows = np.flatnonzero(~treated)
    estimates = []
    for _ in range(times):
        rows = np.concatenate(
            [
                generator.choice(treated_rows, size=len(treated_rows), replace=True),
                generator.choice(control_rows, size=len(control_rows), replace=True),
            ]
        )
        found = _estimate(x[rows], treated[rows], y[rows], caliper=caliper, replacement=replacement)
        if found is not None:
            estimates.append(found[0])
    if len(estimates) < MIN_BOOTSTRAP_SUCCESS * times:
        raise EstimationError(
            gettext(
                "The interval cannot be estimated: too many bootstrap samples had no overlap "
                "between the groups."
            )
        )
    lower, upper = np.percentile(estimates, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lower), float(upper), len(estimates)


def _balance(
    covariates: pd.DataFrame, treated: np.ndarray, matched: np.ndarray, weights: np.ndarray
) -> tuple[BalanceRow, ...]:
    rows = []
    for name in covariates.columns:
        values = covariates[name].to_numpy(dtype=float)
        in_treated, in_control = values[treated], values[~treated]
        spread = np.sqrt((in_treated.var(ddof=1) + in_control.var(ddof=1)) / 2)
        matched_treated = float(in_treated[matched].mean())
        matched_control = float(np.average(in_control, weights=weights))
        before = float(in_treated.mean() - in_control.mean())
        after = matched_treated - matched_control
        rows.append(
            BalanceRow(
                covariate=str(name),
                mean_treated=float(in_treated.mean()),
                mean_control_before=float(in_control.mean()),
                smd_before=float(before / spread) if spread > 0 else 0.0,
                mean_control_after=matched_control,
                smd_after=float(after / spread) if spread > 0 else 0.0,
                mean_treated_after=matched_treated,
            )
        )
    return tuple(rows)
