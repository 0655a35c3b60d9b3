"""Kaplan–Meier curves and the Cox proportional-hazards model (lifelines).

Time to employment (issue 6): the time from entry to the first job, censored for those still
searching or who left without a job.
"""

from __future__ import annotations

import bisect
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.exceptions import ConvergenceError
from lifelines.utils import median_survival_times

from polku.evaluation.estimators import _checks
from polku.evaluation.estimators.errors import EstimationError


@dataclass(frozen=True)
class KmPoint:
    time: float
    survival: float
    lower: float
    upper: float
    at_risk: (
        int  # people still followed (neither had the event nor were censored) just before `time`
    )


@dataclass(frozen=True)
class KmCurve:
    group: str  # "" for the whole data when no grouping column is given
    n: int
    events: int
    censored: int
    median: float | None  # None when the curve never falls to 0.5
    median_lower: float | None
    median_upper: float | None  # None when the upper band never falls to 0.5 (open interval)
    points: tuple[KmPoint, ...]  # from time 0 (survival 1), one per distinct time in the data

    def survival_at(self, time: float) -> float:
        """The step function's value at `time`: the last point at or before it (1 before any)."""
        times = [point.time for point in self.points]
        position = bisect.bisect_right(times, time) - 1
        return self.points[position].survival if position >= 0 else 1.0

    def summary(self) -> str:
        def shown(value: float | None) -> str:
            return "–" if value is None else f"{value:g}"

        return (
            f"{self.group or 'all'}: n={self.n}, events={self.events}, censored={self.censored}, "
            f"median={shown(self.median)} ({shown(self.median_lower)}–{shown(self.median_upper)})"
        )


def kaplan_meier(
    frame: pd.DataFrame,
    *,
    duration: str,
    event: str,
    group: str | None = None,
    alpha: float = 0.05,
) -> list[KmCurve]:
    """Kaplan–Meier estimates of the share still without the event over time, per group.

    Parameters
    ----------
    frame
        One row per person. Rows without a duration or an event are left out (complete cases);
        with `group`, rows without a group are left out too.
    duration
        Time from the start (entry) to the event or to censoring, ≥ 0 (e.g. days).
    event
        1 if the event (a job) happened at `duration`, 0 if the person was censored then.
    group
        Optional column to draw one curve per value (sorted, or in the category order).
    alpha
        1 − the confidence level of the pointwise band and the median's interval.

    Returns
    -------
    list[KmCurve]
        One curve per group, or one for the whole data.

    Raises
    ------
    EstimationError
        A missing or non-numeric column, a negative duration, an event not 0/1, no rows.

    Notes
    -----
    The pointwise band is lifelines' exponential Greenwood interval (Greenwood's variance on the
    log(−log S) scale), which stays within [0, 1]. R's `survfit` defaults to the "log" transform,
    so its bands differ slightly; the estimates are the same. The median is the first time the
    curve falls to 0.5 or below; its interval is where the band's lower and upper curves cross 0.5
    (Brookmeyer and Crowley 1982), `lifelines.utils.median_survival_times` on the band. The curve
    assumes censoring unrelated to the chance of finding work: people who leave a programme because
    they are about to find work would bias it.

    References
    ----------
    Kaplan, E. L., Meier, P. (1958). Nonparametric estimation from incomplete observations. JASA 53,
    457–481. Brookmeyer, R., Crowley, J. (1982). A confidence interval for the median survival time.
    Biometrics 38, 29–41.
    """
    columns = [duration, event] + ([group] if group else [])
    _checks.require_columns(frame, columns)
    data = _survival_data(frame, duration=duration, event=event, extra=[group] if group else [])
    _checks.require_alpha(alpha)
    if group is None:
        return [_curve("", data[duration], data[event], alpha)]
    labels = data[group]
    curves = []
    for level in _checks._levels(labels):
        members = labels == level
        curves.append(
            _curve(str(level), data.loc[members, duration], data.loc[members, event], alpha)
        )
    return curves


def _survival_data(
    frame: pd.DataFrame, *, duration: str, event: str, extra: Sequence[str]
) -> pd.DataFrame:
    data = frame.loc[:, list(dict.fromkeys([duration, event, *extra]))].copy()
    data[duration] = _checks.numeric(data, duration)
    data[event] = _checks.binary(data, event)
    data = data.dropna(subset=[duration, event, *extra])
    if data.empty:
        raise EstimationError(gettext("No row has a value in every column used."))
    if (data[duration] < 0).any():
        raise EstimationError(
            gettext("Column “%(column)s” has a negative time.") % {"column": duration}
        )
    return data


def _curve(label: str, durations: pd.Series, events: pd.Series, alpha: float) -> KmCurve:
    fitter = KaplanMeierFitter(alpha=alpha)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter.fit(durations, event_observed=events)
    survival = fitter.survival_function_.iloc[:, 0]
    band = fitter.confidence_interval_
    lower, upper = band.iloc[:, 0], band.iloc[:, 1]
    at_risk = fitter.event_table["at_risk"]
    points = tuple(
        KmPoint(
            time=float(time),
            survival=float(survival.loc[time]),
            # At time 0 the band is undefined (NaN in lifelines): the share is 1 with certainty.
            lower=float(np.nan_to_num(lower.loc[time], nan=1.0)),
            upper=float(np.nan_to_num(upper.loc[time], nan=1.0)),
            at_risk=int(at_risk.loc[time]) if time in at_risk.index else len(durations),
        )
        for time in survival.index
    )
    median_band = median_survival_times(band)
    events_count = int(events.sum())
    return KmCurve(
        group=label,
        n=len(durations),
        events=events_count,
        censored=len(durations) - events_count,
        median=_checks.finite(fitter.median_survival_time_),
        median_lower=_checks.finite(median_band.iloc[0, 0]),
        median_upper=_checks.finite(median_band.iloc[0, 1]),
        points=points,
    )


@dataclass(frozen=True)
class CoxTerm:
    name: str  # the column, or `column=level` for a level of a categorical covariate
    coef: float
    hazard_ratio: float
    lower: float  # of the hazard ratio
    upper: float
    p_value: float


@dataclass(frozen=True)
class CoxResult:
    n: int
    events: int
    terms: tuple[CoxTerm, ...]
    concordance: float

    def summary(self) -> str:
        lines = [f"n={self.n}, events={self.events}, concordance={self.concordance:.3f}"]
        lines += [
            f"{t.name}: coef {t.coef:.4f}, HR {t.hazard_ratio:.3f} "
            f"({t.lower:.3f}–{t.upper:.3f}), p={t.p_value:.4f}"
            for t in self.terms
        ]
        return "\n".join(lines)


def cox(
    frame: pd.DataFrame,
    *,
    duration: str,
    event: str,
    covariates: Sequence[str],
    alpha: float = 0.05,
) -> CoxResult:
    """A Cox proportional-hazards model of the time to the event.

    Parameters
    ----------
    frame
        One row per person; rows missing any column used are left out (complete cases).
    duration, event
        As for `kaplan_meier`.
    covariates
        Numbers enter as they are; text or categories become dummies against their first level
        (named `column=level`).

    Returns
    -------
    CoxResult
        Coefficients (log hazard ratios) with hazard ratios, Wald intervals and p-values, and
        Harrell's concordance.

    Raises
    ------
    EstimationError
        No covariates, no events, fewer rows than terms, a constant covariate, or a fit that does
        not converge (e.g. a covariate that separates those with and without the event).

    Notes
    -----
    lifelines' `CoxPHFitter` without penalty, ties by Efron's method (as R's `coxph` by default).
    A hazard ratio above 1 means the event (a job) comes sooner. The model assumes the ratios
    stay constant over time; check with `lifelines.statistics.proportional_hazard_test`.

    References
    ----------
    Cox, D. R. (1972). Regression models and life-tables. JRSS B 34, 187–220.
    """
    if not covariates:
        raise EstimationError(gettext("Choose at least one covariate."))
    _checks.require_columns(frame, [duration, event, *covariates])
    data = _survival_data(frame, duration=duration, event=event, extra=covariates)
    x = _checks.design(data, covariates)
    events = int(data[event].sum())
    if events == 0:
        raise EstimationError(
            gettext("No one in the data had the event, so there is nothing to model.")
        )
    if len(data) <= x.shape[1] + 1:
        raise EstimationError(gettext("Too few rows for the number of covariates."))
    model_data = pd.concat(
        [x, data[duration].rename("_duration"), data[event].rename("_event")], axis=1
    )
    fitter = CoxPHFitter(alpha=alpha)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fitter.fit(model_data, duration_col="_duration", event_col="_event")
        except (ConvergenceError, np.linalg.LinAlgError) as error:
            raise EstimationError(
                gettext(
                    "The model did not converge: a covariate may repeat another or separate "
                    "those with and without the event."
                )
            ) from error
    summary = fitter.summary
    lower_column = next(c for c in summary.columns if c.startswith("exp(coef) lower"))
    upper_column = next(c for c in summary.columns if c.startswith("exp(coef) upper"))
    terms = tuple(
        CoxTerm(
            name=str(name),
            coef=float(row["coef"]),
            hazard_ratio=float(row["exp(coef)"]),
            lower=float(row[lower_column]),
            upper=float(row[upper_column]),
            p_value=float(row["p"]),
        )
        for name, row in summary.iterrows()
    )
    if not all(np.isfinite([t.coef, t.lower, t.upper]).all() for t in terms):
        raise EstimationError(
            gettext(
                "The model did not converge: a covariate may repeat another or separate "
                "those with and without the event."
            )
        )
    return CoxResult(
        n=len(data),
        events=events,
        terms=terms,
        concordance=float(fitter.concordance_index_),
    )
