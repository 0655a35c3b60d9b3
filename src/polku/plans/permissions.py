"""Who may write what in the plans app. Reads are decided by core.access in the selectors.

Writes need more than a read, as in `clients`: a professional adds records about a client only
when their organisation registered the client or they are on the care team, and only in data
categories their role may read at all — a social worker cannot write a health assessment.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from polku.clients.models import Client
from polku.clients.services import can_manage_team, can_work_on, key_worker
from polku.core import access, roles
from polku.core.models import Membership

__all__ = [
    "can_manage_plan",
    "can_work_on",
    "can_write_category",
    "require",
]


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def can_write_category(actor: Membership, client: Client, category: str) -> bool:
    """May record data of `category` about `client`."""
    return access.role_permits(actor, category) and can_work_on(actor, client)


def can_manage_plan(actor: Membership, client: Client) -> bool:
    """May create, agree and close the shared plan: the key worker, a coordinator of the
    registering organisation, or — while the client has no key worker — anyone who may manage
    the care team."""
    if not can_work_on(actor, client):
        return False
    current = key_worker(client)
    if current is not None and current.membership_id == actor.pk:
        return True
    if actor.role in roles.ORG_WIDE_ROLES and actor.organisation_id == client.recorded_by_id:
        return True
    return current is None and can_manage_team(actor, client)
