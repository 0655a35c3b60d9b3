"""Writes of the shared plan: who may do what, what is validated, and that every change leaves a
revision whose snapshot tags each goal and action with its category."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polku.clients.models import Client, Episode
from polku.core.categories import DataCategory
from polku.core.models import Membership
from polku.core.roles import Role
from polku.plans.models import (
    Action,
    ActionStatus,
    AgreementMethod,
    Goal,
    GoalStatus,
    Plan,
    PlanReview,
    PlanRevision,
    PlanStatus,
)
from polku.plans.services import shared_plan as services
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    EpisodeFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db
C = DataCategory
TODAY = timezone.localdate


@dataclass
class World:
    """A client of organisation A with a care team: A's coordinator and key worker (an
    employment specialist), A's social worker, and a health professional of organisation B
    (the health centre), who reads the client by consent."""

    client: Client
    episode: Episode
    coordinator: Membership
    key_worker: Membership
    social_worker: Membership
    health: Membership
    outsider: Membership


def make_world(
    *, health_consent: bool = True, consent_categories: list[str] | None = None
) -> World:
    org_a, org_b = (
        OrganisationFactory(name="City employment"),
        OrganisationFactory(name="Health centre"),
    )
    client = ClientFactory(recorded_by=org_a, first_name="Aino", last_name="Virtanen")
    episode = EpisodeFactory(client=client)
    coordinator = MembershipFactory(organisation=org_a, role=Role.COORDINATOR)
    key_worker = MembershipFactory(organisation=org_a, role=Role.EMPLOYMENT_SPECIALIST)
    social_worker = MembershipFactory(organisation=org_a, role=Role.SOCIAL_WORKER)
    health = MembershipFactory(organisation=org_b, role=Role.HEALTH_PROFESSIONAL)
    categories = consent_categories or [C.IDENTITY, C.EMPLOYMENT] + (
        [C.HEALTH] if health_consent else []
    )
    ConsentFactory(client=client, organisations=[org_b], categories=categories)
    CareTeamMemberFactory(client=client, membership=key_worker, is_key_worker=True)
    CareTeamMemberFactory(client=client, membership=social_worker)
    CareTeamMemberFactory(client=client, membership=health)
    outsider = MembershipFactory(role=Role.COORDINATOR)
    return World(client, episode, coordinator, key_worker, social_worker, health, outsider)


def make_plan(world: World) -> tuple[Plan, Goal, Goal, Action, Action]:
    """A plan with a work goal (by the key worker) and a mental-health goal (by the health
    professional), each with one action."""
    plan = services.plan_create(actor=world.key_worker, episode=world.episode)
    work = services.goal_add(
        actor=world.key_worker,
        plan=plan,
        domain="work",
        client_words="I want a job in a warehouse",
        target="Employed 20 h/week",
    )
    mood = services.goal_add(
        actor=world.health,
        plan=plan,
        domain="mental_health",
        client_words="Sleep better and feel less anxious",
        target="Sleeps 7 hours most nights",
    )
    cv = services.action_add(
        actor=world.key_worker,
        goal=work,
        title="Write a CV",
        responsible_organisation=world.key_worker.organisation,
        responsible=world.key_worker,
        due_date=TODAY() + dt.timedelta(days=7),
    )
    therapy = services.action_add(
        actor=world.health,
        goal=mood,
        title="Start short psychotherapy",
        responsible_organisation=world.health.organisation,
        responsible=world.health,
    )
    return plan, work, mood, cv, therapy


@pytest.fixture
def world() -> World:
    return make_world()


def test_key_worker_creates_a_draft_plan_with_its_first_revision(world: World) -> None:
    plan = services.plan_create(actor=world.key_worker, episode=world.episode)

    assert (plan.status, plan.revision, plan.client_id) == (PlanStatus.DRAFT, 1, world.client.pk)
    revision = PlanRevision.objects.get(plan=plan)
    assert (revision.number, revision.change, revision.changed_by) == (
        1,
        "created",
        world.key_worker,
    )
    assert revision.snapshot["goals"] == []
    assert revision.snapshot["plan"]["status"] == "draft"


def test_one_active_plan_per_episode_until_it_is_closed(world: World) -> None:
    plan = services.plan_create(actor=world.key_worker, episode=world.episode)
    with pytest.raises(ValidationError) as error:
        services.plan_create(actor=world.key_worker, episode=world.episode)
    assert error.value.error_dict["episode"][0].code == services.ACTIVE_PLAN_EXISTS
    assert Plan.objects.count() == 1

    services.plan_close(actor=world.key_worker, plan=plan)
    second = services.plan_create(actor=world.key_worker, episode=world.episode)
    assert Plan.objects.filter(episode=world.episode).count() == 2
    assert second.status == PlanStatus.DRAFT


def test_no_plan_for_an_ended_episode(world: World) -> None:
    world.episode.end_date, world.episode.end_reason = TODAY(), "employed"
    world.episode.save()
    with pytest.raises(ValidationError) as error:
        services.plan_create(actor=world.key_worker, episode=world.episode)
    assert "episode" in error.value.message_dict
    assert not Plan.objects.exists()


@pytest.mark.parametrize("who", ["social_worker", "health", "outsider"])
def test_only_who_manages_the_plan_creates_it(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=getattr(world, who), episode=world.episode)
    assert not Plan.objects.exists()


def test_coordinator_of_the_registering_organisation_creates_it_too(world: World) -> None:
    plan = services.plan_create(actor=world.coordinator, episode=world.episode)
    assert plan.recorded_by_id == world.coordinator.organisation_id


def test_goals_take_their_domain_category_and_every_change_is_a_revision(world: World) -> None:
    plan, work, mood, cv, therapy = make_plan(world)

    assert (work.category, mood.category) == (C.EMPLOYMENT, C.HEALTH)
    assert (cv.category, therapy.category) == (C.EMPLOYMENT, C.HEALTH)
    assert (mood.recorded_by_id, therapy.recorded_by_id) == (world.health.organisation_id,) * 2
    plan.refresh_from_db()
    assert plan.revision == 5
    assert list(PlanRevision.objects.filter(plan=plan).values_list("change", flat=True)) == [
        "action_added",
        "action_added",
        "goal_added",
        "goal_added",
        "created",
    ]
    latest = PlanRevision.objects.get(plan=plan, number=5).snapshot
    assert [(g["domain"], g["category"], g["recorded_by"]) for g in latest["goals"]] == [
        ("work", C.EMPLOYMENT, world.key_worker.organisation_id),
        ("mental_health", C.HEALTH, world.health.organisation_id),
    ]
    assert [(a["title"], a["category"]) for a in latest["actions"]] == [
        ("Write a CV", C.EMPLOYMENT),
        ("Start short psychotherapy", C.HEALTH),
    ]


@pytest.mark.parametrize(
    ("who", "domain"),
    [
        ("key_worker", "mental_health"),  # an employment specialist may not read health data
        ("social_worker", "physical_health"),
        ("health", "housing"),  # a health professional may not read social data
        ("outsider", "work"),  # not on the client's work at all
    ],
)
def test_goals_only_in_categories_the_role_permits(world: World, who: str, domain: str) -> None:
    plan = services.plan_create(actor=world.key_worker, episode=world.episode)
    with pytest.raises(PermissionDenied):
        services.goal_add(
            actor=getattr(world, who), plan=plan, domain=domain, client_words="x", target="y"
        )
    plan.refresh_from_db()
    assert (Goal.objects.count(), plan.revision) == (0, 1)


def test_health_goal_needs_the_health_consent_for_another_organisation() -> None:
    world = make_world(health_consent=False)
    plan = services.plan_create(actor=world.key_worker, episode=world.episode)
    # Its own records it may write (it is on the care team, its role reads health) …
    goal = services.goal_add(
        actor=world.health, plan=plan, domain="substance_use", client_words="a", target="b"
    )
    assert goal.recorded_by_id == world.health.organisation_id
    # … but not the coordinator's health goal, which it may not read without consent.
    theirs = services.goal_add(
        actor=world.coordinator, plan=plan, domain="mental_health", client_words="c", target="d"
    )
    with pytest.raises(PermissionDenied):
        services.goal_update(actor=world.health, goal=theirs, client_words="e", target="f")
    with pytest.raises(PermissionDenied):
        services.action_add(
            actor=world.health,
            goal=theirs,
            title="x",
            responsible_organisation=world.health.organisation,
        )
    theirs.refresh_from_db()
    assert theirs.client_words == "c"
    assert not Action.objects.exists()


def test_goal_validation_changes_nothing(world: World) -> None:
    plan = services.plan_create(actor=world.key_worker, episode=world.episode)
    with pytest.raises(ValidationError) as error:
        services.goal_add(
            actor=world.key_worker,
            plan=plan,
            domain="work",
            client_words="  ",
            target="x" * 301,
            target_date=world.episode.start_date - dt.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"client_words", "target", "target_date"}
    with pytest.raises(ValidationError) as error:
        services.goal_add(
            actor=world.key_worker, plan=plan, domain="astrology", client_words="a", target="b"
        )
    assert set(error.value.message_dict) == {"domain"}
    plan.refresh_from_db()
    assert (Goal.objects.count(), plan.revision) == (0, 1)


def test_goal_update_keeps_the_domain_and_skips_empty_changes(world: World) -> None:
    plan, work, *_ = make_plan(world)
    services.goal_update(
        actor=world.key_worker,
        goal=work,
        client_words=work.client_words,
        target=work.target,
        status=GoalStatus.OPEN,
    )
    plan.refresh_from_db()
    assert plan.revision == 5  # nothing changed, no revision

    services.goal_update(
        actor=world.key_worker,
        goal=work,
        client_words="A job in logistics",
        target=work.target,
        target_date=TODAY() + dt.timedelta(days=90),
        status=GoalStatus.IN_PROGRESS,
    )
    work.refresh_from_db()
    plan.refresh_from_db()
    assert (work.client_words, work.status, work.domain) == (
        "A job in logistics",
        GoalStatus.IN_PROGRESS,
        "work",
    )
    assert plan.revision == 6
    assert PlanRevision.objects.get(plan=plan, number=6).change == "goal_updated"


def test_responsible_person_must_belong_to_the_responsible_organisation(world: World) -> None:
    _plan, work, *_ = make_plan(world)
    with pytest.raises(ValidationError) as error:
        services.action_add(
            actor=world.key_worker,
            goal=work,
            title="Job fair",
            responsible_organisation=world.key_worker.organisation,
            responsible=world.health,
        )
    assert set(error.value.message_dict) == {"responsible"}
    assert Action.objects.filter(title="Job fair").count() == 0


def test_action_dates_must_be_in_order(world: World) -> None:
    _plan, work, *_ = make_plan(world)
    with pytest.raises(ValidationError) as error:
        services.action_add(
            actor=world.key_worker,
            goal=work,
            title="Job fair",
            responsible_organisation=world.key_worker.organisation,
            start_date=TODAY(),
            due_date=TODAY() - dt.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"due_date"}


def test_done_records_the_completion_day_and_reopening_clears_it(world: World) -> None:
    plan, _work, _mood, cv, _therapy = make_plan(world)
    fields: dict[str, Any] = {
        "title": cv.title,
        "responsible_organisation": cv.responsible_organisation,
        "responsible": cv.responsible,
        "due_date": cv.due_date,
    }
    services.action_update(actor=world.key_worker, action=cv, status=ActionStatus.DONE, **fields)
    cv.refresh_from_db()
    assert (cv.status, cv.completed_on) == (ActionStatus.DONE, TODAY())

    with pytest.raises(ValidationError) as error:
        services.action_update(
            actor=world.key_worker,
            action=cv,
            status=ActionStatus.DONE,
            completed_on=TODAY() + dt.timedelta(days=1),
            **fields,
        )
    assert set(error.value.message_dict) == {"completed_on"}

    services.action_update(
        actor=world.key_worker, action=cv, status=ActionStatus.IN_PROGRESS, **fields
    )
    cv.refresh_from_db()
    plan.refresh_from_db()
    assert (cv.status, cv.completed_on) == (ActionStatus.IN_PROGRESS, None)
    assert plan.revision == 7


def test_agreement_records_meeting_participants_and_the_clients_agreement(world: World) -> None:
    plan, *_ = make_plan(world)
    services.plan_agree(
        actor=world.key_worker,
        plan=plan,
        agreed_on=TODAY(),
        participants=[world.key_worker, world.health],
        participants_other="Mother of the client",
        client_agreed=True,
        agreement_method=AgreementMethod.IN_MEETING,
        note="Reviewed together",
    )
    plan.refresh_from_db()
    assert (plan.status, plan.agreed_on, plan.client_agreed, plan.agreement_method) == (
        PlanStatus.AGREED,
        TODAY(),
        True,
        "meeting",
    )
    assert set(plan.participants.all()) == {world.key_worker, world.health}
    snap = PlanRevision.objects.get(plan=plan, number=plan.revision).snapshot["plan"]
    assert snap["participants"] == sorted([world.key_worker.pk, world.health.pk])
    assert (snap["status"], snap["client_agreed"], snap["participants_other"]) == (
        "agreed",
        True,
        "Mother of the client",
    )


def test_agreement_validation(world: World) -> None:
    plan, *_ = make_plan(world)
    with pytest.raises(ValidationError) as error:
        services.plan_agree(
            actor=world.key_worker,
            plan=plan,
            agreed_on=TODAY() + dt.timedelta(days=1),
            participants=[world.outsider],
            client_agreed=True,
        )
    assert set(error.value.message_dict) == {"agreed_on", "participants", "agreement_method"}
    plan.refresh_from_db()
    assert (plan.status, plan.revision, plan.participants.count()) == (PlanStatus.DRAFT, 5, 0)


def test_a_plan_without_goals_cannot_be_agreed(world: World) -> None:
    plan = services.plan_create(actor=world.key_worker, episode=world.episode)
    with pytest.raises(ValidationError):
        services.plan_agree(actor=world.key_worker, plan=plan, agreed_on=TODAY())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


@pytest.mark.parametrize("who", ["social_worker", "health", "outsider"])
def test_only_who_manages_the_plan_agrees_reviews_and_closes(world: World, who: str) -> None:
    plan, *_ = make_plan(world)
    actor = getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.plan_agree(actor=actor, plan=plan, agreed_on=TODAY())
    with pytest.raises(PermissionDenied):
        services.review_add(actor=actor, plan=plan, due_on=TODAY() + dt.timedelta(days=30))
    with pytest.raises(PermissionDenied):
        services.plan_close(actor=actor, plan=plan)
    plan.refresh_from_db()
    assert (plan.status, plan.revision, PlanReview.objects.count()) == (PlanStatus.DRAFT, 5, 0)


def test_reviews_are_scheduled_and_held(world: World) -> None:
    plan, *_ = make_plan(world)
    due = TODAY() + dt.timedelta(days=30)
    review = services.review_add(actor=world.key_worker, plan=plan, due_on=due)
    with pytest.raises(ValidationError) as error:
        services.review_add(actor=world.key_worker, plan=plan, due_on=due)
    assert set(error.value.message_dict) == {"due_on"}
    with pytest.raises(ValidationError):
        services.review_add(
            actor=world.key_worker, plan=plan, due_on=TODAY() - dt.timedelta(days=1)
        )

    services.review_hold(actor=world.key_worker, review=review, note="All on track")
    review.refresh_from_db()
    assert (review.held_on, review.note) == (TODAY(), "All on track")
    with pytest.raises(ValidationError):
        services.review_hold(actor=world.key_worker, review=review)
    plan.refresh_from_db()
    assert plan.revision == 7
    reviews = PlanRevision.objects.get(plan=plan, number=7).snapshot["plan"]["reviews"]
    assert reviews == [
        {
            "id": review.pk,
            "due_on": due.isoformat(),
            "held_on": TODAY().isoformat(),
            "note": "All on track",
        }
    ]


def test_a_closed_plan_no_longer_changes(world: World) -> None:
    plan, work, _mood, cv, _therapy = make_plan(world)
    services.plan_close(actor=world.key_worker, plan=plan)
    with pytest.raises(ValidationError):
        services.plan_close(actor=world.key_worker, plan=plan)
    with pytest.raises((ValidationError, PermissionDenied)):
        services.goal_add(
            actor=world.key_worker, plan=plan, domain="work", client_words="a", target="b"
        )
    with pytest.raises((ValidationError, PermissionDenied)):
        services.action_update(
            actor=world.key_worker,
            action=cv,
            title="Changed",
            responsible_organisation=cv.responsible_organisation,
        )
    with pytest.raises(ValidationError):
        services.plan_agree(actor=world.key_worker, plan=plan, agreed_on=TODAY())
    plan.refresh_from_db()
    cv.refresh_from_db()
    assert (plan.status, plan.revision, cv.title, Goal.objects.count()) == (
        PlanStatus.CLOSED,
        6,
        "Write a CV",
        2,
    )
    assert work.pk  # the goals stay, with the history
