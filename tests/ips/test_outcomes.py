"""IPS outcomes: the arithmetic on hand-built rows, property-tested, and the report built from
cases and placements with its known answers and small counts suppressed.

Every scenario is followed up to TODAY, a fixed day, so the known answers never move."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polku.clients.models import Gender, Programme
from polku.employers.models import Employer
from polku.ips.models import IpsCase, JobPlacement
from polku.ips.outcomes import calculations as calc
from polku.ips.outcomes.selectors import (
    Figure,
    age_band,
    cohort_cases,
    cohort_jobs,
    outcomes_report,
    programmes_with_cases,
)
from tests.factories import (
    ClientFactory,
    EmployerFactory,
    EpisodeFactory,
    IpsCaseFactory,
    JobPlacementFactory,
    ProgrammeFactory,
)

TODAY = dt.date(2025, 6, 30)
BORN = dt.date(1985, 1, 1)
D = dt.date


# --- Building scenarios ------------------------------------------------------------------------


def enter(
    programme: Programme,
    entry: dt.date,
    *,
    gender: str = Gender.MAN,
    born: dt.date = BORN,
) -> IpsCase:
    """A new client entering `programme`'s IPS service on `entry`."""
    client = ClientFactory(gender=gender, date_of_birth=born)
    episode = EpisodeFactory(client=client, programme=programme, start_date=entry)
    case: IpsCase = IpsCaseFactory(episode=episode, start_date=entry)
    return case


def job(
    case: IpsCase,
    start: dt.date,
    *,
    end: dt.date | None = None,
    competitive: bool = True,
    hours: str = "30",
    employer: Employer | None = None,
) -> JobPlacement:
    placement: JobPlacement = JobPlacementFactory(
        case=case,
        start_date=start,
        end_date=end,
        end_reason="quit" if end else "",
        competitive=competitive,
        hours_per_week=Decimal(hours),
        **({"employer": employer} if employer else {}),
    )
    return placement


def month_rows(programme: Programme) -> list[calc.MonthCounts]:
    return calc.employment_by_month([c.facts for c in cohort_cases(programme, today=TODAY)], TODAY)


@dataclass
class JobsWorld:
    programme: Programme
    cases: list[IpsCase]


def jobs_world() -> JobsWorld:
    """Ten women aged 39 entering on 1 January 2024, each with one competitive job (five ended,
    five going on), the first also with a non-competitive job, the second also with a job
    before entry. Employers E1–E6: E1 and E3 three jobs each, E2 two, E4–E6 one."""
    programme = ProgrammeFactory()
    cases = [enter(programme, D(2024, 1, 1), gender=Gender.WOMAN) for _ in range(10)]
    e1, e2, e3, e4, e5, e6, e7 = (EmployerFactory() for _ in range(7))
    job(cases[0], D(2024, 2, 1), end=D(2024, 2, 28), hours="20", employer=e1)  # 4 weeks
    job(cases[1], D(2024, 3, 1), end=D(2024, 5, 30), hours="30", employer=e1)  # 13 weeks
    job(cases[2], D(2024, 3, 1), end=D(2024, 8, 29), hours="37.5", employer=e1)  # 26 weeks
    job(cases[3], D(2024, 6, 1), end=D(2024, 6, 14), hours="25", employer=e2)  # 2 weeks
    job(cases[4], D(2024, 9, 1), end=D(2024, 10, 12), hours="20", employer=e2)  # 6 weeks
    job(cases[5], D(2025, 1, 1), hours="10", employer=e3)
    job(cases[6], D(2025, 6, 1), hours="40", employer=e3)
    job(cases[7], D(2024, 12, 1), hours="30", employer=e3)
    job(cases[8], D(2025, 2, 1), hours="20", employer=e4)
    job(cases[9], D(2025, 3, 1), end=D(2025, 7, 31), hours="25", employer=e5)  # ends later
    job(cases[0], D(2024, 9, 1), competitive=False, hours="15", employer=e6)
    job(cases[1], D(2023, 6, 1), end=D(2023, 7, 1), hours="40", employer=e7)  # before entry
    return JobsWorld(programme, cases)


# --- Calendar arithmetic -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 15), 1, D(2024, 2, 15)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year: the month's last day
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 1, 15), 18, D(2025, 7, 15)),
    ],
)
def test_months_are_calendar_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert calc.add_months(day, months) == expected


def test_both_ends_of_a_job_count() -> None:
    assert calc.days_worked(D(2024, 3, 1), D(2024, 3, 1)) == 1
    assert calc.days_worked(D(2024, 3, 1), D(2024, 5, 30)) == 91
    assert calc.days_worked(D(2024, 3, 2), D(2024, 3, 1)) == 0


@pytest.mark.parametrize(
    ("born", "entry", "band"),
    [
        (D(2006, 6, 30), D(2024, 6, 30), "18_29"),  # 18th birthday on the entry day
        (D(2006, 7, 1), D(2024, 6, 30), "under_18"),
        (D(1994, 7, 1), D(2024, 6, 30), "18_29"),  # 29, turning 30 the day after
        (D(1994, 6, 30), D(2024, 6, 30), "30_54"),
        (D(1969, 7, 1), D(2024, 6, 30), "30_54"),
        (D(1969, 6, 30), D(2024, 6, 30), "55_plus"),
    ],
)
def test_age_band_is_the_age_on_the_entry_date(born: dt.date, entry: dt.date, band: str) -> None:
    assert age_band(born, entry) == band


# --- Employment by month since entry: pure ------------------------------------------------------


def test_rate_by_month_by_hand() -> None:
    facts = [
        calc.CaseFacts(D(2025, 1, 10), D(2025, 1, 20), D(2025, 1, 20)),  # month 1
        calc.CaseFacts(D(2025, 1, 10), D(2025, 3, 11), D(2025, 2, 1)),  # any job m1, compet. m3
        calc.CaseFacts(D(2025, 1, 10), None, None),
        calc.CaseFacts(D(2025, 4, 10), None, D(2025, 5, 1)),  # followed up 2 months only
    ]
    months = calc.employment_by_month(facts, D(2025, 6, 10), months=6)
    assert [(m.month, m.followed, m.competitive, m.any_job) for m in months] == [
        (1, 4, 1, 3),
        (2, 4, 1, 3),  # 10 March: the second competitive job starts the day after
        (3, 3, 2, 2),  # 10 July, the fourth case's month 3, is after the end of follow-up
        (4, 3, 2, 2),
        (5, 3, 2, 2),
        (6, 0, 0, 0),
    ]
    assert months[3].competitive_rate == pytest.approx(2 / 3)
    assert months[5].competitive_rate is None


def test_ever_employed_counts_jobs_started_by_today_only() -> None:
    facts = [
        calc.CaseFacts(D(2025, 1, 1), D(2025, 2, 1), D(2025, 2, 1)),
        calc.CaseFacts(D(2025, 1, 1), D(2025, 7, 1), D(2025, 7, 1)),  # starts next month
        calc.CaseFacts(D(2025, 6, 1), None, D(2025, 6, 2)),
    ]
    assert calc.ever_employed(facts, D(2025, 6, 30)) == calc.Ever(3, 1, 2)


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[list[calc.CaseFacts], dt.date]:
    """Cases entering within a year, each with a first job (or none) up to two years after
    entry, followed up for at least 18 months."""
    first_entry = D(2023, 1, 1)
    facts = []
    for _ in range(draw(st.integers(min_value=1, max_value=30))):
        entry = first_entry + dt.timedelta(days=draw(st.integers(0, 365)))
        after = draw(st.none() | st.integers(0, 730))
        start = None if after is None else entry + dt.timedelta(days=after)
        facts.append(calc.CaseFacts(entry, start, start))
    last_entry = max(f.entry for f in facts)
    today = calc.add_months(last_entry, calc.FOLLOW_UP_MONTHS) + dt.timedelta(
        days=draw(st.integers(0, 400))
    )
    return facts, today


@given(cohorts())
def test_with_full_follow_up_the_rate_never_falls_and_stays_a_share(
    cohort: tuple[list[calc.CaseFacts], dt.date],
) -> None:
    facts, today = cohort
    rates = [m.competitive_rate for m in calc.employment_by_month(facts, today)]
    assert all(rate is not None and 0 <= rate <= 1 for rate in rates)
    assert all(a <= b for a, b in itertools.pairwise(rates))  # type: ignore[operator]
    ever = calc.ever_employed(facts, today)
    assert rates[-1] <= ever.competitive / ever.cases  # type: ignore[operator]


# --- Tenure, hours, jobs per employer: pure -----------------------------------------------------


def _job(person: int, start: dt.date, end: dt.date | None, hours: float, employer: str) -> calc.Job:
    return calc.Job(person, employer, True, start, end, hours)


def test_tenure_by_hand() -> None:
    today = D(2025, 6, 30)
    jobs = [
        _job(1, D(2024, 2, 1), D(2024, 2, 28), 20, "a"),  # 28 days: 4 weeks
        _job(2, D(2024, 3, 1), D(2024, 5, 30), 30, "a"),  # 91 days: 13 weeks
        _job(3, D(2024, 3, 1), D(2024, 8, 29), 37.5, "a"),  # 182 days: 26 weeks
        _job(1, D(2025, 1, 1), None, 10, "b"),  # 181 days so far
        _job(4, D(2025, 6, 1), None, 40, "b"),  # 30 days so far: too recent for 13 weeks
        _job(5, D(2025, 3, 1), D(2025, 7, 31), 25, "c"),  # ends next month: going on
        _job(6, D(2025, 6, 30), D(2025, 6, 30), 8, "c"),  # ended today: still working today
    ]
    result = calc.tenure(jobs, today)
    assert (result.jobs, result.people) == (7, 6)
    assert (result.ended, result.ended_people) == (3, 3)
    assert result.median_weeks_ended == 13.0
    assert (result.ongoing, result.ongoing_people) == (4, 4)
    # Started at least 91 days ago: the first four and the sixth (1 March: 122 days).
    assert (result.started_early, result.started_early_people) == (5, 4)
    # Lasted 91 days: 13 weeks exactly, 26 weeks, 181 days, 122 days.
    assert (result.lasted, result.lasted_people) == (4, 4)


def test_median_of_an_even_number_of_ended_jobs_is_the_mean_of_the_middle_two() -> None:
    jobs = [
        _job(1, D(2024, 1, 1), D(2024, 1, 7), 30, "a"),  # 1 week
        _job(2, D(2024, 1, 1), D(2024, 1, 21), 30, "a"),  # 3 weeks
    ]
    assert calc.tenure(jobs, D(2025, 1, 1)).median_weeks_ended == 2.0
    assert calc.tenure([], D(2025, 1, 1)).median_weeks_ended is None


def test_hours_by_hand() -> None:
    today = D(2025, 6, 30)  # the window: 1 July 2024 to 30 June 2025
    jobs = [
        _job(1, D(2024, 3, 1), D(2024, 7, 14), 35, "a"),  # 14 days in the window: 2 weeks
        _job(2, D(2025, 6, 17), None, 20, "a"),  # 14 days: 2 weeks
        _job(2, D(2024, 1, 1), D(2024, 6, 30), 40, "b"),  # ended the day before the window
        _job(3, D(2024, 7, 1), D(2025, 6, 29), 10, "b"),  # 364 days: 52 weeks
    ]
    result = calc.hours_worked(jobs, today)
    assert (result.window_start, result.window_end) == (D(2024, 7, 1), today)
    assert result.mean_hours_per_week == pytest.approx(105 / 4)
    assert result.total_hours == pytest.approx(35 * 2 + 20 * 2 + 10 * 52)
    assert result.working_people == 3
    assert result.mean_per_working_person == pytest.approx(630 / 3)


def test_jobs_per_employer_by_hand() -> None:
    jobs = [
        _job(1, D(2024, 1, 1), None, 30, "a"),
        _job(2, D(2024, 1, 1), None, 30, "a"),
        _job(3, D(2024, 1, 1), None, 30, "a"),
        _job(4, D(2024, 1, 1), None, 30, "b"),
        _job(4, D(2024, 6, 1), None, 30, "b"),
        _job(5, D(2024, 1, 1), None, 30, "c"),
    ]
    assert calc.jobs_per_employer(jobs) == calc.EmployerSpread(
        jobs=6, people=5, employers=3, with_one=1, with_two=1, with_many=1, mean_per_employer=2.0
    )
    assert calc.jobs_per_employer([]).mean_per_employer is None


# --- From the database --------------------------------------------------------------------------


@pytest.mark.django_db
def test_rate_by_month_from_cases_and_placements() -> None:
    programme = ProgrammeFactory()
    a, b, c, d = (enter(programme, D(2024, 1, 15)) for _ in range(4))
    job(a, D(2024, 2, 10))  # within month 1 (15 February)
    job(b, D(2024, 4, 20))  # after month 3 (15 April), within month 4
    job(c, D(2024, 2, 1), competitive=False)  # any job from month 1, never competitive
    job(d, D(2023, 12, 1), end=D(2024, 3, 31))  # started before entry: no outcome
    e = enter(programme, D(2025, 3, 10))  # followed up three months: 10 June
    job(e, D(2025, 3, 20))
    enter(ProgrammeFactory(), D(2024, 1, 15))  # another programme's case

    months = {m.month: (m.followed, m.competitive, m.any_job) for m in month_rows(programme)}
    assert months[1] == (5, 2, 3)
    assert months[3] == (5, 2, 3)
    assert months[4] == (4, 2, 3)  # e has too little follow-up from month 4 on
    assert months[17] == (4, 2, 3)  # 15 June 2025
    assert months[18] == (0, 0, 0)  # 15 July 2025 is after today

    report = outcomes_report(programme, today=TODAY)
    assert report.cases == "5"
    # Two of five: a count under five, so no share is shown either.
    assert (report.total.competitive.count, report.total.competitive.share) == ("<5", None)
    assert report.total.month(1).followed == "5"
    assert report.total.month(1).competitive == Figure("<5", None)
    assert report.total.month(4).followed == "<5"


@pytest.mark.django_db
def test_a_client_with_two_cases_counts_once_per_case_and_each_job_once() -> None:
    programme = ProgrammeFactory()
    first = enter(programme, D(2023, 1, 1))
    first.end_date, first.end_reason = D(2023, 12, 31), "client_choice"
    first.save()
    episode = first.episode
    episode.end_date, episode.end_reason = D(2023, 12, 31), "dropped_out"
    episode.save()
    again = EpisodeFactory(client=first.client, programme=programme, start_date=D(2024, 6, 1))
    second = IpsCaseFactory(episode=again, start_date=D(2024, 6, 1))
    job(second, D(2024, 7, 1))

    cases = cohort_cases(programme, today=TODAY)
    assert sorted((c.facts.entry, c.facts.first_competitive) for c in cases) == [
        (D(2023, 1, 1), D(2024, 7, 1)),  # a job since the first entry too
        (D(2024, 6, 1), D(2024, 7, 1)),
    ]
    assert len(cohort_jobs(cases, TODAY)) == 1
    report = outcomes_report(programme, today=TODAY)
    assert (report.cases, report.people) == ("<5", "<5")


@pytest.mark.django_db
def test_the_period_of_entry_chooses_the_cohort() -> None:
    programme = ProgrammeFactory()
    for entry in (D(2024, 1, 1), D(2024, 3, 31), D(2024, 4, 1), D(2024, 6, 30), D(2025, 7, 1)):
        enter(programme, entry)
    assert len(cohort_cases(programme, today=TODAY)) == 4  # 1 July 2025 has not come yet
    chosen = cohort_cases(
        programme, entered_from=D(2024, 3, 31), entered_to=D(2024, 6, 30), today=TODAY
    )
    assert sorted(c.facts.entry for c in chosen) == [D(2024, 3, 31), D(2024, 4, 1), D(2024, 6, 30)]
    assert len(cohort_cases(programme, entered_from=D(2024, 4, 2), today=TODAY)) == 1
    assert len(cohort_cases(programme, entered_to=D(2023, 12, 31), today=TODAY)) == 0


@pytest.mark.django_db
def test_programmes_with_cases_are_the_choices() -> None:
    with_cases, _without = ProgrammeFactory(name="IPS pilot"), ProgrammeFactory(name="Other")
    enter(with_cases, D(2024, 1, 1))
    enter(with_cases, D(2024, 2, 1))
    assert list(programmes_with_cases()) == [with_cases]


@pytest.mark.django_db
def test_gender_and_age_band_split_with_known_answers() -> None:
    programme = ProgrammeFactory()
    young = [
        enter(programme, D(2024, 1, 15), gender=Gender.WOMAN, born=D(1999, 5, 1)) for _ in range(5)
    ]
    for _ in range(5):
        enter(programme, D(2024, 1, 15), gender=Gender.WOMAN, born=D(1984, 5, 1))
    for _ in range(6):
        enter(programme, D(2024, 1, 15), gender=Gender.MAN, born=D(1965, 5, 1))
    for case in young:
        job(case, D(2024, 3, 1))  # month 2 (15 March), not month 1 (15 February)
    report = outcomes_report(programme, today=TODAY)

    women, men, other, undisclosed = report.by_gender
    assert [line.key for line in report.by_gender] == [
        "woman",
        "man",
        "other",
        "not_disclosed",
    ]
    assert (women.cases, women.competitive.count, women.competitive.share) == ("10", "5", 0.5)
    assert (men.cases, men.competitive.count, men.competitive.share) == ("6", "0", 0.0)
    assert (other.cases, other.competitive.share) == ("0", None)
    assert undisclosed.cases == "0"
    assert (women.month(1).competitive.count, women.month(1).competitive.share) == ("0", 0.0)
    assert (women.month(2).competitive.count, women.month(2).competitive.share) == ("5", 0.5)
    assert women.month(2).followed == "10"
    assert [m.followed for m in women.milestones] == ["10", "10", "0"]
    assert report.total.cases == "16"
    assert report.total.competitive.share == pytest.approx(5 / 16)
    assert report.total.any_job.share == pytest.approx(5 / 16)

    assert [(b.key, b.cases) for b in report.by_age_band] == [
        ("18_29", "5"),
        ("30_54", "5"),
        ("55_plus", "6"),
    ]
    young_band, middle, older = report.by_age_band
    assert young_band.competitive.share == 1.0
    assert (middle.competitive.count, middle.competitive.share) == ("0", 0.0)
    assert older.month(6).competitive.share == 0.0


@pytest.mark.django_db
def test_four_people_show_as_under_five_and_their_share_is_hidden() -> None:
    programme = ProgrammeFactory()
    women = [enter(programme, D(2024, 1, 15), gender=Gender.WOMAN) for _ in range(10)]
    for case in women[:5]:
        job(case, D(2024, 3, 1))
    for _ in range(6):
        enter(programme, D(2024, 1, 15), gender=Gender.MAN)
    others = [enter(programme, D(2024, 1, 15), gender=Gender.OTHER) for _ in range(4)]
    report = outcomes_report(programme, today=TODAY)

    women_line, men, other, _undisclosed = report.by_gender
    assert (other.cases, other.competitive.count, other.competitive.share) == ("<5", "–", None)
    assert all(m.competitive.share is None and m.followed == "–" for m in other.months)
    # 20 − 10 − 6 would give the four away: the men's count is hidden too.
    assert (men.cases, men.competitive.share) == ("≥5", None)
    assert (women_line.cases, women_line.competitive.share) == ("10", 0.5)
    assert report.total.cases == "20"
    assert report.total.competitive.share == pytest.approx(5 / 20)

    # One of the four finds a job: 6 employed in all, 5 of them women, would give that one
    # away, and so would "≥5" women beside the 6. The employed are not split by gender at all.
    job(others[0], D(2024, 3, 1))
    report = outcomes_report(programme, today=TODAY)
    assert [line.competitive for line in report.by_gender] == [Figure("–", None)] * 4
    assert report.by_gender[0].cases == "10"
    assert report.total.competitive.count == "6"
    assert report.total.competitive.share == pytest.approx(6 / 20)


@pytest.mark.django_db
def test_two_groups_of_four_hide_the_breakdown_not_the_total() -> None:
    programme = ProgrammeFactory()
    for _ in range(4):
        enter(programme, D(2024, 1, 15), gender=Gender.WOMAN)
        enter(programme, D(2024, 1, 15), gender=Gender.MAN)
    report = outcomes_report(programme, today=TODAY)
    assert [line.cases for line in report.by_gender] == ["–", "–", "–", "–"]
    assert report.cases == "8"
    assert report.total.competitive == Figure("0", 0.0)


@pytest.mark.django_db
def test_tenure_hours_and_employers_with_known_answers() -> None:
    world = jobs_world()
    report = outcomes_report(world.programme, today=TODAY)

    tenure = report.tenure
    assert (tenure.people, tenure.jobs, tenure.ended) == ("10", "10", "5")
    assert tenure.median_weeks_ended == 6.0  # 2, 4, 6, 13, 26 weeks
    assert (tenure.ongoing.count, tenure.ongoing.share) == ("5", 0.5)
    # Started by 1 April 2025 (91 days by today): all but the job of 1 June 2025; of those
    # nine, the 13-, 26-week and the four still going on lasted 13 weeks.
    assert tenure.started_early == "9"
    assert tenure.lasted.count == "6"
    assert tenure.lasted.share == pytest.approx(6 / 9)

    hours = report.hours
    assert hours.mean_hours_per_week == pytest.approx(25.75)
    assert (hours.window_start, hours.window_end) == (D(2024, 7, 1), TODAY)
    # (37.5·60 + 20·42 + 10·181 + 40·30 + 30·212 + 20·150 + 25·122) / 7 hours, by 7 people.
    assert hours.total_hours == pytest.approx(18510 / 7)
    assert hours.working_people == "7"
    assert hours.mean_per_working_person == pytest.approx(18510 / 49)

    employers = report.employers
    assert (employers.jobs, employers.people, employers.employers) == ("11", "10", "6")
    assert (employers.with_one, employers.with_two, employers.with_many) == ("3", "1", "2")
    assert employers.mean_per_employer == pytest.approx(11 / 6)


@pytest.mark.django_db
def test_job_figures_of_fewer_than_five_people_are_not_shown() -> None:
    programme = ProgrammeFactory()
    cases = [enter(programme, D(2024, 1, 1)) for _ in range(8)]
    for case in cases[:4]:
        job(case, D(2024, 2, 1), end=D(2024, 3, 1))
    report = outcomes_report(programme, today=TODAY)
    assert (report.tenure.people, report.tenure.jobs, report.tenure.ended) == ("<5", "<5", "–")
    assert report.tenure.median_weeks_ended is None
    assert report.tenure.lasted.share is None
    assert (report.hours.people, report.hours.mean_hours_per_week) == ("<5", None)
    assert report.hours.total_hours is None
    assert (report.employers.people, report.employers.employers) == ("<5", "–")
    assert report.employers.mean_per_employer is None


@pytest.mark.django_db
def test_the_report_takes_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    world = jobs_world()
    # One query for the cases with their first jobs, one for the cohort's placements.
    with django_assert_max_num_queries(2):
        outcomes_report(world.programme, today=TODAY)
