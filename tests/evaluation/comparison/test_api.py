"""The comparison API: groups and runs for programme managers and evaluators, problem
documents for everyone else and for faulty requests, 202 for a queued run."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.utils import is_mfa_enabled
from rest_framework.test import APIClient

from polku.core import roles
from polku.core import services as core_services
from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.models import ComparisonGroup, ComparisonRun, RunStatus
from tests import factories as f
from tests.evaluation.comparison.helpers import (
    IMMEDIATE_TASKS,
    ComparisonGroupFactory,
    members,
    participants,
)

pytestmark = pytest.mark.django_db

GROUPS = "/api/v1/comparison-groups/"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS


def api_for(membership: Membership) -> APIClient:
    """A program holding a token of `membership` (with an authenticator where the role needs
    one, as the token could not be created otherwise)."""
    if membership.role in roles.mfa_required_roles() and not is_mfa_enabled(
        membership.user, ["totp"]
    ):
        f.enable_totp(membership.user)
    _token, key = core_services.api_token_create(actor=membership, name="evaluation")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == status
    return body


@pytest.fixture
def evaluator() -> Membership:
    return f.MembershipFactory(role=Role.EVALUATOR)


@pytest.fixture
def group(evaluator: Membership) -> ComparisonGroup:
    programme = f.ProgrammeFactory(code="ips", organisation=evaluator.organisation)
    participants(programme, count=10, months_after=8, months_before=1)
    group = ComparisonGroupFactory(programme=programme, name="Register 2025")
    members(group, count=10, months_after=3)
    return group


@pytest.fixture
def api(evaluator: Membership) -> APIClient:
    return api_for(evaluator)


def test_a_coordinator_gets_403_everywhere(group: ComparisonGroup) -> None:
    run = ComparisonRun.objects.create(group=group)
    coordinator = api_for(f.MembershipFactory(role=Role.COORDINATOR))

    problem(coordinator.get(GROUPS), 403)
    problem(coordinator.get(f"{GROUPS}{group.pk}/"), 403)
    problem(coordinator.post(f"{GROUPS}{group.pk}/runs/", {}, format="json"), 403)
    problem(coordinator.get(f"/api/v1/comparison-runs/{run.pk}/"), 403)
    assert ComparisonRun.objects.count() == 1


def test_the_list_gives_each_group_with_its_size(api: APIClient, group: ComparisonGroup) -> None:
    response = api.get(GROUPS)

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": group.pk,
            "name": "Register 2025",
            "programme": "ips",
            "source": group.source,
            "file_name": "",
            "imported_at": response.json()["results"][0]["imported_at"],
            "size": "10",
            "latest_status": None,
        }
    ]


def test_the_detail_sets_the_group_beside_the_participants(
    api: APIClient, group: ComparisonGroup
) -> None:
    body = api.get(f"{GROUPS}{group.pk}/").json()

    summary = body["summary"]
    assert (summary["participants"], summary["members"]) == ("10", "10")
    assert summary["genders"][0] == {
        "key": "woman",
        "name": "Women",
        "participants": "5",
        "members": "5",
    }
    age = next(line for line in summary["covariates"] if line["key"] == "age")
    assert (age["participants"], age["members"]) == (pytest.approx(34.0), pytest.approx(34.0))
    assert (body["latest_run"], body["pending_run"]) == (None, None)


def test_a_run_is_accepted_and_its_result_read_at_its_url(
    api: APIClient, group: ComparisonGroup, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"{GROUPS}{group.pk}/runs/",
            {"covariates": ["gender", "age"], "bootstrap": 100, "caliper": None},
            format="json",
        )

    assert response.status_code == 202
    run = ComparisonRun.objects.get()
    assert response["Location"] == f"/api/v1/comparison-runs/{run.pk}/"
    assert response.json()["status"] == "queued"
    assert response.json()["parameters"] == {
        "outcome": "months_employed_after",
        "covariates": ["gender", "age"],
        "caliper": None,
        "replacement": False,
        "bootstrap": 100,
    }

    body = api.get(response["Location"]).json()
    assert body["status"] == RunStatus.DONE
    matching = body["matching"]
    assert (matching["att"], matching["lower"], matching["upper"]) == (
        pytest.approx(5.0),
        pytest.approx(5.0),
        pytest.approx(5.0),
    )
    assert (matching["n_matched_treated"], matching["n_unmatched_treated"]) == ("10", "0")
    assert [line["covariate"] for line in matching["balance"]] == ["woman", "age"]
    assert body["did"]["estimate"] == pytest.approx(5.0)
    assert body["did"]["n_treated"] == "10"
    latest = api.get(f"{GROUPS}{group.pk}/").json()["latest_run"]
    assert latest["id"] == run.pk


def test_faulty_parameters_get_a_problem_by_field_and_queue_nothing(
    api: APIClient, group: ComparisonGroup
) -> None:
    response = api.post(
        f"{GROUPS}{group.pk}/runs/",
        {"outcome": "salary", "bootstrap": 5},
        format="json",
    )

    body = problem(response, 400)
    assert set(body["errors"]) == {"outcome", "bootstrap"}
    assert not ComparisonRun.objects.exists()


def test_a_second_run_while_one_waits_is_refused_with_a_code(
    api: APIClient, group: ComparisonGroup
) -> None:
    ComparisonRun.objects.create(group=group, status=RunStatus.QUEUED)

    body = problem(api.post(f"{GROUPS}{group.pk}/runs/", {}, format="json"), 400)

    assert body["code"] == "run_pending"
    assert ComparisonRun.objects.count() == 1


def test_an_unknown_group_or_run_is_404(api: APIClient) -> None:
    problem(api.get(f"{GROUPS}999999/"), 404)
    problem(api.post(f"{GROUPS}999999/runs/", {}, format="json"), 404)
    problem(api.get("/api/v1/comparison-runs/999999/"), 404)
