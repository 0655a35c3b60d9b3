"""The specialist's caseload and time, and the programme's caseloads: the IPS limit of 20 (item
1), the share of time outside the office (item 24), each on a hand-built scenario with a known
answer; suppression of small counts; who may see which page; what is logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from polku.clients.models import Client, Programme
from polku.core.models import AccessLogEntry, Membership, Organisation
from polku.core.roles import Role
from polku.ips.models import BenefitsCounselling, IpsCase, TimeEntry
from polku.ips.selectors.caseload import caseload_of, caseloads, percent, time_summary
from polku.plans.models import Encounter
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    EmployerFactory,
    EpisodeFactory,
    IpsCaseFactory,
    JobPlacementFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
TODAY = timezone.localdate


def days_ago(days: int) -> dt.date:
    return TODAY() - dt.timedelta(days=days)


@pytest.fixture
def city() -> Organisation:
    return OrganisationFactory(name="City employment services")


@pytest.fixture
def programme(city: Organisation) -> Programme:
    return ProgrammeFactory(organisation=city, name="IPS pilot")


@pytest.fixture
def coach(city: Organisation) -> Membership:
    return MembershipFactory(
        organisation=city,
        role=Role.EMPLOYMENT_SPECIALIST,
        user=UserFactory(first_name="Anna", last_name="Valmentaja"),
    )


def give_cases(
    coach: Membership, programme: Programme, count: int, *, entry_days: int = 10
) -> list[IpsCase]:
    """`count` open cases of `coach` in `programme`, each client on the coach's care team."""
    made: list[IpsCase] = []
    for _ in range(count):
        client = ClientFactory(recorded_by=coach.organisation)
        CareTeamMemberFactory(client=client, membership=coach)
        episode = EpisodeFactory(client=client, programme=programme, start_date=days_ago(100))
        made.append(
            IpsCaseFactory(episode=episode, specialist=coach, start_date=days_ago(entry_days))
        )
    return made


def test_twenty_cases_are_at_the_limit_and_twenty_one_over_it(
    coach: Membership, programme: Programme, login: Login
) -> None:
    cases = give_cases(coach, programme, 20)
    http = login(coach)
    body = http.get("/ips/caseload/").content.decode()
    assert "20 open cases; the IPS limit is 20 per specialist." in body
    assert 'data-testid="caseload-warning"' not in body
    give_cases(coach, programme, 1)
    body = http.get("/ips/caseload/").content.decode()
    assert "21 open cases; the IPS limit is 20 per specialist." in body
    assert 'data-testid="caseload-warning"' in body
    assert "You have 1 case more than the limit of 20." in body
    # An ended case does not count.
    cases[0].end_date, cases[0].end_reason = TODAY(), "moved"
    cases[0].save()
    caseload = caseload_of(coach)
    assert (caseload.open_cases, caseload.over_limit, len(caseload.rows)) == (20, False, 20)


def test_each_row_says_first_contact_work_and_last_contact(
    coach: Membership, programme: Programme
) -> None:
    early, placed, quiet = give_cases(coach, programme, 3, entry_days=40)
    employer = EmployerFactory()
    common = {"recorded_by": coach.organisation, "employer": employer}
    # The first client met an employer before entry (ignored) and 5 days after it.
    for days in (45, 35):
        early.client.job_search_activities.create(date=days_ago(days), kind="interview", **common)
    early.client.job_search_activities.create(
        date=days_ago(3), kind="application", specialist_present=True, **common
    )
    # The second works now (a job that started 10 days ago), with support given by the coach
    # two days ago; an earlier job ended.
    job = JobPlacementFactory(case=placed, specialist=coach, start_date=days_ago(10))
    JobPlacementFactory(
        case=placed,
        specialist=coach,
        start_date=days_ago(30),
        end_date=days_ago(20),
        end_reason="quit",
    )
    job.supports.create(
        client=placed.client,
        date=days_ago(2),
        with_whom="client",
        mode="phone",
        specialist=coach,
        content="Call",
        recorded_by=coach.organisation,
    )
    # The third met the coach yesterday at an encounter about work.
    encounter = Encounter.objects.create(
        client=quiet.client,
        kind="meeting",
        category="employment",
        started_at=timezone.now() - dt.timedelta(days=1),
        duration_minutes=30,
        recorded_by=coach.organisation,
        created_by=coach,
    )
    encounter.participants.set([coach])
    rows = {row.case.pk: row for row in caseload_of(coach).rows}
    assert (rows[early.pk].first_contact_on, rows[early.pk].working_now) == (days_ago(35), False)
    assert rows[early.pk].last_contact_on == days_ago(3)
    assert (rows[placed.pk].first_contact_on, rows[placed.pk].working_now) == (None, True)
    assert rows[placed.pk].last_contact_on == days_ago(2)
    assert (rows[quiet.pk].working_now, rows[quiet.pk].last_contact_on) == (False, days_ago(1))
    assert rows[quiet.pk].days_since_entry == 40


def test_the_last_contact_is_the_latest_client_facing_record_of_this_specialist(
    coach: Membership, programme: Programme, login: Login
) -> None:
    counselled, present, quiet = give_cases(coach, programme, 3, entry_days=40)
    org = coach.organisation
    colleague = MembershipFactory(organisation=org, role=Role.BENEFITS_COUNSELLOR)
    previous = MembershipFactory(organisation=org, role=Role.EMPLOYMENT_SPECIALIST)
    # Benefits counselling the coach gave two days ago counts; a colleague's of today does not.
    for counsellor, days in ((coach, 2), (colleague, 0)):
        BenefitsCounselling.objects.create(
            client=counselled.client,
            date=days_ago(days),
            counsellor=counsellor,
            topics=["taxation"],
            recorded_by=org,
            created_by=counsellor,
        )
    # With the specialist present: before entry, the previous specialist's (not counted) and
    # one the coach recorded (counted); after entry, the case's specialist's.
    for days, by in ((45, previous), (50, coach)):
        present.client.job_search_activities.create(
            date=days_ago(days),
            kind="interview",
            specialist_present=True,
            recorded_by=org,
            created_by=by,
        )
    # Follow-along support given by someone else is not the coach's contact.
    job = JobPlacementFactory(case=quiet, specialist=previous, start_date=days_ago(30))
    job.supports.create(
        client=quiet.client,
        date=days_ago(1),
        with_whom="client",
        mode="phone",
        specialist=previous,
        content="Call",
        recorded_by=org,
    )
    rows = {row.case.pk: row.last_contact_on for row in caseload_of(coach).rows}
    assert rows == {counselled.pk: days_ago(2), present.pk: days_ago(50), quiet.pk: None}
    present.client.job_search_activities.create(
        date=days_ago(5), kind="employer_call", specialist_present=True, recorded_by=org
    )
    rows = {row.case.pk: row.last_contact_on for row in caseload_of(coach).rows}
    assert rows[present.pk] == days_ago(5)

    # The counselling's day is benefits data: shown, it is logged as such.
    seen = AccessLogEntry.objects.count()  # the log is append-only: look at what comes after
    body = login(coach).get("/ips/caseload/").content.decode()
    assert (
        "Last contact: the latest of your encounters with the client, benefits counselling you "
        "gave, follow-along support you gave and job-search activities you took part in."
    ) in body
    assert 'aria-describedby="last-contact-help">Last contact</th>' in body
    page_reads = AccessLogEntry.objects.order_by("seq")[seen:]
    benefits = [(e.client_id, e.action) for e in page_reads if e.category == "benefits"]
    assert benefits == [(counselled.client_id, "list")]


def test_the_caseload_logs_each_client_listed(
    coach: Membership, programme: Programme, login: Login
) -> None:
    cases = give_cases(coach, programme, 2)
    body = login(coach).get("/ips/caseload/").content.decode()
    for case in cases:
        assert case.client.last_name in body
    logged = sorted(
        (str(e.client_id), e.category, e.action)
        for e in AccessLogEntry.objects.filter(membership=coach)
    )
    assert logged == sorted(
        (str(c.client_id), category, "list")
        for c in cases
        for category in ("identity", "employment")
    )


def test_a_case_the_coach_may_no_longer_read_is_counted_but_not_listed(
    coach: Membership, programme: Programme
) -> None:
    kept, dropped = give_cases(coach, programme, 2)
    dropped.client.care_team.update(removed_at=timezone.now())
    caseload = caseload_of(coach)
    assert [row.case.pk for row in caseload.rows] == [kept.pk]
    assert (caseload.open_cases, caseload.not_shown) == (2, 1)
    assert not AccessLogEntry.objects.filter(client_id=dropped.client_id).exists()


def _time(coach: Membership, day: dt.date, activity: str, minutes: int, *, out: bool) -> None:
    TimeEntry.objects.create(
        membership=coach, date=day, activity=activity, minutes=minutes, in_community=out
    )


def test_time_this_week_and_the_four_weeks_before_with_the_share_outside(
    coach: Membership,
) -> None:
    wednesday = dt.date(2025, 3, 12)
    _time(coach, dt.date(2025, 3, 10), "client_work", 120, out=True)  # this week
    _time(coach, dt.date(2025, 3, 12), "admin", 60, out=False)  # this week, today
    _time(coach, dt.date(2025, 3, 13), "admin", 600, out=False)  # after today: not counted
    _time(coach, dt.date(2025, 3, 9), "job_development", 300, out=True)  # the weeks before
    _time(coach, dt.date(2025, 2, 10), "team", 100, out=False)  # first day of those weeks
    _time(coach, dt.date(2025, 2, 20), "follow_along", 100, out=True)
    _time(coach, dt.date(2025, 2, 9), "job_development", 999, out=True)  # too early
    other = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    _time(other, dt.date(2025, 3, 11), "client_work", 480, out=True)  # someone else's

    summary = time_summary(coach, today=wednesday)
    assert (summary.week_start, summary.before_start, summary.before_end) == (
        dt.date(2025, 3, 10),
        dt.date(2025, 2, 10),
        dt.date(2025, 3, 9),
    )
    by_activity = {row.activity: (row.this_week, row.weeks_before) for row in summary.rows}
    assert by_activity == {
        "client_work": (120, 0),
        "job_development": (0, 300),
        "follow_along": (0, 100),
        "team": (0, 100),
        "admin": (60, 0),
        "other_duties": (0, 0),
    }
    assert (summary.this_week_total, summary.weeks_before_total) == (180, 500)
    # 120 of 180 minutes outside: 66.7 %, shown as 67 %; 400 of 500: 80 %.
    assert summary.this_week_share == pytest.approx(2 / 3)
    assert (summary.this_week_percent, summary.weeks_before_percent) == (67, 80)
    assert (summary.this_week_hours, summary.weeks_before_hours) == (3.0, 8.3)


def test_without_time_there_is_no_share(coach: Membership) -> None:
    summary = time_summary(coach)
    assert (summary.this_week_share, summary.weeks_before_percent) == (None, None)


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_a_share_as_a_percent_is_a_whole_number_from_0_to_100(part: int, extra: int) -> None:
    whole = part + extra
    shown = percent(part / whole)
    assert shown is not None
    assert 0 <= shown <= 100
    assert abs(shown - 100 * part / whole) <= 0.5


def test_recording_time_from_the_caseload_page(coach: Membership, login: Login) -> None:
    http = login(coach)
    response = http.post(
        "/ips/caseload/time/",
        {
            "date": str(TODAY()),
            "activity": "job_development",
            "minutes": "90",
            "in_community": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/ips/caseload/"
    entry = TimeEntry.objects.get()
    assert (entry.membership, entry.minutes, entry.in_community) == (coach, 90, True)
    bad = http.post("/ips/caseload/time/", {"date": str(TODAY()), "activity": "", "minutes": "2"})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"activity", "minutes"}
    assert TimeEntry.objects.count() == 1


def test_the_caseload_pages_are_for_specialists(city: Organisation, login: Login) -> None:
    coordinator = MembershipFactory(organisation=city, role=Role.COORDINATOR)
    http = login(coordinator)
    assert http.get("/ips/caseload/").status_code == 403
    assert http.post("/ips/caseload/time/", {}).status_code == 403


def test_the_programme_sees_counts_per_specialist_with_small_counts_suppressed(
    coach: Membership, programme: Programme, city: Organisation, login: Login
) -> None:
    busy = MembershipFactory(
        organisation=city,
        role=Role.EMPLOYMENT_SPECIALIST,
        user=UserFactory(first_name="Bertil", last_name="Kiireinen"),
    )
    idle = MembershipFactory(
        organisation=city,
        role=Role.EMPLOYMENT_SPECIALIST,
        user=UserFactory(first_name="Cecilia", last_name="Vapaa"),
    )
    give_cases(coach, programme, 3, entry_days=10)
    give_cases(busy, programme, 22, entry_days=200)
    _time(busy, days_ago(7 + TODAY().weekday()), "job_development", 120, out=True)
    other_programme = ProgrammeFactory(organisation=city)
    give_cases(idle, other_programme, 6)

    figures = caseloads(programme=programme)
    rows = {row.membership.pk: row for row in figures.rows}
    assert set(rows) == {coach.pk, busy.pk}
    # 3 is a small count: "<5"; the total 25 would give it away next to 22, so 22 goes too.
    assert (rows[coach.pk].open_cases, rows[busy.pk].open_cases) == ("<5", "≥5")
    assert figures.open_cases_total == "25"
    assert (rows[coach.pk].over_limit, rows[busy.pk].over_limit) == (False, True)
    assert (rows[coach.pk].started_recently, rows[busy.pk].started_recently) == ("–", "–")
    assert figures.started_recently_total == "<5"
    assert (rows[busy.pk].minutes_before, rows[busy.pk].community_percent) == (120, 100)
    # All programmes: 3, 22 and 6 of 31; the 6 is hidden too, or 31 − 22 − 6 would give 3.
    everyone = {row.membership.pk: row.open_cases for row in caseloads().rows}
    assert everyone == {coach.pk: "<5", busy.pk: "22", idle.pk: "≥5"}

    manager = MembershipFactory(organisation=city, role=Role.PROGRAMME_MANAGER)
    response = login(manager).get("/ips/caseloads/", {"programme": programme.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Valmentaja" in body
    assert "1 specialist has more than 20 open cases." in body
    client_names = Client.objects.values_list("last_name", flat=True)
    assert not any(name in body for name in client_names)
    assert AccessLogEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PROGRAMME_MANAGER, 200),
        (Role.EVALUATOR, 200),
        (Role.EMPLOYMENT_SPECIALIST, 200),
        (Role.COORDINATOR, 200),
        (Role.EMPLOYER_LIAISON, 200),
        (Role.SOCIAL_WORKER, 403),
        (Role.HEALTH_PROFESSIONAL, 403),
        (Role.AUDITOR, 403),
    ],
)
def test_who_sees_the_programmes_caseloads(role: str, status: int, login: Login) -> None:
    assert login(MembershipFactory(role=role)).get("/ips/caseloads/").status_code == status


def test_a_bad_programme_filter_shows_all_programmes(coach: Membership, login: Login) -> None:
    manager = MembershipFactory(role=Role.PROGRAMME_MANAGER)
    response = login(manager).get("/ips/caseloads/", {"programme": "nonsense"})
    assert response.status_code == 200
    assert response.context["figures"].programme is None


def test_the_caseload_reads_in_the_same_number_of_queries_for_any_number_of_cases(
    coach: Membership, programme: Programme
) -> None:
    # One query for the annotated cases (their first contact, work and last contact are
    # subqueries of it), one count, and the log's insert: the same for 2 cases as for 7.
    give_cases(coach, programme, 2)
    with CaptureQueriesContext(connection) as few:
        caseload_of(coach)
    give_cases(coach, programme, 5)
    with CaptureQueriesContext(connection) as many:
        assert len(caseload_of(coach).rows) == 7
    assert len(many.captured_queries) == len(few.captured_queries)
