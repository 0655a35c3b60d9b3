"""The evaluation API: each area's module registers its own routes."""

from rest_framework.routers import DefaultRouter

from polku.evaluation.api import comparison, esf, outcomes, savings, survival


def register(router: DefaultRouter) -> None:
    outcomes.register(router)
    esf.register(router)
    survival.register(router)
    comparison.register(router)
    savings.register(router)
