"""Who may read and who may write the employer register.

The register is shared by the whole network (models.py): every role that works with clients
reads it, and so do programme staff; employment specialists and employer liaisons of any
organisation keep it up to date and record their employer contacts. Everyone else — an
organisation admin, an auditor — has no business with it and gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from polku.core import roles
from polku.core.models import Membership

READ_ROLES = roles.EMPLOYER_REGISTER_ROLES
WRITE_ROLES = roles.EMPLOYER_WORK_ROLES
# The dashboard shows IPS programme figures (hiring employers, specialists' contacts per week).
DASHBOARD_ROLES = roles.IPS_PROGRAMME_ROLES


def can_read(viewer: Membership | None) -> bool:
    """May read the register: employers, workplaces, people, contacts, vacancies, services."""
    return viewer is not None and viewer.role in READ_ROLES and viewer.is_active()


def can_write(actor: Membership | None) -> bool:
    """May add and change the register's records and record employer contacts."""
    return actor is not None and actor.role in WRITE_ROLES and actor.is_active()


def can_see_dashboard(viewer: Membership | None) -> bool:
    return viewer is not None and viewer.role in DASHBOARD_ROLES and viewer.is_active()


def require_write(actor: Membership | None) -> None:
    """Raise PermissionDenied unless `actor` may write the register."""
    if not can_write(actor):
        raise PermissionDenied
