"""The IPS client API: cases, career profiles, benefits counselling, job search, placements,
follow-along and time; problem documents for refusals; the read-access log of every response."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.ips.models import CareerProfile, IpsCase, JobPlacement, TimeEntry
from polku.ips.services import counselling
from tests.factories import MembershipFactory
from tests.ips.test_client_services import World, days_ago, make_world, record_job, start_case
from tests.plans.test_encounters_api import _api

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
PROBLEM = "application/problem+json"


def _logged(membership: Membership) -> list[tuple[str, str, str]]:
    return sorted(
        (str(e.client_id), e.category, e.action)
        for e in AccessLogEntry.objects.filter(membership=membership)
    )


@pytest.fixture
def w() -> World:
    return make_world()


@pytest.fixture
def api(w: World) -> APIClient:
    return _api(w.coach)


def _post(api: APIClient, url: str, data: dict[str, Any]) -> Any:
    return api.post(url, data, format="json")


def test_a_case_is_opened_read_and_ended(w: World, api: APIClient) -> None:
    created = _post(
        api,
        "/api/v1/ips-cases/",
        {
            "client": str(w.client.pk),
            "episode": str(w.episode.pk),
            "specialist": w.coach.pk,
            "start_date": str(days_ago(5)),
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["client"], body["specialist"], body["end_date"], body["end_reason"]) == (
        str(w.client.pk),
        w.coach.pk,
        None,
        "",
    )
    case_id = body["id"]
    listed = api.get("/api/v1/ips-cases/", {"client": str(w.client.pk), "open": "true"})
    assert [row["id"] for row in listed.json()["results"]] == [case_id]
    ended = _post(
        api, f"/api/v1/ips-cases/{case_id}/end/", {"end_date": str(TODAY()), "end_reason": "moved"}
    )
    assert ended.status_code == 200
    assert ended.json()["end_reason"] == "moved"
    assert api.get("/api/v1/ips-cases/", {"open": "true"}).json()["count"] == 0
    client = str(w.client.pk)
    assert _logged(w.coach) == [(client, "employment", "api")] * 3


def test_a_second_open_case_is_a_400_problem_naming_the_client(w: World, api: APIClient) -> None:
    start_case(w)
    response = _post(
        api,
        "/api/v1/ips-cases/",
        {
            "client": str(w.client.pk),
            "episode": str(w.episode.pk),
            "specialist": w.coach.pk,
            "start_date": str(TODAY()),
        },
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "client": ["The client already has an open IPS case. End it before starting a new one."]
    }
    assert IpsCase.objects.count() == 1


def test_each_profile_post_is_a_new_version(w: World, api: APIClient) -> None:
    for occupations in (["522"], ["522", "911"]):
        response = _post(
            api,
            "/api/v1/career-profiles/",
            {"client": str(w.client.pk), "preferred_occupations": occupations},
        )
        assert response.status_code == 201
    assert CareerProfile.objects.count() == 2
    listed = api.get("/api/v1/career-profiles/", {"client": str(w.client.pk)}).json()
    assert [row["preferred_occupations"] for row in listed["results"]] == [["522", "911"], ["522"]]
    bad = _post(
        api,
        "/api/v1/career-profiles/",
        {"client": str(w.client.pk), "preferred_occupations": ["0000"]},
    )
    assert bad.json()["errors"] == {
        "preferred_occupations": ["0000 is not an ISCO-08 occupation group code."]
    }


def test_a_job_and_its_follow_along_through_the_api(w: World, api: APIClient) -> None:
    start_case(w)
    data = {
        "client": str(w.client.pk),
        "employer": str(w.employer.pk),
        "job_title": "Myyjä",
        "isco_code": "522",
        "start_date": str(days_ago(10)),
        "hours_per_week": "20.5",
        "hourly_wage": "12.40",
    }
    missing = _post(api, "/api/v1/placements/", data)
    assert missing.status_code == 400
    assert list(missing.json()["errors"]) == ["competitive"]
    created = _post(api, "/api/v1/placements/", data | {"competitive": False})
    assert created.status_code == 201
    job = created.json()
    assert (job["competitive"], job["hours_per_week"], job["hourly_wage"]) == (
        False,
        "20.5",
        "12.40",
    )
    assert job["specialist"] == w.coach.pk
    assert job["follow_along_ended_on"] is None
    support = _post(
        api,
        "/api/v1/follow-along-supports/",
        {
            "placement": job["id"],
            "date": str(days_ago(2)),
            "with_whom": "employer",
            "mode": "video",
            "content": "Agreed on adjustments",
        },
    )
    assert support.status_code == 201
    assert support.json()["client"] == str(w.client.pk)
    ended = _post(
        api,
        f"/api/v1/placements/{job['id']}/end/",
        {"end_date": str(TODAY()), "end_reason": "promoted"},
    )
    assert ended.json()["end_reason"] == "promoted"
    refused = _post(
        api,
        f"/api/v1/placements/{job['id']}/end-follow-along/",
        {"ended_on": str(TODAY()), "client_chose": False},
    )
    assert list(refused.json()["errors"]) == ["client_chose"]
    chose = _post(
        api,
        f"/api/v1/placements/{job['id']}/end-follow-along/",
        {"ended_on": str(TODAY()), "client_chose": True},
    )
    assert chose.json()["follow_along_ended_on"] == str(TODAY())


def test_an_employer_liaison_neither_reads_nor_writes_counselling(w: World) -> None:
    counselling.counselling_record(
        actor=w.coach, client=w.client, date=TODAY(), topics=["taxation"]
    )
    liaison = _api(w.liaison)
    assert liaison.get("/api/v1/benefits-counselling/").json()["count"] == 0
    refused = _post(
        liaison,
        "/api/v1/benefits-counselling/",
        {"client": str(w.client.pk), "date": str(TODAY()), "topics": ["taxation"]},
    )
    assert refused.status_code == 403
    assert refused["Content-Type"] == PROBLEM
    assert (
        _post(
            _api(w.counsellor),
            "/api/v1/benefits-counselling/",
            {"client": str(w.client.pk), "date": str(TODAY()), "topics": ["pay_subsidy"]},
        ).json()["counsellor"]
        == w.counsellor.pk
    )
    assert {category for _, category, _ in _logged(w.liaison)} == set()


def test_an_invisible_record_answers_404(w: World) -> None:
    start_case(w)
    job = record_job(w)
    stranger = _api(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST))
    response = stranger.get(f"/api/v1/placements/{job.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert stranger.get("/api/v1/placements/", {"client": str(w.client.pk)}).json()["count"] == 0
    assert (
        _post(
            stranger,
            f"/api/v1/placements/{job.pk}/end/",
            {"end_date": str(TODAY()), "end_reason": "quit"},
        ).status_code
        == 404
    )
    assert JobPlacement.objects.get().end_date is None


def test_activities_and_plans_round_trip(w: World, api: APIClient) -> None:
    plan = _post(
        api,
        "/api/v1/job-search-plans/",
        {
            "client": str(w.client.pk),
            "agreed_on": str(TODAY()),
            "goal": "Warehouse",
            "target_occupations": ["933"],
        },
    )
    assert plan.status_code == 201
    assert plan.json()["review_on"] is None
    activity = _post(
        api,
        "/api/v1/job-search-activities/",
        {"client": str(w.client.pk), "date": str(TODAY()), "kind": "interview"},
    )
    assert activity.json()["errors"] == {"employer": ["Choose the employer the contact was with."]}
    activity = _post(
        api,
        "/api/v1/job-search-activities/",
        {
            "client": str(w.client.pk),
            "date": str(TODAY()),
            "kind": "interview",
            "employer": str(w.employer.pk),
        },
    )
    assert activity.status_code == 201
    found = api.get("/api/v1/job-search-activities/", {"kind": "interview"}).json()
    assert [row["id"] for row in found["results"]] == [activity.json()["id"]]


def test_time_entries_are_the_callers_own(w: World, api: APIClient) -> None:
    created = _post(
        api,
        "/api/v1/time-entries/",
        {"date": str(TODAY()), "activity": "client_work", "minutes": 45, "in_community": True},
    )
    assert created.status_code == 201
    other = TimeEntry.objects.create(
        membership=w.other_coach, date=TODAY(), activity="admin", minutes=30
    )
    assert [row["minutes"] for row in api.get("/api/v1/time-entries/").json()["results"]] == [45]
    assert api.get(f"/api/v1/time-entries/{other.pk}/").status_code == 404
    before = api.get("/api/v1/time-entries/", {"date_to": str(TODAY() - dt.timedelta(days=1))})
    assert before.json()["count"] == 0
    coordinator = _api(w.coordinator)
    refused = _post(
        coordinator,
        "/api/v1/time-entries/",
        {"date": str(TODAY()), "activity": "admin", "minutes": 30},
    )
    assert refused.status_code == 403
    assert coordinator.get("/api/v1/time-entries/").json()["count"] == 0
    assert AccessLogEntry.objects.count() == 0  # staff data, not client data
