"""Every page built on the participant frame counts the same people (review findings 3 and 4):
the dashboard and the time-to-employment and provider pages leave out the same small groups
(`cohort.leave_out_small_groups`), and two periods that differ by a month of 1–4 entrants show
the same figures."""

from __future__ import annotations

import datetime as dt

import pytest

from polku.clients.models import Gender
from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation import cohort
from polku.evaluation.dashboard import selectors
from polku.evaluation.models import OutcomeStatus
from polku.evaluation.views.survival.provider_comparison import provider_report
from polku.evaluation.views.survival.time_to_employment import NONE, time_to_employment_report
from polku.ips.outcomes.periods import Month
from tests import factories as f
from tests.evaluation.dashboard import scenario
from tests.evaluation.dashboard.scenario import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager() -> Membership:
    membership: Membership = f.MembershipFactory(role=Role.PROGRAMME_MANAGER)
    return membership


def _figures(board: selectors.Dashboard) -> tuple[object, ...]:
    d = board.distribution
    return (
        board.participants,
        d.total.left,
        [c.count for c in d.total.cells],
        [(r.key, r.left, [c.count for c in r.cells]) for r in d.by_gender],
        [(r.key, r.left) for r in d.by_age_band],
        [(m.entered, m.left) for m in board.flows.months if m.month <= Month(2025, 3)],
        [(m.label, m.participants, m.median) for m in board.medians],
    )


def test_a_month_of_fewer_than_five_entrants_changes_no_figure(manager: Membership) -> None:
    """January–March against January–April, where April has two entrants who both left
    employed: the difference would be their number and their situation at exit."""
    world = scenario.build()
    for index in range(2):
        scenario._participant(
            world.programme,
            Gender.WOMAN,
            dt.date(2025, 4, 7 + index),
            dt.date(2025, 9, 30),
            OutcomeStatus.EMPLOYED_FULL_TIME,
        )
    first = Month(2025, 1)
    to_march = selectors.dashboard(
        manager, programme=world.programme, first=first, last=Month(2025, 3), as_of=AS_OF
    )
    to_april = selectors.dashboard(
        manager, programme=world.programme, first=first, last=Month(2025, 4), as_of=AS_OF
    )

    assert to_march.participants == to_april.participants == "20"
    assert _figures(to_march) == _figures(to_april)
    assert [(g.breakdown, g.key) for g in to_april.left_out] == [
        ("gender", "other"),
        (cohort.ENTRY_MONTH, "2025-04"),
    ]
    note = to_april.left_out_note
    assert note is not None
    assert "entry month April 2025" in note
    april = [m for m in to_april.flows.months if m.month == Month(2025, 4)]
    assert [(m.entered, m.left) for m in april] == [("0", "0")]

    # The time-to-employment page counts the same people for either period.
    totals = {
        time_to_employment_report(
            manager,
            programme=world.programme,
            entered_from=first,
            entered_to=last,
            by=NONE,
            follow_up_end=AS_OF,
        ).total.people
        for last in (Month(2025, 3), Month(2025, 4))
    }
    assert totals == {20}


def test_the_dashboard_and_the_survival_pages_count_the_same_participants(
    manager: Membership,
) -> None:
    """Three people at a second provider are a group of fewer than five: every page leaves
    them out, so no page's total less another's gives their number."""
    world = scenario.build()
    small_provider = f.OrganisationFactory(name="Small provider")
    for index in range(3):
        client = f.ClientFactory(
            gender=Gender.WOMAN, date_of_birth=scenario.BORN, recorded_by=small_provider
        )
        f.EpisodeFactory(
            client=client, programme=world.programme, start_date=dt.date(2025, 2, 10 + index)
        )

    board = selectors.dashboard(manager, programme=world.programme, as_of=AS_OF)
    survival = time_to_employment_report(
        manager, programme=world.programme, by=NONE, follow_up_end=AS_OF
    )
    providers = provider_report(manager, programme=world.programme, follow_up_end=AS_OF)

    assert board.participants == str(survival.total.people) == providers.total.people == "20"
    assert providers.people == 20
    assert {(g.breakdown, g.key) for g in board.left_out} == {
        (g.breakdown, g.key) for g in survival.left_out
    }
    assert {(g.breakdown, g.key) for g in board.left_out} == {
        ("gender", "other"),
        ("provider", "Small provider"),
    }
