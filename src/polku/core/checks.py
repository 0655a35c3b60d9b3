"""System checks for settings a typo would silently weaken."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from polku.core.roles import Role


@register()
def check_mfa_roles(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    allowed = {"default", "none", *Role.values}
    unknown = [r for r in settings.POLKU_MFA_REQUIRED_ROLES if r not in allowed]
    if unknown:
        return [
            Error(
                f"POLKU_MFA_REQUIRED_ROLES has unknown roles: {', '.join(unknown)}",
                hint=f"Use 'default', 'none' or role names: {', '.join(Role.values)}.",
                id="polku.E001",
            )
        ]
    return []
