"""The shared plan's REST endpoints: plans, goals, actions and plan reviews, listed by client or
plan, written through the services, agreed, and their revisions read-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from polku.core.categories import DataCategory
from polku.core.models import AccessAction, AccessLogEntry
from polku.plans.models import Action, Goal, Plan, PlanStatus
from tests.api.test_api import api_for, ids, problem_of
from tests.plans.test_shared_plan_services import World, make_plan, make_world

pytestmark = pytest.mark.django_db
C = DataCategory
TODAY = timezone.localdate


@pytest.fixture
def world() -> World:
    return make_world()


def test_create_add_and_agree_through_the_api(world: World) -> None:
    api = api_for(world.key_worker)
    response = api.post("/api/v1/plans/", {"episode": str(world.episode.pk)}, format="json")
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    assert (response.json()["status"], response.json()["revision"]) == ("draft", 1)

    response = api.post(
        "/api/v1/goals/",
        {
            "plan": plan_id,
            "domain": "work",
            "client_words": "Work with my hands",
            "target": "A trial placement",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    goal = response.json()
    assert (goal["category"], goal["status"]) == (C.EMPLOYMENT, "open")

    response = api.post(
        "/api/v1/actions/",
        {
            "goal": goal["id"],
            "title": "Meet an employer",
            "responsible_organisation": world.key_worker.organisation_id,
            "responsible": world.key_worker.pk,
            "due_date": (TODAY() + dt.timedelta(days=10)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    action_id = response.json()["id"]

    response = api.patch(f"/api/v1/actions/{action_id}/", {"status": "done"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["completed_on"]) == (
        "done",
        TODAY().isoformat(),
    )

    response = api.post(
        f"/api/v1/plans/{plan_id}/agree/",
        {
            "agreed_on": TODAY().isoformat(),
            "participants": [world.key_worker.pk],
            "client_agreed": True,
            "agreement_method": "signed",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["participants"]) == (
        "agreed",
        [world.key_worker.pk],
    )

    response = api.post(
        "/api/v1/plan-reviews/",
        {"plan": plan_id, "due_on": (TODAY() + dt.timedelta(days=60)).isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content
    review_id = response.json()["id"]
    response = api.post(f"/api/v1/plan-reviews/{review_id}/hold/", {}, format="json")
    assert response.json()["held_on"] == TODAY().isoformat()

    revisions = api.get(f"/api/v1/plans/{plan_id}/revisions/").json()
    assert [(r["number"], r["change"]) for r in revisions] == [
        (1, "created"),
        (2, "goal_added"),
        (3, "action_added"),
        (4, "action_updated"),
        (5, "agreed"),
        (6, "review_added"),
        (7, "review_held"),
    ]


def test_lists_by_client_and_plan_show_only_readable_categories(world: World) -> None:
    plan, work, mood, cv, therapy = make_plan(world)
    other = make_world()
    make_plan(other)  # another client's plan, of another organisation

    key_worker = api_for(world.key_worker)
    assert ids(key_worker.get("/api/v1/plans/", {"client": str(world.client.pk)})) == [str(plan.pk)]
    assert ids(key_worker.get("/api/v1/goals/", {"plan": str(plan.pk)})) == [str(work.pk)]
    assert ids(key_worker.get("/api/v1/actions/", {"client": str(world.client.pk)})) == [str(cv.pk)]
    assert key_worker.get(f"/api/v1/goals/{mood.pk}/").status_code == 404
    assert key_worker.get(f"/api/v1/actions/{therapy.pk}/").status_code == 404

    health = api_for(world.health)
    assert sorted(ids(health.get("/api/v1/goals/", {"plan": str(plan.pk)}))) == sorted(
        [str(work.pk), str(mood.pk)]
    )
    assert ids(health.get("/api/v1/plans/")) == [str(plan.pk)]


def test_api_reads_are_logged_with_each_rows_category(world: World) -> None:
    plan, *_ = make_plan(world)
    api_for(world.health).get("/api/v1/goals/", {"plan": str(plan.pk)})
    logged = {
        (e.category, e.action) for e in AccessLogEntry.objects.filter(membership_id=world.health.pk)
    }
    assert logged == {(C.EMPLOYMENT, AccessAction.API), (C.HEALTH, AccessAction.API)}


def test_revisions_leave_out_what_the_viewer_may_not_read(world: World) -> None:
    plan, *_ = make_plan(world)
    revisions = api_for(world.key_worker).get(f"/api/v1/plans/{plan.pk}/revisions/").json()
    assert [(r["number"], r["change"]) for r in revisions] == [
        (1, "created"),
        (2, "goal_added"),
        (3, None),  # the health goal: its change is not the key worker's to know
        (4, "action_added"),
        (5, None),
    ]
    latest = revisions[-1]["snapshot"]
    assert [g["domain"] for g in latest["goals"]] == ["work"]
    assert [a["title"] for a in latest["actions"]] == ["Write a CV"]
    assert "Sleep better" not in str(revisions)


def test_writes_are_refused_where_the_role_or_basis_is_missing(world: World) -> None:
    plan, work, *_ = make_plan(world)
    # An employment specialist may not write health goals.
    response = api_for(world.key_worker).post(
        "/api/v1/goals/",
        {"plan": str(plan.pk), "domain": "mental_health", "client_words": "a", "target": "b"},
        format="json",
    )
    problem_of(response, 403)
    # A social worker may not agree the plan.
    response = api_for(world.social_worker).post(
        f"/api/v1/plans/{plan.pk}/agree/", {"agreed_on": TODAY().isoformat()}, format="json"
    )
    problem_of(response, 403)
    # Another organisation's coordinator does not see the plan at all.
    response = api_for(world.outsider).post(
        "/api/v1/goals/",
        {"plan": str(plan.pk), "domain": "work", "client_words": "a", "target": "b"},
        format="json",
    )
    assert "plan" in problem_of(response, 400)["errors"]
    plan.refresh_from_db()
    assert (plan.revision, plan.status, Goal.objects.count()) == (5, PlanStatus.DRAFT, 2)
    assert work.pk


def test_validation_problems_name_the_fields(world: World) -> None:
    _plan, work, *_ = make_plan(world)
    response = api_for(world.key_worker).post(
        "/api/v1/actions/",
        {
            "goal": str(work.pk),
            "title": "Job fair",
            "responsible_organisation": world.key_worker.organisation_id,
            "responsible": world.health.pk,
        },
        format="json",
    )
    assert set(problem_of(response, 400)["errors"]) == {"responsible"}
    response = api_for(world.key_worker).post(
        "/api/v1/plans/", {"episode": str(world.episode.pk)}, format="json"
    )
    assert set(problem_of(response, 400)["errors"]) == {"episode"}
    assert Action.objects.count() == 2
    assert Plan.objects.count() == 1
