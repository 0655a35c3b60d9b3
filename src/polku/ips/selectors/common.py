"""Shared by the IPS selectors: scoping a client record model and logging what a page shows.

Every IPS client record (`PersonalDataModel`) is read as its model's `record_category`:
employment data, except benefits counselling (benefits data). A row is readable when the policy
lets the viewer read that category of the row's client as recorded by the row's organisation
(`core.access`), and only of clients whose identity the viewer may read, since every page or
response names the client.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from django.db.models import QuerySet

from polku.clients.models import Client
from polku.clients.selectors import clients_visible_to
from polku.core import access, access_log
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, Membership, PersonalDataModel

R = TypeVar("R", bound=PersonalDataModel)
C = DataCategory


class ClientRecord(Protocol):
    """A row of client data: whose, and of which category."""

    @property
    def client_id(self) -> Any: ...

    @property
    def record_category(self) -> str: ...


def visible(model: type[R], viewer: Membership, *, few: bool = False) -> QuerySet[R]:
    """Rows of `model` that `viewer` may read, of clients whose identity `viewer` may read.
    Not logged (`few`: see access.readable)."""
    return access.scope(
        model._default_manager.all(),
        viewer,
        category=model.record_category,
        purpose=Purpose.SERVICE,
        client_path="client",
        few=few,
    ).filter(client__in=clients_visible_to(viewer).values("pk"))


def of_client(model: type[R], viewer: Membership, client: Client) -> QuerySet[R]:
    """`client`'s rows of `model` that `viewer` may read. Not logged."""
    return access.scope(
        model._default_manager.filter(client=client),
        viewer,
        category=model.record_category,
        purpose=Purpose.SERVICE,
        client_path="client",
        few=True,
    )


def may_read(viewer: Membership, model: type[PersonalDataModel]) -> bool:
    """Whether `viewer`'s role may read `model`'s category at all (the section is shown)."""
    return access.role_permits(viewer, model.record_category)


def log_rows(
    viewer: Membership,
    rows: Iterable[ClientRecord],
    *,
    action: str = AccessAction.VIEW,
    identity_of: Iterable[Any] = (),
) -> None:
    """Record the reads a page or response made, in one insert: one (client, category) per
    distinct pair among `rows`, and the identity of the clients `identity_of` names."""
    reads: list[tuple[Any, str]] = [(client_id, C.IDENTITY) for client_id in identity_of]
    reads += [(row.client_id, row.record_category) for row in rows]
    if reads:
        access_log.record(viewer, reads, purpose=Purpose.SERVICE, action=action)
