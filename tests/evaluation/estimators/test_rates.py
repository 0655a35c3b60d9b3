"""Wilson intervals and the case-mix-adjusted comparison of groups."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from polku.evaluation.estimators import EstimationError, compare_groups, wilson

Z95 = 1.959963984540054


def test_wilson_by_formula() -> None:
    # 3 of 10: centre (p + z²/2n)/(1 + z²/n), half-width z·sqrt(p(1−p)/n + z²/4n²)/(1 + z²/n).
    p, n, z = 0.3, 10, Z95
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)

    rate = wilson(3, 10)

    assert (rate.successes, rate.n, rate.rate) == (3, 10, 0.3)
    assert (rate.lower, rate.upper) == pytest.approx((centre - half, centre + half))
    # Published check (Newcombe 1998, Stat Med 17:857, Table I, method 3): 81/263 → 0.2553–0.3662.
    assert (wilson(81, 263).lower, wilson(81, 263).upper) == pytest.approx(
        (0.2553, 0.3662), abs=5e-5
    )


@given(st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
))  # fmt: skip
def test_wilson_bounds_lie_in_the_unit_interval_around_the_rate(case: tuple[int, int]) -> None:
    successes, n = case

    rate = wilson(successes, n)

    assert 0 <= rate.lower <= rate.rate <= rate.upper <= 1


def test_wilson_refuses_impossible_counts() -> None:
    with pytest.raises(EstimationError):
        wilson(3, 0)
    with pytest.raises(EstimationError):
        wilson(5, 4)


def providers() -> pd.DataFrame:
    # Public: 6 of 20 employed; private: 12 of 20; the private provider has the younger people.
    rows = (
        [("public", 1, age) for age in [25] * 4 + [50] * 2]
        + [("public", 0, age) for age in [25] * 4 + [50] * 10]
        + [("private", 1, age) for age in [25] * 10 + [50] * 2]
        + [("private", 0, age) for age in [25] * 4 + [50] * 4]
    )
    return pd.DataFrame(rows, columns=["provider", "employed", "age"])


def test_without_covariates_adjusted_equals_observed_and_the_odds_ratio_is_ad_over_bc() -> None:
    public, private = compare_groups(
        providers(), group="provider", outcome="employed", covariates=[], reference="public"
    )

    assert (public.group, private.group) == ("public", "private")
    assert (public.observed.successes, public.observed.n) == (6, 20)
    assert public.adjusted == pytest.approx(0.3)
    assert private.adjusted == pytest.approx(0.6)
    assert public.odds_ratio is None
    # 2×2: private 12/8, public 6/14 → OR = (12·14)/(8·6) = 3.5; Woolf's interval.
    spread = Z95 * math.sqrt(1 / 12 + 1 / 8 + 1 / 6 + 1 / 14)
    assert private.odds_ratio == pytest.approx(3.5)
    assert (private.odds_ratio_lower, private.odds_ratio_upper) == pytest.approx(
        (3.5 * math.exp(-spread), 3.5 * math.exp(spread))
    )
    assert public.adjusted_lower < 0.3 < public.adjusted_upper


def test_adjusting_for_age_narrows_a_gap_that_comes_from_the_case_mix() -> None:
    frame = providers()

    public, private = compare_groups(
        frame, group="provider", outcome="employed", covariates=["age"], reference="public"
    )

    observed_gap = private.observed.rate - public.observed.rate
    adjusted_gap = private.adjusted - public.adjusted
    assert 0 < adjusted_gap < observed_gap
    # Marginal standardisation over everyone: the average of the two adjusted rates brackets
    # the overall rate (both groups are standardised to the same, pooled, age mix).
    overall = frame["employed"].mean()
    assert min(public.adjusted, private.adjusted) < overall < max(public.adjusted, private.adjusted)
    for group in (public, private):
        assert 0 < group.adjusted_lower < group.adjusted < group.adjusted_upper < 1


def test_compare_groups_refuses_a_group_where_everyone_had_the_outcome() -> None:
    frame = providers()
    frame.loc[frame["provider"] == "private", "employed"] = 1

    with pytest.raises(EstimationError, match="In group “private” everyone or no one"):
        compare_groups(
            frame, group="provider", outcome="employed", covariates=[], reference="public"
        )
    with pytest.raises(EstimationError, match="reference group “city”"):
        compare_groups(providers(), group="provider", outcome="employed", covariates=[],
                       reference="city")  # fmt: skip
    with pytest.raises(EstimationError, match="at least two groups"):
        compare_groups(providers().query("provider == 'public'"), group="provider",
                       outcome="employed", covariates=[], reference="public")  # fmt: skip


def test_adjusted_interval_comes_from_the_delta_method_on_the_logit_scale() -> None:
    # Saturated model: the delta-method standard error of the logit of a group's rate is
    # sqrt(1/successes + 1/failures) (the Woolf variance of its log odds).
    public, _ = compare_groups(
        providers(), group="provider", outcome="employed", covariates=[], reference="public"
    )
    spread = Z95 * math.sqrt(1 / 6 + 1 / 14)
    logit = np.log(0.3 / 0.7)
    expected = (1 / (1 + np.exp(-(logit - spread))), 1 / (1 + np.exp(-(logit + spread))))
    assert (public.adjusted_lower, public.adjusted_upper) == pytest.approx(expected)
