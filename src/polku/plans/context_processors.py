"""Template context for every page: how many unread notifications the acting member has."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from polku.plans.selectors.notifications import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications`: a count for the header link, or None without a membership."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"unread_notifications": None}
    return {"unread_notifications": unread_count(membership)}
