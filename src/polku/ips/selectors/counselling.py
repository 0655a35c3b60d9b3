"""Reads of benefits counselling records: benefits data, a category of its own.

An employment specialist reads them like any benefits data; an employer liaison or a health
professional never does, whatever the organisation or consent (their roles do not read benefits
data), and another organisation only by a consent that shares benefits data.
"""

from __future__ import annotations

from django.db.models import QuerySet

from polku.clients.models import Client
from polku.core.models import Membership
from polku.ips.models import BenefitsCounselling
from polku.ips.selectors.common import of_client, visible


def counselling_visible_to(viewer: Membership) -> QuerySet[BenefitsCounselling]:
    """Benefits counselling records `viewer` may read (benefits data). Not logged."""
    return visible(BenefitsCounselling, viewer)


def client_counselling(viewer: Membership, client: Client) -> QuerySet[BenefitsCounselling]:
    """`client`'s counselling records that `viewer` may read, newest first. Not logged."""
    return (
        of_client(BenefitsCounselling, viewer, client)
        .select_related("counsellor__user", "counsellor__organisation")
        .order_by("-date", "-created_at")
    )
