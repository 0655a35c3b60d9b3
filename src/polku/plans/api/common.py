"""Shared by the plans API modules: the acting membership, logging what a response carries,
and the client field every write names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.request import Request

from polku.clients.models import Client
from polku.clients.selectors import clients_visible_to
from polku.core import access_log
from polku.core.api_auth import acting_membership
from polku.core.categories import Purpose
from polku.core.models import AccessAction, Membership


def viewer(request: Request) -> Membership:
    membership = acting_membership(request)
    assert membership is not None  # HasActiveMembership ran first
    return membership


def log_reads(request: Request, reads: Iterable[tuple[Any, str]]) -> None:
    """Record the (client, category) pairs a response carries, read for the service."""
    access_log.record(viewer(request), reads, purpose=Purpose.SERVICE, action=AccessAction.API)


class VisibleClientField(serializers.PrimaryKeyRelatedField[Client]):
    """A client the acting membership may identify; others do not exist."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=serializers.UUIDField(), **kwargs)

    def get_queryset(self) -> QuerySet[Client]:
        return clients_visible_to(viewer(self.context["request"]))
