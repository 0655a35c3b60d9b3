"""Reads of job search plans and activities, and the first face-to-face employer contact."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from polku.clients.models import Client
from polku.core.models import Membership
from polku.ips.models import FACE_TO_FACE_KINDS, JobSearchActivity, JobSearchPlan
from polku.ips.selectors.common import of_client, visible


def plans_visible_to(viewer: Membership) -> QuerySet[JobSearchPlan]:
    """Job search plans `viewer` may read (employment data). Not logged."""
    return visible(JobSearchPlan, viewer)


def activities_visible_to(viewer: Membership) -> QuerySet[JobSearchActivity]:
    """Job-search activities `viewer` may read (employment data). Not logged."""
    return visible(JobSearchActivity, viewer)


def client_plans(viewer: Membership, client: Client) -> QuerySet[JobSearchPlan]:
    """`client`'s job search plans that `viewer` may read, the current (newest) first."""
    return (
        of_client(JobSearchPlan, viewer, client)
        .select_related("created_by__user")
        .order_by("-agreed_on", "-created_at")
    )


def client_activities(viewer: Membership, client: Client) -> QuerySet[JobSearchActivity]:
    """`client`'s job-search activities that `viewer` may read, newest first. Not logged."""
    return (
        of_client(JobSearchActivity, viewer, client)
        .select_related("employer", "vacancy", "created_by__user")
        .order_by("-date", "-created_at")
    )


def first_face_to_face(
    viewer: Membership, client: Client, *, since: dt.date
) -> JobSearchActivity | None:
    """The client's first face-to-face contact with an employer on or after `since` (the entry),
    among the activities `viewer` may read (IPS-25 item 15)."""
    return (
        client_activities(viewer, client)
        .filter(kind__in=FACE_TO_FACE_KINDS, date__gte=since)
        .order_by("date", "created_at")
        .first()
    )
