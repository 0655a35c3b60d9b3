"""The pieces every indicator is made of: its figures, the anchors that turn a figure into a
suggested score, the period, and the scope of cases, specialists and placements."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.ips.models import IpsCase, JobPlacement

# The periods the forms, the API and the review service accept (`services.period_errors`): whole
# calendar months, the last of which may be the running month up to today, so that no two
# periods differ by a day (or a few) and single clients cannot be worked out by subtraction;
# at least three months, so the counts rest on more people; at most three years, since
# fidelity is reviewed over months and an unbounded period would only make the queries slow.
MIN_PERIOD_MONTHS = 3
MAX_PERIOD_MONTHS = 36
# The default period: the six whole months before the current one and the current month so far.
DEFAULT_PERIOD_MONTHS = 6
# Item 22 gives a new job two weeks before asking whether follow-along support has begun.
FOLLOW_ALONG_GRACE_DAYS = 14
# Item 23: support is time-unlimited when it lasts beyond a year after the job starts; the
# share is suggested from only when at least this many placements are a year old.
FOLLOW_ALONG_YEAR_MONTHS = 12
MIN_YEAR_OLD_PLACEMENTS = 5
# Item 15: the first face-to-face employer contact within 30 days of entry.
RAPID_SEARCH_DAYS = 30
DAYS_PER_WEEK = 7


class Unit(models.TextChoices):
    SHARE = "share", _("share")
    COUNT = "count", _("count")
    DAYS = "days", _("days")
    PER_WEEK = "per_week", _("per specialist per week")
    MEAN = "mean", _("mean")


@dataclass(frozen=True)
class Measure:
    """One figure of an indicator: `value` is a fraction 0–1 for shares, None when its
    denominator is zero.

    For disclosure control where the figure is shown (`fidelity.published`): `people` marks a
    count of clients, cases, placements or referrals (1–4 are shown as "<5"), and `basis` names
    the indicator's counts (their keys) the figure rests on, such as a share's numerator and
    denominator: the figure is not shown when one of them is 1–4.
    """

    key: str
    label: str | Promise
    value: float | None
    unit: Unit
    people: bool = False
    basis: tuple[str, ...] = ()

    def display(self) -> str:
        """The value as text in the current language: "83 %", "12,5", "–" for none."""
        if self.value is None:
            return "–"
        if self.unit == Unit.COUNT:
            return formats.number_format(int(self.value), 0, use_l10n=True, force_grouping=True)
        if self.unit == Unit.SHARE:
            return f"{_number(self.value * 100)} %"
        return _number(self.value)


def _number(value: float) -> str:
    """One decimal, none when it is zero: "12", "12,5" in Finnish."""
    rounded = round(value, 1)
    decimals = 0 if rounded == int(rounded) else 1
    return formats.number_format(rounded, decimals, use_l10n=True)


@dataclass(frozen=True)
class Indicator:
    """What the data says about one item.

    `values` are the indicator's figures, `counts` the numbers they rest on. `suggested` is the
    score 1–5 the anchors give, None when the data cannot say (or the item is only informed,
    `suggests` False), from the value keyed `suggested_by` (the first value when None). `how`
    says in one sentence how the figures were computed; `notes` are warnings to read beside
    them.
    """

    item: int
    key: str
    values: tuple[Measure, ...]
    counts: tuple[Measure, ...]
    suggested: int | None
    how: str | Promise
    suggests: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)
    suggested_by: str | None = None

    def suggesting_value(self) -> Measure | None:
        """The value the suggestion is made from."""
        if not self.values:
            return None
        key = self.suggested_by or self.values[0].key
        return next((m for m in self.values if m.key == key), None)


@dataclass(frozen=True)
class FidelityIndicators:
    """Every computed indicator of a programme over a period, in item order."""

    programme: Programme
    start: dt.date
    end: dt.date
    cases: int
    specialists: int
    placements: int
    indicators: tuple[Indicator, ...]

    def for_item(self, number: int) -> Indicator | None:
        return next((i for i in self.indicators if i.item == number), None)

    def suggestions(self) -> dict[int, int | None]:
        """Item number to suggested score, for the items the data can suggest."""
        return {i.item: i.suggested for i in self.indicators if i.suggests}

    def summary(self) -> str:
        scores = " ".join(f"{i.item}:{i.suggested}" for i in self.indicators)
        return f"{self.programme.pk} {self.start}..{self.end} cases={self.cases} {scores}"


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months (negative: back), on the same day of the month or
    the month's last day when it is shorter (31 March + 1 month = 30 April)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def last_day_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def default_period(end: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The six whole months before the month of `end` (default today) and that month up to
    `end`: from the first day of the month six months earlier. On 15 July: 1 January – 15 July.
    """
    end = end or timezone.localdate()
    return add_months(end.replace(day=1), -DEFAULT_PERIOD_MONTHS), end


Anchors = tuple[tuple[Fraction, int], ...]


def _anchors(*pairs: tuple[int | str, int]) -> Anchors:
    return tuple((Fraction(threshold), score) for threshold, score in pairs)


def at_least(value: Fraction, anchors: Anchors) -> int:
    """The score of the first anchor that `value` reaches (value ≥ threshold), else 1."""
    return next((score for threshold, score in anchors if value >= threshold), 1)


def at_most(value: Fraction, anchors: Anchors) -> int:
    """The score of the first anchor that `value` stays within (value ≤ threshold), else 1."""
    return next((score for threshold, score in anchors if value <= threshold), 1)


# IPS-25 anchors, item by item (Becker et al. 2019).
CASELOAD_ANCHORS = _anchors((20, 5), (30, 4), (40, 3), (50, 2))  # item 1, clients (mean)
STAFF_ANCHORS = _anchors((1, 5), ("0.9", 4), ("0.6", 3), ("0.4", 2))  # item 2
GENERALIST_ANCHORS = _anchors((1, 5), ("0.8", 4), ("0.6", 3), ("0.4", 2))  # item 3
TEAM_ANCHORS = _anchors(("0.9", 5), ("0.8", 4), ("0.6", 3), ("0.4", 2))  # items 4 and 5
EXCLUSION_ANCHORS = _anchors((0, 5), ("0.05", 4), ("0.1", 3), ("0.2", 2))  # item 9 (at most)
SERVICE_ANCHORS = _anchors(("0.9", 5), ("0.75", 4), ("0.5", 3), ("0.25", 2))  # 12–14, 16, 22, 23
RAPID_SEARCH_ANCHORS = _anchors((30, 5), (60, 4), (90, 3), (120, 2))  # item 15, days (at most)
EMPLOYER_CONTACT_ANCHORS = _anchors((6, 5), (5, 4), (3, 3), (2, 2))  # item 17, per week
DIVERSITY_ANCHORS = _anchors(("0.9", 5), ("0.85", 4), ("0.7", 3), ("0.5", 2))  # items 19, 20
COMPETITIVE_ANCHORS = _anchors(("0.95", 5), ("0.85", 4), ("0.75", 3), ("0.65", 2))  # item 21
COMMUNITY_ANCHORS = _anchors(("0.65", 5), ("0.5", 4), ("0.35", 3), ("0.2", 2))  # item 24


def fraction_of(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def as_float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def suggest(
    value: Fraction | None, anchors: Anchors, rule: Callable[[Fraction, Anchors], int] = at_least
) -> int | None:
    return None if value is None else rule(value, anchors)


def count_measure(
    key: str, label: str | Promise, value: int, *, people: bool = True, basis: tuple[str, ...] = ()
) -> Measure:
    """A count; of people (clients, cases, placements, referrals) unless `people` is False
    (specialists, minutes, employer contacts)."""
    return Measure(key, label, value, Unit.COUNT, people=people, basis=basis)


def share_measure(
    key: str, label: str | Promise, value: Fraction | None, *, basis: tuple[str, ...]
) -> Measure:
    """A share, with the keys of the counts it is computed from (empty: none of people)."""
    return Measure(key, label, as_float(value), Unit.SHARE, basis=basis)


class Scope:
    """The programme's cases, specialists and placements over the period, and the period's
    bounds as datetimes in the local time zone (for `created_at`, `started_at` columns)."""

    def __init__(self, programme: Programme, start: dt.date, end: dt.date) -> None:
        self.programme = programme
        self.start = start
        self.end = end
        zone = timezone.get_current_timezone()
        self.window_start = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
        self.window_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def cases(self) -> QuerySet[IpsCase]:
        return IpsCase.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=self.start),
            episode__programme=self.programme,
            start_date__lte=self.end,
        )

    def open_at_end(self) -> QuerySet[IpsCase]:
        """The cases still open on the period's last day (ending that day counts as open)."""
        return self.cases().filter(Q(end_date__isnull=True) | Q(end_date__gte=self.end))

    @cached_property
    def specialist_ids(self) -> list[int]:
        return sorted(set(self.cases().values_list("specialist_id", flat=True)))

    def placements(self) -> QuerySet[JobPlacement]:
        return JobPlacement.objects.filter(
            case__in=self.cases(), start_date__gte=self.start, start_date__lte=self.end
        )

    def in_window(self, column: str) -> Q:
        return Q(**{f"{column}__gte": self.window_start, f"{column}__lt": self.window_end})

    def local_date(self, moment: dt.datetime) -> dt.date:
        return timezone.localtime(moment).date()


def placement_figures(scope: Scope) -> dict[str, int]:
    """The period's placements: `n`, `competitive_n`, and the distinct ISCO-08 codes
    (`occupations_n`) and employers (`employers_n`) among them, for items 10 and 19–21."""
    return scope.placements().aggregate(
        n=Count("pk"),
        competitive_n=Count("pk", filter=Q(competitive=True)),
        occupations_n=Count("isco_code", distinct=True),
        employers_n=Count("employer_id", distinct=True),
    )
