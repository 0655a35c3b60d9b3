"""The joint assessment in the REST API: rounds (`/assessments/`) and domain entries
(`/assessment-entries/`), as a program holding a token uses them; problem documents; the
read-access log of every response."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.utils import is_mfa_enabled
from auditlog.models import LogEntry
from rest_framework.test import APIClient

from polku.clients.models import Client
from polku.core import roles
from polku.core import services as core_services
from polku.core.models import AccessLogEntry, Membership, Organisation
from polku.core.roles import Role
from polku.plans.models import Assessment, AssessmentStatus, DomainEntry
from polku.plans.services.assessments import assessment_complete, assessment_start, entry_save
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
    enable_totp,
)

pytestmark = pytest.mark.django_db
ROUNDS = "/api/v1/assessments/"
ENTRIES = "/api/v1/assessment-entries/"


def api_for(membership: Membership) -> APIClient:
    if membership.role in roles.mfa_required_roles() and not is_mfa_enabled(
        membership.user, ["totp"]
    ):
        enable_totp(membership.user)
    _token, key = core_services.api_token_create(actor=membership, name="integration")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def problem_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == status
    return body


def logged(membership: Membership) -> list[tuple[str, str, str]]:
    return [
        (str(c), category, action)
        for c, category, action in AccessLogEntry.objects.filter(membership=membership)
        .order_by("seq")
        .values_list("client_id", "category", "action")
    ]


def _on_team(organisation: Organisation, role: str, client: Client) -> Membership:
    membership = MembershipFactory(organisation=organisation, role=role)
    CareTeamMemberFactory(client=client, membership=membership)
    return membership


@pytest.fixture
def coordinator() -> Membership:
    return MembershipFactory(role=Role.COORDINATOR)


@pytest.fixture
def person(coordinator: Membership) -> Client:
    return ClientFactory(recorded_by=coordinator.organisation)


@pytest.fixture
def api(coordinator: Membership) -> APIClient:
    return api_for(coordinator)


def test_starting_a_round_answers_201_with_the_next_version(
    api: APIClient, coordinator: Membership, person: Client
) -> None:
    response = api.post(ROUNDS, {"client": str(person.pk)}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["version"], body["status"], body["entries"]) == (1, "open", [])
    assert body["recorded_by"] == coordinator.organisation_id
    assessment = Assessment.objects.get()
    assert LogEntry.objects.get_for_object(assessment).get().actor == coordinator.user
    assert logged(coordinator) == [(str(person.pk), "employment", "api")]


def test_a_second_open_round_is_a_400_problem_with_a_code(
    api: APIClient, coordinator: Membership, person: Client
) -> None:
    assessment_start(actor=coordinator, client=person)
    body = problem_of(api.post(ROUNDS, {"client": str(person.pk)}, format="json"), 400)
    assert body["code"] == "open_round_exists"
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "client"),
        ({"client": "not-a-uuid"}, "client"),
        ({"client": "00000000-0000-0000-0000-000000000000"}, "client"),
        ({"client": "{client}", "assessed_on": "2999-01-01"}, "assessed_on"),
        ({"client": "{client}", "assessed_on": 20250101}, "assessed_on"),
    ],
)
def test_invalid_starts_name_the_field(
    api: APIClient, person: Client, payload: dict[str, Any], field: str
) -> None:
    payload = {
        k: v.format(client=person.pk) if isinstance(v, str) else v for k, v in payload.items()
    }
    body = problem_of(api.post(ROUNDS, payload, format="json"), 400)
    assert list(body["errors"]) == [field]
    assert Assessment.objects.count() == 0


def test_a_form_encoded_body_is_refused(api: APIClient, person: Client) -> None:
    response = api.post(ROUNDS, {"client": str(person.pk)})
    assert problem_of(response, 415)["type"] == "urn:polku:problem:unsupported-media-type"


def test_rounds_are_listed_by_client_and_each_logged(
    api: APIClient, coordinator: Membership, person: Client
) -> None:
    other = ClientFactory(recorded_by=coordinator.organisation)
    first = assessment_start(actor=coordinator, client=person)
    entry_save(actor=coordinator, assessment=first, domain="work", need=1)
    assessment_complete(actor=coordinator, assessment=first)
    second = assessment_start(actor=coordinator, client=person)
    assessment_start(actor=coordinator, client=other)
    response = api.get(ROUNDS, {"client": str(person.pk)})
    assert [r["id"] for r in response.json()["results"]] == [str(second.pk), str(first.pk)]
    assert "entries" not in response.json()["results"][0]
    assert logged(coordinator) == [(str(person.pk), "employment", "api")]  # one row per pair
    open_only = api.get(ROUNDS, {"client": str(person.pk), "status": "open"}).json()
    assert [r["id"] for r in open_only["results"]] == [str(second.pk)]
    problem_of(api.get(ROUNDS, {"client": "nope"}), 400)


def test_a_round_in_detail_carries_only_the_entries_the_viewer_may_read(person: Client) -> None:
    coordinator = MembershipFactory(organisation=person.recorded_by, role=Role.COORDINATOR)
    clinic = OrganisationFactory()
    ConsentFactory(client=person, organisations=[clinic], categories=["identity", "employment"])
    nurse = _on_team(clinic, Role.HEALTH_PROFESSIONAL, person)
    assessment = assessment_start(actor=coordinator, client=person)
    entry_save(actor=coordinator, assessment=assessment, domain="work", need=2)
    entry_save(actor=coordinator, assessment=assessment, domain="mental_health", need=3)
    entry_save(actor=nurse, assessment=assessment, domain="physical_health", need=1)
    coordinator_view = api_for(coordinator).get(f"{ROUNDS}{assessment.pk}/").json()
    # The nurse's entry is the clinic's health data: no consent shares it with the city.
    assert [e["domain"] for e in coordinator_view["entries"]] == ["work", "mental_health"]
    nurse_view = api_for(nurse).get(f"{ROUNDS}{assessment.pk}/").json()
    assert [e["domain"] for e in nurse_view["entries"]] == ["work", "physical_health"]
    entry = nurse_view["entries"][1]
    assert entry["category"] == "health"
    assert entry["recorded_by"] == clinic.pk
    assert entry["created_by"] == nurse.pk
    assert entry["author"] == nurse.user.display_name()
    cid = str(person.pk)
    assert logged(nurse) == [(cid, "employment", "api"), (cid, "health", "api")]


def test_completing_through_the_api(
    api: APIClient, coordinator: Membership, person: Client
) -> None:
    assessment = assessment_start(actor=coordinator, client=person)
    empty = problem_of(api.post(f"{ROUNDS}{assessment.pk}/complete/"), 400)
    assert empty["errors"] == {
        "non_field_errors": ["Assess at least one life domain before completing."]
    }
    entry_save(actor=coordinator, assessment=assessment, domain="work", need=1)
    response = api.post(f"{ROUNDS}{assessment.pk}/complete/")
    assert response.status_code == 200
    assert response.json()["status"] == "completed"
    assert response.json()["completed_by"] == coordinator.pk
    problem_of(api.post(f"{ROUNDS}{assessment.pk}/complete/"), 400)


def test_an_invisible_round_answers_like_a_missing_one(
    coordinator: Membership, person: Client
) -> None:
    assessment = assessment_start(actor=coordinator, client=person)
    stranger = MembershipFactory(role=Role.COORDINATOR)
    api = api_for(stranger)
    missing = problem_of(api.get(f"{ROUNDS}00000000-0000-0000-0000-000000000000/"), 404)
    assert problem_of(api.get(f"{ROUNDS}{assessment.pk}/"), 404) == missing
    assert problem_of(api.post(f"{ROUNDS}{assessment.pk}/complete/"), 404) == missing
    assert api.get(ROUNDS, {"client": str(person.pk)}).json()["results"] == []
    assert logged(stranger) == []


def test_an_entry_is_created_then_corrected_by_posting_the_domain_again(
    api: APIClient, coordinator: Membership, person: Client
) -> None:
    assessment = assessment_start(actor=coordinator, client=person)
    payload = {"assessment": str(assessment.pk), "domain": "housing", "need": 2}
    created = api.post(ENTRIES, payload | {"barriers": "Arrears"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["category"] == "social"
    again = api.post(ENTRIES, payload | {"need": 3}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    assert DomainEntry.objects.values_list("need", "barriers").get() == (3, "")
    assert logged(coordinator) == [(str(person.pk), "social", "api")] * 2


def test_an_entry_is_corrected_with_patch_keeping_what_is_not_sent(
    api: APIClient, coordinator: Membership, person: Client
) -> None:
    assessment = assessment_start(actor=coordinator, client=person)
    entry = entry_save(
        actor=coordinator, assessment=assessment, domain="work", need=1, strengths="Punctual"
    )
    response = api.patch(f"{ENTRIES}{entry.pk}/", {"need": 0}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["need"], response.json()["strengths"]) == (0, "Punctual")
    assert problem_of(api.put(f"{ENTRIES}{entry.pk}/", {"need": 0}, format="json"), 405)


def test_entries_of_another_organisation_cannot_be_changed(
    coordinator: Membership, person: Client
) -> None:
    partner = OrganisationFactory()
    ConsentFactory(client=person, organisations=[partner], categories=["identity", "employment"])
    coach = _on_team(partner, Role.EMPLOYMENT_SPECIALIST, person)
    assessment = assessment_start(actor=coordinator, client=person)
    entry = entry_save(actor=coordinator, assessment=assessment, domain="work", need=1)
    api = api_for(coach)
    problem_of(api.patch(f"{ENTRIES}{entry.pk}/", {"need": 3}, format="json"), 403)
    body = problem_of(
        api.post(
            ENTRIES,
            {"assessment": str(assessment.pk), "domain": "work", "need": 3},
            format="json",
        ),
        400,
    )
    assert list(body["errors"]) == ["domain"]
    assert DomainEntry.objects.get().need == 1


def test_a_domain_outside_the_role_is_a_403_problem(
    coordinator: Membership, person: Client
) -> None:
    social_worker = _on_team(person.recorded_by, Role.SOCIAL_WORKER, person)
    assessment = assessment_start(actor=coordinator, client=person)
    response = api_for(social_worker).post(
        ENTRIES,
        {"assessment": str(assessment.pk), "domain": "mental_health", "need": 1},
        format="json",
    )
    problem_of(response, 403)
    assert DomainEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"need": 4}, "need"),
        ({"need": "2"}, "need"),  # the schema says a whole number
        ({"need": True}, "need"),
        ({"need": 3}, None),
        ({"domain": "astrology"}, "domain"),
        ({"notes": 5}, "notes"),
        ({"notes": "x" * 4001}, "notes"),
        ({"notes": "a\x00b"}, "notes"),
        ({"assessment": "00000000-0000-0000-0000-000000000000"}, "assessment"),
    ],
)
def test_invalid_entries_are_400_problems_naming_the_field(
    api: APIClient,
    coordinator: Membership,
    person: Client,
    change: dict[str, Any],
    field: str | None,
) -> None:
    assessment = assessment_start(actor=coordinator, client=person)
    payload = {"assessment": str(assessment.pk), "domain": "work", "need": 1} | change
    response = api.post(ENTRIES, payload, format="json")
    if field is None:
        assert response.status_code == 201
        return
    assert list(problem_of(response, 400)["errors"]) == [field]
    assert DomainEntry.objects.count() == 0


def test_entries_of_a_completed_round_are_frozen(
    api: APIClient, coordinator: Membership, person: Client
) -> None:
    assessment = assessment_start(actor=coordinator, client=person)
    entry = entry_save(actor=coordinator, assessment=assessment, domain="work", need=1)
    assessment_complete(actor=coordinator, assessment=assessment)
    body = problem_of(api.patch(f"{ENTRIES}{entry.pk}/", {"need": 3}, format="json"), 400)
    assert body["errors"] == {
        "non_field_errors": ["This assessment is completed and can no longer be changed."]
    }
    assert Assessment.objects.get().status == AssessmentStatus.COMPLETED


def test_entries_are_listed_by_client_assessment_and_domain_each_page_logged_once(
    api: APIClient, coordinator: Membership, person: Client
) -> None:
    assessment = assessment_start(actor=coordinator, client=person)
    for domain in ("work", "housing", "mental_health", "finances"):
        entry_save(actor=coordinator, assessment=assessment, domain=domain, need=1)
    other = ClientFactory(recorded_by=coordinator.organisation)
    entry_save(
        actor=coordinator,
        assessment=assessment_start(actor=coordinator, client=other),
        domain="work",
        need=2,
    )
    response = api.get(ENTRIES, {"client": str(person.pk)})
    assert [e["domain"] for e in response.json()["results"]] == [
        "finances",
        "housing",
        "mental_health",
        "work",
    ]
    assert sorted(c for _client, c, _a in logged(coordinator)) == [
        "benefits",
        "employment",
        "health",
        "social",
    ]
    one = api.get(ENTRIES, {"assessment": str(assessment.pk), "domain": "housing"}).json()
    assert [e["domain"] for e in one["results"]] == ["housing"]
    problem_of(api.get(ENTRIES, {"domain": "astrology"}), 400)
