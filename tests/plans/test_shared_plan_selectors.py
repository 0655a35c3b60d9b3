"""Reads of the shared plan: goals and actions scoped by category, the log each read leaves, the
history shown item by item, and the actions due for a professional."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from polku.clients.models import Consent
from polku.core.categories import DataCategory
from polku.core.models import AccessAction, AccessLogEntry, Membership
from polku.plans.models import ActionStatus, Plan
from polku.plans.selectors import shared_plan as selectors
from polku.plans.services import shared_plan as services
from tests.plans.test_shared_plan_services import World, make_plan, make_world

pytestmark = pytest.mark.django_db
C = DataCategory
TODAY = timezone.localdate


def _logged(viewer: Membership) -> set[tuple[str, str]]:
    return {(e.category, e.action) for e in AccessLogEntry.objects.filter(membership_id=viewer.pk)}


def _goal_domains(viewer: Membership, world: World) -> list[str]:
    return [g.domain for g in selectors.plan_page(viewer, world.client.pk).goals]


def test_each_viewer_sees_the_goals_of_categories_they_may_read() -> None:
    world = make_world()
    make_plan(world)
    # The health centre recorded the health goal: its own, and the work goal by consent.
    assert _goal_domains(world.health, world) == ["work", "mental_health"]
    # The city's coordinator may read health data, but the client shares the health centre's
    # records with nobody: health data does not cross the border without consent.
    assert _goal_domains(world.coordinator, world) == ["work"]
    # An employment specialist's role does not read health data; a social worker's neither.
    assert _goal_domains(world.key_worker, world) == ["work"]
    assert _goal_domains(world.social_worker, world) == ["work"]


def test_without_a_health_consent_another_organisation_sees_no_coordinator_health_goal() -> None:
    world = make_world(health_consent=False)
    plan = services.plan_create(actor=world.key_worker, episode=world.episode)
    services.goal_add(
        actor=world.coordinator, plan=plan, domain="mental_health", client_words="a", target="b"
    )
    services.goal_add(
        actor=world.key_worker, plan=plan, domain="work", client_words="c", target="d"
    )
    page = selectors.plan_page(world.health, world.client.pk)
    assert [g.domain for g in page.goals] == ["work"]
    assert _logged(world.health) == {
        (C.IDENTITY, AccessAction.VIEW),
        (C.EMPLOYMENT, AccessAction.VIEW),
    }


def test_withdrawing_the_consent_hides_the_plan_on_the_next_read() -> None:
    world = make_world()
    make_plan(world)
    Consent.objects.filter(client=world.client).update(withdrawn_at=timezone.now())
    with pytest.raises(Exception) as error:  # noqa: PT011 - either: the client is gone
        selectors.plan_page(world.health, world.client.pk)
    assert error.type.__name__ == "DoesNotExist"


def test_the_page_logs_identity_the_plan_and_each_category_shown_in_one_insert() -> None:
    world = make_world()
    make_plan(world)
    before = AccessLogEntry.objects.count()
    page = selectors.plan_page(world.health, world.client.pk)
    assert [a.title for a in page.actions] == ["Write a CV", "Start short psychotherapy"]
    assert AccessLogEntry.objects.count() - before == 3
    assert _logged(world.health) == {
        (C.IDENTITY, AccessAction.VIEW),
        (C.EMPLOYMENT, AccessAction.VIEW),
        (C.HEALTH, AccessAction.VIEW),
    }


def test_export_is_logged_as_export() -> None:
    world = make_world()
    plan, *_ = make_plan(world)
    selectors.plan_page(world.key_worker, world.client.pk, plan.pk, action=AccessAction.EXPORT)
    assert _logged(world.key_worker) == {
        (C.IDENTITY, AccessAction.EXPORT),
        (C.EMPLOYMENT, AccessAction.EXPORT),
    }


def test_an_unknown_or_invisible_plan_does_not_exist() -> None:
    world = make_world()
    plan, *_ = make_plan(world)
    other = make_world()
    with pytest.raises(Plan.DoesNotExist):
        selectors.plan_page(world.coordinator, world.client.pk, other.episode.pk)
    with pytest.raises(Exception) as error:  # noqa: PT011
        selectors.plan_page(other.coordinator, world.client.pk, plan.pk)
    assert error.type.__name__ == "DoesNotExist"
    assert AccessLogEntry.objects.filter(membership_id=other.coordinator.pk).count() == 0


def test_the_current_plan_is_the_one_in_force() -> None:
    world = make_world()
    first = services.plan_create(actor=world.key_worker, episode=world.episode)
    services.plan_close(actor=world.key_worker, plan=first)
    second = services.plan_create(actor=world.key_worker, episode=world.episode)
    page = selectors.plan_page(world.key_worker, world.client.pk)
    assert page.plan == second
    assert {p.pk for p in page.plans} == {first.pk, second.pk}


def test_history_shows_only_the_items_the_viewer_may_read_now() -> None:
    world = make_world()
    plan, work, mood, cv, _therapy = make_plan(world)
    services.goal_update(
        actor=world.health,
        goal=mood,
        client_words=mood.client_words,
        target="Sleeps 8 hours",
        status="in_progress",
    )

    def changes(viewer: Membership) -> list[tuple[int, list[tuple[str, str, str]]]]:
        history = selectors.plan_history(viewer, world.client.pk, plan.pk)
        return [
            (v.revision.number, [(i.kind, i.change, i.name) for i in v.item_changes])
            for v in history.revisions
        ]

    assert changes(world.health) == [
        (6, [("goal", "changed", "Mental health")]),
        (5, [("action", "added", "Mental health: Start short psychotherapy")]),
        (4, [("action", "added", "Work and career: Write a CV")]),
        (3, [("goal", "added", "Mental health")]),
        (2, [("goal", "added", "Work and career")]),
        (1, []),
    ]
    # The key worker's role does not read health data, and the coordinator has no consent to
    # read the health centre's: those revisions show no change.
    assert changes(world.coordinator) == changes(world.key_worker)
    assert changes(world.key_worker) == [
        (6, []),
        (5, []),
        (4, [("action", "added", "Work and career: Write a CV")]),
        (3, []),
        (2, [("goal", "added", "Work and career")]),
        (1, []),
    ]
    assert _logged(world.key_worker) == {
        (C.IDENTITY, AccessAction.VIEW),
        (C.EMPLOYMENT, AccessAction.VIEW),
    }
    history = selectors.plan_history(world.health, world.client.pk, plan.pk)
    changed = history.revisions[0].item_changes[0].fields
    assert [(f.label, f.before, f.after) for f in changed] == [
        ("Measurable target", "Sleeps 7 hours most nights", "Sleeps 8 hours"),
        ("Status", "Not started", "In progress"),
    ]
    assert work.pk
    assert cv.pk


def test_history_follows_consent_today_not_at_the_time_of_the_change() -> None:
    world = make_world()
    plan, *_ = make_plan(world)
    shown = selectors.plan_history(world.health, world.client.pk, plan.pk)
    assert C.HEALTH in set().union(*(v.categories for v in shown.revisions))
    Consent.objects.filter(client=world.client).update(withdrawn_at=timezone.now())
    # Identity now unreadable for the health centre: the whole history is gone for it.
    with pytest.raises(Exception) as error:  # noqa: PT011
        selectors.plan_history(world.health, world.client.pk, plan.pk)
    assert error.type.__name__ == "DoesNotExist"


def test_actions_due_for_a_professional() -> None:
    world = make_world()
    plan, work, _mood, cv, _therapy = make_plan(world)
    later = services.action_add(
        actor=world.key_worker,
        goal=work,
        title="Visit a job fair",
        responsible_organisation=world.key_worker.organisation,
        responsible=world.key_worker,
        due_date=TODAY() + dt.timedelta(days=40),
    )
    overdue = services.action_add(
        actor=world.key_worker,
        goal=work,
        title="Register at the employment office",
        responsible_organisation=world.key_worker.organisation,
        responsible=world.key_worker,
        start_date=TODAY() - dt.timedelta(days=10),
        due_date=TODAY() - dt.timedelta(days=2),
    )
    services.action_add(
        actor=world.key_worker,
        goal=work,
        title="Done already",
        responsible_organisation=world.key_worker.organisation,
        responsible=world.key_worker,
        due_date=TODAY(),
        status=ActionStatus.DONE,
    )
    due = selectors.actions_due_for(world.key_worker, today=TODAY(), within_days=14)
    assert list(due) == [overdue, cv]
    assert list(selectors.actions_due_for(world.key_worker, within_days=60)) == [
        overdue,
        cv,
        later,
    ]
    assert list(selectors.actions_due_for(world.coordinator)) == []  # not responsible
    services.plan_close(actor=world.key_worker, plan=plan)
    assert list(selectors.actions_due_for(world.key_worker)) == []
