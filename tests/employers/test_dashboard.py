"""The employer dashboard's figures on hand-built scenarios with known answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from polku.core.models import Membership
from polku.core.roles import Role
from polku.employers.selectors.dashboard import (
    HIRING_EMPLOYERS_TARGET,
    contacts_per_week,
    hiring_employers,
    hiring_shown,
)
from polku.ips.models import IpsCase, JobPlacement
from tests.factories import (
    EmployerFactory,
    EmployerInteractionFactory,
    EpisodeFactory,
    IpsCaseFactory,
    JobPlacementFactory,
    MembershipFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager() -> Membership:
    return MembershipFactory(role=Role.PROGRAMME_MANAGER)


def months_ago(day: dt.date, months: int) -> dt.date:
    """The 10th of the month `months` before `day`'s."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 10)


def hire(case: IpsCase, day: dt.date, employers: int = 1) -> None:
    """`employers` new employers, each placing `case`'s client on `day`."""
    for _ in range(employers):
        JobPlacementFactory(case=case, employer=EmployerFactory(), start_date=day)


def test_hiring_employers_by_month_towards_the_target(manager: Membership) -> None:
    today = timezone.localdate()
    pilot = ProgrammeFactory(name="IPS pilot")
    other = ProgrammeFactory(name="Other")
    in_pilot = IpsCaseFactory(episode=EpisodeFactory(programme=pilot))
    in_other = IpsCaseFactory(episode=EpisodeFactory(programme=other))
    hire(in_other, months_ago(today, 13), employers=6)  # before the twelve months shown
    hire(in_pilot, months_ago(today, 2), employers=5)
    hire(in_pilot, today, employers=2)
    # An employer counts once, in the month of its first placement.
    first = JobPlacement.objects.filter(case=in_pilot).order_by("start_date").first()
    assert first is not None
    JobPlacementFactory(case=in_pilot, employer=first.employer, start_date=today)
    # A placement that has not started yet does not count.
    hire(in_pilot, today + dt.timedelta(days=7))

    everyone = hiring_employers(manager, today=today)
    assert (everyone.total, everyone.target) == ("13", HIRING_EMPLOYERS_TARGET)
    assert everyone.progress == pytest.approx(13 / 60)
    assert len(everyone.months) == 12
    assert everyone.months[-1].month == today.replace(day=1)
    assert (everyone.earlier.new, everyone.earlier.total) == ("6", "6")
    # This month's 2 is "<5"; shown with the total, 13 - 6 - 5 would give it away, so the 5 is
    # hidden too ("≥5"). The running totals that would give either away are left out, the last
    # one is the total.
    assert [(m.new, m.total) for m in everyone.months] == [("0", "6")] * 9 + [
        ("≥5", "–"),
        ("0", "–"),
        ("<5", "13"),
    ]

    pilot_only = hiring_employers(manager, programme=pilot, today=today)
    assert pilot_only.total == "7"
    assert (pilot_only.earlier.new, pilot_only.earlier.total) == ("0", "0")
    assert [(m.new, m.total) for m in pilot_only.months][-4:] == [
        ("0", "0"),
        ("≥5", "–"),
        ("0", "–"),
        ("<5", "7"),
    ]


def test_one_newly_hiring_employer_in_a_month_is_not_shown(manager: Membership) -> None:
    """The probe of the security review: in a small programme, "1 employer hired for the first
    time in month M" says that one of its clients started a job in M."""
    today = timezone.localdate()
    pilot = ProgrammeFactory()
    case = IpsCaseFactory(episode=EpisodeFactory(programme=pilot))
    hire(case, months_ago(today, 3))

    hiring = hiring_employers(manager, programme=pilot, today=today)
    assert hiring.total == "<5"
    assert hiring.progress is None
    assert {m.new for m in [hiring.earlier, *hiring.months]} == {"–"}
    assert {m.total for m in [hiring.earlier, *hiring.months]} == {"–"}

    hire(case, months_ago(today, 14), employers=6)
    hiring = hiring_employers(manager, programme=pilot, today=today)
    assert hiring.total == "7"
    # 7 - 6 would give the 1 away: the 6 is hidden as well.
    assert (hiring.earlier.new, hiring.months[-4].new) == ("≥5", "<5")
    # The running totals from that month on are the total (nobody hired for the first time
    # since); the ones before would give the hidden 6 away.
    assert [m.total for m in hiring.months] == ["–"] * 8 + ["7"] * 4


def test_counts_of_five_or_more_and_zeros_are_shown_exactly(manager: Membership) -> None:
    today = timezone.localdate()
    case = IpsCaseFactory()
    hire(case, months_ago(today, 20), employers=5)
    hire(case, months_ago(today, 1), employers=5)
    hiring = hiring_employers(manager, today=today)
    assert (hiring.total, hiring.earlier.new, hiring.earlier.total) == ("10", "5", "5")
    assert [(m.new, m.total) for m in hiring.months][-3:] == [("0", "5"), ("5", "10"), ("0", "10")]
    assert hiring.progress == pytest.approx(10 / 60)


def test_a_year_of_small_months_is_protected() -> None:
    """Four new employers every month: each month is "<5"; with the total, 58 - 10 would give
    the twelve 4s away, so the earlier 10 is hidden too and only the total is exact. (Twelve
    hidden months once took the search in `core.disclosure` twenty seconds.)"""
    total, rows = hiring_shown([None] * 13, [10, *[4] * 12])
    assert total == "58"
    assert [row.new for row in rows] == ["≥5", *["<5"] * 12]
    assert [row.total for row in rows] == ["–"] * 12 + ["58"]


@settings(deadline=None)
@given(
    earlier=st.integers(min_value=0, max_value=12),
    months=st.lists(st.integers(min_value=0, max_value=7), min_size=12, max_size=12),
)
def test_no_hidden_count_can_be_worked_out_from_the_running_totals(
    earlier: int, months: list[int]
) -> None:
    """Property: whatever the counts, every count shown as "<5" lies between 1 and 4, and no
    two neighbouring running totals are both shown around a hidden count."""
    counts = [earlier, *months]
    total, rows = hiring_shown([None] * len(counts), counts)
    assert total in (str(sum(counts)), "<5", "≥5")
    for index, row in enumerate(rows):
        if row.new == "<5":
            assert 1 <= counts[index] <= 4
        if row.new in ("<5", "≥5"):
            before = rows[index - 1].total if index else "0"
            assert before == "–" or row.total == "–"
        if row.total != "–":
            assert int(row.total) == sum(counts[: index + 1])
        if row.new not in ("<5", "≥5", "–"):
            assert int(row.new) == counts[index]


def test_the_figures_are_for_programme_staff_and_specialists_only() -> None:
    JobPlacementFactory()
    social_worker = MembershipFactory(role=Role.SOCIAL_WORKER)
    assert hiring_employers(social_worker).total == "0"
    assert contacts_per_week(social_worker).specialists == []
    assert hiring_employers(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)).total == "<5"


def test_contacts_per_specialist_per_week(manager: Membership) -> None:
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    anna = MembershipFactory(
        role=Role.EMPLOYMENT_SPECIALIST, user=UserFactory(first_name="Anna", last_name="Aalto")
    )
    bertil = MembershipFactory(
        role=Role.EMPLOYMENT_SPECIALIST, user=UserFactory(first_name="Bertil", last_name="Berg")
    )
    liaison = MembershipFactory(
        role=Role.EMPLOYER_LIAISON, user=UserFactory(first_name="Liisa", last_name="Lehto")
    )
    for _ in range(3):
        EmployerInteractionFactory(specialist=anna, date=monday)  # this week
    EmployerInteractionFactory(specialist=anna, date=monday, kind="phone")
    for _ in range(2):
        EmployerInteractionFactory(specialist=anna, date=monday - dt.timedelta(days=3))  # week -1
    EmployerInteractionFactory(
        specialist=anna, date=monday - dt.timedelta(weeks=7), purpose="follow_along"
    )
    EmployerInteractionFactory(specialist=anna, date=monday - dt.timedelta(weeks=8))  # too old
    EmployerInteractionFactory(specialist=liaison, date=monday - dt.timedelta(weeks=2))

    weeks = contacts_per_week(manager, today=today)
    assert weeks.weeks[-1] == monday
    assert weeks.weeks[0] == monday - dt.timedelta(weeks=7)
    rows = {row.name: [(w.face_to_face, w.all) for w in row.weeks] for row in weeks.specialists}
    # Bertil made no contacts but is an active specialist; the liaison made one.
    assert list(rows) == ["Anna Aalto", "Bertil Berg", "Liisa Lehto"]
    assert rows["Anna Aalto"] == [(0, 1), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (2, 2), (3, 4)]
    assert rows["Bertil Berg"] == [(0, 0)] * 8
    assert rows["Liisa Lehto"][5] == (1, 1)
    assert [(w.face_to_face, w.all) for w in weeks.totals][-3:] == [(1, 1), (2, 2), (3, 4)]
    # Complete weeks only (seven): Anna 2/7, Bertil 0, Liisa 1/7; the mean of the three.
    by_name = {row.name: row for row in weeks.specialists}
    assert by_name["Anna Aalto"].face_to_face_mean == pytest.approx(2 / 7)
    assert weeks.face_to_face_mean == pytest.approx((2 / 7 + 0 + 1 / 7) / 3)
    assert bertil.pk


def test_a_programmes_contacts_are_its_specialists(manager: Membership) -> None:
    pilot = ProgrammeFactory()
    case = IpsCaseFactory(episode=EpisodeFactory(programme=pilot))
    EmployerInteractionFactory(specialist=case.specialist)
    EmployerInteractionFactory()  # someone outside the programme
    weeks = contacts_per_week(manager, programme=pilot)
    assert [row.name for row in weeks.specialists] == [case.specialist.user.display_name()]
    assert weeks.totals[-1].all == 1
