"""Shared by the plans selectors: scoping per-row-category records and logging what a page shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from django.db.models import Model, QuerySet

from polku.core import access, access_log
from polku.core.categories import Purpose
from polku.core.models import AccessAction, Membership

M = TypeVar("M", bound=Model)


class _ClientRecord(Protocol):
    client_id: Any
    category: str


def scoped(
    queryset: QuerySet[M], viewer: Membership, *, purpose: str = Purpose.SERVICE, few: bool = False
) -> QuerySet[M]:
    """Rows of a per-row-category model (with `client` and `category`) that `viewer` may read."""
    return access.scope_by_row_category(queryset, viewer, purpose=purpose, few=few)


def log_rows(
    viewer: Membership,
    rows: Iterable[_ClientRecord],
    *,
    purpose: str = Purpose.SERVICE,
    action: str = AccessAction.VIEW,
) -> None:
    """Record the reads a page made: one (client, category) per distinct pair shown."""
    pairs = {(row.client_id, row.category) for row in rows}
    if pairs:
        access_log.record(viewer, sorted(pairs, key=str), purpose=purpose, action=action)
