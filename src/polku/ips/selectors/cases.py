"""Reads of IPS cases: a client's cases, the open one, and the episodes a case may belong to."""

from __future__ import annotations

import uuid

from django.db.models import F, QuerySet

from polku.clients.models import Client, Episode
from polku.clients.selectors import episodes_visible_to
from polku.core.models import Membership
from polku.ips.models import IpsCase
from polku.ips.selectors.common import of_client, visible


def cases_visible_to(viewer: Membership) -> QuerySet[IpsCase]:
    """IPS cases `viewer` may read (employment data). Not logged."""
    return visible(IpsCase, viewer)


def client_cases(viewer: Membership, client: Client) -> QuerySet[IpsCase]:
    """`client`'s IPS cases that `viewer` may read, the open one first, then newest. Not logged."""
    return (
        of_client(IpsCase, viewer, client)
        .select_related("specialist__user", "specialist__organisation", "episode__programme")
        .order_by(F("end_date").asc(nulls_first=True), "-start_date")
    )


def open_case(viewer: Membership, client: Client) -> IpsCase | None:
    """`client`'s open IPS case if `viewer` may read it."""
    return client_cases(viewer, client).filter(end_date__isnull=True).first()


def case_get(viewer: Membership, client: Client, case_id: uuid.UUID | str) -> IpsCase:
    """One of `client`'s cases that `viewer` may read; IpsCase.DoesNotExist otherwise."""
    return client_cases(viewer, client).get(pk=case_id)


def open_episodes(viewer: Membership, client: Client) -> QuerySet[Episode]:
    """`client`'s open programme episodes that `viewer` may read: what a case can belong to."""
    return (
        episodes_visible_to(viewer, few=True)
        .filter(client=client, end_date__isnull=True)
        .select_related("programme")
        .order_by("-start_date")
    )
