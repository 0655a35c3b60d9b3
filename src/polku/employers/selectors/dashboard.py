"""The employer dashboard's figures: employers who have hired programme clients, towards the
pilot's target, and employer contacts per specialist per week.

Aggregates only. Placements are client data (ips app); what is counted here is employers, never
people, and no row names a client, so nothing goes to the read-access log. But an employer that
hires for the first time is a client who started a job: in a small programme, "1 in March" says
that one of its clients started work in March. So the counts of newly hiring employers are
suppressed as counts of people are (`core.disclosure`: 1–4 as "<5"), and so is the total.
Specialists are staff, shown by name (their contact counts are the IPS fidelity scale's item 17,
../shared/domain/IPS.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone

from polku.clients.models import Programme
from polku.core import disclosure
from polku.core.models import Membership
from polku.core.roles import Role
from polku.employers.models import EmployerInteraction, InteractionKind, InteractionPurpose
from polku.employers.permissions import can_see_dashboard

# The Helsinki IPS pilot aims for 60 employers hiring its clients (issue 5, seeds).
HIRING_EMPLOYERS_TARGET = 60
MONTHS_SHOWN = 12
WEEKS_SHOWN = 8


def _number(shown: str) -> int | None:
    return int(shown) if shown.isdigit() else None


@dataclass(frozen=True)
class HiringMonth:
    """A month's figures as they may be shown: digits, "<5", "≥5" or "–" (`core.disclosure`)."""

    month: dt.date | None  # the first day of the month; None: the months before those shown
    new: str  # employers whose first placement of a programme client started that month
    # Employers who had hired by the month's end; "–" where it would give a hidden count away
    # (the difference of two months' totals is the later month's count).
    total: str

    @property
    def total_number(self) -> int | None:
        return _number(self.total)


@dataclass(frozen=True)
class Hiring:
    total: str  # as it may be shown: exact when 0 or 5 or more, else "<5" (rarely "≥5")
    target: int
    earlier: HiringMonth  # the employers who first hired before the months shown
    months: list[HiringMonth]

    @property
    def total_number(self) -> int | None:
        return _number(self.total)

    @property
    def progress(self) -> float | None:
        """The share of the target reached, 0–1 (more than the target counts as 1); None when
        the total is not shown."""
        if self.total_number is None:
            return None
        return min(self.total_number / self.target, 1.0) if self.target else 0.0


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def hiring_employers(
    viewer: Membership | None,
    *,
    programme: Programme | None = None,
    today: dt.date | None = None,
    months: int = MONTHS_SHOWN,
) -> Hiring:
    """Distinct employers with at least one placement of a programme client that has started
    (of `programme`'s clients only, through the placement's IPS case's episode, if given), and
    for each of the last `months` months the employers who hired for the first time, as they
    may be shown (`hiring_shown`).
    """
    if not can_see_dashboard(viewer):
        return Hiring("0", HIRING_EMPLOYERS_TARGET, HiringMonth(None, "0", "0"), [])
    # Imported lazily: the ips app builds on this one.
    from polku.ips.models import JobPlacement  # noqa: PLC0415

    today = today or timezone.localdate()
    placements = JobPlacement.objects.filter(start_date__lte=today)
    if programme is not None:
        placements = placements.filter(case__episode__programme=programme)
    firsts = [
        row["first"]
        for row in placements.order_by()
        .values("employer")
        .annotate(first=Min("start_date"))
        .values("employer", "first")
    ]
    starts = [_month_start(today)]
    while len(starts) < months:
        starts.append(_previous_month(starts[-1]))
    new_by_month: dict[dt.date, int] = defaultdict(int)
    for first in firsts:
        new_by_month[_month_start(first)] += 1
    earlier = sum(1 for first in firsts if _month_start(first) < starts[-1])
    counts = [earlier, *(new_by_month.get(start, 0) for start in reversed(starts))]
    total, rows = hiring_shown([None, *reversed(starts)], counts)
    return Hiring(total, HIRING_EMPLOYERS_TARGET, rows[0], rows[1:])


def hiring_shown(months: list[dt.date | None], counts: list[int]) -> tuple[str, list[HiringMonth]]:
    """The total and each month's row, as they may be shown, of newly hiring employers
    `counts` in `months` (oldest first: None for the months before those shown).

    The counts are protected with their total (`disclosure.protect`). A running total is
    shown only where the counts shown give it anyway, from the first months or as the total
    less the later months: any other would give a hidden count away.
    """
    cells, total = disclosure.protect(counts)
    exact = [cell == str(count) for count, cell in zip(counts, cells, strict=True)]
    total_exact = total == str(sum(counts))
    rows = []
    for index, month in enumerate(months):
        known = all(exact[: index + 1]) or (total_exact and all(exact[index + 1 :]))
        running = str(sum(counts[: index + 1])) if known else disclosure.NOT_SHOWN
        rows.append(HiringMonth(month, cells[index], running))
    return total, rows


@dataclass(frozen=True)
class WeekCount:
    face_to_face: int  # face-to-face job development contacts (item 17)
    all: int  # every contact, of any kind and purpose


@dataclass(frozen=True)
class SpecialistWeeks:
    name: str
    organisation: str
    weeks: list[WeekCount]

    @property
    def face_to_face_mean(self) -> float:
        """Face-to-face job development contacts per complete week (the current week, still
        under way, is left out)."""
        complete = self.weeks[:-1]
        return sum(w.face_to_face for w in complete) / len(complete) if complete else 0.0


@dataclass(frozen=True)
class ContactWeeks:
    weeks: list[dt.date]  # Mondays, oldest first; the last is the current week
    specialists: list[SpecialistWeeks]
    totals: list[WeekCount]

    @property
    def face_to_face_mean(self) -> float:
        """Mean face-to-face job development contacts per specialist per complete week."""
        if not self.specialists:
            return 0.0
        return sum(s.face_to_face_mean for s in self.specialists) / len(self.specialists)


def _specialists(
    programme: Programme | None, today: dt.date, contacted: set[int]
) -> list[Membership]:
    """Whose weeks are shown: with a programme, the specialists with IPS cases in it; else
    every employment specialist active today; and anyone who recorded contacts meanwhile."""
    if programme is not None:
        from polku.ips.models import IpsCase  # noqa: PLC0415 - see hiring_employers

        cases = IpsCase.objects.filter(episode__programme=programme).values("specialist")
        wanted = Q(pk__in=cases)
    else:
        active = Membership.objects.active(today).filter(role=Role.EMPLOYMENT_SPECIALIST)
        wanted = Q(pk__in=active.values("pk")) | Q(pk__in=contacted)
    return list(
        Membership.objects.filter(wanted)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "organisation__name", "pk")
    )


def contacts_per_week(
    viewer: Membership | None,
    *,
    programme: Programme | None = None,
    today: dt.date | None = None,
    weeks: int = WEEKS_SHOWN,
) -> ContactWeeks:
    """Employer contacts per specialist in each of the last `weeks` ISO weeks (the current
    one included): face-to-face job development visits, and all contacts."""
    if not can_see_dashboard(viewer):
        return ContactWeeks([], [], [])
    today = today or timezone.localdate()
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    face_to_face = Q(kind=InteractionKind.VISIT, purpose=InteractionPurpose.JOB_DEVELOPMENT)
    rows = (
        EmployerInteraction.objects.filter(date__gte=mondays[0], date__lte=today)
        .order_by()
        .values("specialist", "date")
        .annotate(all=Count("pk"), face_to_face=Count("pk", filter=face_to_face))
    )
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        week = (row["date"] - mondays[0]).days // 7
        cell = counts[(row["specialist"], week)]
        cell[0] += row["face_to_face"]
        cell[1] += row["all"]
    contacted = {specialist for specialist, _week in counts}
    shown = []
    for membership in _specialists(programme, today, contacted):
        cells = [counts.get((membership.pk, n), [0, 0]) for n in range(weeks)]
        shown.append(
            SpecialistWeeks(
                name=membership.user.display_name(),
                organisation=membership.organisation.name,
                weeks=[WeekCount(f2f, every) for f2f, every in cells],
            )
        )
    totals = [
        WeekCount(sum(s.weeks[n].face_to_face for s in shown), sum(s.weeks[n].all for s in shown))
        for n in range(weeks)
    ]
    return ContactWeeks(mondays, shown, totals)
