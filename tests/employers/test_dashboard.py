"""The employer dashboard's figures on hand-built scenarios with known answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from polku.core.models import Membership
from polku.core.roles import Role
from polku.employers.selectors.dashboard import (
    HIRING_EMPLOYERS_TARGET,
    contacts_per_week,
    hiring_employers,
)
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


def test_hiring_employers_by_month_towards_the_target(manager: Membership) -> None:
    today = timezone.localdate()
    pilot = ProgrammeFactory(name="IPS pilot")
    other = ProgrammeFactory(name="Other")
    in_pilot = IpsCaseFactory(episode=EpisodeFactory(programme=pilot))
    in_other = IpsCaseFactory(episode=EpisodeFactory(programme=other))
    first, second, third = EmployerFactory(), EmployerFactory(), EmployerFactory()
    # `first` hired two months ago and again this month: it counts once, in its first month.
    JobPlacementFactory(case=in_pilot, employer=first, start_date=months_ago(today, 2))
    JobPlacementFactory(case=in_pilot, employer=first, start_date=today)
    JobPlacementFactory(case=in_pilot, employer=second, start_date=today)
    JobPlacementFactory(case=in_other, employer=third, start_date=months_ago(today, 13))
    # A placement that has not started yet does not count.
    JobPlacementFactory(
        case=in_pilot, employer=EmployerFactory(), start_date=today + dt.timedelta(days=7)
    )

    everyone = hiring_employers(manager, today=today)
    assert (everyone.total, everyone.target) == (3, HIRING_EMPLOYERS_TARGET)
    assert everyone.progress == pytest.approx(3 / 60)
    assert len(everyone.months) == 12
    assert everyone.months[-1].month == today.replace(day=1)
    assert [(m.new, m.total) for m in everyone.months][-3:] == [(1, 2), (0, 2), (1, 3)]
    assert everyone.months[0].total == 1  # `third`, hired before the twelve months shown

    pilot_only = hiring_employers(manager, programme=pilot, today=today)
    assert pilot_only.total == 2
    assert [(m.new, m.total) for m in pilot_only.months][-3:] == [(1, 1), (0, 1), (1, 2)]


def test_the_figures_are_for_programme_staff_and_specialists_only() -> None:
    JobPlacementFactory()
    social_worker = MembershipFactory(role=Role.SOCIAL_WORKER)
    assert hiring_employers(social_worker).total == 0
    assert contacts_per_week(social_worker).specialists == []
    assert hiring_employers(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)).total == 1


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
