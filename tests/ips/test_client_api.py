"""The IPS client API: cases, career profiles, benefits counselling, job search, placements,
follow-along and time; problem documents for refusals; the read-access log of every response."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.ips.models import (
    BenefitsCounselling,
    CareerProfile,
    IpsCase,
    JobPlacement,
    JobSearchActivity,
    TimeEntry,
)
from polku.ips.services import counselling
from polku.ips.services.common import short_date
from tests.factories import (
    CareTeamMemberFactory,
    ConsentFactory,
    MembershipFactory,
    VacancyFactory,
)
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


def test_the_api_refuses_a_start_before_entry_and_a_low_competitive_wage(
    w: World, api: APIClient
) -> None:
    case = start_case(w, days=40)
    data = {
        "client": str(w.client.pk),
        "employer": str(w.employer.pk),
        "job_title": "Myyjä",
        "isco_code": "522",
        "competitive": True,
        "start_date": str(days_ago(41)),
        "hours_per_week": "20",
        "hourly_wage": "4.50",
    }
    refused = _post(api, "/api/v1/placements/", data)
    assert refused.status_code == 400
    assert refused["Content-Type"] == PROBLEM
    assert refused.json()["errors"] == {
        "start_date": [
            "The job cannot start before the client's entry to IPS "
            f"({short_date(case.start_date)})."
        ],
        "hourly_wage": [
            "A competitive job pays at least the collectively agreed wage; check the wage or "
            "mark the job not competitive."
        ],
    }
    early = _post(
        api,
        "/api/v1/job-search-activities/",
        {
            "client": str(w.client.pk),
            "date": str(days_ago(41)),
            "kind": "interview",
            "employer": str(w.employer.pk),
        },
    )
    assert list(early.json()["errors"]) == ["date"]
    assert JobPlacement.objects.count() == JobSearchActivity.objects.count() == 0


def test_a_job_is_corrected_with_patch(w: World, api: APIClient) -> None:
    start_case(w)
    job = record_job(w)
    url = f"/api/v1/placements/{job.pk}/"
    assert _logged(w.coach) == []
    corrected = api.patch(url, {"job_title": "Kassamyyjä", "hourly_wage": "14.10"}, format="json")
    assert corrected.status_code == 200, corrected.json()
    body = corrected.json()
    assert (body["job_title"], body["hourly_wage"], body["isco_code"]) == (
        "Kassamyyjä",
        "14.10",
        "522",
    )
    job.refresh_from_db()
    assert (job.job_title, job.hourly_wage, job.start_date) == (
        "Kassamyyjä",
        Decimal("14.10"),
        days_ago(20),
    )
    assert _logged(w.coach) == [(str(w.client.pk), "employment", "api")]
    refused = api.patch(url, {"competitive": True, "hourly_wage": "5.00"}, format="json")
    assert refused.status_code == 400
    assert refused["Content-Type"] == PROBLEM
    assert list(refused.json()["errors"]) == ["hourly_wage"]
    ended = api.patch(
        url, {"end_date": str(days_ago(1)), "end_reason": "temporary_ended"}, format="json"
    )
    assert (ended.json()["end_date"], ended.json()["end_reason"]) == (
        str(days_ago(1)),
        "temporary_ended",
    )
    reopened = api.patch(url, {"end_date": None, "end_reason": ""}, format="json")
    assert (reopened.json()["end_date"], reopened.json()["end_reason"]) == (None, "")
    assert api.put(url, {"job_title": "x"}, format="json").status_code == 405
    job.refresh_from_db()
    assert (job.hourly_wage, job.end_date) == (Decimal("14.10"), None)


def test_only_the_recording_organisation_patches_a_job(w: World) -> None:
    start_case(w)
    job = record_job(w)
    partner = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    ConsentFactory(
        client=w.client, organisations=[partner.organisation], categories=["identity", "employment"]
    )
    CareTeamMemberFactory(client=w.client, membership=partner)
    url = f"/api/v1/placements/{job.pk}/"
    refused = _api(partner).patch(url, {"job_title": "Changed"}, format="json")
    assert refused.status_code == 403
    assert refused["Content-Type"] == PROBLEM
    stranger = _api(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST))
    assert stranger.patch(url, {"job_title": "Changed"}, format="json").status_code == 404
    assert JobPlacement.objects.get().job_title == "Myyjä"


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


# --- Regressions of the security review ---------------------------------------------------------

COUNSELLOR_REFUSED = (
    "Choose yourself or an active member of the client's care team whose role covers benefits "
    "counselling."
)
SPECIALIST_REFUSED = "Choose an active employment specialist of your organisation."


def test_the_counsellor_must_be_the_caller_or_on_the_clients_care_team(
    w: World, api: APIClient
) -> None:
    stranger = MembershipFactory(role=Role.BENEFITS_COUNSELLOR)  # another organisation
    data = {"client": str(w.client.pk), "date": str(TODAY()), "topics": ["taxation"]}
    answers = [
        _post(api, "/api/v1/benefits-counselling/", data | {"counsellor": pk})
        for pk in (stranger.pk, stranger.pk + 1000, w.liaison.pk, 2**63)
    ]
    for answer in answers:
        assert answer.status_code == 400
        assert answer["Content-Type"] == PROBLEM
    # A stranger, an unknown id and a role without benefits data read alike.
    assert [a.json()["errors"] for a in answers[:3]] == [{"counsellor": [COUNSELLOR_REFUSED]}] * 3
    assert list(answers[3].json()["errors"]) == ["counsellor"]
    assert BenefitsCounselling.objects.count() == 0
    done = _post(api, "/api/v1/benefits-counselling/", data | {"counsellor": w.counsellor.pk})
    assert done.status_code == 201
    assert done.json()["counsellor"] == w.counsellor.pk


@pytest.mark.parametrize("value", ["99999999999999999999", "1.5", "0", "-3", "x", " "])
def test_an_invalid_specialist_filter_is_a_400_problem(
    w: World, api: APIClient, value: str
) -> None:
    start_case(w)
    response = api.get("/api/v1/ips-cases/", {"specialist": value})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == ["specialist"]
    assert AccessLogEntry.objects.filter(membership=w.coach).count() == 0


def test_the_specialist_filter_finds_the_specialists_cases(w: World, api: APIClient) -> None:
    case = start_case(w)
    mine = api.get("/api/v1/ips-cases/", {"specialist": str(w.coach.pk)}).json()
    assert [row["id"] for row in mine["results"]] == [str(case.pk)]
    other = api.get("/api/v1/ips-cases/", {"specialist": str(w.other_coach.pk)}).json()
    assert other["count"] == 0


def test_a_specialist_elsewhere_and_an_unknown_id_are_refused_alike(
    w: World, api: APIClient
) -> None:
    elsewhere = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)  # active, another organisation
    ended = MembershipFactory(
        organisation=w.city, role=Role.EMPLOYMENT_SPECIALIST, valid_until=days_ago(1)
    )
    data = {
        "client": str(w.client.pk),
        "episode": str(w.episode.pk),
        "start_date": str(TODAY()),
    }
    answers = [
        _post(api, "/api/v1/ips-cases/", data | {"specialist": pk})
        for pk in (elsewhere.pk, elsewhere.pk + 1000, ended.pk, w.coordinator.pk)
    ]
    assert {a.status_code for a in answers} == {400}
    assert [a.json()["errors"] for a in answers] == [{"specialist": [SPECIALIST_REFUSED]}] * 4
    huge = _post(api, "/api/v1/ips-cases/", data | {"specialist": 2**63})
    assert huge.status_code == 400
    assert list(huge.json()["errors"]) == ["specialist"]
    assert IpsCase.objects.count() == 0


@pytest.mark.parametrize("status", ["draft", "filled", "closed"])
def test_an_activity_names_only_an_open_vacancy(w: World, api: APIClient, status: str) -> None:
    vacancy = VacancyFactory(employer=w.employer, status=status)
    response = _post(
        api,
        "/api/v1/job-search-activities/",
        {
            "client": str(w.client.pk),
            "date": str(TODAY()),
            "kind": "interview",
            "vacancy": str(vacancy.pk),
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "vacancy": ["The vacancy is not open. Choose an open vacancy, or none."]
    }
    assert JobSearchActivity.objects.count() == 0


@pytest.mark.parametrize(("status", "code"), [("filled", 201), ("draft", 400), ("closed", 400)])
def test_a_job_names_an_open_or_filled_vacancy(
    w: World, api: APIClient, status: str, code: int
) -> None:
    start_case(w)
    vacancy = VacancyFactory(employer=w.employer, status=status)
    response = _post(
        api,
        "/api/v1/placements/",
        {
            "client": str(w.client.pk),
            "employer": str(w.employer.pk),
            "vacancy": str(vacancy.pk),
            "job_title": "Myyjä",
            "isco_code": "522",
            "competitive": True,
            "start_date": str(days_ago(3)),
            "hours_per_week": "25",
        },
    )
    assert response.status_code == code, response.json()
    assert JobPlacement.objects.count() == (1 if code == 201 else 0)
