"""The arithmetic of IPS outcomes, as pure functions over plain rows (no Django, no database).

IPS research reports the competitive employment rate as the share of clients who held a
competitive job at any time during follow-up, commonly 18 months (../shared/domain/IPS.md,
"Outcome conventions"; Drake, Bond & Becker 2012). Beside it: job tenure, hours worked and how
many jobs each employer gave. `selectors.outcomes_report` fetches the rows and applies the
disclosure rules; nothing here knows about suppression.

Days are calendar days and both ends of a job count (a job that starts and ends on the same day
lasted one day), so a week is seven days worked or employed, not working days.
"""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

# The usual follow-up of IPS trials (IPS.md): the rate is reported for months 1 to 18.
FOLLOW_UP_MONTHS = 18
# Job tenure: a job that lasted 13 weeks (a quarter) is the first milestone IPS programmes
# follow; 91 days.
TENURE_MILESTONE_DAYS = 13 * 7
DAYS_PER_WEEK = 7
# Hours worked are summed over the last twelve months: 365 days ending today.
HOURS_WINDOW_DAYS = 365
# Jobs per employer are grouped as 1, 2 and 3 or more.
MANY_JOBS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (earlier if negative); the month's last day
    when it has no such day (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def days_worked(start: dt.date, end: dt.date) -> int:
    """Calendar days from `start` to `end`, both included (0 when `end` is before `start`)."""
    return max((end - start).days + 1, 0)


@dataclass(frozen=True)
class CaseFacts:
    """One IPS case of the cohort: its entry and the first jobs that started on or after it.

    first_competitive: the start of the client's earliest competitive job starting on or after
    entry, None if none. first_job: the same for any job, competitive or not. A job started
    before entry is no outcome of this case, even when it went on after entry.
    """

    entry: dt.date
    first_competitive: dt.date | None
    first_job: dt.date | None


@dataclass(frozen=True)
class Ever:
    """Cases that held a job at any time from entry to today."""

    cases: int
    competitive: int
    any_job: int


def ever_employed(cases: Iterable[CaseFacts], today: dt.date) -> Ever:
    """How many of `cases` held a competitive job, and any job, at any time since entry.

    A job counts when it started on or after entry and no later than `today`, whatever the
    length of follow-up: a case that entered last week counts in the denominator too, which is
    why the rate by month since entry (`employment_by_month`) is the fairer comparison between
    groups that entered at different times.
    """
    rows = list(cases)
    return Ever(
        cases=len(rows),
        competitive=sum(1 for c in rows if c.first_competitive and c.first_competitive <= today),
        any_job=sum(1 for c in rows if c.first_job and c.first_job <= today),
    )


@dataclass(frozen=True)
class MonthCounts:
    """Month `month` since entry: `followed` cases had at least that many months of follow-up
    (entry + month months <= today); of them, `competitive` had started a competitive job by
    entry + month months, `any_job` any job."""

    month: int
    followed: int
    competitive: int
    any_job: int

    @property
    def competitive_rate(self) -> float | None:
        return self.competitive / self.followed if self.followed else None

    @property
    def any_job_rate(self) -> float | None:
        return self.any_job / self.followed if self.followed else None


def employment_by_month(
    cases: Iterable[CaseFacts], today: dt.date, months: int = FOLLOW_UP_MONTHS
) -> list[MonthCounts]:
    """The cumulative employment rate by month since entry, m = 1..`months`.

    Parameters
    ----------
    cases : the cohort's cases.
    today : the end of follow-up.
    months : how many months to report.

    Returns
    -------
    One MonthCounts per month. For month m the denominator is the cases followed up for at least
    m calendar months (`add_months(entry, m) <= today`); the numerator those of them whose first
    job (competitive, or any) started no later than `add_months(entry, m)`.

    Notes
    -----
    Each month has its own denominator: a case that entered five months ago counts in months
    1–5 only, rather than as "not employed" in months 6–18. For a cohort all followed up for
    `months` months the rate cannot fall from one month to the next; with staggered entry it can,
    since later months describe the earlier entrants only. This is the life-table style of the
    IPS trials' cumulative employment curves without Kaplan–Meier weighting: simple and exact for
    everyone followed long enough, at the price of smaller denominators in later months.
    """
    rows = list(cases)
    result = []
    for month in range(1, months + 1):
        followed = competitive = any_job = 0
        for case in rows:
            horizon = add_months(case.entry, month)
            if horizon > today:
                continue
            followed += 1
            if case.first_competitive is not None and case.first_competitive <= horizon:
                competitive += 1
            if case.first_job is not None and case.first_job <= horizon:
                any_job += 1
        result.append(MonthCounts(month, followed, competitive, any_job))
    return result


@dataclass(frozen=True)
class Job:
    """A placement of a cohort client that started on or after the client's entry and no later
    than today. `end` None: still going on. `person` and `employer` are opaque keys."""

    person: Hashable
    employer: Hashable
    competitive: bool
    start: dt.date
    end: dt.date | None
    hours_per_week: float


def _people(jobs: Iterable[Job]) -> int:
    return len({job.person for job in jobs})


@dataclass(frozen=True)
class Tenure:
    """How long competitive jobs lasted.

    jobs, people: the jobs and the people who held them. ended: jobs whose last day is before
    today; median_weeks_ended: the median length of those, in weeks (None if none).
    ongoing: jobs still going on today (no end, or an end today or later). started_early: jobs
    that started at least 13 weeks ago (could have lasted 13 weeks by today); lasted: those of
    them that did. Each count has the number of distinct people beside it.
    """

    jobs: int
    people: int
    ended: int
    ended_people: int
    median_weeks_ended: float | None
    ongoing: int
    ongoing_people: int
    started_early: int
    started_early_people: int
    lasted: int
    lasted_people: int


def tenure(jobs: Sequence[Job], today: dt.date) -> Tenure:
    """Tenure of `jobs` (pass the competitive ones) as of `today`.

    Notes
    -----
    The median of ended jobs alone is biased short: the longest jobs are still going on and are
    left out. Two figures without that bias sit beside it: the share still going on, and the
    share of jobs started at least 13 weeks ago that lasted 13 weeks (every such job has had the
    chance to, so nothing is censored). A Kaplan–Meier median would use the ongoing jobs as
    censored observations; it is not computed here.
    """
    ended = [j for j in jobs if j.end is not None and j.end < today]
    ongoing = [j for j in jobs if j.end is None or j.end >= today]
    started_early = [j for j in jobs if days_worked(j.start, today) >= TENURE_MILESTONE_DAYS]
    lasted = [
        j
        for j in started_early
        if days_worked(j.start, min(j.end or today, today)) >= TENURE_MILESTONE_DAYS
    ]
    weeks = [days_worked(j.start, j.end) / DAYS_PER_WEEK for j in ended if j.end is not None]
    return Tenure(
        jobs=len(jobs),
        people=_people(jobs),
        ended=len(ended),
        ended_people=_people(ended),
        median_weeks_ended=float(statistics.median(weeks)) if weeks else None,
        ongoing=len(ongoing),
        ongoing_people=_people(ongoing),
        started_early=len(started_early),
        started_early_people=_people(started_early),
        lasted=len(lasted),
        lasted_people=_people(lasted),
    )


@dataclass(frozen=True)
class Hours:
    """Hours of competitive work.

    mean_hours_per_week: the mean of the jobs' agreed weekly hours (None without jobs).
    window_start, window_end: the last twelve months, both days included. total_hours: hours
    worked in that window, each job's weekly hours × the weeks it overlapped the window;
    working_people: the people who worked in the window; mean_per_working_person: total_hours
    divided by them (None if nobody worked).
    """

    jobs: int
    people: int
    mean_hours_per_week: float | None
    window_start: dt.date
    window_end: dt.date
    total_hours: float
    working_people: int
    mean_per_working_person: float | None


def hours_worked(jobs: Sequence[Job], today: dt.date) -> Hours:
    """Hours of `jobs` (pass the competitive ones): agreed weekly hours, and hours worked in
    the 365 days ending `today`.

    Notes
    -----
    The weekly hours are those agreed when the job was recorded; overtime, leave and changed
    hours are not in the data. A job still going on counts up to today.
    """
    window_start = today - dt.timedelta(days=HOURS_WINDOW_DAYS - 1)
    total = 0.0
    working: set[Hashable] = set()
    for job in jobs:
        days = days_worked(max(job.start, window_start), min(job.end or today, today))
        if days:
            total += job.hours_per_week * days / DAYS_PER_WEEK
            working.add(job.person)
    return Hours(
        jobs=len(jobs),
        people=_people(jobs),
        mean_hours_per_week=statistics.fmean(j.hours_per_week for j in jobs) if jobs else None,
        window_start=window_start,
        window_end=today,
        total_hours=total,
        working_people=len(working),
        mean_per_working_person=total / len(working) if working else None,
    )


@dataclass(frozen=True)
class EmployerSpread:
    """How the jobs spread over employers: `employers` distinct employers, of which `with_one`
    gave one job, `with_two` two and `with_many` three or more; `mean_per_employer` jobs."""

    jobs: int
    people: int
    employers: int
    with_one: int
    with_two: int
    with_many: int
    mean_per_employer: float | None


def jobs_per_employer(jobs: Sequence[Job]) -> EmployerSpread:
    """Jobs per employer over `jobs` (all of them, competitive or not)."""
    per_employer = Counter(job.employer for job in jobs)
    counts = list(per_employer.values())
    return EmployerSpread(
        jobs=len(jobs),
        people=_people(jobs),
        employers=len(counts),
        with_one=sum(1 for n in counts if n == 1),
        with_two=sum(1 for n in counts if n == 2),  # noqa: PLR2004
        with_many=sum(1 for n in counts if n >= MANY_JOBS),
        mean_per_employer=len(jobs) / len(counts) if counts else None,
    )
