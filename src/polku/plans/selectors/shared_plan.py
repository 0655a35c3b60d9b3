"""Reads of the shared plan, scoped by the access policy and written to the access log.

The plan itself — its dates, agreement, review dates and revision history — is employment data
of the organisation that created it. Each goal is data of its life domain's category, each
action of its goal's, recorded by the organisation that added it (`selectors.common.scoped`). A
viewer sees the goals and actions the policy lets them read and nothing else: a hidden goal is
absent, as are its actions, and so are its traces in the history, which is judged item by item
against the viewer's access today (each snapshot item carries its category and recorder).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polku.clients.models import Client
from polku.clients.selectors import client_get, clients_visible_to
from polku.core import access, access_log, roles
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, Membership, Organisation
from polku.plans.domains import LifeDomain
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
from polku.plans.selectors.common import scoped

C = DataCategory
DOMAIN_ORDER = {domain: index for index, domain in enumerate(LifeDomain.values)}
OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
DUE_SOON_DAYS = 14


def plans_visible_to(
    viewer: Membership, *, purpose: str = Purpose.SERVICE, few: bool = False
) -> QuerySet[Plan]:
    """Plans `viewer` may read (employment data of the creating organisation). Not logged."""
    return access.scope(
        Plan.objects.all(),
        viewer,
        category=C.EMPLOYMENT,
        purpose=purpose,
        client_path="client",
        few=few,
    )


def plans_for_api(viewer: Membership) -> QuerySet[Plan]:
    """Visible plans of clients `viewer` may identify, newest first. Not logged."""
    return (
        plans_visible_to(viewer)
        .filter(client__in=clients_visible_to(viewer).values("pk"))
        .prefetch_related("participants")
        .order_by("client", "-created_at", "pk")
    )


def goals_visible_to(
    viewer: Membership, *, purpose: str = Purpose.SERVICE, few: bool = False
) -> QuerySet[Goal]:
    """Goals `viewer` may read, each by its own category, of plans `viewer` may read."""
    return scoped(Goal.objects.all(), viewer, purpose=purpose, few=few).filter(
        plan__in=plans_visible_to(viewer, purpose=purpose, few=few).values("pk")
    )


def actions_visible_to(
    viewer: Membership, *, purpose: str = Purpose.SERVICE, few: bool = False
) -> QuerySet[Action]:
    """Actions `viewer` may read, under goals `viewer` may read."""
    return scoped(Action.objects.all(), viewer, purpose=purpose, few=few).filter(
        goal__in=goals_visible_to(viewer, purpose=purpose, few=few).values("pk")
    )


def _part_of_visible_plan(
    queryset: QuerySet[Any], viewer: Membership, purpose: str, few: bool
) -> QuerySet[Any]:
    # Review dates and revisions are part of the plan: readable with it, whoever added them.
    return access.scope(
        queryset,
        viewer,
        category=C.EMPLOYMENT,
        purpose=purpose,
        client_path="client",
        recorded_by_path="plan__recorded_by",
        few=few,
    )


def reviews_visible_to(
    viewer: Membership, *, purpose: str = Purpose.SERVICE, few: bool = False
) -> QuerySet[PlanReview]:
    return _part_of_visible_plan(PlanReview.objects.all(), viewer, purpose, few)


def revisions_visible_to(
    viewer: Membership, *, purpose: str = Purpose.SERVICE, few: bool = False
) -> QuerySet[PlanRevision]:
    return _part_of_visible_plan(PlanRevision.objects.all(), viewer, purpose, few)


def goals_for_api(viewer: Membership) -> QuerySet[Goal]:
    return (
        goals_visible_to(viewer)
        .filter(client__in=clients_visible_to(viewer).values("pk"))
        .order_by("client", "plan", "created_at", "pk")
    )


def actions_for_api(viewer: Membership) -> QuerySet[Action]:
    return (
        actions_visible_to(viewer)
        .filter(client__in=clients_visible_to(viewer).values("pk"))
        .select_related("goal")
        .order_by("client", "goal__plan", "due_date", "created_at", "pk")
    )


def reviews_for_api(viewer: Membership) -> QuerySet[PlanReview]:
    return (
        reviews_visible_to(viewer)
        .filter(client__in=clients_visible_to(viewer).values("pk"))
        .order_by("client", "plan", "due_on", "pk")
    )


def plan_get(viewer: Membership, client: Client, plan_id: uuid.UUID | str) -> Plan:
    """The client's plan if `viewer` may read it; Plan.DoesNotExist otherwise. Not logged."""
    return (
        plans_visible_to(viewer, few=True)
        .select_related("client", "episode__programme")
        .get(pk=plan_id, client=client)
    )


def goal_get(viewer: Membership, plan: Plan, goal_id: uuid.UUID | str) -> Goal:
    """A goal of `plan` that `viewer` may read; Goal.DoesNotExist otherwise. Not logged."""
    return (
        goals_visible_to(viewer, few=True)
        .select_related("client", "plan__client", "plan__episode")
        .get(pk=goal_id, plan=plan)
    )


def action_get(viewer: Membership, plan: Plan, action_id: uuid.UUID | str) -> Action:
    """An action of `plan` that `viewer` may read; Action.DoesNotExist otherwise. Not logged."""
    return (
        actions_visible_to(viewer, few=True)
        .select_related("client", "goal__client", "goal__plan__client", "goal__plan__episode")
        .get(pk=action_id, goal__plan=plan)
    )


def review_get(viewer: Membership, plan: Plan, review_id: int | str) -> PlanReview:
    return (
        reviews_visible_to(viewer, few=True)
        .select_related("plan__client")
        .get(pk=review_id, plan=plan)
    )


def team_memberships(client: Client) -> QuerySet[Membership]:
    """The memberships on the client's care team now: who may be recorded as participants of
    the meeting that agreed the plan."""
    return (
        Membership.objects.filter(care_teams__client=client, care_teams__removed_at__isnull=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name", "pk")
        .distinct()
    )


def responsible_candidates(client: Client, actor: Membership) -> QuerySet[Membership]:
    """People who may be named responsible for an action: active professionals of the
    registering organisation, of the organisations on the care team, and of the actor's."""
    organisations = {client.recorded_by_id, actor.organisation_id}
    organisations |= set(
        Membership.objects.filter(
            care_teams__client=client, care_teams__removed_at__isnull=True
        ).values_list("organisation_id", flat=True)
    )
    return (
        Membership.objects.active()
        .filter(role__in=roles.CLIENT_WORK_ROLES, organisation__in=organisations)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name", "pk")
    )


def log_reads(
    viewer: Membership,
    client_id: Any,
    *,
    plan_shown: bool = True,
    rows: Iterable[Goal | Action] = (),
    purpose: str = Purpose.SERVICE,
    action: str = AccessAction.VIEW,
) -> None:
    """Record what a page about the client's plan showed, in one insert: the client's identity,
    the plan (employment) and the category of every goal and action on it."""
    reads: set[tuple[Any, str]] = {(client_id, C.IDENTITY)}
    if plan_shown:
        reads.add((client_id, C.EMPLOYMENT))
    reads |= {(row.client_id, row.category) for row in rows}
    access_log.record(viewer, sorted(reads, key=str), purpose=purpose, action=action)


@dataclass
class PlanPage:
    """One plan as one viewer may see it. `goals` carry their visible actions as `shown_actions`."""

    client: Client
    plan: Plan | None
    plans: list[Plan]
    goals: list[Goal] = field(default_factory=list)
    reviews: list[PlanReview] = field(default_factory=list)
    participants: list[Membership] = field(default_factory=list)
    agreed_revision: int | None = None

    @property
    def actions(self) -> list[Action]:
        return [a for g in self.goals for a in getattr(g, "shown_actions", [])]

    @property
    def changed_since_agreement(self) -> bool:
        return (
            self.plan is not None
            and self.agreed_revision is not None
            and self.plan.revision > self.agreed_revision
        )

    @property
    def next_review(self) -> PlanReview | None:
        return next((r for r in self.reviews if r.held_on is None), None)


def _goals_with_actions(viewer: Membership, plan: Plan, purpose: str) -> list[Goal]:
    actions = (
        actions_visible_to(viewer, purpose=purpose, few=True)
        .filter(goal__plan=plan)
        .select_related("responsible_organisation", "responsible__user")
        .order_by("due_date", "created_at", "pk")
    )
    goals = list(
        goals_visible_to(viewer, purpose=purpose, few=True)
        .filter(plan=plan)
        .prefetch_related(Prefetch("actions", queryset=actions, to_attr="shown_actions"))
        .order_by("created_at", "pk")
    )
    return sorted(goals, key=lambda g: DOMAIN_ORDER.get(g.domain, len(DOMAIN_ORDER)))


def _current(plans: Sequence[Plan]) -> Plan | None:
    """The plan a client's tab opens on: the newest one still in force, else the newest."""
    active = [p for p in plans if p.status != PlanStatus.CLOSED]
    candidates = active or list(plans)
    return candidates[0] if candidates else None


def plan_page(
    viewer: Membership,
    client_id: uuid.UUID | str,
    plan_id: uuid.UUID | str | None = None,
    *,
    purpose: str = Purpose.SERVICE,
    action: str = AccessAction.VIEW,
) -> PlanPage:
    """The client's plan (`plan_id`, or the current one) as `viewer` may see it, logged in one
    insert (`action`: VIEW for the page, EXPORT for the PDF). Raises Client.DoesNotExist or
    Plan.DoesNotExist for what `viewer` may not read."""
    client = client_get(viewer, client_id, purpose=purpose)
    plans = list(
        plans_visible_to(viewer, purpose=purpose, few=True)
        .filter(client=client)
        .select_related("episode__programme", "recorded_by", "created_by__user")
        .order_by("-created_at", "pk")
    )
    if plan_id is None:
        plan = _current(plans)
    else:
        plan = next((p for p in plans if str(p.pk) == str(plan_id)), None)
        if plan is None:
            raise Plan.DoesNotExist
    page = PlanPage(client=client, plan=plan, plans=plans)
    if plan is not None:
        page.goals = _goals_with_actions(viewer, plan, purpose)
        page.reviews = list(PlanReview.objects.filter(plan=plan).order_by("due_on", "pk"))
        page.participants = list(
            plan.participants.select_related("user", "organisation").order_by(
                "organisation__name", "user__last_name", "user__first_name"
            )
        )
        page.agreed_revision = (
            PlanRevision.objects.filter(plan=plan, change="agreed")
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
    log_reads(
        viewer,
        client.pk,
        plan_shown=bool(plans),
        rows=[*page.goals, *page.actions],
        purpose=purpose,
        action=action,
    )
    return page


def actions_due_for(
    viewer: Membership, *, today: dt.date | None = None, within_days: int = DUE_SOON_DAYS
) -> QuerySet[Action]:
    """Open actions of plans in force that `viewer` is responsible for, due within `within_days`
    of `today` or overdue, that `viewer` may read, soonest first. Not logged: the dashboard or
    notification that shows them logs what it shows."""
    today = today or timezone.localdate()
    return (
        actions_visible_to(viewer)
        .filter(
            responsible=viewer,
            status__in=OPEN_ACTION_STATUSES,
            due_date__lte=today + dt.timedelta(days=within_days),
            client__in=clients_visible_to(viewer).values("pk"),
        )
        .exclude(goal__plan__status=PlanStatus.CLOSED)
        .select_related("client", "goal")
        .order_by("due_date", "pk")
    )


# --- The history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ItemChange:
    """A goal or action added, changed or no longer in the plan between two revisions."""

    kind: str  # "goal" or "action"
    change: str  # "added", "changed" or "removed"
    name: str
    category: str
    fields: list[FieldChange]


@dataclass
class RevisionView:
    revision: PlanRevision
    plan_changes: list[FieldChange]
    item_changes: list[ItemChange]

    @property
    def categories(self) -> set[str]:
        return {change.category for change in self.item_changes}


@dataclass
class PlanHistory:
    client: Client
    plan: Plan
    revisions: list[RevisionView]


Visible = Callable[[dict[str, Any]], bool]


class _Names:
    """Display text for the ids a snapshot stores (organisations, people), fetched once."""

    def __init__(self, snapshots: Iterable[dict[str, Any]]) -> None:
        org_ids: set[int] = set()
        member_ids: set[int] = set()
        for snap in snapshots:
            member_ids |= set(snap.get("plan", {}).get("participants", []))
            for item in snap.get("actions", []):
                org_ids.add(item.get("responsible_organisation"))
                member_ids.add(item.get("responsible"))
        self.organisations = dict(
            Organisation.objects.filter(pk__in=org_ids - {None}).values_list("pk", "name")
        )
        self.people = {
            m.pk: m.user.display_name()
            for m in Membership.objects.filter(pk__in=member_ids - {None}).select_related("user")
        }

    def organisation(self, pk: int | None) -> str:
        return self.organisations.get(pk, "") if pk is not None else ""

    def person(self, pk: int | None) -> str:
        return self.people.get(pk, "") if pk is not None else ""


def _day(value: str | None) -> str:
    return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT") if value else ""


def _label(choices: type[Any], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _goal_fields(item: dict[str, Any]) -> dict[str, str]:
    return {
        _("The goal in the client's own words"): item["client_words"],
        _("Measurable target"): item["target"],
        _("Target date"): _day(item["target_date"]),
        _("Status"): _label(GoalStatus, item["status"]),
    }


def _action_fields(item: dict[str, Any], names: _Names) -> dict[str, str]:
    return {
        _("Action"): item["title"],
        _("Description"): item["description"],
        _("Responsible organisation"): names.organisation(item["responsible_organisation"]),
        _("Responsible person"): names.person(item["responsible"]),
        _("Start date"): _day(item["start_date"]),
        _("Due date"): _day(item["due_date"]),
        _("Status"): _label(ActionStatus, item["status"]),
        _("Completed on"): _day(item["completed_on"]),
    }


def _plan_fields(plan: dict[str, Any], names: _Names) -> dict[str, str]:
    reviews = [
        _day(r["due_on"]) + (" ✓ " + _day(r["held_on"]) if r["held_on"] else "")
        for r in plan["reviews"]
    ]
    return {
        _("Status"): _label(PlanStatus, plan["status"]),
        _("Agreed on"): _day(plan["agreed_on"]),
        _("Participants"): ", ".join(names.person(pk) for pk in plan["participants"]),
        _("Other participants"): plan["participants_other"],
        _("The client agreed"): _("yes") if plan["client_agreed"] else _("no"),
        _("How the client agreed"): _label(AgreementMethod, plan["agreement_method"])
        if plan["agreement_method"]
        else "",
        _("Note on the agreement"): plan["agreement_note"],
        _("Review dates"): ", ".join(reviews),
    }


def _field_changes(before: dict[str, str], after: dict[str, str]) -> list[FieldChange]:
    return [
        FieldChange(label=label, before=before.get(label, ""), after=value)
        for label, value in after.items()
        if before.get(label, "") != value
    ]


def _item_changes(
    kind: str,
    *,
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
    visible: Visible,
    describe: Callable[[dict[str, Any]], dict[str, str]],
    name: Callable[[dict[str, Any]], str],
) -> list[ItemChange]:
    earlier = {item["id"]: item for item in before if visible(item)}
    changes: list[ItemChange] = []
    later_ids = set()
    for item in after:
        if not visible(item):
            continue
        later_ids.add(item["id"])
        old = earlier.get(item["id"])
        fields = _field_changes(describe(old) if old else {}, describe(item))
        if old is None:
            changes.append(ItemChange(kind, "added", name(item), item["category"], fields))
        elif fields:
            changes.append(ItemChange(kind, "changed", name(item), item["category"], fields))
    for item_id, item in earlier.items():
        if item_id not in later_ids:
            changes.append(ItemChange(kind, "removed", name(item), item["category"], []))
    return changes


def diff_snapshots(
    before: dict[str, Any] | None, after: dict[str, Any], visible: Visible, names: _Names
) -> tuple[list[FieldChange], list[ItemChange]]:
    """What changed from one revision's snapshot to the next, leaving out every goal and action
    `visible` refuses. `before` is None for the first revision (everything is new)."""
    empty: dict[str, Any] = {
        "plan": {
            "status": "",
            "agreed_on": None,
            "participants": [],
            "participants_other": "",
            "client_agreed": False,
            "agreement_method": "",
            "agreement_note": "",
            "reviews": [],
        },
        "goals": [],
        "actions": [],
    }
    before = before or empty
    plan_changes = _field_changes(
        _plan_fields(before["plan"], names), _plan_fields(after["plan"], names)
    )
    # As on the plan page, an action shows only under a goal the viewer may read.
    shown_goals = {g["id"] for g in (*before["goals"], *after["goals"]) if visible(g)}

    def action_visible(item: dict[str, Any]) -> bool:
        return item["goal"] in shown_goals and visible(item)

    goal_names = {g["id"]: str(LifeDomain(g["domain"]).label) for g in after["goals"]} | {
        g["id"]: str(LifeDomain(g["domain"]).label) for g in before["goals"]
    }
    goals = _item_changes(
        "goal",
        before=before["goals"],
        after=after["goals"],
        visible=visible,
        describe=_goal_fields,
        name=lambda item: goal_names[item["id"]],
    )
    actions = _item_changes(
        "action",
        before=before["actions"],
        after=after["actions"],
        visible=action_visible,
        describe=lambda item: _action_fields(item, names),
        name=lambda item: f"{goal_names.get(item['goal'], '')}: {item['title']}",
    )
    return plan_changes, goals + actions


def visibility(viewer: Membership, client: Client, *, purpose: str = Purpose.SERVICE) -> Visible:
    """Whether `viewer` may read a snapshot item (a goal or action) today, by its category and
    the organisation that recorded it: the same rule as for the live rows (`access.decide`)."""
    decided: dict[tuple[str, int], bool] = {}

    def visible(item: dict[str, Any]) -> bool:
        key = (item["category"], item["recorded_by"])
        if key not in decided:
            decided[key] = access.can_read(
                viewer, client, category=key[0], purpose=purpose, recorded_by_id=key[1]
            )
        return decided[key]

    return visible


def visible_snapshot(snapshot: dict[str, Any], visible: Visible) -> dict[str, Any]:
    """`snapshot` without the goals and actions `visible` refuses, nor the actions of goals it
    refuses (as on the plan page, an action shows only under a goal the viewer may read)."""
    goals = [g for g in snapshot["goals"] if visible(g)]
    shown = {g["id"] for g in goals}
    return {
        "plan": snapshot["plan"],
        "goals": goals,
        "actions": [a for a in snapshot["actions"] if a["goal"] in shown and visible(a)],
    }


def revision_views(revisions: Sequence[PlanRevision], visible: Visible) -> list[RevisionView]:
    """Each revision (oldest first in `revisions`) with what changed from the one before it,
    as far as `visible` allows; newest first."""
    names = _Names(r.snapshot for r in revisions)
    views: list[RevisionView] = []
    previous: dict[str, Any] | None = None
    for revision in revisions:
        plan_changes, item_changes = diff_snapshots(previous, revision.snapshot, visible, names)
        views.append(RevisionView(revision, plan_changes, item_changes))
        previous = revision.snapshot
    return list(reversed(views))


def plan_history(
    viewer: Membership,
    client_id: uuid.UUID | str,
    plan_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.SERVICE,
) -> PlanHistory:
    """Every revision of a plan with what changed, as `viewer` may see it today, logged in one
    insert (identity, the plan, and the categories of the changes shown)."""
    client = client_get(viewer, client_id, purpose=purpose)
    plan = plan_get(viewer, client, plan_id)
    revisions = list(
        revisions_visible_to(viewer, purpose=purpose, few=True)
        .filter(plan=plan)
        .select_related("changed_by__user", "recorded_by")
        .order_by("number")
    )
    views = revision_views(revisions, visibility(viewer, client, purpose=purpose))
    reads: set[tuple[Any, str]] = {(client.pk, C.IDENTITY), (client.pk, C.EMPLOYMENT)}
    reads |= {(client.pk, category) for view in views for category in view.categories}
    access_log.record(viewer, sorted(reads, key=str), purpose=purpose, action=AccessAction.VIEW)
    return PlanHistory(client=client, plan=plan, revisions=views)
