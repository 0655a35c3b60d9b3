"""API: comparison (being built)."""

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    del router
