"""Writes of in-app notifications: the daily run that tells people what is due, and reading.

A notification carries no personal data (models/notifications.py): a kind, a recipient and a
link to the record. Its text is built when it is shown, and the linked page applies the access
policy as always. The daily run may be repeated safely: a recipient gets a notice of one kind
about one record once (the `notification_once_per_*` constraints, and a check before inserting,
so that a repeated run inserts nothing rather than failing).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from polku.clients.models import CareTeamMember
from polku.core.models import Membership
from polku.plans.models import (
    OPEN_STATUSES,
    Action,
    Notification,
    NotificationKind,
    Referral,
)
from polku.plans.permissions import require
from polku.plans.selectors.referrals import DUE_SOON_DAYS, OPEN_ACTION_STATUSES, is_overdue
from polku.plans.services.referrals import receiving_members

K = NotificationKind
# (recipient id, kind, referral id, action id)
Key = tuple[int, str, uuid.UUID | None, uuid.UUID | None]


@dataclass(frozen=True)
class DueRun:
    """What one run of `notify_due` wrote."""

    action_due: int
    action_overdue: int
    referral_overdue: int

    @property
    def total(self) -> int:
        return self.action_due + self.action_overdue + self.referral_overdue


def _key_workers(client_ids: Iterable[object]) -> dict[object, int]:
    """Client id → the membership id of their current key worker."""
    return dict(
        CareTeamMember.objects.filter(
            client__in=list(client_ids), is_key_worker=True, removed_at__isnull=True
        ).values_list("client_id", "membership_id")
    )


def _active(membership_ids: Iterable[int], today: dt.date) -> set[int]:
    return set(
        Membership.objects.active(today)
        .filter(pk__in=set(membership_ids))
        .values_list("pk", flat=True)
    )


def _insert_new(keys: set[Key]) -> list[Key]:
    """Insert the notifications not yet written; return the keys inserted."""
    if not keys:
        return []
    recipients = {k[0] for k in keys}
    existing = {
        (r, kind, ref, act)
        for r, kind, ref, act in Notification.objects.filter(
            recipient__in=recipients, kind__in={k[1] for k in keys}
        ).values_list("recipient_id", "kind", "referral_id", "action_id")
    }
    new = sorted(keys - existing, key=str)
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=r, kind=kind, referral_id=ref, action_id=act)
            for r, kind, ref, act in new
        ],
        ignore_conflicts=True,
    )
    return new


def _action_keys(today: dt.date) -> set[Key]:
    actions = list(
        Action.objects.filter(
            status__in=OPEN_ACTION_STATUSES,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        ).values_list("pk", "client_id", "responsible_id", "due_date")
    )
    key_workers = _key_workers(
        {client_id for _pk, client_id, responsible, _d in actions if responsible is None}
    )
    keys: set[Key] = set()
    for pk, client_id, responsible_id, due_date in actions:
        recipient = responsible_id or key_workers.get(client_id)
        if recipient is None or due_date is None:
            continue
        kind = K.ACTION_OVERDUE if due_date < today else K.ACTION_DUE
        keys.add((recipient, kind, None, pk))
    active = _active({k[0] for k in keys}, today)
    return {k for k in keys if k[0] in active}


def _referral_keys(today: dt.date) -> set[Key]:
    open_referrals = Referral.objects.filter(
        status__in=OPEN_STATUSES, first_contact_on__isnull=True
    ).only(
        "pk",
        "status",
        "first_contact_on",
        "sent_at",
        "expected_response_days",
        "created_by",
        "receiving_organisation",
        "category",
    )
    keys: set[Key] = set()
    for referral in open_referrals.iterator(chunk_size=1000):
        if not is_overdue(referral, today):
            continue
        recipients = {m.pk for m in receiving_members(referral)}
        if referral.created_by_id is not None:
            recipients.add(referral.created_by_id)
        keys |= {(r, K.REFERRAL_OVERDUE, referral.pk, None) for r in recipients}
    active = _active({k[0] for k in keys}, today)
    return {k for k in keys if k[0] in active}


@transaction.atomic
def notify_due(*, today: dt.date | None = None) -> DueRun:
    """Write the day's notices: ACTION_DUE for open actions due within DUE_SOON_DAYS days,
    ACTION_OVERDUE for those past their due date (to the responsible person, or the client's
    key worker when nobody is named), and REFERRAL_OVERDUE for open referrals past their
    expected response time (to the person who sent it and to the receiving organisation's
    members who may read it). Only active memberships are notified. Running it again the same
    day — or any later day — writes nothing already written. Returns the counts written.
    """
    today = today or timezone.localdate()
    written = _insert_new(_action_keys(today) | _referral_keys(today))
    kinds = [k[1] for k in written]
    return DueRun(
        action_due=kinds.count(K.ACTION_DUE),
        action_overdue=kinds.count(K.ACTION_OVERDUE),
        referral_overdue=kinds.count(K.REFERRAL_OVERDUE),
    )


def notification_mark_read(*, actor: Membership, notification: Notification) -> Notification:
    """Mark the actor's own notification read (reading it again changes nothing).

    PermissionDenied for someone else's notification.
    """
    require(notification.recipient_id == actor.pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: Membership) -> int:
    """Mark every unread notification of the actor read; return how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
