"""Shared by the employers API modules: who may read and write, the acting membership, and
filters read through a filter set but applied by the selectors."""

from __future__ import annotations

from typing import Any

import django_filters
from django_filters.utils import translate_validation
from rest_framework import permissions
from rest_framework.request import Request

from polku.core.api_auth import acting_membership
from polku.core.models import Membership
from polku.employers.permissions import can_read, can_write


class RegisterAccess(permissions.BasePermission):
    """Reads for the roles that read the register; writes for those who keep it (403 else)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        viewer = acting_membership(request)
        if request.method in permissions.SAFE_METHODS:
            return can_read(viewer)
        return can_write(viewer)


def viewer(request: Request) -> Membership:
    membership = acting_membership(request)
    assert membership is not None  # HasActiveMembership ran first
    return membership


def filter_values(
    filterset_class: type[django_filters.FilterSet], request: Request
) -> dict[str, Any]:
    """The query's filter values, checked (400 for a bad one)."""
    filterset = filterset_class(
        request.query_params, queryset=filterset_class._meta.model._default_manager.none()
    )
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return dict(filterset.form.cleaned_data)
