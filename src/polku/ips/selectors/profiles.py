"""Reads of career profiles: every version is kept, the newest is current."""

from __future__ import annotations

from django.db.models import QuerySet

from polku.clients.models import Client
from polku.core.models import Membership
from polku.ips.models import CareerProfile
from polku.ips.selectors.common import of_client, visible


def profiles_visible_to(viewer: Membership) -> QuerySet[CareerProfile]:
    """Career profile versions `viewer` may read (employment data). Not logged."""
    return visible(CareerProfile, viewer)


def client_profiles(viewer: Membership, client: Client) -> QuerySet[CareerProfile]:
    """`client`'s profile versions that `viewer` may read, newest first. Not logged."""
    return (
        of_client(CareerProfile, viewer, client)
        .select_related("created_by__user", "recorded_by")
        .order_by("-created_at", "-pk")
    )
