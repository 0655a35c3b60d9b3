"""Reads of encounters: a client's encounters, one encounter, and the log of what a page shows.

An encounter is readable as its own category (`selectors.common.scoped`): a meeting about
mental health is health data, so it reaches another organisation only through the client's
consent, and never a role that may not read health data. Encounters are read for the service
the client receives, of clients whose identity the viewer may read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import QuerySet

from polku.clients.models import Client
from polku.clients.selectors import clients_visible_to
from polku.core import access_log
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, Membership
from polku.plans.models import Encounter
from polku.plans.selectors.common import scoped

C = DataCategory


def encounters_visible_to(viewer: Membership, *, few: bool = False) -> QuerySet[Encounter]:
    """Encounters `viewer` may read, each by its own category, of clients whose identity
    `viewer` may read. Not logged (`few`: see access.readable)."""
    return scoped(Encounter.objects.all(), viewer, purpose=Purpose.SERVICE, few=few).filter(
        client__in=clients_visible_to(viewer).values("pk")
    )


def with_details(qs: QuerySet[Encounter]) -> QuerySet[Encounter]:
    """What a row shows: who recorded it, who and which organisations were present."""
    return qs.select_related("recorded_by", "created_by__user").prefetch_related(
        "organisations", "participants__user", "participants__organisation"
    )


def client_encounters(viewer: Membership, client: Client) -> QuerySet[Encounter]:
    """`client`'s encounters that `viewer` may read, newest first. Not logged."""
    return with_details(
        scoped(Encounter.objects.filter(client=client), viewer, few=True).order_by(
            "-started_at", "-pk"
        )
    )


def encounter_get(viewer: Membership, client: Client, encounter_id: uuid.UUID | str) -> Encounter:
    """One of `client`'s encounters that `viewer` may read; Encounter.DoesNotExist otherwise
    (invisible and missing answer alike). Not logged: the page logs what it shows."""
    return client_encounters(viewer, client).select_related("client").get(pk=encounter_id)


def log_encounters(
    viewer: Membership,
    client: Client,
    encounters: Iterable[Encounter],
    *,
    action: str = AccessAction.VIEW,
) -> None:
    """Record what a page about `client` shows: the identity (the page carries the name) and
    the category of each encounter shown, in one insert."""
    reads = [(client.pk, C.IDENTITY)] + [(e.client_id, e.category) for e in encounters]
    access_log.record(viewer, reads, purpose=Purpose.SERVICE, action=action)
