"""Reads of job placements and their follow-along supports."""

from __future__ import annotations

import uuid

from django.db.models import F, Prefetch, QuerySet

from polku.clients.models import Client
from polku.core.models import Membership
from polku.ips.models import FollowAlongSupport, JobPlacement
from polku.ips.selectors.common import of_client, visible


def placements_visible_to(viewer: Membership) -> QuerySet[JobPlacement]:
    """Job placements `viewer` may read (employment data). Not logged."""
    return visible(JobPlacement, viewer)


def supports_visible_to(viewer: Membership) -> QuerySet[FollowAlongSupport]:
    """Follow-along supports `viewer` may read (employment data). Not logged."""
    return visible(FollowAlongSupport, viewer)


def client_placements(viewer: Membership, client: Client) -> QuerySet[JobPlacement]:
    """`client`'s placements that `viewer` may read, current jobs first, then newest; each with
    the supports `viewer` may read in `shown_supports`, newest first. Not logged."""
    supports = (
        of_client(FollowAlongSupport, viewer, client)
        .select_related("specialist__user")
        .order_by("-date", "-created_at")
    )
    return (
        of_client(JobPlacement, viewer, client)
        .select_related("employer", "specialist__user", "recorded_by")
        .prefetch_related(Prefetch("supports", queryset=supports, to_attr="shown_supports"))
        .order_by(F("end_date").asc(nulls_first=True), "-start_date", "-created_at")
    )


def placement_get(
    viewer: Membership, client: Client, placement_id: uuid.UUID | str
) -> JobPlacement:
    """One of `client`'s placements that `viewer` may read; JobPlacement.DoesNotExist otherwise
    (invisible and missing answer alike)."""
    return client_placements(viewer, client).select_related("client").get(pk=placement_id)
