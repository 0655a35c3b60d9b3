"""The savings calculation: pure functions, no database (STYLE.md §7).

For each participant who found work, every weekday in work is a benefit day avoided: the benefit
they would have been paid, had they stayed unemployed, is not paid. Its municipal and state
shares follow the rule in force on that day at the participant's cumulative count of paid benefit
days (../shared/domain/BENEFITS_AND_SAVINGS.md, "The savings calculation Polku performs").

Assumptions (each is listed on the page, `ASSUMPTIONS`):

1. The cumulative day count at entry is the episode's days on labour market subsidy. From entry
   it grows by one every weekday (benefits are paid for five days a week, Kela), whether the
   person is unemployed (days actually paid) or in work (days that would have been paid). So a
   person at day 250 who works 100 weekdays passes day 300 on the 50th.
2. A weekday in work is a weekday from a placement's start to its end, or to the report date
   while it goes on; overlapping placements count once; an ended placement stops the saving. A
   job saves the full benefit, whatever its hours (part-time work would in fact leave an
   adjusted benefit partly paid).
3. The counter never restarts (in law it restarts only after a new employment condition is met,
   which the jobs Polku records seldom reach), and days in services count like other days (the
   2025 model counts them; under the earlier rule they did not).
4. A share changes on the day the count passes a threshold, not from the next payment period.
5. A monthly amount (Swedish social assistance) is saved in proportion to the weekdays worked in
   the month: a whole month in work saves the whole amount.
6. A day with no rule in force saves nothing.

Amounts are `Decimal`; each month's total and municipal savings are rounded to cents once (half
up; Kela bills monthly), and the state's is the difference, so municipal + state = total exactly.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from polku.ips.outcomes.periods import Month

CENT = Decimal("0.01")
ZERO = Decimal(0)
DAY = "day"
MONTH = "month"
# Paid days in a month on average: five a week (../shared/domain/BENEFITS_AND_SAVINGS.md).
PAID_DAYS_PER_MONTH = Decimal("21.5")
SATURDAY = 5

ASSUMPTIONS = (
    _(
        "The count of paid benefit days at entry is the participant's days on labour market "
        "subsidy recorded on the episode; from entry it grows by one every weekday, whether the "
        "person is unemployed or in work."
    ),
    _(
        "Every weekday in work (from a job's start to its end, or to the report date while it "
        "goes on) is a benefit day not paid; overlapping jobs count once, and an ended job stops "
        "the saving. A part-time job is counted as saving the whole benefit."
    ),
    _(
        "Jobs count from entry to 28 days after the participant's final exit, as for the ESF+ "
        "results; participants without days on subsidy at entry are left out of the calculation."
    ),
    _(
        "The day count never restarts, and days in services count like other days; a share "
        "changes on the day the count passes a threshold, not from the next payment period."
    ),
    _(
        "The municipal and state shares and the benefit amount are those of the rule in force on "
        "each day in the chosen rule set; a day with no rule in force saves nothing."
    ),
    _(
        "A monthly amount (social assistance) is saved in proportion to the weekdays worked in "
        "the month."
    ),
)


@dataclass(frozen=True)
class Rule:
    """One row of a rule set (`models.SavingsRule`), as plain data."""

    valid_from: dt.date
    valid_until: dt.date | None
    days_from: int
    days_to: int | None
    municipal_share: Decimal
    state_share: Decimal
    amount: Decimal
    unit: str = DAY
    benefit_type: str = ""

    def applies(self, day: dt.date, count: int) -> bool:
        return (
            self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
            and self.days_from <= count
            and (self.days_to is None or count <= self.days_to)
        )


@dataclass(frozen=True)
class Job:
    start: dt.date
    end: dt.date | None = None  # None: going on


@dataclass(frozen=True)
class Person:
    """A participant as the calculation needs them: no name, no id."""

    entry: dt.date
    days_at_entry: int
    jobs: tuple[Job, ...] = ()


@dataclass(frozen=True)
class Saving:
    municipal: Decimal = ZERO
    state: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.municipal + self.state

    def __add__(self, other: Saving) -> Saving:
        return Saving(self.municipal + other.municipal, self.state + other.state)

    def scaled(self, factor: Decimal) -> Saving:
        return Saving(_cents(self.municipal * factor), _cents(self.state * factor))


@dataclass
class Totals:
    """Savings summed over people, by month, with who contributed to each month."""

    by_month: dict[Month, Saving] = field(default_factory=dict)
    people_by_month: dict[Month, set[int]] = field(default_factory=dict)
    people: set[int] = field(default_factory=set)

    @property
    def total(self) -> Saving:
        return sum(self.by_month.values(), Saving())


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def is_weekday(day: dt.date) -> bool:
    return day.weekday() < SATURDAY


def weekdays_between(first: dt.date, last: dt.date) -> int:
    """Weekdays from `first` to `last`, both included (0 when last < first)."""
    if last < first:
        return 0
    days = (last - first).days + 1
    weeks, extra = divmod(days, 7)
    count = weeks * 5
    for offset in range(extra):
        if is_weekday(first + dt.timedelta(days=weeks * 7 + offset)):
            count += 1
    return count


def weekdays_in_month(month: Month) -> int:
    return weekdays_between(month.first_day, month.last_day)


def days_in_work(jobs: Iterable[Job], until: dt.date) -> Iterator[dt.date]:
    """The weekdays in work up to `until`, each once, in order."""
    days: set[dt.date] = set()
    for job in jobs:
        last = min(job.end, until) if job.end else until
        day = job.start
        while day <= last:
            if is_weekday(day):
                days.add(day)
            day += dt.timedelta(days=1)
    return iter(sorted(days))


def rule_on(rules: Sequence[Rule], day: dt.date, count: int) -> Rule | None:
    """The rule in force on `day` at cumulative day `count`: the first that applies."""
    for rule in rules:
        if rule.applies(day, count):
            return rule
    return None


def person_savings(person: Person, rules: Sequence[Rule], *, until: dt.date) -> dict[Month, Saving]:
    """What `person`'s work saved, month by month, up to `until` (the report date).

    Returns the municipal and state savings of each month with any, rounded to cents. Raises
    nothing; a person without jobs, or jobs on days with no rule in force, saves nothing.
    """
    raw: dict[Month, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for day in days_in_work(person.jobs, until):
        if day < person.entry:
            continue
        count = person.days_at_entry + weekdays_between(person.entry, day)
        rule = rule_on(rules, day, count)
        if rule is None:
            continue
        month = Month.of(day)
        amount = rule.amount
        if rule.unit == MONTH:
            amount = amount / weekdays_in_month(month)
        raw[month][0] += amount * rule.municipal_share
        raw[month][1] += amount * rule.state_share
    # The month's total and municipal share are rounded; the state's is what is left, so the
    # three always add up and each is within a cent of its exact value.
    return {
        month: Saving(_cents(m), _cents(m + s) - _cents(m)) for month, (m, s) in sorted(raw.items())
    }


def cohort_savings(people: Sequence[Person], rules: Sequence[Rule], *, until: dt.date) -> Totals:
    """Every person's savings summed by month, with the people (by position) behind each."""
    totals = Totals()
    for index, person in enumerate(people):
        for month, saving in person_savings(person, rules, until=until).items():
            if saving.total == ZERO:
                continue
            totals.by_month[month] = totals.by_month.get(month, Saving()) + saving
            totals.people_by_month.setdefault(month, set()).add(index)
            totals.people.add(index)
    totals.by_month = dict(sorted(totals.by_month.items()))
    return totals


@dataclass(frozen=True)
class Projection:
    """What the model would save if scaled up (`project`)."""

    participants: int
    employment_rate: Decimal
    months_in_work: Decimal
    days_at_entry: int
    people_in_work: Decimal
    paid_days_avoided: int  # per person in work
    per_person: Saving
    total: Saving
    per_year: Saving


def project(
    rules: Sequence[Rule],
    *,
    participants: int,
    employment_rate: Decimal,
    months_in_work: Decimal,
    days_at_entry: int,
    on: dt.date,
) -> Projection:
    """Savings if `participants` took part, `employment_rate` (0–1) of them found work straight
    away at cumulative day `days_at_entry`, and each stayed in work `months_in_work` months.

    Uses the rules in force on `on` for every day (a projection has no calendar), 21.5 paid days
    a month, and the month's amount for monthly rules. Returns the savings per person in work,
    in total, and per year (total ÷ months × 12). Raises ValueError for a negative input or a
    rate above one.
    """
    if participants < 0 or days_at_entry < 0 or months_in_work < 0:
        raise ValueError("negative input")
    if not ZERO <= employment_rate <= 1:
        raise ValueError("employment rate outside 0–1")
    days = int((months_in_work * PAID_DAYS_PER_MONTH).to_integral_value())
    municipal, state = ZERO, ZERO
    for offset in range(1, days + 1):
        rule = rule_on(rules, on, days_at_entry + offset)
        if rule is None:
            continue
        amount = rule.amount / PAID_DAYS_PER_MONTH if rule.unit == MONTH else rule.amount
        municipal += amount * rule.municipal_share
        state += amount * rule.state_share
    per_person = Saving(_cents(municipal), _cents(state))
    people = Decimal(participants) * employment_rate
    total = per_person.scaled(people)
    per_year = total.scaled(Decimal(12) / months_in_work) if months_in_work else Saving()
    return Projection(
        participants=participants,
        employment_rate=employment_rate,
        months_in_work=months_in_work,
        days_at_entry=days_at_entry,
        people_in_work=people,
        paid_days_avoided=days,
        per_person=per_person,
        total=total,
        per_year=per_year,
    )
