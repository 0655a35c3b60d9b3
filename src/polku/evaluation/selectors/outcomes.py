"""Reads of outcomes and ESF+ entry data about identified clients, for the people who work
with them (the aggregates for programme managers and evaluators come from `evaluation.cohort`).

Outcomes and entry data are employment data, read under the policy as their episode is
(`core.access`, through the episode's client), and only of clients whose identity the viewer may
read, since every page names the client. Within the entry data, the ISCED level is education
data and the sensitive answers are health (disability), identity (third-country national,
foreign background) or social data (minority, homelessness): each is shown only when the policy
lets the viewer read that category of the client, and logged only when shown.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from polku.clients.models import CareTeamMember, Client, Episode
from polku.clients.selectors import clients_visible_to, episodes_visible_to
from polku.core import access, access_log, roles
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, Membership
from polku.evaluation.models import SENSITIVE_FIELDS, EntryData, Outcome, OutcomePoint
from polku.evaluation.services.outcomes import EXIT_WINDOW_DAYS, SCHEDULE_AHEAD_DAYS, due_date

C = DataCategory
# A row unrecorded this many days after its due date is overdue: the ESF+ window for the
# situation at exit (four weeks), and the same grace for the follow-ups.
OVERDUE_AFTER_DAYS = EXIT_WINDOW_DAYS


def _scoped(model: type[Any], viewer: Membership, *, few: bool) -> QuerySet[Any]:
    return access.scope(
        model._default_manager.all(),
        viewer,
        category=model.record_category,
        purpose=Purpose.SERVICE,
        client_path="episode__client",
        few=few,
    ).filter(episode__client__in=clients_visible_to(viewer).values("pk"))


def outcomes_visible_to(viewer: Membership, *, few: bool = False) -> QuerySet[Outcome]:
    """Outcomes `viewer` may read, of clients whose identity they may read. Not logged."""
    return _scoped(Outcome, viewer, few=few)


def entry_data_visible_to(viewer: Membership, *, few: bool = False) -> QuerySet[EntryData]:
    """Entry data `viewer` may read (employment data; see `hidden_fields` for the fields of
    other categories). Not logged."""
    return _scoped(EntryData, viewer, few=few)


def readable_categories(viewer: Membership, episode: Episode) -> frozenset[str]:
    """The categories of the episode's entry data `viewer` may read (and so write)."""
    categories = set(EntryData.personal_data.values())
    return frozenset(
        category
        for category in categories
        if access.can_read(
            viewer,
            episode.client,
            category=category,
            purpose=Purpose.SERVICE,
            recorded_by_id=episode.recorded_by_id,
        )
    )


def hidden_fields(readable: Iterable[str]) -> frozenset[str]:
    """The entry-data fields of categories not in `readable`."""
    allowed = set(readable)
    return frozenset(name for name, cat in EntryData.personal_data.items() if cat not in allowed)


def shown_categories(entry: EntryData, readable: Iterable[str]) -> set[str]:
    """The categories a page shows of `entry` for a viewer who reads `readable`: the sensitive
    answers only with the participant's consent (without it none is held)."""
    shown: set[str] = {C.EMPLOYMENT}
    for name, category in EntryData.personal_data.items():
        if category in set(readable) and (entry.sensitive_consent or name not in SENSITIVE_FIELDS):
            shown.add(category)
    return shown


def timing(outcome: Outcome, today: dt.date) -> str:
    """ "recorded", "upcoming" (due later), "due" or "overdue" (more than
    `OVERDUE_AFTER_DAYS` past its due date, not recorded)."""
    if outcome.is_recorded:
        return "recorded"
    if outcome.due_on > today:
        return "upcoming"
    if (today - outcome.due_on).days > OVERDUE_AFTER_DAYS:
        return "overdue"
    return "due"


@dataclass
class PointRow:
    """One point of an episode's follow-up: its outcome row, or the day it will be scheduled."""

    point: str
    label: str
    outcome: Outcome | None
    due_on: dt.date | None
    timing: str


@dataclass
class EpisodeOutcomes:
    episode: Episode
    entry: EntryData | None
    hidden: frozenset[str]
    points: list[PointRow]
    can_record: bool = False


@dataclass
class ClientOutcomesPage:
    """What one viewer may see of a client's outcomes. `employment_visible` False: the role does
    not read employment data at all."""

    client: Client
    employment_visible: bool
    episodes: list[EpisodeOutcomes] = field(default_factory=list)
    logged_categories: list[str] = field(default_factory=list)


def _points(episode: Episode, outcomes: list[Outcome], today: dt.date) -> list[PointRow]:
    by_point = {o.point: o for o in outcomes}
    rows = []
    for point, lazy_label in OutcomePoint.choices:
        label = str(lazy_label)
        outcome = by_point.get(point)
        if outcome is not None:
            rows.append(PointRow(point, label, outcome, outcome.due_on, timing(outcome, today)))
        elif episode.end_date is not None:
            rows.append(PointRow(point, label, None, due_date(episode.end_date, point), "later"))
        else:
            rows.append(PointRow(point, label, None, None, "open"))
    return rows


def client_outcomes_page(
    viewer: Membership, client: Client, *, today: dt.date
) -> ClientOutcomesPage:
    """The client's "Outcomes" tab for `viewer`: each episode they may read with its entry data
    and outcomes. Logged in one insert: identity, and each category shown."""
    page = ClientOutcomesPage(
        client=client, employment_visible=access.role_permits(viewer, C.EMPLOYMENT)
    )
    shown: set[str] = {C.IDENTITY}
    if page.employment_visible:
        episodes = list(
            episodes_visible_to(viewer, few=True)
            .filter(client=client)
            .select_related("programme", "organisation", "client")
            .order_by("-start_date")
        )
        entries = {
            e.episode_id: e
            for e in entry_data_visible_to(viewer, few=True).filter(episode__client=client)
        }
        outcomes: dict[uuid.UUID, list[Outcome]] = {}
        for outcome in (
            outcomes_visible_to(viewer, few=True)
            .filter(episode__client=client)
            .select_related("recorded_by_member__user")
        ):
            outcomes.setdefault(outcome.episode_id, []).append(outcome)
        for episode in episodes:
            entry = entries.get(episode.pk)
            readable = readable_categories(viewer, episode) if entry is not None else frozenset()
            if entry is not None:
                shown |= shown_categories(entry, readable)
            page.episodes.append(
                EpisodeOutcomes(
                    episode=episode,
                    entry=entry,
                    hidden=hidden_fields(readable),
                    points=_points(episode, outcomes.get(episode.pk, []), today),
                )
            )
        if episodes:
            shown.add(C.EMPLOYMENT)
    page.logged_categories = sorted(shown)
    access_log.record(
        viewer,
        ((client.pk, category) for category in page.logged_categories),
        purpose=Purpose.SERVICE,
        action=AccessAction.VIEW,
    )
    return page


def outcome_get(viewer: Membership, client: Client, outcome_id: uuid.UUID) -> Outcome:
    """The client's outcome if `viewer` may read it; Outcome.DoesNotExist otherwise. Not
    logged."""
    return (
        outcomes_visible_to(viewer, few=True)
        .select_related("episode__programme", "episode__client")
        .get(pk=outcome_id, episode__client=client)
    )


def episode_get(viewer: Membership, client: Client, episode_id: uuid.UUID) -> Episode:
    """The client's episode if `viewer` may read it; Episode.DoesNotExist otherwise. Not
    logged."""
    return (
        episodes_visible_to(viewer, few=True)
        .select_related("programme", "client")
        .get(pk=episode_id, client=client)
    )


def _follow_ups(viewer: Membership, *, today: dt.date) -> QuerySet[Outcome]:
    qs = outcomes_visible_to(viewer).filter(
        status="", due_on__lte=today + dt.timedelta(days=SCHEDULE_AHEAD_DAYS)
    )
    if viewer.role in roles.ORG_WIDE_ROLES:
        org = viewer.organisation_id
        return qs.filter(Q(recorded_by=org) | Q(episode__organisation=org))
    team = CareTeamMember.objects.filter(membership=viewer, removed_at__isnull=True)
    return qs.filter(episode__client__in=team.values("client_id"))


def follow_ups_count(viewer: Membership, *, today: dt.date) -> int:
    """How many rows `follow_ups_due` would list. A number names nobody: not logged."""
    return _follow_ups(viewer, today=today).count()


def follow_ups_due(viewer: Membership, *, today: dt.date) -> list[Outcome]:
    """Unrecorded outcomes falling due by `SCHEDULE_AHEAD_DAYS` after `today`, of the clients on
    `viewer`'s care team (an organisation-wide role: of the clients of their organisation's
    episodes), oldest first. Logged as a list: each client's identity and employment data."""
    rows = list(
        _follow_ups(viewer, today=today)
        .select_related("episode__client", "episode__programme")
        .order_by("due_on", "episode__client__last_name", "episode__client__first_name", "pk")
    )
    reads = [
        (o.episode.client_id, category) for o in rows for category in (C.IDENTITY, C.EMPLOYMENT)
    ]
    access_log.record(viewer, reads, purpose=Purpose.SERVICE, action=AccessAction.LIST)
    return rows
