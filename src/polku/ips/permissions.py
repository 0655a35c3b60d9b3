"""Who may write what about a client in the IPS app. Reads are decided by core.access in the
selectors.

As in `plans`: a professional records IPS data about a client only when they may work on the
client (their organisation registered the client and they are on the care team or a coordinator,
or they are on the care team by the client's consent), and only in a data category their role may
read. IPS records are employment data, except benefits counselling, which is benefits data: an
employer liaison records placements but never benefits counselling.

Recording time is the specialist's own business: an employment specialist records their own
time entries and sees only their own.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from polku.clients.models import Client
from polku.clients.services import can_manage_team, can_work_on
from polku.core import access, roles
from polku.core.categories import DataCategory
from polku.core.models import Membership

__all__ = [
    "can_manage_team",
    "can_record_time",
    "can_work_on",
    "can_write",
    "does_ips_work",
    "require",
    "sees_ips_programme",
]


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def can_write(actor: Membership, client: Client, category: str = DataCategory.EMPLOYMENT) -> bool:
    """May record IPS data of `category` about `client`."""
    return actor.is_active() and access.role_permits(actor, category) and can_work_on(actor, client)


def does_ips_work(actor: Membership) -> bool:
    """Carries an IPS caseload: an active employment specialist."""
    return actor.role == roles.Role.EMPLOYMENT_SPECIALIST and actor.is_active()


def can_record_time(actor: Membership) -> bool:
    """Records their own time entries (items 2 and 24 of the fidelity scale)."""
    return does_ips_work(actor)


def sees_ips_programme(actor: Membership) -> bool:
    """Sees the programme's aggregate figures: caseloads per specialist, no client rows."""
    return actor.role in roles.IPS_PROGRAMME_ROLES and actor.is_active()
