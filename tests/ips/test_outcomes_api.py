"""`GET /api/v1/ips-outcomes/`: the page's figures as JSON, suppressed counts as strings, for
IPS programme staff only, bad input as problem JSON, nothing in the read-access log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from polku.clients.models import Gender
from polku.core.models import AccessLogEntry
from polku.core.roles import Role
from polku.ips.outcomes import selectors
from polku.ips.outcomes.periods import MONTH_PATTERN
from tests.factories import MembershipFactory, ProgrammeFactory
from tests.ips.test_outcomes import (
    TODAY,
    D,
    enter,
    job,
    jobs_world,
    probe_world,
    twenty_twenty_two,
)
from tests.plans.test_referrals_api import api_for, problem_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/ips-outcomes/"


@pytest.fixture(autouse=True)
def _followed_up_to_the_scenarios_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "follow_up_end", lambda: TODAY)


def _get(role: str, **query: Any) -> Any:
    return api_for(MembershipFactory(role=role)).get(URL, query)


def test_the_outcomes_as_json_with_known_answers() -> None:
    world = jobs_world()
    response = _get(Role.PROGRAMME_MANAGER, programme=world.programme.pk)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["programme"] == world.programme.pk
    assert (body["entered_from"], body["entered_to"]) == (None, None)
    assert body["followed_up_to"] == "2025-06-30"
    assert (body["cases"], body["people"]) == ("10", "10")
    assert body["total"]["key"] == "all"
    assert body["total"]["competitive"] == {"count": "10", "share": 1.0}
    assert len(body["total"]["months"]) == 18
    assert body["total"]["months"][0] == {
        "month": 1,
        "followed_up": "10",
        "competitive": {"count": "<5", "share": None},
        "any_job": {"count": "<5", "share": None},
    }
    assert [g["key"] for g in body["by_gender"]] == ["woman", "man", "other", "not_disclosed"]
    assert [g["cases"] for g in body["by_gender"]] == ["10", "0", "0", "0"]
    assert body["by_gender"][0]["name"] == "Women"
    assert (body["left_out"], body["left_out_note"]) == ([], None)
    assert [(b["key"], b["cases"]) for b in body["by_age_band"]] == [
        ("18_29", "0"),
        ("30_54", "10"),
        ("55_plus", "0"),
    ]
    assert body["tenure"] == {
        "people": "10",
        "jobs": "10",
        "ended": "5",
        "median_weeks_ended": 6.0,
        "still_working": {"count": "5", "share": 0.5},
        "started_13_weeks_ago": "9",
        "lasted_13_weeks": {"count": "6", "share": pytest.approx(6 / 9)},
    }
    assert body["hours"]["mean_hours_per_week"] == pytest.approx(25.75)
    assert body["hours"]["total_hours"] == pytest.approx(18510 / 7)
    assert (body["hours"]["window_start"], body["hours"]["window_end"]) == (
        "2024-07-01",
        "2025-06-30",
    )
    assert body["employers"] == {
        "people": "10",
        "jobs": "11",
        "employers": "6",
        "with_one": "3",
        "with_two": "1",
        "with_three_or_more": "2",
        "mean_per_employer": pytest.approx(11 / 6),
    }
    assert AccessLogEntry.objects.count() == 0


def test_four_people_are_under_five_in_the_api_too() -> None:
    programme = ProgrammeFactory()
    for _ in range(4):
        job(enter(programme, D(2024, 1, 1), gender=Gender.OTHER), D(2024, 2, 1))
    body = _get(Role.EVALUATOR, programme=programme.pk).json()
    assert body["cases"] == "<5"
    assert body["total"]["competitive"] == {"count": "–", "share": None}
    assert body["tenure"]["people"] == "<5"
    assert body["tenure"]["median_weeks_ended"] is None


def test_group_names_follow_accept_language() -> None:
    world = jobs_world()
    api = api_for(MembershipFactory(role=Role.PROGRAMME_MANAGER))
    body = api.get(URL, {"programme": world.programme.pk}, HTTP_ACCEPT_LANGUAGE="sv").json()
    with translation.override("sv"):
        assert body["by_gender"][0]["name"] == gettext("Women")  # "Kvinnor"


def test_a_small_gender_is_left_out_of_the_json_and_named() -> None:
    """Regression (P1): two people of gender "other" are left out of every figure, so the
    women's and men's figures are shown in full, and the answer names the group."""
    programme = twenty_twenty_two()
    body = _get(Role.PROGRAMME_MANAGER, programme=programme.pk).json()
    assert body["left_out"] == [{"breakdown": "gender", "key": "other", "name": "Other"}]
    assert body["left_out_note"] == (
        "Groups of fewer than 5 cases — here: gender other — are left out of every figure."
    )
    assert [(g["key"], g["cases"]) for g in body["by_gender"]] == [
        ("woman", "20"),
        ("man", "20"),
        ("not_disclosed", "0"),
    ]
    assert (body["cases"], body["total"]["cases"]) == ("40", "40")
    assert [g["competitive"] for g in body["by_gender"][:2]] == [
        {"count": "10", "share": 0.5},
        {"count": "10", "share": 0.5},
    ]
    assert body["tenure"]["jobs"] == "20"


def test_the_period_of_entry_is_applied() -> None:
    world = jobs_world()
    body = _get(
        Role.PROGRAMME_MANAGER,
        programme=world.programme.pk,
        entered_from="2024-02",
        entered_to="2024-12",
    ).json()
    assert (body["entered_from"], body["entered_to"]) == ("2024-02", "2024-12")
    assert body["cases"] == "0"
    body = _get(Role.PROGRAMME_MANAGER, programme=world.programme.pk, entered_from="2024-01").json()
    assert (body["entered_from"], body["entered_to"], body["cases"]) == ("2024-01", None, "10")
    body = _get(
        Role.PROGRAMME_MANAGER, programme=world.programme.pk, entered_from="", entered_to=""
    ).json()  # empty as a form sends it: all entrants
    assert (body["entered_from"], body["entered_to"], body["cases"]) == (None, None, "10")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "programme"),
        ({"programme": "999999"}, "programme"),
        ({"programme": "99999999999999999999"}, "programme"),  # beyond any integer column
        ({"programme": "x"}, "programme"),
        ({"programme": "OURS", "entered_from": "yesterday"}, "entered_from"),
        ({"programme": "OURS", "entered_to": "2024-13"}, "entered_to"),
        ({"programme": "OURS", "entered_from": "2024-02", "entered_to": "2024-01"}, "entered_to"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(query: dict[str, str], field: str) -> None:
    world = jobs_world()
    query = {k: str(world.programme.pk) if v == "OURS" else v for k, v in query.items()}
    body = problem_of(_get(Role.PROGRAMME_MANAGER, **query), 400)
    assert list(body["errors"]) == [field]


@pytest.mark.parametrize("bound", ["entered_from", "entered_to"])
@pytest.mark.parametrize("day", ["2024-03-01", "2024-03-31", "2024-03-05"])
def test_a_period_chosen_to_the_day_is_a_problem_naming_the_field(bound: str, day: str) -> None:
    """Regression: days 1–5 against days 1–6 of entry singled out the sixth entrant."""
    programme = probe_world()
    body = problem_of(_get(Role.PROGRAMME_MANAGER, programme=programme.pk, **{bound: day}), 400)
    assert body["errors"] == {bound: ["Enter a month as YYYY-MM, for example 2024-03."]}


def test_every_period_of_whole_months_holds_the_probes_six_or_none() -> None:
    """The reviewer's probe, through the API: no pair of month periods separates the sixth
    entrant from the other five."""
    programme = probe_world()
    months = ["2024-02", "2024-03", "2024-04"]
    answers = set()
    for start in ["", *months]:
        for end in ["", *months]:
            if start and end and end < start:
                continue
            query = {"programme": programme.pk} | ({"entered_from": start} if start else {})
            query |= {"entered_to": end} if end else {}
            body = _get(Role.PROGRAMME_MANAGER, **query).json()
            month_1 = body["total"]["months"][0]
            answers.add((body["cases"], month_1["followed_up"], month_1["competitive"]["count"]))
    assert answers == {("0", "0", "0"), ("6", "6", "<5")}


def test_the_schema_documents_the_month_format() -> None:
    schema = api_for(MembershipFactory(role=Role.PROGRAMME_MANAGER)).get(
        "/api/v1/schema/", {"format": "json"}
    )
    assert schema.status_code == 200
    document = json.loads(schema.content)
    operation = document["paths"][URL]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    for name in ("entered_from", "entered_to"):
        assert parameters[name]["schema"] == {"type": "string", "pattern": MONTH_PATTERN}
        assert "YYYY-MM" in parameters[name]["description"]
    report = document["components"]["schemas"]["IpsOutcomes"]["properties"]
    assert report["entered_from"]["pattern"] == MONTH_PATTERN
    assert "previous calendar month" in report["followed_up_to"]["description"]


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.HEALTH_PROFESSIONAL, Role.ORGANISATION_ADMIN, Role.AUDITOR]
)
def test_others_get_a_403_problem(role: str) -> None:
    world = jobs_world()
    problem_of(_get(role, programme=world.programme.pk), 403)


@pytest.mark.parametrize("role", [Role.EMPLOYMENT_SPECIALIST, Role.COORDINATOR])
def test_ips_staff_may_read_the_aggregates(role: str) -> None:
    world = jobs_world()
    assert _get(role, programme=world.programme.pk).status_code == 200
