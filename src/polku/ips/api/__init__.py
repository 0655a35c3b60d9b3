"""The IPS app's API: each area's module registers its own routes."""

from rest_framework.routers import DefaultRouter

from polku.ips.api import client, fidelity, outcomes


def register(router: DefaultRouter) -> None:
    client.register(router)
    outcomes.register(router)
    fidelity.register(router)
