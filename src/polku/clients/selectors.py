"""Every read of client data: scoped by `core.access`, recorded in the read-access log.

Selectors that return rows for display write the log themselves (one insert per page), so a
view cannot show client data without leaving a trace. Querysets returned unlogged are for
counting and for the API, which logs the page it actually sends.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from polku.clients.models import CareTeamMember, Client, Consent, Episode
from polku.core import access, access_log, crypto, roles
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, Membership
from polku.core.validators import IdentityCodeType, parse_identity_code

C = DataCategory


@dataclass(frozen=True)
class ClientFilters:
    search: str = ""
    programme: int | None = None
    organisation: int | None = None
    status: str = ""  # "active": has an open episode; "ended": has episodes, none open; "none"


def _identity_code_digest(text: str) -> str | None:
    """The digest of `text` if it is a valid identity code of any supported type."""
    for code_type in IdentityCodeType.values:
        try:
            return crypto.digest(parse_identity_code(text, code_type=code_type).value)
        except ValidationError:
            continue
    return None


def _search(qs: QuerySet[Client], text: str) -> QuerySet[Client]:
    text = text.strip()
    if not text:
        return qs
    digest = _identity_code_digest(text)
    if digest is not None:
        return qs.filter(identity_code_digest=digest)
    condition = Q(reference=text.upper())
    name_match = Q()
    for word in text.lower().split()[:4]:
        name_match &= Q(first_lower__contains=word) | Q(last_lower__contains=word)
    # Lower() on both sides rather than icontains: SQLite's LIKE ignores case for ASCII only.
    return qs.annotate(first_lower=Lower("first_name"), last_lower=Lower("last_name")).filter(
        condition | name_match
    )


def clients_visible_to(
    viewer: Membership, *, purpose: str = Purpose.SERVICE, filters: ClientFilters | None = None
) -> QuerySet[Client]:
    """Clients whose identity `viewer` may read, filtered and ordered by name. Not logged."""
    filters = filters or ClientFilters()
    qs = access.scope(Client.objects.all(), viewer, category=C.IDENTITY, purpose=purpose)
    qs = _search(qs, filters.search)
    # Episode filters look only at episodes the viewer may read: filtering by a programme
    # must not reveal who takes part in it (the employment category).
    episodes = episodes_visible_to(viewer, purpose=purpose)
    if filters.programme:
        qs = qs.filter(pk__in=episodes.filter(programme=filters.programme).values("client_id"))
    if filters.organisation:
        qs = qs.filter(
            pk__in=episodes.filter(organisation=filters.organisation).values("client_id")
        )
    open_ids = episodes.filter(end_date__isnull=True).values("client_id")
    if filters.status == "active":
        qs = qs.filter(pk__in=open_ids)
    elif filters.status == "ended":
        qs = qs.filter(pk__in=episodes.values("client_id")).exclude(pk__in=open_ids)
    elif filters.status == "none":
        qs = qs.exclude(pk__in=episodes.values("client_id"))
    return qs.select_related("municipality").order_by("last_name", "first_name", "pk")


def caseload_of(viewer: Membership) -> QuerySet[Client]:
    """Clients on whose care team `viewer` is, and whose identity `viewer` may read."""
    on_team = CareTeamMember.objects.filter(
        client=OuterRef("pk"), membership=viewer, removed_at__isnull=True
    )
    return (
        clients_visible_to(viewer)
        .filter(Exists(on_team))
        .annotate(is_key_worker=Exists(on_team.filter(is_key_worker=True)))
    )


def key_clients_of(viewer: Membership) -> QuerySet[Client]:
    """Clients whose key worker `viewer` is, and whose identity `viewer` may read."""
    key_worker = CareTeamMember.objects.filter(
        client=OuterRef("pk"), membership=viewer, removed_at__isnull=True, is_key_worker=True
    )
    return clients_visible_to(viewer).filter(Exists(key_worker))


def with_list_details(qs: QuerySet[Client], viewer: Membership) -> QuerySet[Client]:
    """Prefetch what a list row shows: the open episodes `viewer` may read, and the key worker.

    `log_list` records the employment read for the rows that show an episode.
    """
    return qs.prefetch_related(
        Prefetch(
            "episodes",
            queryset=episodes_visible_to(viewer, few=True)
            .filter(end_date__isnull=True)
            .select_related("programme"),
            to_attr="open_episodes",
        ),
        Prefetch(
            "care_team",
            queryset=CareTeamMember.objects.filter(
                removed_at__isnull=True, is_key_worker=True
            ).select_related("membership__user", "membership__organisation"),
            to_attr="key_workers",
        ),
    )


def log_list(
    viewer: Membership,
    clients: Sequence[Client],
    *,
    purpose: str = Purpose.SERVICE,
    action: str = AccessAction.LIST,
) -> None:
    """Record what the rows a page or export actually shows: each client's identity, and the
    employment category where a row shows programme episodes (`with_list_details`)."""
    reads = [(c.pk, C.IDENTITY) for c in clients]
    reads += [(c.pk, C.EMPLOYMENT) for c in clients if getattr(c, "open_episodes", None)]
    access_log.record(viewer, reads, purpose=purpose, action=action)


def log_view(
    viewer: Membership, client: Client, *categories: str, purpose: str = Purpose.SERVICE
) -> None:
    """Record that a page showed `client`'s data of these categories (identity by default)."""
    access_log.record(
        viewer,
        [(client.pk, category) for category in (categories or (C.IDENTITY,))],
        purpose=purpose,
        action=AccessAction.VIEW,
    )


def client_get(
    viewer: Membership, client_id: uuid.UUID | str, *, purpose: str = Purpose.SERVICE
) -> Client:
    """The client, if `viewer` may read their identity; Client.DoesNotExist otherwise.

    Invisible and nonexistent clients answer alike, so probing ids reveals nothing. Not logged:
    callers that show data use `client_detail`.
    """
    return clients_visible_to(viewer, purpose=purpose).get(pk=client_id)


@dataclass
class ClientDetail:
    """What one viewer may see of one client; None marks a section they may not read."""

    client: Client
    contact_visible: bool
    episodes: list[Episode] | None
    consents: list[Consent]
    care_team: list[CareTeamMember]
    logged_categories: list[str] = field(default_factory=list)


def episodes_visible_to(
    viewer: Membership, *, purpose: str = Purpose.SERVICE, few: bool = False
) -> QuerySet[Episode]:
    """Episodes `viewer` may read (`few`: see access.readable)."""
    return access.scope(
        Episode.objects.all(),
        viewer,
        category=C.EMPLOYMENT,
        purpose=purpose,
        client_path="client",
        few=few,
    )


def consents_visible_to(viewer: Membership) -> QuerySet[Consent]:
    """Consents of clients `viewer` may identify: all of them for the registering organisation's
    people responsible for the client; otherwise only those that name the viewer's organisation.

    A consent says with whom the client shares what (with health care, say): an organisation
    that reads the client by consent learns only about its own.
    """
    clients = clients_visible_to(viewer).values("pk")
    own = access.own_organisation(
        viewer, client_path="client", recorded_by_path="client__recorded_by"
    )
    return Consent.objects.filter(client__in=clients).filter(
        own | Q(pk__in=Consent.objects.filter(organisations=viewer.organisation_id).values("pk"))
    )


def consents_of(client: Client, viewer: Membership) -> QuerySet[Consent]:
    return (
        consents_visible_to(viewer)
        .filter(client=client)
        .select_related("recorded_by", "created_by__user", "withdrawn_by__user")
        .prefetch_related("organisations", "scopes")
        .order_by("-valid_from", "-created_at")
    )


def care_team_of(client: Client) -> QuerySet[CareTeamMember]:
    return (
        CareTeamMember.objects.filter(client=client, removed_at__isnull=True)
        .select_related("membership__user", "membership__organisation")
        .order_by("-is_key_worker", "added_at")
    )


def client_detail(
    viewer: Membership,
    client_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.SERVICE,
    action: str = AccessAction.VIEW,
) -> ClientDetail:
    """Everything `viewer` may see of a client, logged in one insert per category shown.

    Identity, the consents and the care team are read with the identity category; contact
    details and episodes only where the policy allows their own category.
    """
    client = client_get(viewer, client_id, purpose=purpose)
    contact_visible = access.can_read(viewer, client, category=C.CONTACT, purpose=purpose)
    episodes: list[Episode] | None = None
    if access.role_permits(viewer, C.EMPLOYMENT):
        episodes = list(
            episodes_visible_to(viewer, purpose=purpose)
            .filter(client=client)
            .select_related("programme", "organisation")
            .order_by("-start_date")
        )
    categories: list[str] = [C.IDENTITY]
    if contact_visible:
        categories.append(C.CONTACT)
    if episodes:
        categories.append(C.EMPLOYMENT)
    access_log.record(
        viewer, ((client.pk, cat) for cat in categories), purpose=purpose, action=action
    )
    return ClientDetail(
        client=client,
        contact_visible=contact_visible,
        episodes=episodes,
        consents=list(consents_of(client, viewer)),
        care_team=list(care_team_of(client)),
        logged_categories=categories,
    )


def team_candidates(client: Client) -> QuerySet[Membership]:
    """Professionals who may join the client's care team: those of the registering organisation,
    and those of organisations the client shares identity data with by a consent in force today
    (services.care_team_add enforces the same rule)."""
    consented = (
        Consent.objects.filter(client=client)
        .valid_on(timezone.localdate())
        .sharing(category=C.IDENTITY, purpose=Purpose.SERVICE)
    )
    on_team = CareTeamMember.objects.filter(client=client, removed_at__isnull=True)
    return (
        Membership.objects.active()
        .filter(role__in=roles.CLIENT_WORK_ROLES)
        .filter(
            Q(organisation=client.recorded_by_id)
            | Q(organisation__in=consented.values("organisations"))
        )
        .exclude(pk__in=on_team.values("membership"))
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )
