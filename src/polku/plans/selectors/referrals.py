"""Reads of referrals: a client's referrals, a receiving organisation's inbox, the overdue ones.

A referral is read from two sides. The sending side reads it as part of the service it gives
(purpose *service*: its own records, by the usual rule). The receiving organisation reads it —
and the client's identity — with the purpose *referral*, through the consent the referral was
sent under, so its access ends when that consent is withdrawn; and it reads only the referrals
sent to it, never the client's referrals to others. Every row is judged by its own category
(`selectors.common.scoped`).

Timeliness is computed here and only here (`due_on`, `days_between`, `is_overdue`): the pages,
the API, the notifications and the report all call these.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from polku.clients.models import CareTeamMember, Client
from polku.clients.selectors import clients_visible_to
from polku.core import access_log
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, Membership
from polku.plans.models import OPEN_STATUSES, Action, ActionStatus, Referral, ReferralStatus
from polku.plans.selectors import shared_plan
from polku.plans.selectors.common import scoped

C = DataCategory
# An action is "due" this many days ahead (services.notifications uses the same horizon).
DUE_SOON_DAYS = 3
# The home page lists the most urgent actions; the rest are counted.
DASHBOARD_ROWS = 12
OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


def due_on(sent_at: dt.datetime, expected_response_days: int) -> dt.date:
    """The last day on which the first contact is on time."""
    return timezone.localdate(sent_at) + dt.timedelta(days=expected_response_days)


def days_between(sent_at: dt.datetime, first_contact_on: dt.date | None) -> int | None:
    """Days from sending (the local calendar day) to the first contact; None before it."""
    if first_contact_on is None:
        return None
    return (first_contact_on - timezone.localdate(sent_at)).days


def is_overdue(referral: Referral, today: dt.date) -> bool:
    """Still waiting for a first contact (open) after its expected response time."""
    return (
        referral.status in OPEN_STATUSES
        and referral.first_contact_on is None
        and today > due_on(referral.sent_at, referral.expected_response_days)
    )


@dataclass(frozen=True)
class ReferralRow:
    """A referral with its timeliness, as a page or the API shows it."""

    referral: Referral
    due_on: dt.date
    days_to_first_contact: int | None
    is_overdue: bool
    purpose: str


def purpose_for(viewer: Membership, referral: Referral) -> str:
    """The purpose `viewer` reads `referral` with: *referral* for the receiving organisation."""
    if referral.receiving_organisation_id == viewer.organisation_id:
        return Purpose.REFERRAL
    return Purpose.SERVICE


def rows_of(
    viewer: Membership, referrals: Iterable[Referral], *, today: dt.date | None = None
) -> list[ReferralRow]:
    today = today or timezone.localdate()
    return [
        ReferralRow(
            referral=r,
            due_on=due_on(r.sent_at, r.expected_response_days),
            days_to_first_contact=days_between(r.sent_at, r.first_contact_on),
            is_overdue=is_overdue(r, today),
            purpose=purpose_for(viewer, r),
        )
        for r in referrals
    ]


def sent_side(viewer: Membership) -> QuerySet[Referral]:
    """Referrals `viewer` reads as part of the service (purpose *service*), of clients whose
    identity they may read. Not logged."""
    return scoped(Referral.objects.all(), viewer, purpose=Purpose.SERVICE).filter(
        client__in=clients_visible_to(viewer).values("pk")
    )


def received_side(viewer: Membership) -> QuerySet[Referral]:
    """Referrals sent to `viewer`'s organisation that it may read for referrals, of clients
    whose identity it may read for referrals. Not logged."""
    qs = Referral.objects.filter(receiving_organisation=viewer.organisation_id)
    return scoped(qs, viewer, purpose=Purpose.REFERRAL).filter(
        client__in=clients_visible_to(viewer, purpose=Purpose.REFERRAL).values("pk")
    )


def referrals_visible_to(viewer: Membership) -> QuerySet[Referral]:
    """Both sides at once (the API's list). Not logged."""
    return (
        Referral.objects.filter(
            Q(pk__in=sent_side(viewer).values("pk")) | Q(pk__in=received_side(viewer).values("pk"))
        )
        .select_related("client", "service", "receiving_organisation", "recorded_by")
        .order_by("-sent_at", "pk")
    )


def referral_get(viewer: Membership, referral_id: uuid.UUID | str) -> Referral:
    """One referral `viewer` may read, from either side; Referral.DoesNotExist otherwise
    (invisible and missing answer alike). Not logged: the page logs what it shows."""
    return (
        referrals_visible_to(viewer)
        .select_related("created_by__user", "handler__user")
        .get(pk=referral_id)
    )


def client_for_referrals(viewer: Membership, client_id: uuid.UUID | str) -> tuple[Client, str]:
    """The client and the purpose `viewer` reads their referrals with: *service* for those who
    work with the client, *referral* for an organisation the client was referred to.
    Client.DoesNotExist when neither applies."""
    for purpose in (Purpose.SERVICE, Purpose.REFERRAL):
        client = clients_visible_to(viewer, purpose=purpose).filter(pk=client_id).first()
        if client is not None:
            return client, purpose
    raise Client.DoesNotExist


def client_referrals(viewer: Membership, client: Client) -> QuerySet[Referral]:
    """`client`'s referrals that `viewer` may read, newest first. Not logged."""
    return referrals_visible_to(viewer).filter(client=client)


def inbox(viewer: Membership, *, status: str = "") -> QuerySet[Referral]:
    """Referrals sent to `viewer`'s organisation that it may read, oldest open first. Not
    logged. `status` narrows to one status ("open": sent, received or accepted)."""
    qs = received_side(viewer).select_related("client", "service", "recorded_by")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in ReferralStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("sent_at", "pk")


def overdue_of_key_clients(
    viewer: Membership, *, today: dt.date | None = None
) -> list[ReferralRow]:
    """Open referrals past their expected response time, of clients whose key worker `viewer`
    is. Not logged."""
    key_clients = CareTeamMember.objects.filter(
        membership=viewer, is_key_worker=True, removed_at__isnull=True
    ).values("client_id")
    candidates = (
        sent_side(viewer)
        .filter(client__in=key_clients, status__in=OPEN_STATUSES, first_contact_on__isnull=True)
        .select_related("client", "service", "receiving_organisation")
        .order_by("sent_at", "pk")
    )
    return [row for row in rows_of(viewer, candidates, today=today) if row.is_overdue]


def log_referrals(
    viewer: Membership,
    referrals: Sequence[Referral],
    *,
    client: Client | None = None,
    client_purpose: str = Purpose.SERVICE,
    action: str = AccessAction.VIEW,
) -> None:
    """Record what a page of referrals shows: each referral's client (identity) and category,
    with the purpose its side reads it with, and `client`'s identity when the page is about
    one client. One insert per purpose: one in all, unless the viewer's organisation is on
    both sides of the page's referrals."""
    by_purpose: dict[str, set[tuple[Any, str]]] = {}
    if client is not None:
        by_purpose[client_purpose] = {(client.pk, C.IDENTITY)}
    for referral in referrals:
        reads = by_purpose.setdefault(purpose_for(viewer, referral), set())
        reads |= {(referral.client_id, C.IDENTITY), (referral.client_id, referral.category)}
    for purpose, reads in sorted(by_purpose.items()):
        access_log.record(viewer, sorted(reads, key=str), purpose=purpose, action=action)


@dataclass(frozen=True)
class Dashboard:
    """The key worker's part of the home page."""

    overdue_referrals: list[ReferralRow]
    actions_due: list[Action]  # the most urgent DASHBOARD_ROWS
    actions_due_total: int
    today: dt.date


def dashboard(viewer: Membership, *, today: dt.date | None = None) -> Dashboard:
    """Overdue referrals of `viewer`'s key clients and `viewer`'s actions due, logged as shown."""
    today = today or timezone.localdate()
    overdue = overdue_of_key_clients(viewer, today=today)
    due = shared_plan.actions_due_for(viewer, today=today, within_days=DUE_SOON_DAYS)
    actions = list(due[:DASHBOARD_ROWS])
    actions_total = len(actions) if len(actions) < DASHBOARD_ROWS else due.count()
    # Both lists are read for the service (the sending side): one insert for the two.
    shown = [(r.referral.client_id, r.referral.category) for r in overdue]
    shown += [(a.client_id, a.category) for a in actions]
    reads = {(client_id, C.IDENTITY) for client_id, _ in shown} | set(shown)
    access_log.record(
        viewer, sorted(reads, key=str), purpose=Purpose.SERVICE, action=AccessAction.LIST
    )
    return Dashboard(
        overdue_referrals=overdue,
        actions_due=actions,
        actions_due_total=actions_total,
        today=today,
    )
