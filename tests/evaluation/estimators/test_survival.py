"""Kaplan–Meier and Cox: by hand, against published figures, and as properties."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines.datasets import load_lung, load_rossi
from numpy.testing import assert_allclose

from polku.evaluation.estimators import EstimationError, cox, kaplan_meier

Z95 = 1.959963984540054


def six_people() -> pd.DataFrame:
    # Times 2, 3+, 4, 4, 6+, 8 (+ = censored): worked by hand below.
    return pd.DataFrame({"days": [2, 3, 4, 4, 6, 8], "job": [1, 0, 1, 1, 0, 1]})


def test_kaplan_meier_by_hand_on_six_people() -> None:
    (curve,) = kaplan_meier(six_people(), duration="days", event="job")

    # S(2) = 5/6; at 4, 4 at risk and 2 events: S = 5/6 · 2/4 = 5/12; at 8: 1 at risk, 1 event.
    assert [p.time for p in curve.points] == [0, 2, 3, 4, 6, 8]
    assert_allclose([p.survival for p in curve.points], [1, 5 / 6, 5 / 6, 5 / 12, 5 / 12, 0])
    assert [p.at_risk for p in curve.points] == [6, 6, 5, 4, 2, 1]
    assert (curve.n, curve.events, curve.censored) == (6, 4, 2)
    assert curve.median == 4  # the first time S falls to 0.5 or below
    assert curve.survival_at(3.9) == pytest.approx(5 / 6)
    assert curve.survival_at(-1) == 1.0
    # Exponential Greenwood at t = 4: V = Σ d/(n(n−d)) = 1/(6·5) + 2/(4·2);
    # the band is S^exp(±z·sqrt(V)/log S).
    greenwood = 1 / 30 + 2 / 8
    s = 5 / 12
    spread = Z95 * math.sqrt(greenwood) / math.log(s)
    point = curve.points[3]
    assert_allclose([point.lower, point.upper], [s ** math.exp(-spread), s ** math.exp(spread)])


def test_kaplan_meier_matches_r_survival_on_the_lung_data() -> None:
    """lifelines ships the NCCTG lung cancer data (R `survival::lung`).

    Published by R's `survfit(Surv(time, status) ~ 1, lung)` (Therneau's survival package; e.g.
    Zabor, "Survival analysis in R" tutorial): n = 228, 165 events, median 310 days; by sex,
    median 270 (men) and 426 (women); `summary(fit, times = 365)`: S = 0.409, std.err 0.0358.
    """
    lung = load_lung()

    (overall,) = kaplan_meier(lung, duration="time", event="status")
    men, women = kaplan_meier(lung, duration="time", event="status", group="sex")

    assert (overall.n, overall.events) == (228, 165)
    assert overall.median == 310
    assert (men.group, men.median, women.group, women.median) == ("1", 270, "2", 426)
    assert overall.survival_at(365) == pytest.approx(0.409, abs=5e-4)
    # Our band is log(−log S), R's default is log S: derive the log-log band from R's published
    # S and standard error (Greenwood); the tolerance covers their 3-digit rounding.
    s, std_error = 0.409, 0.0358
    spread = Z95 * (std_error / s) / math.log(s)
    at_year = max((p for p in overall.points if p.time <= 365), key=lambda p: p.time)
    assert_allclose(
        [at_year.lower, at_year.upper], [s ** math.exp(-spread), s ** math.exp(spread)], atol=3e-3
    )
    # The median's interval lies around it and inside the follow-up.
    assert overall.median_lower is not None
    assert overall.median_upper is not None
    assert overall.median_lower < 310 < overall.median_upper


def test_cox_matches_fox_and_weisberg_on_the_rossi_recidivism_data() -> None:
    """lifelines ships Rossi et al.'s recidivism data; Fox & Weisberg, "Cox Proportional-Hazards
    Regression for Survival Data in R" (appendix to An R Companion to Applied Regression), fit
    `coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio)` and publish
    coef: fin −0.3794, age −0.0574, race 0.3139, wexp −0.1498, mar −0.4337, paro −0.0849,
    prio 0.0915 (exp(coef) for fin 0.684, p = 0.047; prio 1.096, p = 0.0014), n = 432, 114
    events. Both use Efron's ties; the tolerance is the published rounding.
    """
    covariates = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]

    result = cox(load_rossi(), duration="week", event="arrest", covariates=covariates)

    assert (result.n, result.events) == (432, 114)
    assert [t.name for t in result.terms] == covariates
    assert_allclose(
        [t.coef for t in result.terms],
        [-0.3794, -0.0574, 0.3139, -0.1498, -0.4337, -0.0849, 0.0915],
        atol=5e-5,
    )
    fin, prio = result.terms[0], result.terms[-1]
    assert fin.hazard_ratio == pytest.approx(0.684, abs=5e-4)
    assert fin.p_value == pytest.approx(0.047, abs=5e-4)
    assert prio.hazard_ratio == pytest.approx(1.096, abs=5e-4)
    assert fin.lower < fin.hazard_ratio < fin.upper


def test_cox_turns_a_text_covariate_into_dummies_against_its_first_level() -> None:
    rossi = load_rossi()
    rossi["financial_aid"] = rossi["fin"].map({0: "no", 1: "yes"})

    result = cox(rossi, duration="week", event="arrest", covariates=["financial_aid", "age"])
    numeric = cox(rossi, duration="week", event="arrest", covariates=["fin", "age"])

    assert [t.name for t in result.terms] == ["financial_aid=yes", "age"]
    assert result.terms[0].coef == pytest.approx(numeric.terms[0].coef)


def test_cox_refuses_data_without_events_or_with_a_constant_covariate() -> None:
    frame = six_people().assign(age=[30, 40, 50, 30, 40, 50], region=1)

    with pytest.raises(EstimationError, match="No one in the data had the event"):
        cox(frame.assign(job=0), duration="days", event="job", covariates=["age"])
    with pytest.raises(EstimationError, match="“region” has the same value in every row"):
        cox(frame, duration="days", event="job", covariates=["age", "region"])


def test_kaplan_meier_refuses_negative_times_missing_columns_and_other_events() -> None:
    with pytest.raises(EstimationError, match="“days” has a negative time"):
        kaplan_meier(six_people().assign(days=[-1, 3, 4, 4, 6, 8]), duration="days", event="job")
    with pytest.raises(EstimationError, match="no column “weeks”"):
        kaplan_meier(six_people(), duration="weeks", event="job")
    with pytest.raises(EstimationError, match="only 0 and 1"):
        kaplan_meier(six_people().assign(job=2), duration="days", event="job")


def test_kaplan_meier_leaves_out_rows_without_a_value() -> None:
    frame = six_people()
    frame.loc[len(frame)] = [np.nan, 1]

    (curve,) = kaplan_meier(frame, duration="days", event="job")

    assert curve.n == 6


people = st.lists(
    st.tuples(st.integers(min_value=0, max_value=400), st.booleans()), min_size=1, max_size=60
)


@settings(max_examples=60, deadline=None)
@given(people)
def test_survival_stays_in_the_unit_interval_never_rises_and_lies_in_its_band(
    rows: list[tuple[int, bool]],
) -> None:
    frame = pd.DataFrame(rows, columns=["days", "job"])

    (curve,) = kaplan_meier(frame, duration="days", event="job")

    survival = [p.survival for p in curve.points]
    assert all(0 <= s <= 1 for s in survival)
    assert all(later <= earlier + 1e-12 for earlier, later in itertools.pairwise(survival))
    for point in curve.points:
        assert 0 <= point.lower <= point.survival + 1e-9
        assert point.survival - 1e-9 <= point.upper <= 1
    assert curve.events + curve.censored == curve.n == len(rows)
