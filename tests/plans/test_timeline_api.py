"""GET /api/v1/timeline/: filters, paging, problem documents, the log, and its OpenAPI entry."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from rest_framework.test import APIClient

from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from tests.factories import MembershipFactory
from tests.plans.test_encounters_api import _api
from tests.plans.test_timeline_selectors import World, full_history, make_world

pytestmark = pytest.mark.django_db
C = DataCategory
URL = "/api/v1/timeline/"


@pytest.fixture
def world() -> World:
    """The city, the clinic and their client (test_timeline_selectors.make_world)."""
    return make_world()


def _logged(membership: Membership) -> list[tuple[str, str, str]]:
    return sorted(
        (e.category, e.purpose, e.action)
        for e in AccessLogEntry.objects.filter(membership=membership)
    )


def _get(api: APIClient, world: World, **params: Any) -> Any:
    return api.get(URL, {"client": str(world.client.pk), **params})


def test_a_page_of_the_timeline(world: World) -> None:
    full_history(world)
    api = _api(world.coordinator)
    response = _get(api, world)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["next"], body["previous"]) == (None, None)
    assert len(body["results"]) == 14
    first = body["results"][0]
    assert set(first) == {
        "at",
        "all_day",
        "date",
        "type",
        "event",
        "title",
        "category",
        "organisation",
        "organisation_name",
        "record_id",
        "link",
    }
    assert (first["type"], first["event"], first["category"]) == ("encounter", "held", C.HEALTH)
    assert first["organisation"] == world.clinic.pk
    assert first["title"] == "Meeting: Attended, 30 min"
    # The API carries no name: it logs the categories of the items, not the identity.
    assert _logged(world.coordinator) == [
        (C.EMPLOYMENT, Purpose.SERVICE, "api"),
        (C.HEALTH, Purpose.SERVICE, "api"),
    ]


def test_filters_by_type_and_organisation(world: World) -> None:
    full_history(world)
    api = _api(world.coordinator)
    body = _get(api, world, type=["encounter", "referral"]).json()
    assert [(r["type"], r["category"]) for r in body["results"]] == [
        ("encounter", C.HEALTH),
        ("encounter", C.EMPLOYMENT),
        ("referral", C.HEALTH),
    ]
    body = _get(api, world, organisation=world.clinic.pk, type="assessment").json()
    assert [(r["event"], r["organisation"]) for r in body["results"]] == [
        ("entry", world.clinic.pk)
    ]


def test_pages_link_to_each_other(world: World) -> None:
    for day in range(5):
        world.history.encounter(world.city, days=day + 1)
    api = _api(world.coordinator)
    first = _get(api, world, page_size=2).json()
    assert len(first["results"]) == 2
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    assert "page=2" in first["next"]
    assert len(second["results"]) == 2
    third = api.get(second["next"]).json()
    assert len(third["results"]) == 1
    assert third["next"] is None
    back = api.get(second["previous"]).json()
    assert back["results"] == first["results"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"client": "not-a-uuid"}, "client"),
        ({"type": "gossip"}, "type"),
        ({"organisation": "x"}, "organisation"),
        ({"page": "0"}, "page"),
        ({"page": "100000"}, "page"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_invalid_parameters_are_problems(world: World, params: dict[str, str], field: str) -> None:
    response = _get(_api(world.coordinator), world, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {field}


def test_a_client_is_required_and_an_invisible_one_is_not_found(world: World) -> None:
    api = _api(world.coordinator)
    response = api.get(URL)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"client"}
    stranger = MembershipFactory(role=Role.COORDINATOR)
    response = _get(_api(stranger), world)
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert _logged(stranger) == []


def test_the_schema_documents_the_timeline(client: HttpClient) -> None:
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/timeline/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) >= {"client", "type", "organisation", "page", "page_size"}
    assert parameters["client"]["required"] is True
    assert parameters["type"]["schema"]["type"] == "array"
    assert set(schema["paths"]) >= {"/api/v1/encounters/", "/api/v1/encounters/{id}/"}
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/PaginatedTimelineList"}
