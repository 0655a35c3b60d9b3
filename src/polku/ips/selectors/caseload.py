"""The specialist's caseload and time, and the programme's caseloads per specialist.

IPS-25 item 1 (../shared/domain/IPS.md): at most 20 clients per employment specialist
(`models.CASELOAD_LIMIT`). Item 24: at least 65 % of the specialist's time in the community,
outside the office. Each figure is one set-based query, whatever the caseload's size.

The specialist's own caseload lists clients by name, read under the access policy and logged
(identity and employment, and benefits where a benefits counselling's date is the last contact
shown); the programme's page shows counts per specialist only, with counts of 1–4 people
suppressed (`core.disclosure`), and logs nothing, since it shows no client's data.

A client's last contact is the latest day of the client-facing records of this specialist
(`CONTACT_SOURCES`): encounters about work they took part in or recorded, benefits counselling
they gave, follow-along support they gave, and job-search activities they took part in (the
specialist present, in their case: on or after its entry, or recorded by them).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from polku.clients.models import Programme
from polku.core import access, disclosure, roles
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, Membership
from polku.ips.models import (
    CASELOAD_LIMIT,
    FACE_TO_FACE_KINDS,
    BenefitsCounselling,
    FollowAlongSupport,
    IpsCase,
    JobPlacement,
    JobSearchActivity,
    TimeActivity,
    TimeEntry,
)
from polku.ips.selectors.common import R, log_rows, visible
from polku.plans.models import Attendance, Encounter

C = DataCategory
RECENT_START_DAYS = 90
WEEKS_BEFORE = 4
# The annotations of `_open_cases` whose latest is a row's last contact, and the category each
# is read as.
CONTACT_SOURCES = {
    "last_met_on": C.EMPLOYMENT,
    "last_counselled_on": C.BENEFITS,
    "last_support_on": C.EMPLOYMENT,
    "last_present_on": C.EMPLOYMENT,
}


def _readable(model: type[R], viewer: Membership) -> QuerySet[R]:
    """Rows of `model` `viewer` may read, in the IN-subquery form that nests in a Subquery."""
    return access.scope(
        model._default_manager.all(),
        viewer,
        category=model.record_category,
        purpose=Purpose.SERVICE,
        client_path="client",
    )


@dataclass(frozen=True)
class CaseloadRow:
    case: IpsCase
    days_since_entry: int
    first_contact_on: dt.date | None
    working_now: bool
    last_contact_on: dt.date | None


@dataclass
class Caseload:
    """The specialist's open cases: the rows they may read, and the count of all they carry."""

    rows: list[CaseloadRow]
    open_cases: int
    limit: int = CASELOAD_LIMIT

    @property
    def over_limit(self) -> bool:
        return self.open_cases > self.limit

    @property
    def over_by(self) -> int:
        return max(self.open_cases - self.limit, 0)

    @property
    def not_shown(self) -> int:
        """Open cases of the specialist they may not read now (a care team or consent changed)."""
        return self.open_cases - len(self.rows)


def _open_cases(viewer: Membership, today: dt.date) -> QuerySet[IpsCase]:
    client = OuterRef("client")
    activities = _readable(JobSearchActivity, viewer).filter(client=client)
    first_contact = (
        activities.filter(kind__in=FACE_TO_FACE_KINDS, date__gte=OuterRef("start_date"))
        .values("client")
        .annotate(first=Min("date"))
        .values("first")
    )
    working = (
        _readable(JobPlacement, viewer)
        .filter(client=client, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    )
    present = (
        activities.filter(specialist_present=True, date__lte=today)
        .filter(Q(created_by=viewer) | Q(date__gte=OuterRef("start_date")))
        .values("client")
        .annotate(last=Max("date"))
        .values("last")
    )
    supported = (
        _readable(FollowAlongSupport, viewer)
        .filter(client=client, specialist=viewer, date__lte=today)
        .values("client")
        .annotate(last=Max("date"))
        .values("last")
    )
    counselled = (
        _readable(BenefitsCounselling, viewer)
        .filter(client=client, counsellor=viewer, date__lte=today)
        .values("client")
        .annotate(last=Max("date"))
        .values("last")
    )
    met = (
        access.scope(
            Encounter.objects.filter(
                client=client, category=C.EMPLOYMENT, attendance=Attendance.ATTENDED
            ).filter(Q(participants=viewer) | Q(created_by=viewer)),
            viewer,
            category=C.EMPLOYMENT,
            purpose=Purpose.SERVICE,
            client_path="client",
        )
        .filter(started_at__lte=timezone.now())
        .values("client")
        .annotate(last=Max(TruncDate("started_at")))
        .values("last")
    )
    return (
        visible(IpsCase, viewer)
        .filter(specialist=viewer, end_date__isnull=True)
        .select_related("client", "episode__programme")
        .annotate(
            first_contact_on=Subquery(first_contact[:1]),
            working_now=Exists(working),
            last_present_on=Subquery(present[:1]),
            last_support_on=Subquery(supported[:1]),
            last_counselled_on=Subquery(counselled[:1]),
            last_met_on=Subquery(met[:1]),
        )
        .order_by("client__last_name", "client__first_name", "pk")
    )


def _as_date(value: object) -> dt.date | None:
    """A date from a subquery's value (SQLite returns the truncated date as text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class _Read:
    """A category of a client's data a page showed, for the access log."""

    client_id: object
    record_category: str


def caseload_of(viewer: Membership, *, today: dt.date | None = None) -> Caseload:
    """`viewer`'s open IPS cases, each with days since entry, the first face-to-face employer
    contact, whether the client works now and the last contact (module docstring), logged as
    listed: identity and employment of each client shown, and benefits when the last contact
    shown is the day of a benefits counselling. `open_cases` counts every open case the viewer
    carries."""
    today = today or timezone.localdate()
    rows = []
    reads: list[_Read] = []
    for case in _open_cases(viewer, today):
        contacts = {
            name: day
            for name in CONTACT_SOURCES
            if (day := _as_date(getattr(case, name))) is not None
        }
        last = max(contacts.values(), default=None)
        reads += [
            _Read(case.client_id, category)
            for name, category in CONTACT_SOURCES.items()
            if category != C.EMPLOYMENT and last is not None and contacts.get(name) == last
        ]
        rows.append(
            CaseloadRow(
                case=case,
                days_since_entry=(today - case.start_date).days,
                first_contact_on=_as_date(getattr(case, "first_contact_on")),  # noqa: B009
                working_now=bool(getattr(case, "working_now")),  # noqa: B009
                last_contact_on=last,
            )
        )
    open_cases = IpsCase.objects.filter(specialist=viewer, end_date__isnull=True).count()
    log_rows(
        viewer,
        [*(row.case for row in rows), *reads],
        identity_of=[row.case.client_id for row in rows],
        action=AccessAction.LIST,
    )
    return Caseload(rows=rows, open_cases=open_cases)


def hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def percent(share: float | None) -> int | None:
    """A share as a whole percent, halves rounded up (62.5 % is 63 %)."""
    return None if share is None else math.floor(share * 100 + 0.5)


@dataclass(frozen=True)
class TimeRow:
    activity: str
    label: str
    this_week: int  # minutes
    weeks_before: int

    @property
    def this_week_hours(self) -> float:
        return hours(self.this_week)

    @property
    def weeks_before_hours(self) -> float:
        return hours(self.weeks_before)


@dataclass
class TimeSummary:
    """Minutes by activity this week (Monday to today) and in the four whole weeks before it,
    and the share of each period spent outside the office."""

    week_start: dt.date
    today: dt.date
    before_start: dt.date
    before_end: dt.date
    rows: list[TimeRow] = field(default_factory=list)
    this_week_community: int = 0
    weeks_before_community: int = 0

    @property
    def this_week_total(self) -> int:
        return sum(row.this_week for row in self.rows)

    @property
    def weeks_before_total(self) -> int:
        return sum(row.weeks_before for row in self.rows)

    @property
    def this_week_share(self) -> float | None:
        total = self.this_week_total
        return self.this_week_community / total if total else None

    @property
    def weeks_before_share(self) -> float | None:
        total = self.weeks_before_total
        return self.weeks_before_community / total if total else None

    @property
    def this_week_hours(self) -> float:
        return hours(self.this_week_total)

    @property
    def weeks_before_hours(self) -> float:
        return hours(self.weeks_before_total)

    @property
    def this_week_percent(self) -> int | None:
        return percent(self.this_week_share)

    @property
    def weeks_before_percent(self) -> int | None:
        return percent(self.weeks_before_share)


def time_summary(membership: Membership, *, today: dt.date | None = None) -> TimeSummary:
    """`membership`'s own time this week and in the four weeks before, by activity."""
    today = today or timezone.localdate()
    week_start = today - dt.timedelta(days=today.weekday())
    before_start = week_start - dt.timedelta(weeks=WEEKS_BEFORE)
    summary = TimeSummary(
        week_start=week_start,
        today=today,
        before_start=before_start,
        before_end=week_start - dt.timedelta(days=1),
    )
    this_week = Q(date__gte=week_start, date__lte=today)
    before = Q(date__gte=before_start, date__lt=week_start)
    zero = Value(0, output_field=IntegerField())
    by_activity = {
        row["activity"]: row
        for row in TimeEntry.objects.filter(membership=membership, date__gte=before_start)
        .filter(date__lte=today)
        .values("activity")
        .annotate(
            this_week=Coalesce(Sum("minutes", filter=this_week), zero),
            before=Coalesce(Sum("minutes", filter=before), zero),
            this_week_out=Coalesce(Sum("minutes", filter=this_week & Q(in_community=True)), zero),
            before_out=Coalesce(Sum("minutes", filter=before & Q(in_community=True)), zero),
        )
    }
    for activity in TimeActivity:
        row = by_activity.get(activity.value, {})
        summary.rows.append(
            TimeRow(
                activity=activity.value,
                label=str(activity.label),
                this_week=row.get("this_week", 0),
                weeks_before=row.get("before", 0),
            )
        )
        summary.this_week_community += row.get("this_week_out", 0)
        summary.weeks_before_community += row.get("before_out", 0)
    return summary


def recent_time_entries(membership: Membership, *, limit: int = 10) -> list[TimeEntry]:
    """`membership`'s latest time entries (their own; staff data, not logged)."""
    return list(
        TimeEntry.objects.filter(membership=membership).order_by("-date", "-created_at")[:limit]
    )


@dataclass(frozen=True)
class SpecialistLoad:
    """One specialist's figures on the programme page. Counts of people are shown as text:
    exact, or "<5"/"≥5" where suppressed."""

    membership: Membership
    open_cases: str
    over_limit: bool
    started_recently: str
    minutes_before: int
    community_share: float | None

    @property
    def hours_before(self) -> float:
        return hours(self.minutes_before)

    @property
    def community_percent(self) -> int | None:
        return percent(self.community_share)


@dataclass
class Caseloads:
    rows: list[SpecialistLoad]
    open_cases_total: str
    started_recently_total: str
    over_limit_count: int
    programme: Programme | None
    today: dt.date
    before_start: dt.date
    before_end: dt.date
    limit: int = CASELOAD_LIMIT


def _count_subquery(qs: QuerySet[IpsCase]) -> Coalesce:
    counted = qs.values("specialist").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))


def caseloads(*, programme: Programme | None = None, today: dt.date | None = None) -> Caseloads:
    """Every employment specialist's caseload: open cases (of `programme`, if given) against the
    limit, cases started in the last 90 days, and time recorded in the four whole weeks before
    this one with its share outside the office. Aggregates only; not logged.

    Specialists listed: active employment specialists (with a programme: those with a case in
    it) and anyone carrying an open case.
    """
    today = today or timezone.localdate()
    week_start = today - dt.timedelta(days=today.weekday())
    before_start = week_start - dt.timedelta(weeks=WEEKS_BEFORE)
    cases = IpsCase.objects.filter(specialist=OuterRef("pk"))
    if programme is not None:
        cases = cases.filter(episode__programme=programme)
    recent = today - dt.timedelta(days=RECENT_START_DAYS)
    time = TimeEntry.objects.filter(
        membership=OuterRef("pk"), date__gte=before_start, date__lt=week_start
    ).values("membership")
    minutes = time.annotate(m=Sum("minutes")).values("m")
    outside = time.filter(in_community=True).annotate(m=Sum("minutes")).values("m")
    people = Membership.objects.filter(Exists(cases.filter(end_date__isnull=True)))
    if programme is not None:
        people |= Membership.objects.filter(Exists(cases), role=roles.Role.EMPLOYMENT_SPECIALIST)
    else:
        people |= Membership.objects.active().filter(role=roles.Role.EMPLOYMENT_SPECIALIST)
    memberships = list(
        Membership.objects.filter(pk__in=people.values("pk"))
        .select_related("user", "organisation")
        .annotate(
            open_n=_count_subquery(cases.filter(end_date__isnull=True)),
            recent_n=_count_subquery(cases.filter(start_date__gte=recent, start_date__lte=today)),
            minutes_n=Coalesce(Subquery(minutes[:1], output_field=IntegerField()), Value(0)),
            outside_n=Coalesce(Subquery(outside[:1], output_field=IntegerField()), Value(0)),
        )
        .order_by("organisation__name", "user__last_name", "user__first_name", "pk")
    )
    open_counts: Sequence[int] = [getattr(m, "open_n") for m in memberships]  # noqa: B009
    recent_counts: Sequence[int] = [getattr(m, "recent_n") for m in memberships]  # noqa: B009
    open_shown, open_total = disclosure.protect(open_counts)
    recent_shown, recent_total = disclosure.protect(recent_counts)
    rows = [
        SpecialistLoad(
            membership=m,
            open_cases=open_shown[i],
            over_limit=open_counts[i] > CASELOAD_LIMIT,
            started_recently=recent_shown[i],
            minutes_before=getattr(m, "minutes_n"),  # noqa: B009
            community_share=(
                getattr(m, "outside_n") / getattr(m, "minutes_n")  # noqa: B009
                if getattr(m, "minutes_n")  # noqa: B009
                else None
            ),
        )
        for i, m in enumerate(memberships)
    ]
    return Caseloads(
        rows=rows,
        open_cases_total=open_total,
        started_recently_total=recent_total,
        over_limit_count=sum(1 for row in rows if row.over_limit),
        programme=programme,
        today=today,
        before_start=before_start,
        before_end=week_start - dt.timedelta(days=1),
    )


def programmes_with_cases() -> QuerySet[Programme]:
    """Programmes that have IPS cases (for the programme filter; programmes are not personal
    data)."""
    return Programme.objects.filter(pk__in=IpsCase.objects.values("episode__programme")).order_by(
        "name"
    )
