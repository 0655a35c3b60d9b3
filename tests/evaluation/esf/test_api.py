"""`GET /api/v1/esf-report/`: the hand-built programme's indicators as JSON, who may read them,
and the problem documents for bad parameters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from polku.core import roles
from polku.core import services as core_services
from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.esf.indicators import INDICATORS
from tests.evaluation.esf import scenario
from tests.factories import MembershipFactory, enable_totp

pytestmark = pytest.mark.django_db

URL = "/api/v1/esf-report/"


def _get(membership: Membership, params: dict[str, str], *, language: str = "en") -> Any:
    if membership.role in roles.mfa_required_roles():
        enable_totp(membership.user)
    _token, key = core_services.api_token_create(actor=membership, name="esf test")
    return HttpClient().get(
        URL, params, HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE=language
    )


def _evaluator(world: scenario.World) -> Membership:
    return MembershipFactory(role=Role.EVALUATOR, organisation=world.organisation)


def _params(world: scenario.World, **changes: str) -> dict[str, str]:
    return {"programme": world.programme.code, "from": "2025-01", "to": "2025-06", **changes}


def test_the_report_gives_every_indicator_with_its_counts_by_gender() -> None:
    world = scenario.build()
    response = _get(_evaluator(world), _params(world))
    assert response.status_code == 200
    body = response.json()
    assert (body["programme"], body["programme_name"]) == (world.programme.code, "ESF pilot")
    assert (body["period_from"], body["period_to"]) == ("2025-01", "2025-06")
    assert [i["code"] for i in body["indicators"]] == [i.code for i in INDICATORS]
    by_code = {i["code"]: i for i in body["indicators"]}
    assert by_code["EECO03"] == {
        "key": "EECO03",
        "code": "EECO03",
        "name": "Long-term unemployed",
        "group": "output",
        "collected": True,
        "counts": {"women": 2, "men": 2, "non_binary": 0, "not_disclosed": 0},
        "total": 4,
        "note": "",
    }
    assert by_code["EECR01"]["group"] == "immediate"
    assert by_code["EECR05"]["counts"] == {
        "women": 1,
        "men": 2,
        "non_binary": 0,
        "not_disclosed": 0,
    }
    assert (by_code["EECO19"]["counts"], by_code["EECO19"]["total"]) == (None, 3)
    assert (by_code["EECO18"]["collected"], by_code["EECO18"]["total"]) == (False, None)
    quality = {line["key"]: line for line in body["data_quality"]}
    expected = {
        key: dict(zip(("women", "men", "non_binary", "not_disclosed"), cells, strict=True))
        for key, cells in scenario.EXPECTED.items()
        if key.startswith("esf-")
    }
    assert {k: q["counts"] for k, q in quality.items() if q["counts"]} == expected
    assert "contains counts under 5 people" in body["notes"][0]


def test_the_names_come_in_the_language_asked_for() -> None:
    world = scenario.build()
    response = _get(_evaluator(world), _params(world), language="sv")
    names = {i["code"]: i["name"] for i in response.json()["indicators"]}
    assert names["EECO01"] == "Totalt antal deltagare"


def test_other_roles_get_a_problem_document() -> None:
    world = scenario.build()
    response = _get(MembershipFactory(role=Role.COORDINATOR), _params(world))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"programme": "no-such-programme"}, "programme"),
        ({"from": "2025-1"}, "from"),
        ({"to": "2025-06-30"}, "to"),
        ({"from": "2025-06", "to": "2025-01"}, "to"),
        ({"from": "2025-06", "to": "2025-06"}, "from"),
    ],
)
def test_bad_parameters_get_a_problem_naming_the_field(changes: dict[str, str], field: str) -> None:
    world = scenario.build()
    manager = MembershipFactory(role=Role.PROGRAMME_MANAGER, organisation=world.organisation)
    response = _get(manager, _params(world, **changes))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert list(body["errors"]) == [field]


def test_without_a_period_the_report_covers_the_programmes_whole_run() -> None:
    world = scenario.build()
    response = _get(_evaluator(world), {"programme": world.programme.code})
    body = response.json()
    assert (body["period_from"], body["period_to"]) == ("2024-06", None)
    assert body["indicators"][0]["total"] == 15


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.EVALUATOR])
def test_another_organisations_programme_gets_a_403_problem(role: str) -> None:
    world = scenario.build()
    response = _get(MembershipFactory(role=role), _params(world))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_a_period_shorter_than_six_months_names_the_field_in_the_users_language() -> None:
    world = scenario.build()
    response = _get(_evaluator(world), _params(world, **{"from": "2025-04"}))
    assert response.status_code == 400
    assert response.json()["errors"]["from"] == [
        "Choose a period of at least 6 whole months, or the programme's whole run."
    ]
