"""IPS outcomes of a programme's cohort, as they may be published.

The cohort is the IPS cases of one programme (through the case's episode), optionally those
entering in a range of whole calendar months; entry is the case's start date. A client with
several cases counts once per case. Jobs are the client's placements recorded in Polku,
whichever case recorded them. Follow-up ends on the last day of the previous month. Neither the
period nor the follow-up is ever chosen to the day, so that two reports cannot be compared to
single out the one person who entered, or reached a month of follow-up, on a given day
(`periods`).

Aggregates only: no row names a client, so nothing is written to the read-access log (as
`plans.selectors.referral_report`). Disclosure control (`polku.core.disclosure`), in two steps:

1. A gender or an age band with 1–4 cases is left out of the cohort before any figure is
   computed (`leave_out_small_groups`), and the report names it (never its size). Hiding its
   cells alone would not do: its count could be worked out from the total and the other
   groups, so the larger groups would have to be hidden too — the women's employment rate
   hidden to protect three people of another gender. Left out of every figure, headline and
   jobs included, it cannot be worked out from anything shown.
2. Of what remains, a count of 1–4 cases, people or jobs is shown as "<5", and where a group's
   count could be worked out from a total and the other groups, a further group is hidden too;
   a share, mean or median is shown only when the group it describes has at least five and its
   numerator is shown.

Counts are strings as they may be published ("12", "<5", "≥5", or "–" for not shown).

Two queries, whatever the cohort's size: the cases with their first jobs (subqueries), and the
cohort clients' placements.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Gender, Programme
from polku.core import disclosure
from polku.ips.models import IpsCase, JobPlacement
from polku.ips.outcomes import calculations as calc
from polku.ips.outcomes import formatting, periods
from polku.ips.outcomes.periods import Month

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

THRESHOLD = disclosure.THRESHOLD
NOT_SHOWN = disclosure.NOT_SHOWN

# The ESF+ age bands at entry (Regulation (EU) 2021/1057 Annex I: EECO07 18–29, EECO08 55 and
# over; ../shared/domain/ESF_INDICATORS.md), with under-18s apart should any be recorded.
AGE_BANDS: tuple[tuple[str, StrOrPromise, int, int | None], ...] = (
    ("under_18", _("Under 18"), 0, 17),
    ("18_29", _("18–29"), 18, 29),
    ("30_54", _("30–54"), 30, 54),
    ("55_plus", _("55 or older"), 55, None),
)
# Shown as rows even when empty, so a table always has the same shape; under-18s only if any.
ALWAYS_SHOWN_BANDS = frozenset({"18_29", "30_54", "55_plus"})
# The report's rows are groups of people, so their names are plural ("Women"), unlike the
# client's own gender ("Woman", `clients.models.Gender`); in the order of `Gender`.
GENDER_GROUPS: tuple[tuple[str, StrOrPromise], ...] = (
    (Gender.WOMAN, _("Women")),
    (Gender.MAN, _("Men")),
    (Gender.OTHER, _("Other")),
    (Gender.NOT_DISCLOSED, _("Not stated")),
)
GENDER = "gender"
AGE_BAND = "age_band"


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_band(born: dt.date, entry: dt.date) -> str:
    age = age_on(born, entry)
    for key, _label, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return key
    return AGE_BANDS[0][0]


@dataclass(frozen=True)
class CohortCase:
    """A case as the report needs it: no name, no identity code."""

    client_id: uuid.UUID
    gender: str
    born: dt.date
    facts: calc.CaseFacts

    @property
    def age_band(self) -> str:
        return age_band(self.born, self.facts.entry)


@dataclass(frozen=True)
class Figure:
    """A count as it may be shown, and its share of the group (0–1), None where not shown."""

    count: str
    share: float | None

    @property
    def percent(self) -> str | None:
        """The share as a percentage in the active language ("8 %", "8%"), None if not shown."""
        return None if self.share is None else formatting.percent(self.share)


@dataclass(frozen=True)
class MonthLine:
    """Month `month` since entry: the cases followed up that long, and how many of them had
    started a competitive job, or any job, by then."""

    month: int
    followed: str
    competitive: Figure
    any_job: Figure


@dataclass(frozen=True)
class GroupLine:
    """A gender, an age band, or all cases (`key` "all")."""

    key: str
    label: StrOrPromise  # lazy: rendered in the language of the page, PDF or API answer
    cases: str
    competitive: Figure  # a competitive job at any time since entry
    any_job: Figure
    months: tuple[MonthLine, ...]

    def month(self, month: int) -> MonthLine:
        return self.months[month - 1]

    @property
    def milestones(self) -> tuple[MonthLine, ...]:
        """Months 6, 12 and 18: the half-yearly points of the usual 18-month follow-up."""
        return tuple(self.month(m) for m in MILESTONES)


MILESTONES = (6, 12, 18)


@dataclass(frozen=True)
class TenureFigures:
    people: str
    jobs: str
    ended: str
    median_weeks_ended: float | None
    ongoing: Figure
    started_early: str
    lasted: Figure


@dataclass(frozen=True)
class HoursFigures:
    people: str
    jobs: str
    mean_hours_per_week: float | None
    window_start: dt.date
    window_end: dt.date
    working_people: str
    total_hours: float | None
    mean_per_working_person: float | None


@dataclass(frozen=True)
class EmployerFigures:
    people: str
    jobs: str
    employers: str
    with_one: str
    with_two: str
    with_many: str
    mean_per_employer: float | None


@dataclass(frozen=True)
class LeftOut:
    """A group of 1–4 cases left out of every figure: a gender (`breakdown` GENDER) or an age
    band at entry (AGE_BAND), by its key and its name. Its size is never told."""

    breakdown: str
    key: str
    label: StrOrPromise


@dataclass(frozen=True)
class OutcomesReport:
    programme: Programme
    entered_from: Month | None
    entered_to: Month | None
    today: dt.date  # the end of follow-up
    cases: str  # the cases counted: the cohort without the groups left out
    people: str
    total: GroupLine
    by_gender: tuple[GroupLine, ...]
    by_age_band: tuple[GroupLine, ...]
    tenure: TenureFigures
    hours: HoursFigures
    employers: EmployerFigures
    left_out: tuple[LeftOut, ...]  # the genders and age bands of 1–4 cases, in no figure

    @property
    def is_empty(self) -> bool:
        """No case entered in the period."""
        return self.cases == "0" and not self.left_out

    @property
    def is_too_small(self) -> bool:
        """Fewer than five cases: every figure would describe a few recognisable people."""
        return self.cases == disclosure.SMALL

    @property
    def is_all_left_out(self) -> bool:
        """Five cases or more entered, but every one of them is in a gender or age band of
        fewer than five, so nothing is left to count."""
        return self.cases == "0" and bool(self.left_out)

    @property
    def left_out_note(self) -> str | None:
        """The one sentence that names the groups left out, in the active language: "Groups of
        fewer than 5 cases — here: gender other, not stated — are left out of every figure."
        None when no group is left out."""
        if not self.left_out:
            return None
        names = {
            breakdown: ", ".join(
                str(g.label).lower() for g in self.left_out if g.breakdown == breakdown
            )
            for breakdown in (GENDER, AGE_BAND)
        }
        groups = []
        if names[GENDER]:
            groups.append(gettext("gender %(groups)s") % {"groups": names[GENDER]})
        if names[AGE_BAND]:
            groups.append(gettext("age %(groups)s") % {"groups": names[AGE_BAND]})
        return gettext(
            "Groups of fewer than %(threshold)s cases — here: %(groups)s — are left out of "
            "every figure."
        ) % {"threshold": THRESHOLD, "groups": "; ".join(groups)}


def follow_up_end() -> dt.date:
    """The last day of follow-up: the last day of the previous calendar month, in the site's
    time zone. Not today: the figures would then change from one day to the next, and
    yesterday's report beside today's would tell the outcome of whoever entered, or reached a
    month of follow-up, on one day."""
    return periods.follow_up_end(timezone.localdate())


def programmes_with_cases() -> QuerySet[Programme]:
    """Programmes that have IPS cases (programmes are reference data, not personal data)."""
    with_cases = IpsCase.objects.values("episode__programme_id")
    return Programme.objects.filter(pk__in=with_cases).order_by("name", "pk")


def cohort_cases(
    programme: Programme,
    *,
    entered_from: Month | None = None,
    entered_to: Month | None = None,
    today: dt.date | None = None,
) -> list[CohortCase]:
    """The cohort's cases, entering from the first day of `entered_from` to the last day of
    `entered_to`, with the start of each one's first competitive job and first job on or after
    entry, in one query. Cases entering after `today` are not in the cohort yet."""
    for bound in (entered_from, entered_to):
        if bound is not None and not isinstance(bound, Month):
            raise TypeError("A period of entry is whole months (periods.Month), never days.")
    today = today or follow_up_end()
    cases = IpsCase.objects.filter(episode__programme=programme, start_date__lte=today)
    if entered_from is not None:
        cases = cases.filter(start_date__gte=entered_from.first_day)
    if entered_to is not None:
        cases = cases.filter(start_date__lte=entered_to.last_day)
    since_entry = JobPlacement.objects.filter(
        client=OuterRef("client_id"), start_date__gte=OuterRef("start_date")
    ).order_by("start_date")
    rows = cases.annotate(
        first_competitive=Subquery(since_entry.filter(competitive=True).values("start_date")[:1]),
        first_job=Subquery(since_entry.values("start_date")[:1]),
    ).values_list(
        "client_id",
        "client__gender",
        "client__date_of_birth",
        "start_date",
        "first_competitive",
        "first_job",
    )
    return [
        CohortCase(
            client_id=client_id,
            gender=gender if gender in Gender.values else Gender.NOT_DISCLOSED,
            born=born,
            facts=calc.CaseFacts(entry=entry, first_competitive=competitive, first_job=job),
        )
        for client_id, gender, born, entry, competitive, job in rows.order_by()
    ]


def cohort_jobs(cases: Sequence[CohortCase], today: dt.date) -> list[calc.Job]:
    """The cohort clients' jobs that started on or after the client's earliest entry in the
    cohort and no later than `today`, each once, in one query."""
    entries: dict[uuid.UUID, dt.date] = {}
    for case in cases:
        entry = entries.get(case.client_id)
        entries[case.client_id] = min(entry, case.facts.entry) if entry else case.facts.entry
    placements = JobPlacement.objects.filter(
        client_id__in=list(entries), start_date__lte=today
    ).values_list(
        "client_id", "employer_id", "competitive", "start_date", "end_date", "hours_per_week"
    )
    return [
        calc.Job(
            person=client_id,
            employer=employer_id,
            competitive=competitive,
            start=start,
            end=end,
            hours_per_week=float(hours),
        )
        for client_id, employer_id, competitive, start, end, hours in placements.order_by()
        if start >= entries[client_id]
    ]


def _single(value: int) -> str:
    """One count as it may be shown: "<5" for 1–4."""
    return disclosure.protect([], value)[1]


def _partition(values: Sequence[int], total: int) -> tuple[list[str], str]:
    """`disclosure.protect`, except that where it must hide the total itself (two groups of
    four and nothing else), the groups are all left out instead: the total is the cohort's
    size, shown elsewhere on the page, and a breakdown shown as "–" gives nothing away."""
    cells, shown_total = disclosure.protect(values, total)
    if shown_total == disclosure.HIDDEN:
        return [NOT_SHOWN] * len(values), str(total)
    return cells, shown_total


def _share(count: int, count_shown: str, of: int, of_shown: str) -> float | None:
    """count / of, where the denominator is shown and at least five and the count is shown."""
    if not (count_shown.isdigit() and of_shown.isdigit() and of >= THRESHOLD):
        return None
    return count / of


@dataclass(frozen=True)
class _Group:
    key: str
    label: StrOrPromise
    cases: list[CohortCase]


Protected = tuple[list[str], str]  # the groups' cells and the total, from `_partition`


def _cell(protected: Protected, index: int | None) -> str:
    """Group `index`'s cell, or the total's for None."""
    cells, total = protected
    return total if index is None else cells[index]


def _line(
    group: _Group | None,
    index: int | None,
    *,
    today: dt.date,
    cases: Protected,
    ever: tuple[Protected, Protected],
    by_month: list[tuple[Protected, Protected, Protected]],
    facts: list[calc.CaseFacts],
) -> GroupLine:
    """The line of group `index` (None: all cases) from its breakdown's protected counts. A
    group whose case count is hidden shows nothing else: its later counts would give it away."""
    cases_shown = _cell(cases, index)
    visible = cases_shown.isdigit()

    def shown(protected: Protected) -> str:
        return _cell(protected, index) if visible else NOT_SHOWN

    counts = calc.ever_employed(facts, today)
    months = []
    for month, (followed, competitive, any_job) in zip(
        calc.employment_by_month(facts, today), by_month, strict=True
    ):
        followed_shown = shown(followed)
        competitive_shown, any_shown = shown(competitive), shown(any_job)
        months.append(
            MonthLine(
                month=month.month,
                followed=followed_shown,
                competitive=Figure(
                    competitive_shown,
                    _share(month.competitive, competitive_shown, month.followed, followed_shown),
                ),
                any_job=Figure(
                    any_shown, _share(month.any_job, any_shown, month.followed, followed_shown)
                ),
            )
        )
    competitive_shown, any_shown = shown(ever[0]), shown(ever[1])
    return GroupLine(
        key="all" if group is None else group.key,
        label=_("All cases") if group is None else group.label,
        cases=cases_shown,
        competitive=Figure(
            competitive_shown,
            _share(counts.competitive, competitive_shown, counts.cases, cases_shown),
        ),
        any_job=Figure(any_shown, _share(counts.any_job, any_shown, counts.cases, cases_shown)),
        months=tuple(months),
    )


def _breakdown(
    cases: Sequence[CohortCase], groups: Sequence[_Group], today: dt.date
) -> tuple[GroupLine, list[GroupLine]]:
    """The line of all cases and of each group of one breakdown (gender, age band). Every
    count — cases, ever employed, and followed up and employed by each month — is protected
    across the groups against its total, so no hidden group can be worked out by subtraction."""
    everyone = [c.facts for c in cases]
    facts = [[c.facts for c in g.cases] for g in groups]
    ever = [calc.ever_employed(f, today) for f in facts]
    whole = calc.ever_employed(everyone, today)
    months = [calc.employment_by_month(f, today) for f in facts]
    by_month = [
        (
            _partition([m[i].followed for m in months], month.followed),
            _partition([m[i].competitive for m in months], month.competitive),
            _partition([m[i].any_job for m in months], month.any_job),
        )
        for i, month in enumerate(calc.employment_by_month(everyone, today))
    ]
    protected_cases = _partition([e.cases for e in ever], whole.cases)
    protected_ever = (
        _partition([e.competitive for e in ever], whole.competitive),
        _partition([e.any_job for e in ever], whole.any_job),
    )

    def line(group: _Group | None, index: int | None, of: list[calc.CaseFacts]) -> GroupLine:
        return _line(
            group,
            index,
            today=today,
            cases=protected_cases,
            ever=protected_ever,
            by_month=by_month,
            facts=of,
        )

    return line(None, None, everyone), [
        line(group, index, facts[index]) for index, group in enumerate(groups)
    ]


def _tenure(jobs: Sequence[calc.Job], today: dt.date) -> TenureFigures:
    t = calc.tenure(jobs, today)
    if t.people < THRESHOLD:
        hidden = Figure(NOT_SHOWN, None)
        return TenureFigures(
            _single(t.people), _single(t.jobs), NOT_SHOWN, None, hidden, NOT_SHOWN, hidden
        )
    jobs_shown = str(t.jobs)
    (ended, ongoing), _whole = _partition([t.ended, t.ongoing], t.jobs)
    # Only the jobs that lasted are shown beside those that started early enough, as a rate's
    # employed beside its followed up: both counts are protected, not their difference.
    early, lasted = _single(t.started_early), _single(t.lasted)
    median = t.median_weeks_ended if ended.isdigit() and t.ended_people >= THRESHOLD else None
    return TenureFigures(
        people=str(t.people),
        jobs=jobs_shown,
        ended=ended,
        median_weeks_ended=median,
        ongoing=Figure(ongoing, _share(t.ongoing, ongoing, t.jobs, jobs_shown)),
        started_early=early,
        lasted=Figure(lasted, _share(t.lasted, lasted, t.started_early, early)),
    )


def _hours(jobs: Sequence[calc.Job], today: dt.date) -> HoursFigures:
    h = calc.hours_worked(jobs, today)
    enough = h.people >= THRESHOLD
    working = _single(h.working_people) if enough else NOT_SHOWN
    worked = enough and h.working_people >= THRESHOLD
    return HoursFigures(
        people=_single(h.people),
        jobs=_single(h.jobs) if enough else NOT_SHOWN,
        mean_hours_per_week=h.mean_hours_per_week if enough else None,
        window_start=h.window_start,
        window_end=h.window_end,
        working_people=working,
        total_hours=h.total_hours if worked else None,
        mean_per_working_person=h.mean_per_working_person if worked else None,
    )


def leave_out_small_groups(
    cases: Sequence[CohortCase],
) -> tuple[list[CohortCase], tuple[LeftOut, ...]]:
    """The cases without those of any gender or age band of 1–4 cases, and those groups.

    A cohort of fewer than five is returned whole (it shows no figures at all). Leaving a group
    out makes the others smaller, so the groups are counted again until none is 1–4: three
    18–29-year-olds left out may leave four of some gender, who are then left out too. What
    remains has every gender and every age band either empty or of five or more.
    """
    kept = list(cases)
    if len(kept) < THRESHOLD:
        return kept, ()
    small: set[tuple[str, str]] = set()
    while True:
        genders = Counter(c.gender for c in kept)
        bands = Counter(c.age_band for c in kept)
        found = {(GENDER, g) for g, n in genders.items() if n < THRESHOLD} | {
            (AGE_BAND, b) for b, n in bands.items() if n < THRESHOLD
        }
        if not found:
            break
        small |= found
        kept = [
            c
            for c in kept
            if (GENDER, c.gender) not in small and (AGE_BAND, c.age_band) not in small
        ]
    left_out = [
        LeftOut(GENDER, value, label) for value, label in GENDER_GROUPS if (GENDER, value) in small
    ] + [
        LeftOut(AGE_BAND, key, label)
        for key, label, _low, _high in AGE_BANDS
        if (AGE_BAND, key) in small
    ]
    return kept, tuple(left_out)


def _employers(jobs: Sequence[calc.Job]) -> EmployerFigures:
    """Employers are not people: their counts are shown exactly, once the jobs they describe
    were held by at least five people."""
    e = calc.jobs_per_employer(jobs)
    if e.people < THRESHOLD:
        return EmployerFigures(
            _single(e.people), _single(e.jobs), NOT_SHOWN, NOT_SHOWN, NOT_SHOWN, NOT_SHOWN, None
        )
    return EmployerFigures(
        people=str(e.people),
        jobs=str(e.jobs),
        employers=str(e.employers),
        with_one=str(e.with_one),
        with_two=str(e.with_two),
        with_many=str(e.with_many),
        mean_per_employer=e.mean_per_employer,
    )


def outcomes_report(
    programme: Programme,
    *,
    entered_from: Month | None = None,
    entered_to: Month | None = None,
    today: dt.date | None = None,
) -> OutcomesReport:
    """The outcomes of `programme`'s IPS cases entering in the months from `entered_from` to
    `entered_to` (both included; open-ended when None), followed up to `today` (default:
    `follow_up_end()`, the end of the last whole month).

    Returns every figure as it may be published (see the module docstring), over the cohort
    without its genders and age bands of 1–4 cases (`leave_out_small_groups`, named in
    `left_out`). Not logged: nothing in it identifies a client. Raises nothing; an empty cohort
    gives zeros and no shares.
    """
    today = today or follow_up_end()
    entered = cohort_cases(programme, entered_from=entered_from, entered_to=entered_to, today=today)
    cases, left_out = leave_out_small_groups(entered)
    omitted = {(g.breakdown, g.key) for g in left_out}
    by_gender = [
        _Group(value, label, [c for c in cases if c.gender == value])
        for value, label in GENDER_GROUPS
        if (GENDER, value) not in omitted
    ]
    bands = [
        _Group(key, label, [c for c in cases if c.age_band == key])
        for key, label, _low, _high in AGE_BANDS
    ]
    bands = [
        b
        for b in bands
        if (AGE_BAND, b.key) not in omitted and (b.cases or b.key in ALWAYS_SHOWN_BANDS)
    ]
    total, gender_lines = _breakdown(cases, by_gender, today)
    _total, band_lines = _breakdown(cases, bands, today)
    jobs = cohort_jobs(cases, today)
    competitive = [job for job in jobs if job.competitive]
    return OutcomesReport(
        programme=programme,
        entered_from=entered_from,
        entered_to=entered_to,
        today=today,
        cases=total.cases,
        people=_single(len({c.client_id for c in cases})),
        total=total,
        by_gender=tuple(gender_lines),
        by_age_band=tuple(band_lines),
        tenure=_tenure(competitive, today),
        hours=_hours(competitive, today),
        employers=_employers(jobs),
        left_out=left_out,
    )
