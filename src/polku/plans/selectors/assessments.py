"""Reads of the joint assessment, scoped by the access policy and written to the access log.

A round (its version, date and status) is employment data of the organisation that opened it;
each domain entry is data of its domain's category, recorded by its author's organisation
(`selectors.common.scoped`). A viewer sees the entries the policy lets them read, within the
rounds they may read, and nothing else: a hidden domain is simply absent, including from the
change in need between rounds, which is computed from the visible entries alone.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from polku.clients.models import Client
from polku.clients.selectors import client_get, clients_visible_to
from polku.core import access, access_log
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, Membership
from polku.plans.domains import LifeDomain, Need
from polku.plans.models import Assessment, AssessmentStatus, DomainEntry
from polku.plans.selectors.common import scoped

C = DataCategory
DOMAIN_ORDER = {domain: index for index, domain in enumerate(LifeDomain.values)}


def assessments_visible_to(
    viewer: Membership, *, purpose: str = Purpose.SERVICE, few: bool = False
) -> QuerySet[Assessment]:
    """Rounds `viewer` may read (employment data of the opening organisation). Not logged."""
    return access.scope(
        Assessment.objects.all(),
        viewer,
        category=C.EMPLOYMENT,
        purpose=purpose,
        client_path="client",
        few=few,
    )


def assessments_for_api(viewer: Membership) -> QuerySet[Assessment]:
    """Visible rounds of clients `viewer` may identify, newest first. Not logged."""
    return (
        assessments_visible_to(viewer)
        .filter(client__in=clients_visible_to(viewer).values("pk"))
        .select_related("recorded_by")
        .order_by("client", "-version")
    )


def entries_visible_to(
    viewer: Membership, *, purpose: str = Purpose.SERVICE, few: bool = False
) -> QuerySet[DomainEntry]:
    """Domain entries `viewer` may read, each by its own category, within rounds `viewer` may
    read. Not logged: the caller logs the rows it shows (`log_entries`)."""
    rounds = assessments_visible_to(viewer, purpose=purpose, few=few)
    return (
        scoped(DomainEntry.objects.all(), viewer, purpose=purpose, few=few)
        .filter(assessment__in=rounds.values("pk"))
        .select_related("created_by__user", "recorded_by")
    )


def entries_for_api(viewer: Membership) -> QuerySet[DomainEntry]:
    """Visible entries of clients `viewer` may identify. Not logged."""
    return (
        entries_visible_to(viewer)
        .filter(client__in=clients_visible_to(viewer).values("pk"))
        .order_by("client", "-assessment__version", "domain", "pk")
    )


def in_domain_order(entries: Iterable[DomainEntry]) -> list[DomainEntry]:
    return sorted(entries, key=lambda e: DOMAIN_ORDER.get(e.domain, len(DOMAIN_ORDER)))


@dataclass(frozen=True)
class NeedChange:
    """The need in one life domain in two rounds; None where the domain was not assessed (or
    its entry is not visible to the viewer)."""

    domain: str
    before: int | None
    after: int | None

    @property
    def label(self) -> str:
        return str(LifeDomain(self.domain).label)

    @property
    def difference(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def steps(self) -> int:
        """How many steps the need moved, either way (0 when not comparable)."""
        return abs(self.difference or 0)

    @property
    def direction(self) -> str:
        """ "increased", "decreased", "unchanged", "new" (only in the later round) or
        "not_reassessed" (only in the earlier one)."""
        if self.before is None:
            return "new"
        if self.after is None:
            return "not_reassessed"
        if self.after > self.before:
            return "increased"
        if self.after < self.before:
            return "decreased"
        return "unchanged"

    @property
    def before_label(self) -> str:
        return "" if self.before is None else str(Need(self.before).label)

    @property
    def after_label(self) -> str:
        return "" if self.after is None else str(Need(self.after).label)


def need_changes(
    before: Iterable[tuple[str, int]], after: Iterable[tuple[str, int]]
) -> list[NeedChange]:
    """The change in need per domain from one round to the next, in the assessment's order.

    Takes (domain, need) pairs of each round, already restricted to what the viewer may see;
    domains in neither round are left out.
    """
    earlier, later = dict(before), dict(after)
    domains = sorted(
        set(earlier) | set(later), key=lambda d: DOMAIN_ORDER.get(d, len(DOMAIN_ORDER))
    )
    return [NeedChange(d, earlier.get(d), later.get(d)) for d in domains]


@dataclass
class AssessmentRound:
    """One round with the entries the viewer may see, and the change in need from the
    previous completed round the viewer may see (if any)."""

    assessment: Assessment
    entries: list[DomainEntry]
    previous: Assessment | None = None
    changes: list[NeedChange] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.assessment.status == AssessmentStatus.OPEN


@dataclass
class AssessmentOverview:
    """The client's assessment tab: every visible round, the current one in full, and the
    change in need between the two latest completed rounds (None until there are two)."""

    client: Client
    rounds: list[Assessment]
    current: AssessmentRound | None
    comparison: AssessmentRound | None


def _rounds_of(viewer: Membership, client: Client, purpose: str) -> list[Assessment]:
    return list(
        assessments_visible_to(viewer, purpose=purpose, few=True)
        .filter(client=client)
        .select_related("recorded_by", "created_by__user", "completed_by__user")
        .order_by("-version")
    )


def _entries_by_round(
    viewer: Membership, rounds: Sequence[Assessment], purpose: str
) -> dict[uuid.UUID, list[DomainEntry]]:
    by_round: dict[uuid.UUID, list[DomainEntry]] = {r.pk: [] for r in rounds}
    if rounds:
        for entry in entries_visible_to(viewer, purpose=purpose, few=True).filter(
            assessment__in=[r.pk for r in rounds]
        ):
            by_round[entry.assessment_id].append(entry)
    return {pk: in_domain_order(entries) for pk, entries in by_round.items()}


def _with_change(
    assessment: Assessment,
    previous: Assessment | None,
    entries: dict[uuid.UUID, list[DomainEntry]],
) -> AssessmentRound:
    changes = []
    if previous is not None:
        changes = need_changes(
            ((e.domain, e.need) for e in entries[previous.pk]),
            ((e.domain, e.need) for e in entries[assessment.pk]),
        )
    return AssessmentRound(assessment, entries[assessment.pk], previous, changes)


def _previous_completed(rounds: Sequence[Assessment], assessment: Assessment) -> Assessment | None:
    """The latest completed round before `assessment` (rounds are newest first)."""
    return next(
        (
            r
            for r in rounds
            if r.version < assessment.version and r.status == AssessmentStatus.COMPLETED
        ),
        None,
    )


def log_page(
    viewer: Membership,
    client: Client,
    *,
    rounds: Iterable[Assessment] = (),
    entries: Iterable[DomainEntry] = (),
    purpose: str = Purpose.SERVICE,
    action: str = AccessAction.VIEW,
) -> None:
    """Record what a page about `client` showed, in one insert: the client's identity (every
    page carries their name), the employment category when it shows a round, and the
    category of every entry it shows."""
    reads: list[tuple[uuid.UUID, str]] = [(client.pk, C.IDENTITY)]
    if any(True for _ in rounds):
        reads.append((client.pk, C.EMPLOYMENT))
    reads += [(client.pk, e.category) for e in entries]
    access_log.record(viewer, reads, purpose=purpose, action=action)


def assessment_overview(
    viewer: Membership, client_id: uuid.UUID | str, *, purpose: str = Purpose.SERVICE
) -> AssessmentOverview:
    """The assessment tab of a client, logged in one insert.

    The current round is the open one, or else the latest completed. Raises
    Client.DoesNotExist when `viewer` may not identify the client.
    """
    client = client_get(viewer, client_id, purpose=purpose)
    rounds = _rounds_of(viewer, client, purpose)
    current = rounds[0] if rounds else None
    completed = [r for r in rounds if r.status == AssessmentStatus.COMPLETED]
    # Only rounds whose entries the page shows are read (and logged): the current one, and the
    # two latest completed ones once there are two to compare.
    compared = completed[:2] if len(completed) > 1 else []
    shown = list(dict.fromkeys([r for r in (current, *compared) if r is not None]))
    entries = _entries_by_round(viewer, shown, purpose)
    overview = AssessmentOverview(
        client=client,
        rounds=rounds,
        current=_with_change(current, None, entries) if current is not None else None,
        comparison=_with_change(compared[0], compared[1], entries) if compared else None,
    )
    log_page(
        viewer,
        client,
        rounds=rounds,
        entries=[e for r in entries.values() for e in r],
        purpose=purpose,
    )
    return overview


def assessment_get(
    viewer: Membership,
    client: Client,
    assessment_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.SERVICE,
) -> Assessment:
    """One round of `client` that `viewer` may read; Assessment.DoesNotExist otherwise (also
    for a round that exists but is not visible). Not logged."""
    return (
        assessments_visible_to(viewer, purpose=purpose, few=True)
        .select_related("client", "recorded_by", "created_by__user", "completed_by__user")
        .get(pk=assessment_id, client=client)
    )


def assessment_round(
    viewer: Membership,
    client_id: uuid.UUID | str,
    assessment_id: uuid.UUID | str,
    *,
    purpose: str = Purpose.SERVICE,
) -> AssessmentRound:
    """One round (an older version, say) with its visible entries and the change from the
    previous completed round, logged in one insert. Raises Client.DoesNotExist or
    Assessment.DoesNotExist when not visible."""
    client = client_get(viewer, client_id, purpose=purpose)
    assessment = assessment_get(viewer, client, assessment_id, purpose=purpose)
    rounds = _rounds_of(viewer, client, purpose)
    previous = _previous_completed(rounds, assessment)
    shown = [assessment] + ([previous] if previous is not None else [])
    entries = _entries_by_round(viewer, shown, purpose)
    log_page(
        viewer,
        client,
        rounds=shown,
        entries=[e for r in entries.values() for e in r],
        purpose=purpose,
    )
    return _with_change(assessment, previous, entries)


def own_entry(
    viewer: Membership, assessment: Assessment, domain: str, *, purpose: str = Purpose.SERVICE
) -> DomainEntry | None:
    """The entry of `domain` in `assessment` recorded by the viewer's organisation, if the
    viewer may read it (the one they may correct). Not logged."""
    return (
        entries_visible_to(viewer, purpose=purpose, few=True)
        .filter(assessment=assessment, domain=domain, recorded_by=viewer.organisation_id)
        .first()
    )


@dataclass
class WorkCapacity:
    """What bears on the client's capacity to work, in one place: the latest completed
    assessment as the viewer may see it, and (once the measures module records them)
    questionnaire scores."""

    client: Client
    latest: AssessmentRound | None
    open_round: Assessment | None
    questionnaires: list[object] = field(default_factory=list)

    @property
    def needs_by_level(self) -> list[tuple[int, str, list[DomainEntry]]]:
        """The visible entries of the latest round grouped by need, most urgent first; levels
        with no entries are left out."""
        if self.latest is None:
            return []
        groups: dict[int, list[DomainEntry]] = {}
        for entry in self.latest.entries:
            groups.setdefault(entry.need, []).append(entry)
        return [
            (level, str(Need(level).label), groups[level]) for level in sorted(groups, reverse=True)
        ]

    @property
    def need_counts(self) -> Counter[int]:
        return Counter(e.need for e in self.latest.entries) if self.latest else Counter()


def work_capacity(
    viewer: Membership, client_id: uuid.UUID | str, *, purpose: str = Purpose.SERVICE
) -> WorkCapacity:
    """The work-capacity view of a client, logged in one insert. Raises Client.DoesNotExist
    when `viewer` may not identify the client."""
    client = client_get(viewer, client_id, purpose=purpose)
    rounds = _rounds_of(viewer, client, purpose)
    completed = [r for r in rounds if r.status == AssessmentStatus.COMPLETED]
    open_round = next((r for r in rounds if r.status == AssessmentStatus.OPEN), None)
    latest_round: AssessmentRound | None = None
    shown: list[Assessment] = []
    entries: dict[uuid.UUID, list[DomainEntry]] = {}
    if completed:
        previous = completed[1] if len(completed) > 1 else None
        shown = [completed[0]] + ([previous] if previous is not None else [])
        entries = _entries_by_round(viewer, shown, purpose)
        latest_round = _with_change(completed[0], previous, entries)
    log_page(
        viewer,
        client,
        rounds=shown + ([open_round] if open_round is not None else []),
        entries=[e for r in entries.values() for e in r],
        purpose=purpose,
    )
    return WorkCapacity(client=client, latest=latest_round, open_round=open_round)
