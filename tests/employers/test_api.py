"""The employers API: the register, workplaces and people, employer contacts, vacancies and
services; problem documents for refusals; nothing in the read-access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.employers.models import (
    Employer,
    EmployerInteraction,
    EmployerLocation,
    EmployerPerson,
    Vacancy,
)
from tests.factories import (
    EmployerFactory,
    EmployerInteractionFactory,
    JobPlacementFactory,
    MembershipFactory,
    VacancyFactory,
)
from tests.plans.test_encounters_api import _api

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
PROBLEM = "application/problem+json"


@pytest.fixture
def liaison() -> Membership:
    return MembershipFactory(role=Role.EMPLOYER_LIAISON)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    return body


def test_employers_are_registered_read_and_changed(liaison: Membership) -> None:
    api = _api(liaison)
    created = ok(
        api.post(
            "/api/v1/employers/",
            {"name": "Kauppa Oy", "business_id": "112038-9", "industry": "G"},
            format="json",
        ),
        201,
    )
    assert (created["business_id"], created["country"], created["is_active"]) == (
        "0112038-9",
        "FI",
        True,
    )
    assert (
        created["industry_label"]
        == "G – Wholesale and retail trade; repair of motor vehicles and motorcycles"
    )
    assert created["registered_by"] == liaison.organisation_id
    duplicate = problem(
        api.post("/api/v1/employers/", {"name": "X", "business_id": "0112038-9"}, format="json"),
        400,
    )
    assert duplicate["errors"] == {
        "business_id": ["This Business ID is already in the register: Kauppa Oy."]
    }
    changed = ok(
        api.patch(f"/api/v1/employers/{created['id']}/", {"size_class": "small"}, format="json")
    )
    assert (changed["name"], changed["size_class"], changed["industry"]) == (
        "Kauppa Oy",
        "small",
        "G",
    )
    wrong = problem(
        api.patch(
            f"/api/v1/employers/{created['id']}/", {"business_id": "0112038-8"}, format="json"
        ),
        400,
    )
    assert list(wrong["errors"]) == ["business_id"]
    assert Employer.objects.get().business_id == "0112038-9"
    assert AccessLogEntry.objects.count() == 0


def test_the_employer_list_filters_and_nests_workplaces_and_people(liaison: Membership) -> None:
    shop = EmployerFactory(name="Kauppa Oy", business_id="0112038-9", industry="G")
    EmployerLocation.objects.create(employer=shop, municipality="Espoo")
    EmployerPerson.objects.create(employer=shop, name="Maija", is_primary=True)
    JobPlacementFactory(employer=shop)
    EmployerFactory(name="Osuuskunta", industry="N", is_social_enterprise=True)
    EmployerFactory(name="Suljettu Oy", is_active=False)
    api = _api(MembershipFactory(role=Role.EVALUATOR))

    def names(**params: str) -> list[str]:
        return [row["name"] for row in ok(api.get("/api/v1/employers/", params))["results"]]

    assert names() == ["Kauppa Oy", "Osuuskunta", "Suljettu Oy"]
    assert names(search="0112038-9") == ["Kauppa Oy"]
    assert names(industry="N") == ["Osuuskunta"]
    assert names(social_enterprise="true") == ["Osuuskunta"]
    assert names(active="false") == ["Suljettu Oy"]
    assert names(municipality="Espoo") == ["Kauppa Oy"]
    row = ok(api.get("/api/v1/employers/", {"search": "kauppa"}))["results"][0]
    assert [w["municipality"] for w in row["workplaces"]] == ["Espoo"]
    assert [p["name"] for p in row["people"]] == ["Maija"]
    assert row["placement_count"] == "<5"  # one placement: suppressed (core.disclosure)
    assert problem(api.get("/api/v1/employers/", {"active": "maybe"}), 400)["errors"]
    # An evaluator reads but does not write.
    assert problem(api.post("/api/v1/employers/", {"name": "X"}, format="json"), 403)


@pytest.mark.parametrize(
    ("placements", "shown"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (7, "7")]
)
def test_an_employers_placement_count_is_suppressed_from_1_to_4(
    placements: int, shown: str
) -> None:
    """Every register reader, programme staff included, reads the count: one placement at a
    small employer would tell them where a programme client works."""
    shop = EmployerFactory(name="Kauppa Oy")
    for _ in range(placements):
        JobPlacementFactory(employer=shop)
    api = _api(MembershipFactory(role=Role.PROGRAMME_MANAGER))
    assert ok(api.get(f"/api/v1/employers/{shop.pk}/"))["placement_count"] == shown
    assert ok(api.get("/api/v1/employers/"))["results"][0]["placement_count"] == shown


def test_the_schema_documents_the_placement_count_as_a_string_and_warns_about_outcomes() -> None:
    api = _api(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST))
    schema = ok(api.get("/api/v1/schema/", {"format": "json"}))["components"]["schemas"]
    placement_count = schema["Employer"]["properties"]["placement_count"]
    assert placement_count["type"] == "string"
    assert '"<5" for 1 to 4' in placement_count["description"]
    warning = "Do not name the client or give their health or personal details"
    assert warning in schema["Interaction"]["properties"]["outcome"]["description"]
    assert warning in schema["InteractionInputRequest"]["properties"]["outcome"]["description"]


def test_workplaces_and_people_have_their_own_endpoints(liaison: Membership) -> None:
    employer = EmployerFactory()
    api = _api(liaison)
    place = ok(
        api.post(
            "/api/v1/employer-workplaces/",
            {"employer": str(employer.pk), "municipality": "Helsinki", "postal_code": "00100"},
            format="json",
        ),
        201,
    )
    moved = ok(
        api.patch(
            f"/api/v1/employer-workplaces/{place['id']}/",
            {"street_address": "Aleksi 1"},
            format="json",
        )
    )
    assert (moved["street_address"], moved["postal_code"]) == ("Aleksi 1", "00100")
    bad = problem(
        api.post(
            "/api/v1/employer-workplaces/",
            {"employer": str(employer.pk), "municipality": "Helsinki", "postal_code": "1"},
            format="json",
        ),
        400,
    )
    assert list(bad["errors"]) == ["postal_code"]
    person = ok(
        api.post(
            "/api/v1/employer-people/",
            {"employer": str(employer.pk), "name": "Pekka", "is_primary": True},
            format="json",
        ),
        201,
    )
    ok(api.patch(f"/api/v1/employer-people/{person['id']}/", {"title": "Boss"}, format="json"))
    assert EmployerPerson.objects.get().title == "Boss"
    listed = ok(api.get("/api/v1/employer-people/", {"employer": str(employer.pk)}))
    assert [p["name"] for p in listed["results"]] == ["Pekka"]


def test_employer_contacts_are_the_token_holders_own(liaison: Membership) -> None:
    employer = EmployerFactory()
    boss = EmployerPerson.objects.create(employer=employer, name="Boss")
    api = _api(liaison)
    contact = ok(
        api.post(
            "/api/v1/employer-contacts/",
            {"employer": str(employer.pk), "date": str(TODAY()), "person": boss.pk},
            format="json",
        ),
        201,
    )
    assert (contact["kind"], contact["purpose"], contact["specialist"]) == (
        "visit",
        "job_development",
        liaison.pk,
    )
    assert contact["organisation"] == liaison.organisation_id
    future = problem(
        api.post(
            "/api/v1/employer-contacts/",
            {"employer": str(employer.pk), "date": str(TODAY() + dt.timedelta(days=1))},
            format="json",
        ),
        400,
    )
    assert future["errors"] == {"date": ["The date cannot be in the future."]}
    assert EmployerInteraction.objects.count() == 1
    EmployerInteractionFactory(date=TODAY() - dt.timedelta(days=30))

    def count(**params: str) -> int:
        return int(ok(api.get("/api/v1/employer-contacts/", params))["count"])

    assert count() == 2
    assert count(specialist=str(liaison.pk)) == 1
    assert count(employer=str(employer.pk)) == 1
    assert count(date_from=str(TODAY() - dt.timedelta(days=7))) == 1
    assert count(date_to=str(TODAY() - dt.timedelta(days=7))) == 1
    coordinator = _api(MembershipFactory(role=Role.COORDINATOR))
    assert count() == 2
    refused = coordinator.post(
        "/api/v1/employer-contacts/",
        {"employer": str(employer.pk), "date": str(TODAY())},
        format="json",
    )
    assert problem(refused, 403)["title"] == "Not allowed"


def test_vacancies_are_added_filtered_and_changed(liaison: Membership) -> None:
    employer = EmployerFactory()
    place = EmployerLocation.objects.create(employer=employer, municipality="Vantaa")
    api = _api(liaison)
    vacancy = ok(
        api.post(
            "/api/v1/vacancies/",
            {
                "employer": str(employer.pk),
                "title": "Varastotyöntekijä",
                "isco_code": "933",
                "languages": ["fi", "EN"],
                "hours_per_week": "30",
                "location": place.pk,
                "deadline": str(TODAY() + dt.timedelta(days=10)),
            },
            format="json",
        ),
        201,
    )
    assert (vacancy["languages"], vacancy["status"], vacancy["hours_per_week"]) == (
        ["fi", "en"],
        "open",
        "30.0",
    )
    assert vacancy["occupation"].startswith("933 – ")
    elsewhere = EmployerLocation.objects.create(employer=EmployerFactory(), municipality="Espoo")
    bad = problem(
        api.post(
            "/api/v1/vacancies/",
            {
                "employer": str(employer.pk),
                "title": "X",
                "isco_code": "99",
                "location": elsewhere.pk,
            },
            format="json",
        ),
        400,
    )
    assert set(bad["errors"]) == {"isco_code", "location"}
    VacancyFactory(title="Kassa", isco_code="523", deadline=TODAY() - dt.timedelta(days=1))
    VacancyFactory(title="Vanha", isco_code="933", status="closed")

    def titles(**params: str) -> list[str]:
        return sorted(row["title"] for row in ok(api.get("/api/v1/vacancies/", params))["results"])

    assert titles() == ["Kassa", "Varastotyöntekijä"]
    assert titles(open_on=str(TODAY())) == ["Varastotyöntekijä"]
    assert titles(status="all") == ["Kassa", "Vanha", "Varastotyöntekijä"]
    assert titles(status="all", isco="93") == ["Vanha", "Varastotyöntekijä"]
    assert titles(employer=str(employer.pk)) == ["Varastotyöntekijä"]
    assert problem(api.get("/api/v1/vacancies/", {"isco": "5x"}), 400)["errors"]
    changed = ok(
        api.patch(f"/api/v1/vacancies/{vacancy['id']}/", {"status": "filled"}, format="json")
    )
    assert (changed["status"], changed["title"], changed["location"]) == (
        "filled",
        "Varastotyöntekijä",
        place.pk,
    )
    assert Vacancy.objects.filter(status="filled").count() == 1


def test_employer_services_are_recorded_and_listed(liaison: Membership) -> None:
    employer = EmployerFactory()
    api = _api(liaison)
    agreement = ok(
        api.post(
            "/api/v1/employer-agreements/",
            {"employer": str(employer.pk), "kind": "recruitment_help", "start_date": "2026-01-01"},
            format="json",
        ),
        201,
    )
    assert (agreement["agreed_by"], agreement["end_date"]) == (liaison.pk, None)
    bad = problem(
        api.post(
            "/api/v1/employer-agreements/",
            {
                "employer": str(employer.pk),
                "kind": "recruitment_help",
                "start_date": "2026-01-01",
                "end_date": "2025-12-31",
            },
            format="json",
        ),
        400,
    )
    assert list(bad["errors"]) == ["end_date"]
    listed = ok(api.get("/api/v1/employer-agreements/", {"employer": str(employer.pk)}))
    assert listed["count"] == 1
    assert (
        ok(api.get(f"/api/v1/employer-agreements/{agreement['id']}/"))["kind"] == "recruitment_help"
    )


def test_no_one_outside_the_register_reads_it() -> None:
    employer = EmployerFactory()
    for role in (Role.AUDITOR, Role.ORGANISATION_ADMIN):
        api = _api(MembershipFactory(role=role))
        for url in (
            "/api/v1/employers/",
            f"/api/v1/employers/{employer.pk}/",
            "/api/v1/vacancies/",
            "/api/v1/employer-contacts/",
            "/api/v1/employer-agreements/",
            "/api/v1/employer-workplaces/",
            "/api/v1/employer-people/",
        ):
            assert problem(api.get(url), 403)["status"] == 403
    assert APIClient().get("/api/v1/employers/").status_code == 401
