"""The fidelity API: reviews (open, score, complete, read) and the computed indicators; who
may, problem documents for refusals, and that nothing is written to the read-access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.utils import timezone
from rest_framework.test import APIClient

from polku.core import services as core_services
from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.ips.fidelity.indicators import default_period
from polku.ips.models import FidelityReview, ReviewStatus
from tests.factories import MembershipFactory, OrganisationFactory, enable_totp
from tests.ips.test_fidelity_indicators import World, make_world

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
REVIEWS = "/api/v1/fidelity-reviews/"
CONTROL = "The text contains invisible control characters. Remove them and try again."
INDICATORS = "/api/v1/fidelity-indicators/"


def _api(membership: Membership) -> APIClient:
    if not is_mfa_enabled(membership.user, ["totp"]):
        enable_totp(membership.user)
    _token, key = core_services.api_token_create(actor=membership, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


@pytest.fixture
def world() -> World:
    world = make_world()
    world.case(start=TODAY() - dt.timedelta(days=200))
    world.time(240, outside=True, date=TODAY() - dt.timedelta(days=2))
    world.time(60, date=TODAY() - dt.timedelta(days=2))
    return world


@pytest.fixture
def manager(world: World) -> Membership:
    return MembershipFactory(organisation=world.city, role=Role.PROGRAMME_MANAGER)


def _new_review(api: APIClient, world: World, **overrides: Any) -> Any:
    start, end = default_period()  # the six whole months before this one and this one so far
    body = {
        "programme": world.programme.pk,
        "review_date": str(TODAY()),
        "period_start": str(start),
        "period_end": str(end),
        "reviewers": "Reviewer One, Reviewer Two",
    } | overrides
    return api.post(REVIEWS, body, format="json")


def test_a_reviewer_opens_scores_and_completes_a_review(world: World, manager: Membership) -> None:
    api = _api(manager)
    response = _new_review(api, world)
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["scored"], body["total"], body["band"]) == ("draft", 0, None, None)
    assert len(body["scores"]) == 25
    assert body["scores"][23] == {
        "item": 24,
        "section": "services",
        "title": "Community-based services",
        "suggested": 5,  # 80 % outside the office
        "score": None,
        "evidence": "",
    }
    url = f"{REVIEWS}{body['id']}/"

    refused = api.post(f"{url}complete/")
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "unscored"

    scores = [{"item": n, "score": 4 if n != 7 else 3, "evidence": f"E{n}"} for n in range(1, 26)]
    response = api.post(f"{url}scores/", {"scores": scores, "notes": "Good"}, format="json")
    assert response.status_code == 200
    assert (response.json()["total"], response.json()["band"]) == (99, "fair")
    response = api.post(f"{url}complete/")
    assert response.status_code == 200
    assert response.json()["status"] == "completed"
    again = api.post(f"{url}scores/", {"scores": [{"item": 1, "score": 5}]}, format="json")
    assert again.status_code == 400
    assert again.json()["errors"] == {
        "non_field_errors": ["This review has been completed and can no longer be changed."]
    }
    assert AccessLogEntry.objects.count() == 0  # no client data was read


def test_invalid_input_is_a_problem_by_field_and_writes_nothing(
    world: World, manager: Membership
) -> None:
    api = _api(manager)
    response = _new_review(api, world, period_end=str(TODAY() + dt.timedelta(days=1)))
    assert response.status_code == 400
    assert response.json()["errors"] == {"period_end": ["The period cannot end after today."]}
    start = default_period()[0] + dt.timedelta(days=3)
    response = _new_review(api, world, period_start=str(start), reviewers="One\x0bTwo")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {
        "period_start": ["Start the period on the first day of a month."],
        "reviewers": [CONTROL],
    }
    assert FidelityReview.objects.count() == 0
    review = _new_review(api, world).json()
    bad = {"scores": [{"item": 2, "score": 6}, {"item": 30, "score": 1}]}
    response = api.post(f"{REVIEWS}{review['id']}/scores/", bad, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "scores": {
            "0": {"score": ["Ensure this value is less than or equal to 5."]},
            "1": {"item": ["Ensure this value is less than or equal to 25."]},
        }
    }
    assert FidelityReview.objects.get().scores.exclude(score=None).count() == 0
    # A control character would make the XLSX report fail: refused by field.
    control = {"scores": [{"item": 2, "score": 3, "evidence": "line\x0bbreak"}]}
    response = api.post(f"{REVIEWS}{review['id']}/scores/", control, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"evidence_2": [CONTROL]}
    assert FidelityReview.objects.get().scores.exclude(score=None).count() == 0


@pytest.mark.parametrize(
    ("role", "reads", "writes"),
    [
        (Role.PROGRAMME_MANAGER, 200, 201),
        (Role.EVALUATOR, 200, 201),
        (Role.COORDINATOR, 200, 403),
        (Role.EMPLOYMENT_SPECIALIST, 200, 403),
        (Role.EMPLOYER_LIAISON, 200, 403),
        (Role.SOCIAL_WORKER, 403, 403),
        (Role.AUDITOR, 403, 403),
    ],
)
def test_programme_staff_read_and_reviewers_write(
    world: World, manager: Membership, role: str, reads: int, writes: int
) -> None:
    existing = _new_review(_api(manager), world).json()
    api = _api(MembershipFactory(organisation=world.city, role=role))
    assert api.get(REVIEWS).status_code == reads
    assert api.get(f"{REVIEWS}{existing['id']}/").status_code == reads
    assert api.get(INDICATORS, {"programme": world.programme.pk}).status_code == reads
    response = _new_review(api, world)
    assert response.status_code == writes
    if writes == 403:
        assert response.json()["status"] == 403
        scored = api.post(f"{REVIEWS}{existing['id']}/scores/", {"scores": []}, format="json")
        assert scored.status_code == 403
        assert api.post(f"{REVIEWS}{existing['id']}/complete/").status_code == 403
        assert FidelityReview.objects.count() == 1


def test_another_organisations_reviewer_reads_but_may_not_score(
    world: World, manager: Membership
) -> None:
    review = _new_review(_api(manager), world).json()
    other = _api(MembershipFactory(organisation=OrganisationFactory(), role=Role.EVALUATOR))
    assert other.get(f"{REVIEWS}{review['id']}/").status_code == 200
    response = other.post(
        f"{REVIEWS}{review['id']}/scores/", {"scores": [{"item": 1, "score": 2}]}, format="json"
    )
    assert response.status_code == 403


def test_reviews_filter_by_programme(world: World, manager: Membership) -> None:
    api = _api(manager)
    _new_review(api, world)
    other = make_world()
    other.case(start=TODAY() - dt.timedelta(days=30))
    _new_review(api, other)
    listed = api.get(REVIEWS, {"programme": world.programme.pk}).json()
    assert [r["programme"] for r in listed["results"]] == [world.programme.pk]
    assert api.get(REVIEWS).json()["count"] == 2
    assert api.get(f"{REVIEWS}{'0' * 8}-0000-0000-0000-{'0' * 12}/").status_code == 404


def test_the_indicators_document(world: World, manager: Membership) -> None:
    api = _api(manager)
    response = api.get(INDICATORS, {"programme": world.programme.pk})
    assert response.status_code == 200
    body = response.json()
    # One case: a count of people under five is withheld; staff and zeros are shown.
    assert (body["cases"], body["cases_suppressed"]) == (None, True)
    assert (body["placements"], body["placements_suppressed"]) == (0, False)
    assert body["specialists"] == 1
    assert (body["start"], body["end"]) == tuple(str(d) for d in default_period())
    by_item = {i["item"]: i for i in body["indicators"]}
    assert sorted(by_item) == [
        1,
        2,
        3,
        4,
        5,
        9,
        10,
        12,
        13,
        14,
        15,
        16,
        17,
        19,
        20,
        21,
        22,
        23,
        24,
        25,
    ]
    community = by_item[24]
    assert community["title"] == "Community-based services"
    assert community["suggested"] == 5
    assert community["values"] == [
        {
            "key": "share",
            "name": "Share of time outside the office",
            "value": 0.8,
            "unit": "share",
            "suppressed": False,
        }
    ]
    assert community["rests_on_few"] is False
    assert {c["key"]: c["value"] for c in community["counts"]} == {
        "minutes": 300,
        "outside_minutes": 240,
    }
    assert by_item[10]["suggests"] is False
    assert AccessLogEntry.objects.count() == 0


PROGRAMME = "the world's programme"


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({}, {"programme": ["This field is required."]}),
        ({"programme": "999999"}, {"programme": ["No programme with IPS cases has this id."]}),
        (
            {"programme": PROGRAMME, "start": "2025-06-01", "end": "2025-01-31"},
            {"end": ["The period must end on or after the day it starts."]},
        ),
        (
            {"programme": PROGRAMME, "start": "2019-01-01", "end": "2024-12-31"},
            {"start": ["The period can be at most three years long."]},
        ),
        (
            {"programme": PROGRAMME, "start": "2025-01-15", "end": "2025-06-14"},
            {
                "start": ["Start the period on the first day of a month."],
                "end": ["End the period on the last day of a month, or today."],
            },
        ),
        (
            {"programme": PROGRAMME, "start": "2025-01-01", "end": "2025-02-28"},
            {"start": ["The period must be at least three months long."]},
        ),
        (
            {"programme": PROGRAMME, "end": "yesterday"},
            {"end": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
    ],
)
def test_the_indicators_refuse_a_bad_query(
    world: World, manager: Membership, query: dict[str, str], errors: dict[str, list[str]]
) -> None:
    params = {k: str(world.programme.pk) if v == PROGRAMME else v for k, v in query.items()}
    response = _api(manager).get(INDICATORS, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == errors


def test_a_completed_review_lists_its_band(world: World, manager: Membership) -> None:
    api = _api(manager)
    review = _new_review(api, world).json()
    scores = [{"item": n, "score": 5} for n in range(1, 26)]
    api.post(f"{REVIEWS}{review['id']}/scores/", {"scores": scores}, format="json")
    api.post(f"{REVIEWS}{review['id']}/complete/")
    listed = api.get(REVIEWS).json()["results"][0]
    assert (listed["total"], listed["band"], listed["status"]) == (125, "exemplary", "completed")
    assert FidelityReview.objects.get().status == ReviewStatus.COMPLETED


def test_the_indicators_withhold_counts_of_fewer_than_five_people(
    world: World, manager: Membership
) -> None:
    """Counts of 1–4 people and the figures resting on them are null with `suppressed`; the
    suggestion stays, with `rests_on_few`."""
    body = _api(manager).get(INDICATORS, {"programme": world.programme.pk}).json()
    by_item = {i["item"]: i for i in body["indicators"]}
    team = by_item[5]
    assert team["values"][0] | {"name": ""} == {
        "key": "share",
        "name": "",
        "value": None,
        "unit": "share",
        "suppressed": True,
    }
    assert [(c["key"], c["value"], c["suppressed"]) for c in team["counts"]] == [
        ("cases", None, True),
        ("with_meeting", 0, False),  # zeros reveal no one
    ]
    assert (team["suggested"], team["rests_on_few"]) == (1, True)
    caseload = by_item[1]
    assert {c["key"]: (c["value"], c["suppressed"]) for c in caseload["counts"]} == {
        "specialists": (1, False),  # staff, not clients
        "open_cases": (None, True),
        "over_limit": (0, False),
    }
    # A share with nothing to divide by is null but not suppressed.
    placements = by_item[21]
    assert (placements["values"][0]["value"], placements["values"][0]["suppressed"]) == (
        None,
        False,
    )
    assert (placements["suggested"], placements["rests_on_few"]) == (None, False)
