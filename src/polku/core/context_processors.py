"""Template context every page needs: the acting membership, the choices, the CSP nonce."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from polku.core import roles


def polku(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    role = membership.role if membership else None
    return {
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "works_with_clients": role in roles.CLIENT_WORK_ROLES,
        "is_auditor": role == roles.Role.AUDITOR,
        "is_org_admin": role == roles.Role.ORGANISATION_ADMIN,
        "sees_aggregates": role in {roles.Role.PROGRAMME_MANAGER, roles.Role.EVALUATOR},
        "sees_employers": role in roles.EMPLOYER_REGISTER_ROLES,
        "does_ips_work": role == roles.Role.EMPLOYMENT_SPECIALIST,
        "sees_ips_programme": role in roles.IPS_PROGRAMME_ROLES,
        # The evaluation pages (aggregates only) are for programme managers and evaluators
        # (polku.evaluation.cohort.EVALUATION_ROLES).
        "sees_evaluation": role in {roles.Role.PROGRAMME_MANAGER, roles.Role.EVALUATOR},
    }
