"""REST endpoints: assessments."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Add this area's viewsets to the API router."""
