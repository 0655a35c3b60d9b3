"""`GET /api/v1/time-to-employment/` and `GET /api/v1/provider-comparison/`: the pages' figures
as JSON for managers and evaluators only, bad input as problem JSON, nothing in the read-access
log."""

from __future__ import annotations

from typing import Any

import pytest

from polku.core.models import AccessLogEntry
from polku.core.roles import Role
from polku.evaluation.views.survival import pages
from tests.evaluation.survival.scenario import (
    DAYS_PER_MONTH,
    FOLLOW_UP_END,
    provider_trial,
    work_path,
)
from tests.factories import MembershipFactory
from tests.plans.test_referrals_api import api_for, problem_of

pytestmark = pytest.mark.django_db
CURVES = "/api/v1/time-to-employment/"
PROVIDERS = "/api/v1/provider-comparison/"


@pytest.fixture(autouse=True)
def _followed_up_to_the_scenarios_day(monkeypatch: pytest.MonkeyPatch) -> None:
    # The API imports the function by name: patch it where the API looks it up.
    from polku.evaluation.api import survival as api

    monkeypatch.setattr(pages, "follow_up_end", lambda: FOLLOW_UP_END)
    monkeypatch.setattr(api, "follow_up_end", lambda: FOLLOW_UP_END)


def _get(url: str, role: str = Role.EVALUATOR, **query: Any) -> Any:
    return api_for(MembershipFactory(role=role)).get(url, query)


def test_the_curves_by_gender_as_json() -> None:
    programme = work_path()
    before = AccessLogEntry.objects.count()

    response = _get(CURVES, programme=programme.code, by="gender")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["programme"], body["by"], body["followed_up_to"]) == (
        "work-path",
        "gender",
        "2026-06-30",
    )
    women, men = body["groups"]
    assert (women["key"], women["people"], women["jobs"], women["censored"]) == (
        "woman",
        10,
        "≥5",  # 6 jobs, 4 censored: the 4 is "<5", so the 6 is hidden with it
        "<5",
    )
    assert women["median"] == pytest.approx(152 / DAYS_PER_MONTH)
    assert [s["value"] for s in women["shares"]] == pytest.approx([0.3, 0.5, None])
    assert women["points"][0] == {
        "months": 0.0,
        "share": 0.0,
        "lower": 0.0,
        "upper": 0.0,
        "at_risk": 10,
    }
    assert min(point["at_risk"] for point in women["points"]) >= 5
    assert (men["median"], men["median_upper"]) == (None, None)
    assert body["total"]["people"] == 20
    assert body["left_out"] == [{"breakdown": "gender", "key": "other", "name": "Other"}]
    assert (body["cox"]["people"], body["cox"]["jobs"]) == ("20", "10")
    assert [line["key"] for line in body["cox"]["lines"]] == ["gender__man", "isced_level"]
    assert AccessLogEntry.objects.count() == before


def test_the_curves_in_finnish() -> None:
    work_path()
    response = api_for(MembershipFactory(role=Role.PROGRAMME_MANAGER)).get(
        CURVES, HTTP_ACCEPT_LANGUAGE="fi"
    )
    assert response.status_code == 200
    assert response.json()["groups"][0]["name"] == "Naiset"


def test_the_provider_comparison_as_json() -> None:
    programme = provider_trial()

    response = _get(PROVIDERS, programme=programme.code)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["people"] == 30
    public, private = body["by_sector"]
    assert (public["key"], public["people"]) == ("public", "15")
    at_exit = public["cells"][0]
    assert at_exit["outcome"] == "employed_at_exit"
    assert (at_exit["rate"]["successes"], at_exit["rate"]["n"]) == (6, 15)
    assert at_exit["rate"]["lower"] == pytest.approx(0.1982, abs=1e-4)
    assert private["cells"][2] == {"outcome": "employed_6m", "people": "12", "rate": None}
    adjusted = body["adjusted"][0]
    assert [line["key"] for line in adjusted["lines"]] == ["public", "private"]
    assert adjusted["lines"][0]["odds_ratio"] is None
    assert [g["key"] for g in body["left_out"]] == ["Association ry", "third_sector"]


@pytest.mark.parametrize("url", [CURVES, PROVIDERS])
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.EMPLOYMENT_SPECIALIST])
def test_staff_who_do_not_evaluate_get_403(url: str, role: str) -> None:
    problem = problem_of(_get(url, role=role), 403)
    assert problem["title"] == "Not allowed"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2025-01-15"}, "from"),
        ({"to": "2025"}, "to"),
        ({"from": "2025-03", "to": "2025-01"}, "to"),
        ({"programme": "no-such-programme"}, "programme"),
        ({"by": "client"}, "by"),
    ],
)
def test_bad_parameters_are_problem_json_naming_the_field(
    query: dict[str, str], field: str
) -> None:
    problem = problem_of(_get(CURVES, **query), 400)
    assert list(problem["errors"]) == [field]


def test_an_empty_parameter_means_not_given() -> None:
    work_path()
    response = _get(PROVIDERS, programme="", **{"from": "", "to": ""})
    assert response.status_code == 200, response.content
    assert response.json()["programme"] is None
