"""Reads of in-app notifications, and their text, built when shown.

A notification stores no text and no personal data. What it says is built here from its kind
and its linked record — the service's name, dates — never the client's name or an action's
title, so the list itself shows nothing personal and writes nothing to the read-access log;
the linked page applies the access policy and logs as always.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polku.core.models import Membership
from polku.plans.models import Notification, NotificationKind, ReferralStatus
from polku.plans.selectors.referrals import due_on

K = NotificationKind


def notifications_of(viewer: Membership) -> QuerySet[Notification]:
    """`viewer`'s own notifications, unread first, newest first."""
    return (
        Notification.objects.filter(recipient=viewer)
        .select_related("referral__service", "action")
        .order_by("read_at", "-created_at", "-pk")
    )


def unread_count(viewer: Membership) -> int:
    return Notification.objects.filter(recipient=viewer, read_at__isnull=True).count()


@dataclass(frozen=True)
class Shown:
    """A notification as shown: its text and where it leads (empty if nowhere)."""

    notification: Notification
    text: str
    url: str


def _short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def describe(notification: Notification) -> Shown:
    """The text and link of `notification`, in the active language."""
    referral, action = notification.referral, notification.action
    text, url = str(notification.get_kind_display()), ""
    if referral is not None:
        service = str(referral.service.name)
        url = reverse("plans:referral_detail", kwargs={"referral_id": referral.pk})
        if notification.kind == K.REFERRAL_RECEIVED:
            text = _("New referral to %(service)s, sent %(date)s.") % {
                "service": service,
                "date": _short(referral.sent_at),
            }
        elif notification.kind == K.REFERRAL_ANSWERED:
            text = _("Your referral to %(service)s: %(status)s.") % {
                "service": service,
                "status": ReferralStatus(referral.status).label,
            }
        elif notification.kind == K.REFERRAL_OVERDUE:
            text = _("A referral to %(service)s has had no first contact; it was due %(date)s.") % {
                "service": service,
                "date": _short(due_on(referral.sent_at, referral.expected_response_days)),
            }
    elif action is not None:
        url = reverse("plans:plan", kwargs={"client_id": action.client_id})
        due = _short(action.due_date) if action.due_date else ""
        if notification.kind == K.ACTION_OVERDUE:
            text = _("An action you are responsible for was due %(date)s.") % {"date": due}
        else:
            text = _("An action you are responsible for is due %(date)s.") % {"date": due}
    return Shown(notification=notification, text=text, url=url)
