"""The access policy: the one place that decides who may read which client data.

A membership (organisation × role) may read a record of a category for a purpose when

1. the membership is active and its role permits the category (`roles.ROLE_CATEGORIES`), and
2. either
   a. its organisation recorded the record, and the membership is on the client's care team or
      holds an organisation-wide role, or
   b. the client has a consent for that purpose that shares the category with the membership's
      organisation and is valid today and not withdrawn.

Everything else is denied (ARCHITECTURE.md, "Access policy"). Health and social data therefore
never cross an organisation's border without consent. The decision is computed live from the
consent and care-team tables, so a withdrawal or removal cuts access on the very next read.

Consents and care teams live in the `clients` app; they are resolved lazily through the app
registry so that `core` does not import upwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from polku.core import roles
from polku.core.models import Membership

if TYPE_CHECKING:
    from polku.clients.models import Client

M = TypeVar("M", bound=models.Model)

DENY_ALL = Q(pk__in=[])


def role_permits(viewer: Membership, category: str) -> bool:
    return category in roles.categories_for(viewer.role)


def works_with_clients(viewer: Membership) -> bool:
    return viewer.role in roles.CLIENT_WORK_ROLES


def _active_consents(
    viewer: Membership, *, category: str, purpose: str, today: dt.date
) -> QuerySet[Any]:
    """Consents valid today that share `category` with the viewer's organisation."""
    consent = apps.get_model("clients", "Consent")
    consents: QuerySet[Any] = (
        consent.objects.valid_on(today)
        .sharing(category=category, purpose=purpose)
        .filter(organisations=viewer.organisation_id)
    )
    return consents


def _team_memberships(viewer: Membership) -> QuerySet[Any]:
    """The viewer's current places on care teams."""
    member = apps.get_model("clients", "CareTeamMember")
    members: QuerySet[Any] = member.objects.filter(membership=viewer.pk, removed_at__isnull=True)
    return members


def readable(
    viewer: Membership,
    *,
    category: str,
    purpose: str,
    client_path: str = "pk",
    recorded_by_path: str = "recorded_by",
    today: dt.date | None = None,
    few: bool = False,
) -> Q:
    """A filter matching the records `viewer` may read.

    `client_path` leads from the filtered model to the client's primary key ("pk" for Client,
    "client" for records that belong to a client); `recorded_by_path` to the organisation that
    recorded the record. The consent and team conditions are `IN (subquery)` rather than
    correlated EXISTS, so PostgreSQL hashes each subquery once instead of running it per row
    (bench/: 100 000 clients). With `few`, for a handful of rows already narrowed otherwise (one
    page's prefetch), they are correlated EXISTS instead: a few index lookups beat hashing every
    consent of the organisation. Both forms are the same rule (tests/core/test_access.py).
    """
    if not viewer.is_active() or not role_permits(viewer, category):
        return DENY_ALL
    today = today or timezone.localdate()
    consented = _active_consents(viewer, category=category, purpose=purpose, today=today)
    if few:
        client_ref = OuterRef(client_path)
        own = Q(**{recorded_by_path: viewer.organisation_id})
        if viewer.role not in roles.ORG_WIDE_ROLES:
            own &= Q(Exists(_team_memberships(viewer).filter(client=client_ref)))
        return own | Q(Exists(consented.filter(client=client_ref)))
    own = own_organisation(viewer, client_path=client_path, recorded_by_path=recorded_by_path)
    return own | Q(**{f"{client_path}__in": consented.values("client_id")})


def own_organisation(
    viewer: Membership, *, client_path: str = "pk", recorded_by_path: str = "recorded_by"
) -> Q:
    """Rule 2a alone: records of the viewer's organisation, of clients on whose care team the
    viewer is (every client, for an organisation-wide role). Role and category not checked."""
    own = Q(**{recorded_by_path: viewer.organisation_id})
    if viewer.role not in roles.ORG_WIDE_ROLES:
        own &= Q(**{f"{client_path}__in": _team_memberships(viewer).values("client_id")})
    return own


def scope(
    queryset: QuerySet[M],
    viewer: Membership,
    *,
    category: str,
    purpose: str,
    client_path: str = "pk",
    recorded_by_path: str = "recorded_by",
    few: bool = False,
) -> QuerySet[M]:
    """Narrow `queryset` to what `viewer` may read. Deny by default."""
    return queryset.filter(
        readable(
            viewer,
            category=category,
            purpose=purpose,
            client_path=client_path,
            recorded_by_path=recorded_by_path,
            few=few,
        )
    )


def readable_by_row_category(
    viewer: Membership,
    *,
    purpose: str,
    client_path: str = "client",
    recorded_by_path: str = "recorded_by",
    category_field: str = "category",
    few: bool = False,
) -> Q:
    """Like `readable`, for records whose category is a column of their own (an assessment
    entry, a goal, a referral): each row is judged by its own category's rule."""
    condition = DENY_ALL
    for category in sorted(roles.categories_for(viewer.role)):
        condition |= Q(**{category_field: category}) & readable(
            viewer,
            category=category,
            purpose=purpose,
            client_path=client_path,
            recorded_by_path=recorded_by_path,
            few=few,
        )
    return condition


def scope_by_row_category(
    queryset: QuerySet[M],
    viewer: Membership,
    *,
    purpose: str,
    client_path: str = "client",
    recorded_by_path: str = "recorded_by",
    category_field: str = "category",
    few: bool = False,
) -> QuerySet[M]:
    """Narrow `queryset` of per-row-category records to what `viewer` may read."""
    if not viewer.is_active():
        return queryset.none()
    return queryset.filter(
        readable_by_row_category(
            viewer,
            purpose=purpose,
            client_path=client_path,
            recorded_by_path=recorded_by_path,
            category_field=category_field,
            few=few,
        )
    )


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # "role", "inactive", "own_organisation", "consent", "no_basis"

    def __bool__(self) -> bool:
        return self.allowed


def decide(
    viewer: Membership,
    client: Client,
    *,
    category: str,
    purpose: str,
    recorded_by_id: int | None = None,
) -> Decision:
    """Decide one read of `client`'s data of `category`, recorded by `recorded_by_id`.

    `recorded_by_id` defaults to the organisation that registered the client. The reason says
    which rule decided, so a refusal can tell the user what is missing.
    """
    if not viewer.is_active():
        return Decision(allowed=False, reason="inactive")
    if not role_permits(viewer, category):
        return Decision(allowed=False, reason="role")
    today = timezone.localdate()
    recorded_by_id = client.recorded_by_id if recorded_by_id is None else recorded_by_id
    if recorded_by_id == viewer.organisation_id and (
        viewer.role in roles.ORG_WIDE_ROLES
        or _team_memberships(viewer).filter(client=client.pk).exists()
    ):
        return Decision(allowed=True, reason="own_organisation")
    consents = _active_consents(viewer, category=category, purpose=purpose, today=today)
    if consents.filter(client=client.pk).exists():
        return Decision(allowed=True, reason="consent")
    return Decision(allowed=False, reason="no_basis")


def can_read(
    viewer: Membership,
    client: Client,
    *,
    category: str,
    purpose: str,
    recorded_by_id: int | None = None,
) -> bool:
    return decide(
        viewer, client, category=category, purpose=purpose, recorded_by_id=recorded_by_id
    ).allowed
