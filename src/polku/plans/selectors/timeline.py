"""The client timeline: episodes, assessments, plan revisions, actions, referrals and encounters
of every organisation, merged newest first and narrowed to what the viewer may read.

Each source is a queryset scoped by the access policy (row by row for records that carry their
own category), filtered by the requested types and organisation, ordered newest first and cut
at the end of the requested page: page n of size s needs at most n·s (+1, to know whether there
is a next page) rows from any one source, so the database never returns more than the window,
however long the client's history. The rows are then merged in Python.

A timeline item carries codes, not text: its title is built when it is shown, in the reader's
language (`TimelineItem.title`). The page or API response that shows items writes the
read-access log once: the categories actually shown.

A receiving organisation reads the referrals sent to it with the purpose *referral*; an
organisation that reads the client only that way sees only those referrals on the timeline.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from polku.clients.models import Client, EndReason, Episode
from polku.clients.selectors import clients_visible_to, episodes_visible_to
from polku.core import access, access_log
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, Membership, Organisation
from polku.plans.domains import LifeDomain, Need
from polku.plans.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Attendance,
    DomainEntry,
    Encounter,
    EncounterKind,
    PlanReview,
    PlanRevision,
    Referral,
    ReferralStatus,
)
from polku.plans.selectors import shared_plan as plan_selectors
from polku.plans.selectors.common import scoped

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

C = DataCategory
PAGE_SIZE = 25
# The deepest a page may reach into the history: beyond it, asking for a page would make every
# source return this many rows. No client's timeline comes near it.
MAX_WINDOW = 10_000


class TimelineType(models.TextChoices):
    EPISODE = "episode", gettext_lazy("Programme episodes")
    ASSESSMENT = "assessment", gettext_lazy("Assessments")
    PLAN = "plan", gettext_lazy("Plan revisions and reviews")
    ACTION = "action", pgettext_lazy("plan actions", "Actions")
    REFERRAL = "referral", gettext_lazy("Referrals")
    ENCOUNTER = "encounter", gettext_lazy("Encounters")


@dataclass(frozen=True)
class TimelineFilters:
    types: frozenset[str] = frozenset()  # empty: every type
    organisation: int | None = None  # the organisation that recorded the item

    def wants(self, kind: str) -> bool:
        return not self.types or kind in self.types


@dataclass(frozen=True)
class TimelineItem:
    """One event on the timeline. `at` orders it; `all_day` marks events that have a date only
    (they sort at the start of their day). `event` and `params` are codes and ids from which
    `title` is built in the reader's language."""

    at: dt.datetime
    all_day: bool
    type: str
    event: str
    category: str
    organisation_id: int
    organisation_name: str
    link: str
    record_id: str
    client_id: uuid.UUID
    purpose: str = Purpose.SERVICE
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def date(self) -> dt.date:
        return timezone.localdate(self.at)

    @property
    def type_label(self) -> str:
        """The kind of event, in the singular (the filter's labels are plural)."""
        return str(_TYPE_NAMES[self.type])

    @property
    def category_label(self) -> str:
        return str(DataCategory(self.category).label)

    @property
    def title(self) -> str:
        return _TITLES[(self.type, self.event)](self.params)


_TYPE_NAMES: dict[str, StrOrPromise] = {
    TimelineType.EPISODE: gettext_lazy("Episode"),
    TimelineType.ASSESSMENT: gettext_lazy("Assessment"),
    TimelineType.PLAN: gettext_lazy("Plan"),
    TimelineType.ACTION: gettext_lazy("Action"),
    TimelineType.REFERRAL: gettext_lazy("Referral"),
    TimelineType.ENCOUNTER: gettext_lazy("Encounter"),
}


def _label(choices: type[models.TextChoices] | type[models.IntegerChoices], value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


_TITLES: dict[tuple[str, str], Callable[[dict[str, Any]], str]] = {
    ("episode", "started"): lambda p: _("Started in %(programme)s") % p,
    ("episode", "ended"): lambda p: (
        _("Ended in %(programme)s: %(reason)s")
        % {"programme": p["programme"], "reason": _label(EndReason, p["end_reason"])}
    ),
    ("assessment", "round"): lambda p: (
        _("Assessment round %(version)s (%(status)s)")
        % {"version": p["version"], "status": _label(AssessmentStatus, p["status"])}
    ),
    ("assessment", "entry"): lambda p: (
        _("%(domain)s assessed: need %(need)s")
        % {"domain": _label(LifeDomain, p["domain"]), "need": _label(Need, p["need"])}
    ),
    ("plan", "revision"): lambda p: _("Plan revision %(number)s") % p,
    ("plan", "review"): lambda p: _("Plan review held"),
    ("action", "planned"): lambda p: (
        _("Action planned: %(title)s (%(status)s)")
        % {"title": p["title"], "status": _label(ActionStatus, p["status"])}
    ),
    ("action", "done"): lambda p: _("Action done: %(title)s") % p,
    ("referral", "sent"): lambda p: (
        _("Referral to %(service)s, %(organisation)s (%(status)s)")
        % {
            "service": p["service"],
            "organisation": p["receiving_organisation"],
            "status": _label(ReferralStatus, p["status"]),
        }
    ),
    ("encounter", "held"): lambda p: (
        _("%(kind)s: %(attendance)s, %(minutes)s min")
        % {
            "kind": _label(EncounterKind, p["kind"]),
            "attendance": _label(Attendance, p["attendance"]),
            "minutes": p["duration_minutes"],
        }
    ),
}


def _day(date: dt.date) -> dt.datetime:
    """A date-only event's place on the time axis: the start of its day, local time."""
    return timezone.make_aware(dt.datetime.combine(date, dt.time.min))


def _client_url(name: str, client_id: uuid.UUID, anchor: str = "", **kwargs: Any) -> str:
    url = reverse(name, kwargs={"client_id": client_id, **kwargs})
    return f"{url}#{anchor}" if anchor else url


@dataclass(frozen=True)
class _Source:
    """One kind of event: its scoped queryset, the field it is dated by, and how a row becomes
    an item. `rank` breaks ties between sources at the same moment."""

    type: str
    rank: int
    queryset: QuerySet[Any]
    date_field: str
    to_item: Callable[[Any], TimelineItem]

    def window(self, size: int) -> list[tuple[Any, TimelineItem]]:
        """The newest `size` events, each with its row's primary key (the last tie-breaker)."""
        rows = self.queryset.order_by(f"-{self.date_field}", "-pk")[:size]
        return [(row.pk, self.to_item(row)) for row in rows]


def _organisation(row: Any) -> dict[str, Any]:
    return {
        "organisation_id": row.recorded_by_id,
        "organisation_name": row.recorded_by.name,
    }


def _episode_started(e: Episode) -> TimelineItem:
    return TimelineItem(
        at=_day(e.start_date),
        all_day=True,
        type=TimelineType.EPISODE,
        event="started",
        category=C.EMPLOYMENT,
        link=_client_url("clients:detail", e.client_id, "episodes-heading"),
        record_id=str(e.pk),
        client_id=e.client_id,
        params={"programme": e.programme.name},
        **_organisation(e),
    )


def _episode_ended(e: Episode) -> TimelineItem:
    assert e.end_date is not None
    return TimelineItem(
        at=_day(e.end_date),
        all_day=True,
        type=TimelineType.EPISODE,
        event="ended",
        category=C.EMPLOYMENT,
        link=_client_url("clients:detail", e.client_id, "episodes-heading"),
        record_id=str(e.pk),
        client_id=e.client_id,
        params={"programme": e.programme.name, "end_reason": e.end_reason},
        **_organisation(e),
    )


def _assessment(a: Assessment) -> TimelineItem:
    return TimelineItem(
        at=_day(a.assessed_on),
        all_day=True,
        type=TimelineType.ASSESSMENT,
        event="round",
        category=C.EMPLOYMENT,
        link=_client_url("plans:assessment_detail", a.client_id, assessment_id=a.pk),
        record_id=str(a.pk),
        client_id=a.client_id,
        params={"version": a.version, "status": a.status},
        **_organisation(a),
    )


def _entry(e: DomainEntry) -> TimelineItem:
    return TimelineItem(
        at=e.created_at,
        all_day=False,
        type=TimelineType.ASSESSMENT,
        event="entry",
        category=e.category,
        link=_client_url("plans:assessment_detail", e.client_id, assessment_id=e.assessment_id),
        record_id=str(e.pk),
        client_id=e.client_id,
        params={"domain": e.domain, "need": e.need},
        **_organisation(e),
    )


def _revision(r: PlanRevision) -> TimelineItem:
    return TimelineItem(
        at=r.created_at,
        all_day=False,
        type=TimelineType.PLAN,
        event="revision",
        category=C.EMPLOYMENT,
        link=_client_url("plans:plan", r.client_id),
        record_id=str(r.pk),
        client_id=r.client_id,
        params={"number": r.number, "change": r.change},
        **_organisation(r),
    )


def _review(r: PlanReview) -> TimelineItem:
    assert r.held_on is not None
    return TimelineItem(
        at=_day(r.held_on),
        all_day=True,
        type=TimelineType.PLAN,
        event="review",
        category=C.EMPLOYMENT,
        link=_client_url("plans:plan", r.client_id),
        record_id=str(r.pk),
        client_id=r.client_id,
        **_organisation(r),
    )


def _action_planned(a: Action) -> TimelineItem:
    return TimelineItem(
        at=a.created_at,
        all_day=False,
        type=TimelineType.ACTION,
        event="planned",
        category=a.category,
        link=_client_url("plans:plan", a.client_id),
        record_id=str(a.pk),
        client_id=a.client_id,
        params={"title": a.title, "status": a.status},
        **_organisation(a),
    )


def _action_done(a: Action) -> TimelineItem:
    assert a.completed_on is not None
    return TimelineItem(
        at=_day(a.completed_on),
        all_day=True,
        type=TimelineType.ACTION,
        event="done",
        category=a.category,
        link=_client_url("plans:plan", a.client_id),
        record_id=str(a.pk),
        client_id=a.client_id,
        params={"title": a.title},
        **_organisation(a),
    )


def _referral(r: Referral) -> TimelineItem:
    return TimelineItem(
        at=r.sent_at,
        all_day=False,
        type=TimelineType.REFERRAL,
        event="sent",
        category=r.category,
        link=_client_url("plans:client_referrals", r.client_id),
        record_id=str(r.pk),
        client_id=r.client_id,
        purpose=r.read_with,  # type: ignore[attr-defined]
        params={
            "service": r.service.name,
            "receiving_organisation": r.receiving_organisation.name,
            "status": r.status,
        },
        **_organisation(r),
    )


def _encounter(e: Encounter) -> TimelineItem:
    return TimelineItem(
        at=e.started_at,
        all_day=False,
        type=TimelineType.ENCOUNTER,
        event="held",
        category=e.category,
        link=_client_url("plans:encounters", e.client_id, f"encounter-{e.pk}"),
        record_id=str(e.pk),
        client_id=e.client_id,
        params={
            "kind": e.kind,
            "attendance": e.attendance,
            "duration_minutes": e.duration_minutes,
        },
        **_organisation(e),
    )


def _employment(qs: QuerySet[Any], viewer: Membership) -> QuerySet[Any]:
    """Records that are employment data as a whole (rounds, revisions, reviews)."""
    return access.scope(
        qs, viewer, category=C.EMPLOYMENT, purpose=Purpose.SERVICE, client_path="client", few=True
    )


def _referrals(viewer: Membership, client: Client, purpose: str) -> QuerySet[Referral]:
    """The client's referrals `viewer` reads, each annotated with the purpose it is read with:
    *service* on the sending side (selectors.referrals.sent_side), *referral* for those sent to
    `viewer`'s organisation that it may read for referrals (received_side)."""
    own = Referral.objects.filter(client=client)
    text: models.CharField[str, str] = models.CharField()
    received = scoped(
        own.filter(receiving_organisation=viewer.organisation_id),
        viewer,
        purpose=Purpose.REFERRAL,
        few=True,
    )
    if purpose == Purpose.REFERRAL:
        return received.annotate(read_with=models.Value(str(Purpose.REFERRAL), output_field=text))
    sent = scoped(own, viewer, purpose=Purpose.SERVICE, few=True)
    return own.filter(Q(pk__in=sent.values("pk")) | Q(pk__in=received.values("pk"))).annotate(
        read_with=models.Case(
            models.When(pk__in=sent.values("pk"), then=models.Value(str(Purpose.SERVICE))),
            default=models.Value(str(Purpose.REFERRAL)),
            output_field=text,
        )
    )


def _sources(viewer: Membership, client: Client, purpose: str) -> list[_Source]:
    """Every source of `client`'s events that `viewer` may read, unfiltered."""
    referrals = _Source(
        TimelineType.REFERRAL,
        7,
        _referrals(viewer, client, purpose).select_related(
            "recorded_by", "service", "receiving_organisation"
        ),
        "sent_at",
        _referral,
    )
    if purpose == Purpose.REFERRAL:
        return [referrals]
    episodes = (
        episodes_visible_to(viewer, few=True)
        .filter(client=client)
        .select_related("recorded_by", "programme")
    )
    mine = {"client": client}
    # Review dates and revisions are part of their plan, as on the plan's pages
    # (`revisions_visible_to`): judged by the organisation that made the plan, not by whoever
    # made the change, so they neither outlive the plan's visibility nor hide from its readers.
    return [
        _Source(TimelineType.EPISODE, 1, episodes, "start_date", _episode_started),
        _Source(
            TimelineType.EPISODE,
            2,
            episodes.filter(end_date__isnull=False),
            "end_date",
            _episode_ended,
        ),
        _Source(
            TimelineType.ASSESSMENT,
            3,
            _employment(Assessment.objects.filter(**mine), viewer).select_related("recorded_by"),
            "assessed_on",
            _assessment,
        ),
        _Source(
            TimelineType.ASSESSMENT,
            4,
            scoped(DomainEntry.objects.filter(**mine), viewer, few=True).select_related(
                "recorded_by"
            ),
            "created_at",
            _entry,
        ),
        _Source(
            TimelineType.PLAN,
            5,
            plan_selectors.revisions_visible_to(viewer, few=True)
            .filter(**mine)
            .select_related("recorded_by"),
            "created_at",
            _revision,
        ),
        _Source(
            TimelineType.PLAN,
            6,
            plan_selectors.reviews_visible_to(viewer, few=True)
            .filter(held_on__isnull=False, **mine)
            .select_related("recorded_by"),
            "held_on",
            _review,
        ),
        _Source(
            TimelineType.ACTION,
            8,
            scoped(Action.objects.filter(**mine), viewer, few=True).select_related("recorded_by"),
            "created_at",
            _action_planned,
        ),
        _Source(
            TimelineType.ACTION,
            9,
            scoped(
                Action.objects.filter(completed_on__isnull=False, **mine), viewer, few=True
            ).select_related("recorded_by"),
            "completed_on",
            _action_done,
        ),
        referrals,
        _Source(
            TimelineType.ENCOUNTER,
            10,
            scoped(Encounter.objects.filter(**mine), viewer, few=True).select_related(
                "recorded_by"
            ),
            "started_at",
            _encounter,
        ),
    ]


def _filtered(sources: Iterable[_Source], filters: TimelineFilters) -> list[_Source]:
    chosen = [s for s in sources if filters.wants(s.type)]
    if filters.organisation is not None:
        chosen = [
            _Source(
                s.type,
                s.rank,
                s.queryset.filter(recorded_by=filters.organisation),
                s.date_field,
                s.to_item,
            )
            for s in chosen
        ]
    return chosen


def client_for_timeline(viewer: Membership, client_id: uuid.UUID | str) -> tuple[Client, str]:
    """The client and the purpose `viewer` reads their timeline with: *service* for those who
    work with the client, *referral* for an organisation the client was referred to (which then
    sees only those referrals). Client.DoesNotExist when neither applies."""
    for purpose in (Purpose.SERVICE, Purpose.REFERRAL):
        client = clients_visible_to(viewer, purpose=purpose).filter(pk=client_id).first()
        if client is not None:
            return client, purpose
    raise Client.DoesNotExist


@dataclass(frozen=True)
class TimelinePage:
    """One page of a client's timeline, newest first."""

    client: Client
    items: list[TimelineItem]
    number: int
    page_size: int
    has_next: bool
    purpose: str

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def categories(self) -> list[str]:
        return sorted({item.category for item in self.items})


class PageOutOfRangeError(ValueError):
    """A page number below 1 or beyond MAX_WINDOW."""


def timeline_page(
    viewer: Membership,
    client: Client,
    *,
    purpose: str = Purpose.SERVICE,
    filters: TimelineFilters | None = None,
    number: int = 1,
    page_size: int = PAGE_SIZE,
) -> TimelinePage:
    """Page `number` of `client`'s timeline as `viewer` may read it (with `purpose`, from
    `client_for_timeline`). Not logged: `log_timeline` records what the caller shows.

    Raises PageOutOfRangeError for a page number below 1 or one reaching beyond MAX_WINDOW
    items. A page past the end is empty.
    """
    filters = filters or TimelineFilters()
    window = number * page_size
    if number < 1 or page_size < 1 or window > MAX_WINDOW:
        raise PageOutOfRangeError(number)
    items: list[tuple[Any, ...]] = []
    for source in _filtered(_sources(viewer, client, purpose), filters):
        for pk, item in source.window(window + 1):
            items.append((item.at, source.rank, pk, item))
    items.sort(key=lambda entry: entry[:3], reverse=True)
    start = window - page_size
    return TimelinePage(
        client=client,
        items=[entry[3] for entry in items[start:window]],
        number=number,
        page_size=page_size,
        has_next=len(items) > window,
        purpose=purpose,
    )


def organisations_on_timeline(
    viewer: Membership, client: Client, *, purpose: str = Purpose.SERVICE
) -> QuerySet[Organisation]:
    """The organisations that recorded something on `client`'s timeline that `viewer` may read:
    the choices of the organisation filter, which must not reveal who else has records."""
    recorded = Q(pk__in=[])
    for source in _sources(viewer, client, purpose):
        recorded |= Q(pk__in=source.queryset.order_by().values("recorded_by"))
    return Organisation.objects.filter(recorded).order_by("name")


def log_timeline(
    viewer: Membership,
    page: TimelinePage,
    *,
    with_identity: bool = True,
    action: str = AccessAction.VIEW,
) -> None:
    """Record what a page of the timeline shows: the client's identity (a page carries the
    name; the API does not) and the category of each item shown.

    One insert per purpose the items are read with: usually one; a receiving organisation's
    referrals are read with the purpose *referral*.
    """
    client_id = page.client.pk
    by_purpose: dict[str, set[str]] = {page.purpose: {C.IDENTITY} if with_identity else set()}
    for item in page.items:
        by_purpose.setdefault(item.purpose, set()).add(item.category)
    for purpose, categories in sorted(by_purpose.items()):
        access_log.record(
            viewer, [(client_id, c) for c in sorted(categories)], purpose=purpose, action=action
        )
