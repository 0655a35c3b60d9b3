"""The employers app's API (placeholder until the endpoints land)."""

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    del router
