"""The plans app's REST endpoints, one module per area; each registers its own viewsets."""

from rest_framework.routers import BaseRouter

from polku.plans.api import (
    assessments,
    catalogue,
    encounters,
    notifications,
    referrals,
    shared_plan,
    timeline,
)


def register(router: BaseRouter) -> None:
    for area in (
        assessments,
        shared_plan,
        catalogue,
        referrals,
        encounters,
        timeline,
        notifications,
    ):
        area.register(router)
