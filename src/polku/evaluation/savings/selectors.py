"""The savings of a programme's participants, as they may be published.

A participant is a person in a programme (as in `evaluation.cohort`): first entry, final exit,
the days on labour market subsidy recorded on the first episode. Their jobs are the placements
recorded in Polku that start on or after the entry and no later than 28 days after the final
exit (the ESF+ reference period, `cohort.AFTER_EXIT_DAYS`), up to the report date. The
calculation is `calculator.cohort_savings`, under the rules of the chosen rule set.

Aggregates only, for programme managers and evaluators (`cohort.can_evaluate`; anyone else gets
PermissionDenied): no figure names a client, so nothing is written to the read-access log (as
`ips.outcomes.selectors`). Disclosure control (`polku.core.disclosure`): no amount is shown
unless at least five people contribute to it; a month with one to four contributors is hidden,
and when the hidden months together have fewer than five contributors, the shown month with the
fewest is hidden too, so that the hidden months cannot be worked out from the total. The
participants are not counted on the report at all (another page's count less this one's could
give away a left-out group); those left out for want of days on subsidy are counted only as
`disclosure.protect` shows them ("<5" for one to four).

Queries, whatever the cohort's size: the episodes, the placements, the rule set's rows, the
programme's costs (and the rule set itself when not given).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils import timezone

from polku.clients.models import Episode, Programme
from polku.core import disclosure
from polku.core.models import Membership
from polku.evaluation import cohort
from polku.evaluation.models import ProgrammeCost
from polku.evaluation.models.savings import SavingsRuleSet
from polku.evaluation.savings import calculator, rules
from polku.evaluation.savings.calculator import Job, Person, Saving
from polku.ips.models import JobPlacement
from polku.ips.outcomes import periods
from polku.ips.outcomes.periods import Month

THRESHOLD = disclosure.THRESHOLD
ZERO = Decimal(0)


@dataclass(frozen=True)
class SavingsSummary:
    """The headline the dashboard shows (all amounts zero when `shown` is False)."""

    people: int  # participants who found work and contribute; 0 when not shown
    municipal: Decimal
    state: Decimal
    total: Decimal
    cost: Decimal | None  # the programme's cost over the same months, None if none recorded
    rule_set: str
    shown: bool  # False when fewer than five people contribute


@dataclass(frozen=True)
class MonthRow:
    month: Month
    people: str  # as it may be published: digits, "<5", or "–"
    saving: Saving | None  # None: hidden
    cost: Decimal | None


@dataclass(frozen=True)
class Observed:
    employment_rate: Decimal  # participants with a job counted, of all with days at entry
    months_in_work: Decimal  # mean months in work per person in work (21.5 weekdays a month)
    days_at_entry: int  # median days on subsidy at entry


@dataclass(frozen=True)
class SavingsReport:
    programme: Programme
    rule_set: SavingsRuleSet
    entered_from: Month | None
    entered_to: Month | None
    as_of: dt.date
    # Left out for no days on subsidy recorded at entry, as it may be published: digits, "<5".
    without_days_shown: str
    people: int  # who contribute to the savings; 0 when not shown
    people_shown: str  # the same as it may be published: digits or "<5"
    total: Saving
    cost: Decimal | None
    months: tuple[MonthRow, ...]
    shown: bool
    # The programme's own figures, the projection's defaults; None when not shown.
    observed: Observed | None = None

    @property
    def first_month(self) -> Month | None:
        return self.months[0].month if self.months else None

    @property
    def net(self) -> Decimal | None:
        """Municipal savings less the programme's cost, when both are known."""
        return None if self.cost is None else self.total.municipal - self.cost


def follow_up_end(today: dt.date) -> dt.date:
    """The report date: the last day of the previous month, as for the IPS outcomes (figures
    that change from one day to the next could single out a person)."""
    return periods.follow_up_end(today)


def _require(viewer: Membership) -> None:
    if not cohort.can_evaluate(viewer):
        raise PermissionDenied


def cohort_people(
    programme: Programme,
    *,
    entered_from: Month | None,
    entered_to: Month | None,
    as_of: dt.date,
) -> tuple[list[Person], int, int]:
    """The participants with their jobs (two queries): those with days on subsidy at entry,
    the number of participants, and the number left out for want of those days."""
    episodes = (
        Episode.objects.filter(programme=programme, start_date__lte=as_of)
        .order_by("client_id", "start_date")
        .values_list("client_id", "start_date", "end_date", "days_on_labour_market_subsidy")
    )
    first: dict[uuid.UUID, tuple[dt.date, int | None]] = {}
    exit_on: dict[uuid.UUID, dt.date | None] = {}
    for client_id, start, ended, days in episodes:
        end = None if ended is None or ended > as_of else ended  # still open on `as_of`
        if client_id not in first:
            first[client_id] = (start, days)
            exit_on[client_id] = end
            continue
        known = exit_on[client_id]
        if known is not None:
            # The final exit: open if any episode is open (None), else the latest end.
            exit_on[client_id] = None if end is None else max(end, known)
    if entered_from is not None:
        first = {c: v for c, v in first.items() if v[0] >= entered_from.first_day}
    if entered_to is not None:
        first = {c: v for c, v in first.items() if v[0] <= entered_to.last_day}
    placements = JobPlacement.objects.filter(
        client_id__in=list(first), start_date__lte=as_of
    ).values_list("client_id", "start_date", "end_date")
    jobs: dict[uuid.UUID, list[Job]] = {}
    for client_id, start, end in placements.order_by():
        entry = first[client_id][0]
        final_exit = exit_on[client_id]
        late = final_exit is not None and start > final_exit + dt.timedelta(
            days=cohort.AFTER_EXIT_DAYS
        )
        if start >= entry and not late:
            jobs.setdefault(client_id, []).append(Job(start=start, end=end))
    people = [
        Person(entry=entry, days_at_entry=days, jobs=tuple(jobs.get(client_id, ())))
        for client_id, (entry, days) in first.items()
        if days is not None
    ]
    without_days = sum(1 for _entry, days in first.values() if days is None)
    return people, len(first), without_days


def _protected_months(totals: calculator.Totals) -> dict[Month, bool]:
    """Which months' amounts may be shown (see the module docstring)."""
    shown = {month: len(people) >= THRESHOLD for month, people in totals.people_by_month.items()}
    hidden_people: set[int] = set()
    for month, people in totals.people_by_month.items():
        if not shown[month]:
            hidden_people |= people
    visible = [month for month, ok in shown.items() if ok]
    if 0 < len(hidden_people) < THRESHOLD and visible:
        fewest = min(visible, key=lambda m: (len(totals.people_by_month[m]), m))
        shown[fewest] = False
    return shown


def _costs(programme: Programme, first: dt.date, last: dt.date) -> dict[Month, Decimal]:
    rows = (
        ProgrammeCost.objects.filter(programme=programme, month__gte=first, month__lte=last)
        .values("month")
        .annotate(amount=Sum("amount"))
        .order_by("month")
    )
    return {Month.of(row["month"]): row["amount"] for row in rows}


def _months_between(first: Month, last: Month) -> list[Month]:
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = (
            Month(current.year + 1, 1)
            if current.month == periods.MONTHS_IN_YEAR
            else Month(current.year, current.month + 1)
        )
    return months


def savings_report(
    viewer: Membership,
    *,
    programme: Programme,
    rule_set: SavingsRuleSet,
    entered_from: Month | None = None,
    entered_to: Month | None = None,
    as_of: dt.date,
) -> SavingsReport:
    """The savings of `programme`'s participants entering from `entered_from` to `entered_to`
    (whole months, both included, open-ended when None), counted up to `as_of`, under
    `rule_set`, month by month, against the programme's costs of the same months.

    The months run from the first month of entry (`entered_from`, or the cohort's first entry)
    to `as_of`'s month. Raises PermissionDenied unless the viewer may evaluate. Not logged:
    nothing in it identifies a client.
    """
    _require(viewer)
    people, _participants, without_days = cohort_people(
        programme, entered_from=entered_from, entered_to=entered_to, as_of=as_of
    )
    totals = calculator.cohort_savings(people, rules.rules_of(rule_set), until=as_of)
    contributors = len(totals.people)
    shown = contributors >= THRESHOLD
    first_entry = min((p.entry for p in people), default=None)
    start = entered_from or (Month.of(first_entry) if first_entry else None)
    months = _months_between(start, Month.of(as_of)) if start else []
    costs = _costs(programme, months[0].first_day, as_of) if months else {}
    visible = _protected_months(totals) if shown else {}
    rows = tuple(
        MonthRow(
            month=month,
            people=_people(len(totals.people_by_month.get(month, ())))
            if shown
            else disclosure.NOT_SHOWN,
            saving=totals.by_month.get(month, Saving()) if visible.get(month, shown) else None,
            cost=costs.get(month),
        )
        for month in months
    )
    return SavingsReport(
        programme=programme,
        rule_set=rule_set,
        entered_from=entered_from,
        entered_to=entered_to,
        as_of=as_of,
        without_days_shown=_people(without_days),
        people=contributors if shown else 0,
        people_shown=_people(contributors),
        total=totals.total if shown else Saving(),
        cost=sum(costs.values(), ZERO) if costs else None,
        months=rows,
        shown=shown,
        observed=observed_figures(people, as_of) if shown else None,
    )


def _people(count: int) -> str:
    return disclosure.protect([], count)[1]


def savings_summary(
    viewer: Membership,
    *,
    programme: Programme,
    entry_from: dt.date | None = None,
    entry_to: dt.date | None = None,
    as_of: dt.date | None = None,
) -> SavingsSummary:
    """The dashboard's headline: the programme's savings under the default rule set.

    Entry dates are widened to whole months (`periods`); `as_of` defaults to the end of the
    previous month. Raises PermissionDenied unless the viewer may evaluate.
    """
    _require(viewer)
    rule_set = rules.default_rule_set()
    if rule_set is None:
        return SavingsSummary(0, ZERO, ZERO, ZERO, None, "", shown=False)
    report = savings_report(
        viewer,
        programme=programme,
        rule_set=rule_set,
        entered_from=Month.of(entry_from) if entry_from else None,
        entered_to=Month.of(entry_to) if entry_to else None,
        as_of=as_of or follow_up_end(timezone.localdate()),
    )
    return SavingsSummary(
        people=report.people,
        municipal=report.total.municipal,
        state=report.total.state,
        total=report.total.total,
        cost=report.cost,
        rule_set=rule_set.name,
        shown=report.shown,
    )


def observed_figures(people: Sequence[Person], as_of: dt.date) -> Observed:
    """The programme's own employment rate, mean months in work per person in work, and median
    days on subsidy at entry: the projection's defaults."""
    working = [p for p in people if p.jobs]
    rate = Decimal(len(working)) / Decimal(len(people)) if people else ZERO
    weekdays = sum(sum(1 for _day in calculator.days_in_work(p.jobs, as_of)) for p in working)
    months = (
        Decimal(weekdays) / Decimal(len(working)) / calculator.PAID_DAYS_PER_MONTH
        if working
        else ZERO
    )
    days = sorted(p.days_at_entry for p in people)
    return Observed(
        employment_rate=rate.quantize(Decimal("0.01")),
        months_in_work=months.quantize(Decimal("0.1")),
        days_at_entry=days[len(days) // 2] if days else 0,
    )
