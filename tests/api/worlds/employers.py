"""The schema test's records and operations for the employers API (tests/api/test_schema.py).

The token acts as a coordinator, who reads the register but does not write it: generated
writes meet the documented 403, and reads of real records the documented 200.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from polku.employers.models import (
    EmployerAgreement,
    EmployerInteraction,
    EmployerLocation,
    EmployerPerson,
)
from tests import factories

# "METHOD /api/v1/path/" of every operation this part of the API publishes.
OPERATIONS: set[str] = {
    "GET /api/v1/employers/",
    "POST /api/v1/employers/",
    "GET /api/v1/employers/{id}/",
    "PATCH /api/v1/employers/{id}/",
    "GET /api/v1/employer-workplaces/",
    "POST /api/v1/employer-workplaces/",
    "GET /api/v1/employer-workplaces/{id}/",
    "PATCH /api/v1/employer-workplaces/{id}/",
    "GET /api/v1/employer-people/",
    "POST /api/v1/employer-people/",
    "GET /api/v1/employer-people/{id}/",
    "PATCH /api/v1/employer-people/{id}/",
    "GET /api/v1/employer-contacts/",
    "POST /api/v1/employer-contacts/",
    "GET /api/v1/employer-contacts/{id}/",
    "GET /api/v1/employer-agreements/",
    "POST /api/v1/employer-agreements/",
    "GET /api/v1/employer-agreements/{id}/",
    "GET /api/v1/vacancies/",
    "POST /api/v1/vacancies/",
    "GET /api/v1/vacancies/{id}/",
    "PATCH /api/v1/vacancies/{id}/",
}


def build(base: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Records for generated requests to name: (path ids by resource, body values by field).

    `base` holds the shared world: org_a, org_b, coordinator (the token's membership, A),
    specialist (A, on the client's care team), partner (B), programme, client (A's, with an
    open episode), episode.
    """
    today = timezone.localdate()
    employer = factories.EmployerFactory(
        name="Kauppa Oy", business_id="0112038-9", registered_by=base["org_b"]
    )
    swedish = factories.EmployerFactory(
        name="Bygg AB", country="SE", business_id="556036-0793", registered_by=base["org_a"]
    )
    workplace = EmployerLocation.objects.create(
        employer=employer, name="Myymälä", postal_code="00100", municipality="Helsinki"
    )
    person = EmployerPerson.objects.create(employer=employer, name="Maija Mallikas")
    contact = EmployerInteraction.objects.create(
        employer=employer,
        date=today - dt.timedelta(days=2),
        kind="visit",
        purpose="job_development",
        specialist=base["specialist"],
        organisation=base["org_a"],
        person=person,
    )
    vacancy = factories.VacancyFactory(employer=employer, location=workplace, languages=["fi"])
    agreement = EmployerAgreement.objects.create(
        employer=employer,
        kind="recruitment_help",
        start_date=today,
        organisation=base["org_a"],
        agreed_by=base["specialist"],
    )
    employers = [str(employer.pk), str(swedish.pk)]
    return (
        {
            "employers": employers,
            "employer-workplaces": [workplace.pk],
            "employer-people": [person.pk],
            "employer-contacts": [str(contact.pk)],
            "employer-agreements": [str(agreement.pk)],
            "vacancies": [str(vacancy.pk)],
        },
        {
            "employer": employers,
            "person": [person.pk, None],
            "location": [workplace.pk, None],
            "business_id": ["0112038-9", "7654321-2", ""],
            "isco_code": ["522", "91"],
            "languages": [["fi", "sv"], []],
            "date": [str(today)],
            "deadline": [str(today), None],
        },
    )
