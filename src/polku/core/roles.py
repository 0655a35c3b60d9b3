"""Staff roles and what each may read.

The table below is the policy's first half: a role may read a category at all only if it is
listed here. Whether it may read a particular client's record is then decided by
`polku.core.access` (organisation, care team, consent).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.core.categories import SENSITIVE_CATEGORIES, DataCategory

C = DataCategory


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    EMPLOYMENT_SPECIALIST = "employment_specialist", _("Employment specialist (IPS coach)")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    HEALTH_PROFESSIONAL = "health_professional", _("Health professional")
    BENEFITS_COUNSELLOR = "benefits_counsellor", _("Benefits counsellor")
    EMPLOYER_LIAISON = "employer_liaison", _("Employer liaison")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    EVALUATOR = "evaluator", _("Evaluator")
    ORGANISATION_ADMIN = "organisation_admin", _("Organisation admin")
    AUDITOR = "auditor", _("Auditor")


_BASIC = frozenset({C.IDENTITY, C.CONTACT, C.EMPLOYMENT})

ROLE_CATEGORIES: dict[str, frozenset[str]] = {
    # The key worker holds the whole plan; health and social data still need consent across
    # organisations (access.py).
    Role.COORDINATOR: frozenset(DataCategory.values),
    Role.EMPLOYMENT_SPECIALIST: _BASIC | {C.EDUCATION, C.BENEFITS},
    Role.SOCIAL_WORKER: _BASIC | {C.EDUCATION, C.BENEFITS, C.SOCIAL},
    Role.HEALTH_PROFESSIONAL: _BASIC | {C.HEALTH},
    Role.BENEFITS_COUNSELLOR: _BASIC | {C.BENEFITS},
    Role.EMPLOYER_LIAISON: _BASIC | {C.EDUCATION},
    # Programme managers and evaluators see aggregates and pseudonymised rows only; organisation
    # admins manage staff; auditors read the logs. None of them reads identifiable client data.
    Role.PROGRAMME_MANAGER: frozenset(),
    Role.EVALUATOR: frozenset(),
    Role.ORGANISATION_ADMIN: frozenset(),
    Role.AUDITOR: frozenset(),
}

# Roles that see every client their organisation recorded, not only those whose care team they
# are on: coordinators triage new clients and appoint key workers.
ORG_WIDE_ROLES = frozenset({Role.COORDINATOR})

# Roles that work with clients at all (may be on a care team, see the caseload).
CLIENT_WORK_ROLES = frozenset(role for role, cats in ROLE_CATEGORIES.items() if cats)


# The employer register is shared by the whole network (employers/models.py): everyone who
# works with clients reads it, and programme staff see its aggregates; liaisons and employment
# specialists keep it up to date and record their employer contacts.
EMPLOYER_WORK_ROLES = frozenset({Role.EMPLOYMENT_SPECIALIST, Role.EMPLOYER_LIAISON})
EMPLOYER_REGISTER_ROLES = CLIENT_WORK_ROLES | {Role.PROGRAMME_MANAGER, Role.EVALUATOR}

# IPS programme figures (caseloads, fidelity indicators, outcomes) are aggregates; the people
# who run and supervise the service see them. Programme managers and evaluators review fidelity.
IPS_PROGRAMME_ROLES = frozenset(
    {
        Role.PROGRAMME_MANAGER,
        Role.EVALUATOR,
        Role.EMPLOYMENT_SPECIALIST,
        Role.COORDINATOR,
        Role.EMPLOYER_LIAISON,
    }
)
FIDELITY_REVIEWER_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.EVALUATOR})


def categories_for(role: str) -> frozenset[str]:
    return ROLE_CATEGORIES.get(role, frozenset())


def default_mfa_roles() -> frozenset[str]:
    """Roles whose policy lets them read health or social data, and organisation admins, who
    can give such roles to anyone."""
    sensitive = {role for role, cats in ROLE_CATEGORIES.items() if cats & SENSITIVE_CATEGORIES}
    return frozenset(sensitive | {Role.ORGANISATION_ADMIN})


def mfa_required_roles() -> frozenset[str]:
    """The roles that must use TOTP, from POLKU_MFA_REQUIRED_ROLES ("default", "none" or a list)."""
    configured = list(settings.POLKU_MFA_REQUIRED_ROLES)
    if configured == ["none"]:
        return frozenset()
    roles: set[str] = set()
    for item in configured:
        if item == "default":
            roles |= default_mfa_roles()
        elif item in Role.values:
            roles.add(item)
    return frozenset(roles)
