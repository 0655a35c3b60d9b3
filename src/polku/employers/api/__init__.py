"""The employers app's REST endpoints: the register (employers, their workplaces and people),
employer contacts, vacancies and employer services.

Not client data: every membership whose role may read the register reads all of it, and
nothing goes to the read-access log; employment specialists and employer liaisons write
(permissions.py). Writes go through the same services as the pages.
"""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from polku.employers.api import contacts, register_api, vacancies


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    register_api.register(router)
    contacts.register(router)
    vacancies.register(router)
