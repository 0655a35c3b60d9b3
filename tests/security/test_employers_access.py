"""The employer register under the access policy: role × action, for pages and the API.

Restated here from docs/access-policy.md and issue 5, independently of polku.core.roles: the
register is shared by the network. Everyone who works with clients reads it, and so do the
programme manager and the evaluator (read-only); employment specialists and employer liaisons of
any organisation write it and record employer contacts; organisation admins and auditors have
no business with it. The dashboard's programme figures are for those who run, supervise and do
the IPS work.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from polku.core.models import AccessLogEntry, Membership
from polku.employers.models import Employer, EmployerInteraction, Vacancy
from tests.factories import EmployerFactory, MembershipFactory, OrganisationFactory, VacancyFactory
from tests.plans.test_encounters_api import _api

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]

READERS = {
    "coordinator",
    "employment_specialist",
    "social_worker",
    "health_professional",
    "benefits_counsellor",
    "employer_liaison",
    "programme_manager",
    "evaluator",
}
WRITERS = {"employment_specialist", "employer_liaison"}
DASHBOARD = {
    "coordinator",
    "employment_specialist",
    "employer_liaison",
    "programme_manager",
    "evaluator",
}
ROLES = sorted(READERS | {"organisation_admin", "auditor"})


def expected(allowed: bool, success: int) -> int:
    return success if allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(role: str, login: Login) -> None:
    # Another organisation's employer: the register is shared.
    employer = EmployerFactory(registered_by=OrganisationFactory())
    vacancy = VacancyFactory(employer=employer)
    viewer = MembershipFactory(role=role)
    http = login(viewer)
    reads = {
        "/employers/": 200,
        f"/employers/{employer.pk}/": 200,
        "/employers/vacancies/": 200,
        f"/employers/vacancies/{vacancy.pk}/": 200,
        "/employers/contacts/": 200,
    }
    for url, success in reads.items():
        assert http.get(url).status_code == expected(role in READERS, success), url
    assert http.get("/employers/dashboard/").status_code == expected(role in DASHBOARD, 200)
    forms = [
        "/employers/new/",
        f"/employers/{employer.pk}/edit/",
        f"/employers/{employer.pk}/contacts/new/",
        "/employers/contacts/new/",
        f"/employers/{employer.pk}/vacancies/new/",
        f"/employers/vacancies/{vacancy.pk}/edit/",
        f"/employers/{employer.pk}/services/new/",
        "/employers/import/",
    ]
    for url in forms:
        assert http.get(url).status_code == expected(role in WRITERS, 200), url

    today = str(timezone.localdate())
    response = http.post("/employers/new/", {"name": "Uusi Oy", "country": "FI"})
    assert response.status_code == expected(role in WRITERS, 302)
    response = http.post(
        f"/employers/{employer.pk}/contacts/new/",
        {"date": today, "kind": "visit", "purpose": "job_development"},
    )
    assert response.status_code == expected(role in WRITERS, 302)
    response = http.post(
        f"/employers/vacancies/{vacancy.pk}/edit/",
        {
            "title": "Changed",
            "isco_code": "522",
            "working_time": "either",
            "positions": "1",
            "status": "open",
        },
    )
    assert response.status_code == expected(role in WRITERS, 302)
    written = role in WRITERS
    assert Employer.objects.filter(name="Uusi Oy").exists() is written
    assert EmployerInteraction.objects.filter(specialist=viewer).exists() is written
    assert Vacancy.objects.filter(title="Changed").exists() is written
    assert AccessLogEntry.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_the_api_by_role(role: str) -> None:
    employer = EmployerFactory(registered_by=OrganisationFactory())
    vacancy = VacancyFactory(employer=employer)
    viewer: Membership = MembershipFactory(role=role)
    api = _api(viewer)
    for url in (
        "/api/v1/employers/",
        f"/api/v1/employers/{employer.pk}/",
        "/api/v1/vacancies/",
        f"/api/v1/vacancies/{vacancy.pk}/",
        "/api/v1/employer-contacts/",
        "/api/v1/employer-agreements/",
        "/api/v1/employer-workplaces/",
        "/api/v1/employer-people/",
    ):
        assert api.get(url).status_code == expected(role in READERS, 200), url
    writes = [
        ("/api/v1/employers/", {"name": "API Oy"}),
        (
            "/api/v1/employer-contacts/",
            {"employer": str(employer.pk), "date": str(timezone.localdate())},
        ),
        ("/api/v1/vacancies/", {"employer": str(employer.pk), "title": "T", "isco_code": "522"}),
        (
            "/api/v1/employer-agreements/",
            {"employer": str(employer.pk), "kind": "training", "start_date": "2026-01-01"},
        ),
        ("/api/v1/employer-workplaces/", {"employer": str(employer.pk), "municipality": "Espoo"}),
        ("/api/v1/employer-people/", {"employer": str(employer.pk), "name": "P"}),
    ]
    for url, body in writes:
        response = api.post(url, body, format="json")
        assert response.status_code == expected(role in WRITERS, 201), (url, response.content)
    response = api.patch(f"/api/v1/vacancies/{vacancy.pk}/", {"title": "Patched"}, format="json")
    assert response.status_code == expected(role in WRITERS, 200)
    assert Vacancy.objects.filter(title="Patched").exists() is (role in WRITERS)
    assert Employer.objects.filter(name="API Oy").exists() is (role in WRITERS)
