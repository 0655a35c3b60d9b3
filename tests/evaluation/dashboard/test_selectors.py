"""The dashboard's figures on a hand-built programme with known answers (`scenario`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from polku.core.roles import Role
from polku.evaluation.dashboard import selectors
from polku.evaluation.dashboard.figures import DistributionRow
from polku.evaluation.models import OutcomeStatus
from polku.ips.outcomes.periods import Month
from tests import factories as f
from tests.evaluation.dashboard import scenario
from tests.evaluation.dashboard.scenario import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():  # type: ignore[no-untyped-def]
    return f.MembershipFactory(role=Role.PROGRAMME_MANAGER)


def _targets(board: selectors.Dashboard) -> dict[str, selectors.TargetLine]:
    return {line.measure: line for line in board.targets}


def test_targets_against_actuals(manager) -> None:  # type: ignore[no-untyped-def]
    world = scenario.build()
    board = selectors.dashboard(manager, programme=world.programme, as_of=AS_OF)

    assert board.participants == "20"  # the two of gender "other" are left out
    assert [(g.breakdown, g.key) for g in board.left_out] == [("gender", "other")]
    lines = _targets(board)
    participants = lines["participants"]
    assert (participants.actual.count, participants.target, participants.progress) == (
        "20",
        Decimal(40),
        0.5,
    )
    # 15 have left: 10 employed (5 full-time, 5 subsidised), none in education.
    work = lines["work_or_training_at_exit"]
    assert (work.actual.count, work.of, work.actual.share) == ("10", "15", 10 / 15)
    assert work.progress == pytest.approx((10 / 15) / 0.5)
    employed = lines["employed_at_exit"]
    assert (employed.actual.count, employed.actual.share, employed.target) == ("10", 10 / 15, None)
    assert employed.progress is None
    # A, B, C and D; E's jobs began before entry, too late, or were someone else's.
    employers = lines["hiring_employers"]
    assert (employers.actual.count, employers.target, employers.progress) == ("4", Decimal(8), 0.5)


def test_the_programme_target_is_the_fallback_for_participants(manager) -> None:  # type: ignore[no-untyped-def]
    world = scenario.build(targets=False)
    board = selectors.dashboard(manager, programme=world.programme, as_of=AS_OF)
    line = _targets(board)["participants"]
    assert (line.target, line.progress) == (Decimal(350), 20 / 350)


def test_participants_in_and_out_by_month(manager) -> None:  # type: ignore[no-untyped-def]
    world = scenario.build()
    board = selectors.dashboard(
        manager, programme=world.programme, first=Month(2025, 1), as_of=dt.date(2025, 8, 31)
    )
    rows = [(str(m.month), m.entered, m.left) for m in board.flows.months]
    assert rows == [
        ("2025-01", "10", "0"),
        ("2025-02", "5", "0"),
        ("2025-03", "5", "0"),
        ("2025-04", "0", "0"),
        ("2025-05", "0", "0"),
        ("2025-06", "0", "10"),
        ("2025-07", "0", "5"),
        ("2025-08", "0", "0"),
    ]
    assert (board.flows.entered, board.flows.left) == ("20", "15")


def test_the_period_of_entry_limits_the_participants(manager) -> None:  # type: ignore[no-untyped-def]
    world = scenario.build()
    board = selectors.dashboard(
        manager, programme=world.programme, first=Month(2025, 2), last=Month(2025, 3), as_of=AS_OF
    )
    assert board.participants == "10"
    assert board.distribution.total.left == "5"
    assert _targets(board)["hiring_employers"].actual.count == "1"  # D


def test_situation_at_exit_by_gender_and_age_band(manager) -> None:  # type: ignore[no-untyped-def]
    world = scenario.build()
    board = selectors.dashboard(manager, programme=world.programme, as_of=AS_OF)
    d = board.distribution

    def counts(row: DistributionRow) -> list[str]:
        return [cell.count for cell in row.cells]

    # employed, education, job seeking, rehabilitation, outside, unknown, not recorded
    assert (d.total.left, counts(d.total)) == ("15", ["10", "0", "5", "0", "0", "0", "0"])
    assert [(r.key, r.left, counts(r)) for r in d.by_gender] == [
        ("woman", "10", ["5", "0", "5", "0", "0", "0", "0"]),
        ("man", "5", ["5", "0", "0", "0", "0", "0", "0"]),
    ]
    assert [(r.key, r.left) for r in d.by_age_band] == [
        ("18_29", "0"),
        ("30_54", "15"),
        ("55_plus", "0"),
    ]
    assert d.total.cells[0].share == 10 / 15
    assert d.by_gender[0].cells[2].percent == "50%"


def test_small_counts_are_hidden_so_that_no_sum_gives_them_away(manager) -> None:  # type: ignore[no-untyped-def]
    world = scenario.build()
    # Two more men leave, in education: a count of 2 among the men and among everyone.
    for index in range(2):
        scenario._participant(
            world.programme,
            "man",
            dt.date(2025, 2, 20 + index),
            dt.date(2025, 7, 31),
            OutcomeStatus.EDUCATION,
        )
    board = selectors.dashboard(manager, programme=world.programme, as_of=AS_OF)
    d = board.distribution
    men = d.by_gender[1]
    assert men.cells[1].count == "<5"
    assert d.total.cells[1].count == "<5"
    # The men's row adds up to the men who have left: a second count is hidden with it.
    for row in (men, d.total, *d.by_age_band):
        hidden = [c for c in row.cells if c.count in ("<5", "≥5")]
        assert len(hidden) != 1
    # In work or training would be employed + education: not shown beside a hidden part.
    assert d.work_or_training.count == "–"
    assert d.work_or_training.share is None


def test_a_programme_of_fewer_than_five_shows_nothing(manager) -> None:  # type: ignore[no-untyped-def]
    programme = f.ProgrammeFactory()
    for index in range(3):
        scenario._participant(programme, "woman", dt.date(2025, 1, 1 + index))
    board = selectors.dashboard(manager, programme=programme, as_of=AS_OF)
    assert board.participants == "<5"
    assert board.is_too_small


def test_only_the_evaluation_roles_get_the_dashboard() -> None:
    programme = f.ProgrammeFactory()
    coordinator = f.MembershipFactory(role=Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        selectors.dashboard(coordinator, programme=programme, as_of=AS_OF)
