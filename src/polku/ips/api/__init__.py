"""The IPS app's API: each area's module registers its own routes."""

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    del router
