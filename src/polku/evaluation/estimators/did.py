"""Difference-in-differences for an outcome measured before and after, per person."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from django.utils.translation import gettext

from polku.evaluation.estimators import _checks
from polku.evaluation.estimators.errors import EstimationError


@dataclass(frozen=True)
class DidResult:
    estimate: float
    lower: float
    upper: float
    std_error: float
    p_value: float
    n_treated: int
    n_control: int
    treated_before: float  # mean outcomes of the four cells
    treated_after: float
    control_before: float
    control_after: float

    def summary(self) -> str:
        return (
            f"DiD {self.estimate:.4g} ({self.lower:.4g}–{self.upper:.4g}), "
            f"SE {self.std_error:.4g}, p={self.p_value:.4f}; "
            f"n={self.n_treated} treated, {self.n_control} control"
        )


def difference_in_differences(
    frame: pd.DataFrame,
    *,
    treatment: str,
    before: str,
    after: str,
    alpha: float = 0.05,
) -> DidResult:
    """The change in the participants' outcome less the change in the comparison group's.

    Parameters
    ----------
    frame
        One row per person, with the outcome before and after; rows missing either, or the
        treatment, are left out (a balanced panel).
    treatment
        1 for participants, 0 for the comparison group.
    before, after
        The outcome measured before and after the programme (e.g. months employed in the 12
        months before entry and after it).

    Returns
    -------
    DidResult
        The estimate (treated_after − treated_before) − (control_after − control_before), its
        cluster-robust standard error, interval and p-value, the counts and the four cell means.

    Raises
    ------
    EstimationError
        Fewer than two people in either group, or a column that is not numeric.

    Notes
    -----
    Estimated as OLS on the long data (two rows per person) of
    ``y = a + b·treated + c·after + d·treated·after``; d is the estimate. Standard errors are
    cluster-robust by person (statsmodels' CR1 with its small-sample correction; t with
    clusters − 1 degrees of freedom), since a person's two measurements are not independent.
    With one row per person this equals regressing the change on treatment, with
    heteroskedasticity-robust errors. The estimate is causal only if, without the programme, both
    groups' outcomes would have changed alike (parallel trends); an earlier measurement is needed
    to check that.

    References
    ----------
    Angrist, J. D., Pischke, J.-S. (2009). Mostly Harmless Econometrics, ch. 5. Bertrand, M.,
    Duflo, E., Mullainathan, S. (2004). How much should we trust differences-in-differences
    estimates? QJE 119, 249–275.
    """
    _checks.require_alpha(alpha)
    _checks.require_columns(frame, [treatment, before, after])
    data = frame.loc[:, list(dict.fromkeys([treatment, before, after]))].copy()
    data[treatment] = _checks.binary(data, treatment)
    data[before] = _checks.numeric(data, before)
    data[after] = _checks.numeric(data, after)
    data = data.dropna()
    treated = data[treatment].to_numpy() == 1
    if treated.sum() < 2 or (~treated).sum() < 2:  # noqa: PLR2004 - a variance needs two
        raise EstimationError(
            gettext(
                "Difference-in-differences needs at least two people who took part and two who "
                "did not, each measured before and after."
            )
        )
    people = np.arange(len(data))
    long = pd.DataFrame(
        {
            "y": np.concatenate([data[before].to_numpy(), data[after].to_numpy()]),
            "treated": np.concatenate([treated, treated]).astype(float),
            "after": np.repeat([0.0, 1.0], len(data)),
            "person": np.concatenate([people, people]),
        }
    )
    long["treated_after"] = long["treated"] * long["after"]
    x = sm.add_constant(long[["treated", "after", "treated_after"]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Identical changes within both groups leave no residual: the error is 0 or NaN there.
        fit = sm.OLS(long["y"], x).fit(
            cov_type="cluster", cov_kwds={"groups": long["person"]}, use_t=True
        )
        lower, upper = fit.conf_int(alpha=alpha).loc["treated_after"]
        std_error = float(fit.bse["treated_after"])
        p_value = float(fit.pvalues["treated_after"])
    return DidResult(
        estimate=float(fit.params["treated_after"]),
        lower=float(lower),
        upper=float(upper),
        std_error=std_error,
        p_value=p_value if std_error > 0 else float("nan"),
        n_treated=int(treated.sum()),
        n_control=int((~treated).sum()),
        treated_before=float(data.loc[treated, before].mean()),
        treated_after=float(data.loc[treated, after].mean()),
        control_before=float(data.loc[~treated, before].mean()),
        control_after=float(data.loc[~treated, after].mean()),
    )
