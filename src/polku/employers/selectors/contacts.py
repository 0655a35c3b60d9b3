"""Reads of employer contacts (EmployerInteraction) and the register's agreements."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import QuerySet

from polku.core.models import Membership
from polku.employers.models import EmployerAgreement, EmployerInteraction
from polku.employers.permissions import can_read


def interactions_visible_to(
    viewer: Membership | None,
    *,
    employer: uuid.UUID | None = None,
    specialist: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kind: str = "",
    purpose: str = "",
) -> QuerySet[EmployerInteraction]:
    """Employer contacts, newest first, optionally of one employer, one specialist
    (membership id) or within dates (both inclusive)."""
    if not can_read(viewer):
        return EmployerInteraction.objects.none()
    qs = EmployerInteraction.objects.select_related(
        "employer", "specialist__user", "organisation", "person"
    )
    if employer is not None:
        qs = qs.filter(employer_id=employer)
    if specialist is not None:
        qs = qs.filter(specialist_id=specialist)
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    if kind:
        qs = qs.filter(kind=kind)
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs.order_by("-date", "-created_at", "pk")


def interaction_get(
    viewer: Membership | None, interaction_id: uuid.UUID | str
) -> EmployerInteraction:
    if not can_read(viewer):
        raise EmployerInteraction.DoesNotExist
    return interactions_visible_to(viewer).get(pk=interaction_id)


def agreements_visible_to(
    viewer: Membership | None, *, employer: uuid.UUID | None = None, kind: str = ""
) -> QuerySet[EmployerAgreement]:
    """Services agreed with employers, latest start first."""
    if not can_read(viewer):
        return EmployerAgreement.objects.none()
    qs = EmployerAgreement.objects.select_related("employer", "organisation", "agreed_by__user")
    if employer is not None:
        qs = qs.filter(employer_id=employer)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-start_date", "-created_at", "pk")
