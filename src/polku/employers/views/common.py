"""What every page of the employer area needs: which of its tabs the viewer sees."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from polku.core.decorators import acting_membership
from polku.employers.permissions import can_see_dashboard, can_write


def area(request: HttpRequest, current: str = "") -> dict[str, Any]:
    """Context for the area's tab bar (`current` is the tab of a top-level page, else "")."""
    viewer = acting_membership(request)
    return {
        "area": current,
        "can_write": can_write(viewer),
        "can_see_dashboard": can_see_dashboard(viewer),
    }
