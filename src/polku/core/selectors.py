"""Reads of the kernel's own records: staff lists and the logs auditors read.

Auditors see the logs of their own organisation: reads and changes made by its staff, and reads
of the clients it registered, whoever made them. Clients appear by their pseudonymous
reference only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.apps import apps
from django.db.models import Q, QuerySet

from polku.core.models import AccessLogEntry, Membership, SecurityEvent


def memberships_of(admin: Membership) -> QuerySet[Membership]:
    """Every membership (current and ended) of the admin's organisation."""
    return (
        Membership.objects.filter(organisation=admin.organisation_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )


def _staff_user_ids(organisation_id: int) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(organisation=organisation_id).values("user")


def _client_model() -> Any:
    # The kernel reads client references without importing the clients app (imports go down).
    return apps.get_model("clients", "Client")


def access_log_for_auditor(
    auditor: Membership,
    *,
    client_reference: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AccessLogEntry]:
    org = auditor.organisation_id
    own_clients = _client_model().objects.filter(recorded_by=org).values("pk")
    qs = AccessLogEntry.objects.filter(Q(organisation=org) | Q(client_id__in=own_clients))
    if client_reference:
        ids = _client_model().objects.filter(reference=client_reference).values("pk")
        qs = qs.filter(client_id__in=ids)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("user", "organisation").order_by("-seq")


def client_references(client_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Pseudonymous references for the given client ids (for display in the logs)."""
    rows = _client_model().objects.filter(pk__in=set(client_ids)).values_list("pk", "reference")
    return dict(rows)


def changes_for_auditor(auditor: Membership) -> QuerySet[LogEntry]:
    entries: QuerySet[LogEntry] = (
        LogEntry.objects.filter(actor__in=_staff_user_ids(auditor.organisation_id))
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
    return entries


def security_events_for_auditor(auditor: Membership) -> QuerySet[SecurityEvent]:
    events: QuerySet[SecurityEvent] = (
        SecurityEvent.objects.filter(user__in=_staff_user_ids(auditor.organisation_id))
        .select_related("user", "membership__organisation")
        .order_by("-at")
    )
    return events
