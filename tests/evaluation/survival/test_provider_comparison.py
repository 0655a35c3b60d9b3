"""The provider comparison on a hand-built trial (`scenario.provider_trial`): rates with Wilson
intervals worked out by hand, small providers left out, and the adjusted comparison."""

from __future__ import annotations

import pandas as pd
import pytest

from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.views.survival import groups
from polku.evaluation.views.survival.provider_comparison import (
    ProviderLine,
    _rated,
    provider_report,
)
from tests import factories as f
from tests.evaluation.survival.scenario import FOLLOW_UP_END, provider_trial

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager() -> Membership:
    return f.MembershipFactory(role=Role.PROGRAMME_MANAGER)


def _rates(line: ProviderLine) -> list[tuple[str, tuple[int, int, float, float] | None]]:
    """Per outcome: the count shown, and successes, n and the interval rounded to 4 places."""
    return [
        (
            cell.people,
            None
            if cell.rate is None
            else (
                cell.rate.successes,
                cell.rate.n,
                round(cell.rate.lower, 4),
                round(cell.rate.upper, 4),
            ),
        )
        for cell in line.cells
    ]


def test_rates_by_sector_with_wilson_intervals(manager: Membership) -> None:
    """Wilson by hand, n = 15, z = 1.96: centre (p + z²/2n) / (1 + z²/n), half-width
    z·√(p(1−p)/n + z²/4n²) / (1 + z²/n) = 0.2222; p = 0.4 gives 0.1982–0.6425, p = 0.6 gives
    0.3575–0.8018; 15 of 30 gives 0.3315–0.6685."""
    programme = provider_trial()

    report = provider_report(manager, programme=programme, follow_up_end=FOLLOW_UP_END)

    public, private = report.by_sector
    assert (public.key, public.people, private.key, private.people) == (
        "public",
        "15",
        "private",
        "15",
    )
    # Employed at exit, in work or training at exit, employed at 6 months, found a job.
    assert _rates(public) == [
        ("15", (6, 15, 0.1982, 0.6425)),
        ("15", (9, 15, 0.3575, 0.8018)),
        ("8", None),  # fewer than ten followed up
        ("15", (6, 15, 0.1982, 0.6425)),
    ]
    assert _rates(private)[0] == ("15", (9, 15, 0.3575, 0.8018))
    # Twelve followed up at six months, but public's eight would follow from the total.
    assert _rates(private)[2] == ("12", None)
    assert _rates(report.total)[0] == ("30", (15, 30, 0.3315, 0.6685))
    six_months = _rates(report.total)[2][1]
    assert six_months is not None
    assert six_months[:2] == (9, 20)


def test_a_provider_of_fewer_than_five_is_left_out_and_named(manager: Membership) -> None:
    programme = provider_trial()

    report = provider_report(manager, programme=programme, follow_up_end=FOLLOW_UP_END)

    assert report.people == 30
    assert [(g.breakdown, g.key) for g in report.left_out] == [
        (groups.PROVIDER, "Association ry"),
        (groups.SECTOR, "third_sector"),
    ]
    assert report.left_out_note == (
        "Groups of fewer than 5 people — here: provider Association ry; provider sector "
        "third-sector providers — are left out of every figure."
    )
    assert [line.key for line in report.by_provider] == [
        "City employment services",
        "Provider Oy",
    ]


def test_the_adjusted_comparison_sets_private_against_public(manager: Membership) -> None:
    programme = provider_trial()

    report = provider_report(manager, programme=programme, follow_up_end=FOLLOW_UP_END)

    at_exit = report.adjusted[0]
    assert at_exit.error is None
    assert at_exit.people == 30
    public, private = at_exit.lines
    assert (public.key, public.odds_ratio) == ("public", None)
    assert private.key == "private"
    assert private.odds_ratio is not None
    assert private.odds_ratio > 1  # 9 of 15 against 6 of 15, similar people
    assert private.odds_ratio_lower is not None
    assert private.odds_ratio_lower < 1  # fifteen each: no clear difference
    assert public.adjusted < private.adjusted
    at_6_months = report.adjusted[2]
    assert at_6_months.lines == ()
    assert at_6_months.error == (
        "Too few people have this outcome recorded with each sector's providers: 10 are needed."
    )


def test_with_only_public_providers_there_is_nothing_to_adjust(manager: Membership) -> None:
    from tests.evaluation.survival.scenario import work_path

    programme = work_path()

    report = provider_report(manager, programme=programme, follow_up_end=FOLLOW_UP_END)

    assert [table.error for table in report.adjusted] == [
        "No participant has this outcome recorded.",
        "No participant has this outcome recorded.",
        "No participant has this outcome recorded.",
        "Only one provider sector to compare.",
    ]


def _outcomes(successes: int, people: int) -> pd.DataFrame:
    return pd.DataFrame({"employed_at_exit": [1.0] * successes + [0.0] * (people - successes)})


def test_a_rate_is_hidden_when_its_numerator_or_its_complement_is_one_to_four() -> None:
    """A rate and its n give away the people with the outcome and those without it (review
    finding 6): 2 of 12 hides A's rate; A's 2 could then be worked out from the total less B's
    8 and C's 10, so B's rate (the smaller) goes too; C's stays."""
    rows = {"A": _outcomes(2, 12), "B": _outcomes(8, 15), "C": _outcomes(10, 20)}
    assert _rated(rows, {"A", "B", "C"}, "employed_at_exit") == {"C"}
    # 11 of 12: the one without the outcome is a group of fewer than five.
    rows = {"A": _outcomes(11, 12), "B": _outcomes(7, 15), "C": _outcomes(10, 20)}
    assert _rated(rows, {"A", "B", "C"}, "employed_at_exit") == {"C"}
    rows = {"A": _outcomes(6, 12), "B": _outcomes(8, 15)}
    assert _rated(rows, {"A", "B"}, "employed_at_exit") == {"A", "B"}
