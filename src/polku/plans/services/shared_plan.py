"""Writes of the shared plan: create it for an episode, add and update goals, actions and review
dates, record the agreement meeting, close it.

The plan itself (dates, agreement, reviews) is employment data and is managed by whoever may
manage the client's plan (`permissions.can_manage_plan`: the key worker, a coordinator of the
registering organisation). Goals and actions belong to a life domain's category, so anyone on
the client's work who may write that category adds them — a health professional the health goals,
a social worker the housing goals — and nobody writes a category their role may not read.

Every change appends a PlanRevision: a frozen copy of the goals, actions, reviews and agreement,
each goal and action tagged with its category and recording organisation, so the history can
later show each viewer only what they may read then. A closed plan is frozen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.clients.models import Client, Episode
from polku.core import access, audit
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership, Organisation
from polku.plans.domains import LifeDomain, category_of
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
from polku.plans.permissions import can_manage_plan, can_work_on, can_write_category, require
from polku.plans.selectors.shared_plan import responsible_candidates, team_memberships

C = DataCategory
TEXT_MAX_LENGTH = 4000
ACTIVE_PLAN_EXISTS = "active_plan_exists"
# How far ahead a plan's dates may reach: a plan is for the coming months, not for decades.
MAX_YEARS_AHEAD = 5


class Change:
    """What a revision records, one word each (PlanRevision.change)."""

    CREATED = "created"
    GOAL_ADDED = "goal_added"
    GOAL_UPDATED = "goal_updated"
    ACTION_ADDED = "action_added"
    ACTION_UPDATED = "action_updated"
    REVIEW_ADDED = "review_added"
    REVIEW_HELD = "review_held"
    AGREED = "agreed"
    CLOSED = "closed"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def snapshot(plan: Plan) -> dict[str, Any]:
    """The plan as it stands, as JSON: the agreement and reviews (employment data), and every
    goal and action tagged with its category and the organisation that recorded it."""
    goals = list(Goal.objects.filter(plan=plan).order_by("created_at", "pk"))
    actions = list(
        Action.objects.filter(goal__plan=plan).order_by("goal__created_at", "created_at", "pk")
    )
    reviews = list(PlanReview.objects.filter(plan=plan).order_by("due_on", "pk"))
    return {
        "plan": {
            "status": plan.status,
            "agreed_on": _date(plan.agreed_on),
            "participants": sorted(plan.participants.values_list("pk", flat=True)),
            "participants_other": plan.participants_other,
            "client_agreed": plan.client_agreed,
            "agreement_method": plan.agreement_method,
            "agreement_note": plan.agreement_note,
            "reviews": [
                {
                    "id": review.pk,
                    "due_on": _date(review.due_on),
                    "held_on": _date(review.held_on),
                    "note": review.note,
                }
                for review in reviews
            ],
        },
        "goals": [
            {
                "id": str(goal.pk),
                "category": goal.category,
                "recorded_by": goal.recorded_by_id,
                "domain": goal.domain,
                "client_words": goal.client_words,
                "target": goal.target,
                "target_date": _date(goal.target_date),
                "status": goal.status,
            }
            for goal in goals
        ],
        "actions": [
            {
                "id": str(action.pk),
                "goal": str(action.goal_id),
                "category": action.category,
                "recorded_by": action.recorded_by_id,
                "title": action.title,
                "description": action.description,
                "responsible_organisation": action.responsible_organisation_id,
                "responsible": action.responsible_id,
                "start_date": _date(action.start_date),
                "due_date": _date(action.due_date),
                "status": action.status,
                "completed_on": _date(action.completed_on),
            }
            for action in actions
        ],
    }


def _revise(actor: Membership, plan: Plan, change: str) -> PlanRevision:
    """Bump the plan's revision and freeze its new state. Called inside the change's
    transaction with the plan row locked, so revision numbers never collide."""
    plan.revision += 1
    plan.save(update_fields=["revision", "updated_at"])
    return PlanRevision.objects.create(
        plan=plan,
        client_id=plan.client_id,
        number=plan.revision,
        snapshot=snapshot(plan),
        change=change,
        changed_by=actor,
        recorded_by_id=actor.organisation_id,
    )


def _locked(plan: Plan) -> Plan:
    """The plan row, locked until the end of the transaction, with its client."""
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("client", "episode")
        .get(pk=plan.pk)
    )


def can_read_plan(actor: Membership, plan: Plan) -> bool:
    """May read the plan itself (employment data of the organisation that created it)."""
    return access.can_read(
        actor,
        plan.client,
        category=C.EMPLOYMENT,
        purpose=Purpose.SERVICE,
        recorded_by_id=plan.recorded_by_id,
    )


def can_manage(actor: Membership, plan: Plan) -> bool:
    """May agree, close and schedule reviews of `plan`: manages the client's plan and reads it."""
    return can_manage_plan(actor, plan.client) and can_read_plan(actor, plan)


def writable_categories(actor: Membership, plan: Plan) -> set[str]:
    """The categories in which `actor` may add or change goals and actions of `plan`: those
    their role may read, when they read the plan and work on the client (`can_write_category`)."""
    if plan.status == PlanStatus.CLOSED or not can_read_plan(actor, plan):
        return set()
    if not can_work_on(actor, plan.client):
        return set()
    return {c for c in DataCategory.values if access.role_permits(actor, c)}


def writable_domains(actor: Membership, plan: Plan) -> list[str]:
    """The life domains in which `actor` may add goals to `plan`, in the assessment's order."""
    categories = writable_categories(actor, plan)
    return [d for d in LifeDomain.values if category_of(d) in categories]


def _can_read_row(actor: Membership, row: Goal | Action) -> bool:
    return access.can_read(
        actor,
        row.client,
        category=row.category,
        purpose=Purpose.SERVICE,
        recorded_by_id=row.recorded_by_id,
    )


def can_edit_goal(actor: Membership, goal: Goal) -> bool:
    """May change `goal` (and add actions under it): reads the plan and the goal, and may write
    the goal's category about the client."""
    return (
        goal.plan.status != PlanStatus.CLOSED
        and can_read_plan(actor, goal.plan)
        and _can_read_row(actor, goal)
        and can_write_category(actor, goal.client, goal.category)
    )


def can_edit_action(actor: Membership, action: Action) -> bool:
    return can_edit_goal(actor, action.goal) and _can_read_row(actor, action)


def _check_open(plan: Plan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("This plan is closed and can no longer be changed."))


def _check_text(errors: dict[str, str], texts: dict[str, str], limits: dict[str, int]) -> None:
    for name, text in texts.items():
        limit = limits.get(name, TEXT_MAX_LENGTH)
        if len(text) > limit:
            errors[name] = _("Write at most %(limit)d characters.") % {"limit": limit}


def _too_far(day: dt.date) -> bool:
    return day > timezone.localdate() + dt.timedelta(days=365 * MAX_YEARS_AHEAD)


@transaction.atomic
def plan_create(*, actor: Membership, episode: Episode) -> Plan:
    """Start the shared plan of an open episode, as a draft.

    One active (not closed) plan per episode. Raises PermissionDenied unless the actor may
    manage the client's plan and read the episode; ValidationError when the episode has ended
    or already has an active plan (code "active_plan_exists").
    """
    # Serialise plan starts for one episode: two concurrent starts would both see no plan.
    episode = (
        Episode.objects.select_for_update(of=("self",)).select_related("client").get(pk=episode.pk)
    )
    client = episode.client
    require(can_manage_plan(actor, client))
    require(
        access.can_read(
            actor,
            client,
            category=C.EMPLOYMENT,
            purpose=Purpose.SERVICE,
            recorded_by_id=episode.recorded_by_id,
        )
    )
    if episode.end_date is not None:
        raise ValidationError({"episode": _("The episode has ended: choose an open episode.")})
    if Plan.objects.filter(episode=episode).exclude(status=PlanStatus.CLOSED).exists():
        raise ValidationError(
            {
                "episode": ValidationError(
                    _("This episode already has a plan. Close it before starting another."),
                    code=ACTIVE_PLAN_EXISTS,
                )
            }
        )
    with audit.acting(actor):
        try:
            with transaction.atomic():
                plan = Plan.objects.create(
                    client=client,
                    episode=episode,
                    recorded_by_id=actor.organisation_id,
                    created_by=actor,
                )
        except IntegrityError:
            raise ValidationError(
                {"episode": _("This episode already has a plan. Close it before starting another.")}
            ) from None
        _revise(actor, plan, Change.CREATED)
    return plan


def _goal_fields(
    *, client_words: str, target: str, target_date: dt.date | None, status: str, plan: Plan
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "client_words": client_words.strip(),
        "target": target.strip(),
        "target_date": target_date,
        "status": status,
    }
    errors: dict[str, str] = {}
    if not fields["client_words"]:
        errors["client_words"] = _("Write the goal as the client says it.")
    if not fields["target"]:
        errors["target"] = _("Say how everyone will know the goal is reached.")
    _check_text(
        errors,
        {"client_words": fields["client_words"], "target": fields["target"]},
        {"target": Goal._meta.get_field("target").max_length or 300},
    )
    if status not in GoalStatus.values:
        errors["status"] = _("Choose a status from the list.")
    if target_date is not None:
        if target_date < plan.episode.start_date:
            errors["target_date"] = _("The target date is before the episode started.")
        elif _too_far(target_date):
            errors["target_date"] = _("The target date is more than %(years)d years ahead.") % {
                "years": MAX_YEARS_AHEAD
            }
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def goal_add(
    *,
    actor: Membership,
    plan: Plan,
    domain: str,
    client_words: str,
    target: str,
    target_date: dt.date | None = None,
    status: str = GoalStatus.OPEN,
) -> Goal:
    """Add a goal in one life domain; it takes the domain's data category.

    Raises PermissionDenied unless the actor reads the plan and may write the domain's category
    about the client; ValidationError for an unknown domain, missing or too long text, an
    implausible date or a closed plan.
    """
    plan = _locked(plan)
    require(can_read_plan(actor, plan))
    if domain not in LifeDomain.values:
        raise ValidationError({"domain": _("Choose one of the life domains.")})
    category = category_of(domain)
    require(can_write_category(actor, plan.client, category))
    _check_open(plan)
    fields = _goal_fields(
        client_words=client_words,
        target=target,
        target_date=target_date,
        status=status,
        plan=plan,
    )
    with audit.acting(actor):
        goal = Goal.objects.create(
            plan=plan,
            client=plan.client,
            domain=domain,
            category=category,
            recorded_by_id=actor.organisation_id,
            created_by=actor,
            **fields,
        )
        _revise(actor, plan, Change.GOAL_ADDED)
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: Membership,
    goal: Goal,
    client_words: str,
    target: str,
    target_date: dt.date | None = None,
    status: str = GoalStatus.OPEN,
) -> Goal:
    """Change a goal's words, target, date or status. Its domain (and so its category) stays.

    Raises PermissionDenied unless `can_edit_goal`; ValidationError as `goal_add`.
    """
    plan = _locked(goal.plan)
    goal = Goal.objects.select_related("client", "plan").get(pk=goal.pk)
    require(can_edit_goal(actor, goal))
    _check_open(plan)
    fields = _goal_fields(
        client_words=client_words,
        target=target,
        target_date=target_date,
        status=status,
        plan=plan,
    )
    if all(getattr(goal, name) == value for name, value in fields.items()):
        return goal
    with audit.acting(actor):
        for name, value in fields.items():
            setattr(goal, name, value)
        goal.save(update_fields=[*fields, "updated_at"])
        _revise(actor, plan, Change.GOAL_UPDATED)
    return goal


def _action_fields(
    *,
    title: str,
    description: str,
    responsible_organisation: Organisation,
    responsible: Membership | None,
    start_date: dt.date | None,
    due_date: dt.date | None,
    status: str,
    completed_on: dt.date | None,
) -> dict[str, Any]:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "title": title.strip(),
        "description": description.strip(),
        "responsible_organisation": responsible_organisation,
        "responsible": responsible,
        "start_date": start_date,
        "due_date": due_date,
        "status": status,
        # Done means done on some day: today unless said otherwise; not done has no such day.
        "completed_on": (completed_on or today) if status == ActionStatus.DONE else None,
    }
    errors: dict[str, str] = {}
    if not fields["title"]:
        errors["title"] = _("Say what will be done.")
    _check_text(
        errors,
        {"title": fields["title"], "description": fields["description"]},
        {"title": Action._meta.get_field("title").max_length or 200},
    )
    if not responsible_organisation.is_active:
        errors["responsible_organisation"] = _("Choose an organisation that takes part in Polku.")
    if responsible is not None and (
        responsible.organisation_id != responsible_organisation.pk or not responsible.is_active()
    ):
        errors["responsible"] = _(
            "Choose a person who works in the responsible organisation (%(organisation)s)."
        ) % {"organisation": responsible_organisation.name}
    if status not in ActionStatus.values:
        errors["status"] = _("Choose a status from the list.")
    if start_date is not None and due_date is not None and due_date < start_date:
        errors["due_date"] = _("The due date is before the start date.")
    for name in ("start_date", "due_date"):
        if fields[name] is not None and _too_far(fields[name]) and name not in errors:
            errors[name] = _("The date is more than %(years)d years ahead.") % {
                "years": MAX_YEARS_AHEAD
            }
    if fields["completed_on"] is not None and fields["completed_on"] > today:
        errors["completed_on"] = _("The completion date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return fields


def _check_responsible(
    actor: Membership, client: Client, responsible: Membership | None, *, was: int | None = None
) -> None:
    """The person named responsible must be one the action form offers (`responsible_candidates`:
    the registering organisation's, the care team's organisations' and the actor's own
    professionals): the API must not name, and so notify about the client, a member of any
    organisation at all. A person already named may stay when the action is otherwise changed."""
    if responsible is None or responsible.pk == was:
        return
    if not responsible_candidates(client, actor).filter(pk=responsible.pk).exists():
        raise ValidationError(
            {
                "responsible": _(
                    "Choose a professional of the client's care team's organisations or of "
                    "your own."
                )
            }
        )


@transaction.atomic
def action_add(
    *,
    actor: Membership,
    goal: Goal,
    title: str,
    responsible_organisation: Organisation,
    responsible: Membership | None = None,
    description: str = "",
    start_date: dt.date | None = None,
    due_date: dt.date | None = None,
    status: str = ActionStatus.PLANNED,
    completed_on: dt.date | None = None,
) -> Action:
    """Add an action under a goal, owned by one organisation (and, optionally, one person of
    it). Actions of a goal run in parallel; each takes its goal's category.

    Raises PermissionDenied unless the actor may change the goal (`can_edit_goal`);
    ValidationError for missing or too long text, a responsible person outside the responsible
    organisation, dates in the wrong order or a closed plan.
    """
    plan = _locked(goal.plan)
    goal = Goal.objects.select_related("client", "plan").get(pk=goal.pk)
    require(can_edit_goal(actor, goal))
    _check_open(plan)
    fields = _action_fields(
        title=title,
        description=description,
        responsible_organisation=responsible_organisation,
        responsible=responsible,
        start_date=start_date,
        due_date=due_date,
        status=status,
        completed_on=completed_on,
    )
    _check_responsible(actor, goal.client, responsible)
    with audit.acting(actor):
        action = Action.objects.create(
            goal=goal,
            client=goal.client,
            category=goal.category,
            recorded_by_id=actor.organisation_id,
            created_by=actor,
            **fields,
        )
        _revise(actor, plan, Change.ACTION_ADDED)
    return action


@transaction.atomic
def action_update(
    *,
    actor: Membership,
    action: Action,
    title: str,
    responsible_organisation: Organisation,
    responsible: Membership | None = None,
    description: str = "",
    start_date: dt.date | None = None,
    due_date: dt.date | None = None,
    status: str = ActionStatus.PLANNED,
    completed_on: dt.date | None = None,
) -> Action:
    """Change an action: who is responsible, its dates, its status. Marking it done records
    the day it was completed (today unless given); reopening it clears that day.

    Raises PermissionDenied unless `can_edit_action`; ValidationError as `action_add`.
    """
    plan = _locked(action.goal.plan)
    action = Action.objects.select_related("client", "goal__plan", "goal__client").get(pk=action.pk)
    require(can_edit_action(actor, action))
    _check_open(plan)
    if action.status == ActionStatus.DONE and status == ActionStatus.DONE and not completed_on:
        completed_on = action.completed_on
    fields = _action_fields(
        title=title,
        description=description,
        responsible_organisation=responsible_organisation,
        responsible=responsible,
        start_date=start_date,
        due_date=due_date,
        status=status,
        completed_on=completed_on,
    )
    _check_responsible(actor, action.client, responsible, was=action.responsible_id)
    if all(getattr(action, name) == value for name, value in fields.items()):
        return action
    with audit.acting(actor):
        for name, value in fields.items():
            setattr(action, name, value)
        action.save(update_fields=[*fields, "updated_at"])
        _revise(actor, plan, Change.ACTION_UPDATED)
    return action


@transaction.atomic
def review_add(*, actor: Membership, plan: Plan, due_on: dt.date, note: str = "") -> PlanReview:
    """Schedule a review of the plan.

    Raises PermissionDenied unless the actor manages the plan (`can_manage`); ValidationError
    for a date in the past or too far ahead, a date already scheduled, or a closed plan.
    """
    plan = _locked(plan)
    require(can_manage(actor, plan))
    _check_open(plan)
    errors: dict[str, str] = {}
    if due_on < timezone.localdate():
        errors["due_on"] = _("The review date is in the past.")
    elif _too_far(due_on):
        errors["due_on"] = _("The date is more than %(years)d years ahead.") % {
            "years": MAX_YEARS_AHEAD
        }
    elif PlanReview.objects.filter(plan=plan, due_on=due_on).exists():
        errors["due_on"] = _("A review is already scheduled on this day.")
    _check_text(errors, {"note": note.strip()}, {})
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        review = PlanReview.objects.create(
            plan=plan,
            client=plan.client,
            due_on=due_on,
            note=note.strip(),
            recorded_by_id=actor.organisation_id,
            created_by=actor,
        )
        _revise(actor, plan, Change.REVIEW_ADDED)
    return review


@transaction.atomic
def review_hold(
    *, actor: Membership, review: PlanReview, held_on: dt.date | None = None, note: str = ""
) -> PlanReview:
    """Record that the team went through the plan at a review (today unless `held_on`).

    Raises PermissionDenied unless `can_manage`; ValidationError when already held, for a date
    in the future, or a closed plan.
    """
    plan = _locked(review.plan)
    review = PlanReview.objects.get(pk=review.pk)
    require(can_manage(actor, plan))
    _check_open(plan)
    held_on = held_on or timezone.localdate()
    errors: dict[str, str] = {}
    if review.held_on is not None:
        errors["held_on"] = _("This review has already been held.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("The review cannot be held in the future.")
    elif held_on < plan.episode.start_date:
        errors["held_on"] = _("The date is before the episode started.")
    _check_text(errors, {"note": note.strip()}, {})
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        review.held_on = held_on
        if note.strip():
            review.note = note.strip()
        review.save(update_fields=["held_on", "note"])
        _revise(actor, plan, Change.REVIEW_HELD)
    return review


@transaction.atomic
def plan_agree(
    *,
    actor: Membership,
    plan: Plan,
    agreed_on: dt.date,
    participants: Iterable[Membership] = (),
    participants_other: str = "",
    client_agreed: bool = False,
    agreement_method: str = "",
    note: str = "",
) -> Plan:
    """Record the meeting where the plan was agreed: when, who took part (members of the care
    team, and others by name), and whether and how the client agreed.

    A plan agreed again (at a review, say) records the new meeting. Raises PermissionDenied
    unless `can_manage`; ValidationError for a date in the future or before the plan, a
    participant not on the care team, the client's agreement without how it was given, a plan
    without goals, or a closed plan.
    """
    plan = _locked(plan)
    require(can_manage(actor, plan))
    _check_open(plan)
    people = list(dict.fromkeys(participants))
    team = set(team_memberships(plan.client).values_list("pk", flat=True))
    errors: dict[str, str] = {}
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = _("The meeting date cannot be in the future.")
    elif agreed_on < plan.episode.start_date:
        errors["agreed_on"] = _("The meeting date is before the episode started.")
    if any(person.pk not in team for person in people):
        errors["participants"] = _("Choose participants from the client's care team.")
    if client_agreed and agreement_method not in AgreementMethod.values:
        errors["agreement_method"] = _("Say how the client agreed to the plan.")
    elif agreement_method and agreement_method not in AgreementMethod.values:
        errors["agreement_method"] = _("Choose a method from the list.")
    _check_text(
        errors,
        {"participants_other": participants_other.strip(), "note": note.strip()},
        {"participants_other": Plan._meta.get_field("participants_other").max_length or 300},
    )
    if not errors and not Goal.objects.filter(plan=plan).exists():
        # Said whatever goals the actor may see: it reveals only that there are none at all.
        errors["__all__"] = _("Add at least one goal before the plan is agreed.")
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        plan.status = PlanStatus.AGREED
        plan.agreed_on = agreed_on
        plan.participants_other = participants_other.strip()
        plan.client_agreed = client_agreed
        plan.agreement_method = agreement_method if client_agreed else ""
        plan.agreement_note = note.strip()
        plan.save(
            update_fields=[
                "status",
                "agreed_on",
                "participants_other",
                "client_agreed",
                "agreement_method",
                "agreement_note",
                "updated_at",
            ]
        )
        plan.participants.set(people)
        _revise(actor, plan, Change.AGREED)
    return plan


@transaction.atomic
def plan_close(*, actor: Membership, plan: Plan) -> Plan:
    """Close the plan: it is kept, with its history, but no longer changes; the episode may then
    get a new plan. Raises PermissionDenied unless `can_manage`; ValidationError when closed."""
    plan = _locked(plan)
    require(can_manage(actor, plan))
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("This plan is already closed."))
    with audit.acting(actor):
        plan.status = PlanStatus.CLOSED
        plan.save(update_fields=["status", "updated_at"])
        _revise(actor, plan, Change.CLOSED)
    return plan
