"""Writes of encounters: record one, correct one.

An encounter (a meeting, a call, a home visit, a network meeting) is recorded with the data
category of what was discussed, so a visit to a mental health nurse is health data from the
start (docs/access-policy.md). A professional records encounters only about clients they may
work on, only in categories their role may read, and corrects only their own organisation's
encounters. The rules on the values:

- The professionals present are active memberships of people who work with clients.
- The organisations present always include the recording organisation and those of the
  professionals present (added when left out); a network meeting brings together at least two.
- An encounter that took place, or that the client missed, cannot start more than a day ahead
  (a day of slack for time zones and for writing up a meeting about to begin). A cancelled one
  may be a booking in the future, but not more than a year ahead. None precedes the client's
  birth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.clients.models import Client
from polku.core import access, audit, roles
from polku.core.categories import DataCategory
from polku.core.models import Membership, Organisation
from polku.plans.models import Attendance, Encounter, EncounterKind
from polku.plans.permissions import can_work_on, can_write_category, require

NOTES_MAX_LENGTH = 10000
MAX_DURATION_MINUTES = 600
# Slack for an encounter that happened (or was missed) "in the future": clocks, time zones and
# a note written just before the meeting starts.
FUTURE_SLACK = dt.timedelta(days=1)
# A cancelled booking may lie ahead, within a year.
BOOKING_HORIZON = dt.timedelta(days=365)
NETWORK_MEETING_MIN_ORGANISATIONS = 2


def categories_writable_by(actor: Membership, client: Client) -> list[str]:
    """The data categories `actor` may record an encounter of `client` in (none when `actor`
    may not work on the client at all), in the categories' order."""
    if not can_work_on(actor, client):
        return []
    return [c for c in DataCategory.values if access.role_permits(actor, c)]


def can_record(actor: Membership, client: Client) -> bool:
    """May record encounters of `client` in at least one category."""
    return bool(categories_writable_by(actor, client))


def can_edit(actor: Membership, encounter: Encounter) -> bool:
    """May correct `encounter`: its recording organisation's people who may work on the client
    and whose role may read the encounter's category."""
    return encounter.recorded_by_id == actor.organisation_id and can_write_category(
        actor, encounter.client, encounter.category
    )


def editable_among(
    actor: Membership, client: Client, encounters: Iterable[Encounter]
) -> set[Encounter]:
    """Those of `client`'s `encounters` that `actor` may correct (`can_edit`), deciding whether
    `actor` works on the client once for all of them."""
    if not can_work_on(actor, client):
        return set()
    return {
        e
        for e in encounters
        if e.recorded_by_id == actor.organisation_id and access.role_permits(actor, e.category)
    }


def _participants(
    participants: Iterable[Membership], keep: set[int], errors: dict[str, str]
) -> list[Membership]:
    """The professionals present. Those already recorded (`keep`) stay even when their
    membership has ended since: correcting an old encounter must not rewrite who was there."""
    people = list(dict.fromkeys(participants))
    active = set(
        Membership.objects.active()
        .filter(pk__in=[m.pk for m in people], role__in=roles.CLIENT_WORK_ROLES)
        .values_list("pk", flat=True)
    )
    if any(m.pk not in active and m.pk not in keep for m in people):
        errors["participants"] = _(
            "Choose professionals whose membership is active and who work with clients."
        )
    return people


def _organisations(
    actor: Membership,
    *,
    kind: str,
    organisations: Iterable[Organisation],
    people: list[Membership],
    keep: set[int],
    errors: dict[str, str],
) -> list[int]:
    given = {o.pk for o in organisations}
    added = given - keep
    if added and Organisation.objects.filter(pk__in=added, is_active=True).count() != len(added):
        errors["organisations"] = _("Choose active organisations.")
    present = given | {actor.organisation_id} | {m.organisation_id for m in people}
    if kind == EncounterKind.NETWORK_MEETING and len(present) < NETWORK_MEETING_MIN_ORGANISATIONS:
        errors["organisations"] = _(
            "A network meeting brings together at least two organisations: add the others present."
        )
    return sorted(present)


def _check_values(
    *,
    client: Client,
    kind: str,
    category: str,
    started_at: dt.datetime,
    duration_minutes: int,
    attendance: str,
    notes: str,
    errors: dict[str, str],
) -> None:
    if kind not in EncounterKind.values:
        errors["kind"] = _("Choose the kind of encounter from the list.")
    if category not in DataCategory.values:
        errors["category"] = _("Choose the data category from the list.")
    if attendance not in Attendance.values:
        errors["attendance"] = _("Choose the attendance from the list.")
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = _("Give a duration from 1 to %(max)d minutes.") % {
            "max": MAX_DURATION_MINUTES
        }
    if len(notes) > NOTES_MAX_LENGTH:
        errors["notes"] = _("Keep the notes under %(max)d characters.") % {"max": NOTES_MAX_LENGTH}
    if timezone.is_naive(started_at):
        errors["started_at"] = _("Give the date and time with a time zone.")
        return
    now = timezone.now()
    if timezone.localdate(started_at) < client.date_of_birth:
        errors["started_at"] = _("The encounter cannot be before the client was born.")
    elif attendance == Attendance.CANCELLED and started_at > now + BOOKING_HORIZON:
        errors["started_at"] = _("A cancelled encounter can be at most a year ahead.")
    elif attendance != Attendance.CANCELLED and started_at > now + FUTURE_SLACK:
        errors["started_at"] = _(
            "An encounter that took place or that the client missed cannot be in the future. "
            "Record a cancelled booking as cancelled."
        )


def _validated(
    *,
    actor: Membership,
    client: Client,
    kind: str,
    category: str,
    started_at: dt.datetime,
    duration_minutes: int,
    attendance: str,
    participants: Iterable[Membership],
    organisations: Iterable[Organisation],
    notes: str,
    encounter: Encounter | None = None,
) -> tuple[list[Membership], list[int]]:
    """The professionals and organisation ids present; ValidationError listing every problem.

    When correcting `encounter`, those it already names may stay although no longer active.
    """
    errors: dict[str, str] = {}
    _check_values(
        client=client,
        kind=kind,
        category=category,
        started_at=started_at,
        duration_minutes=duration_minutes,
        attendance=attendance,
        notes=notes,
        errors=errors,
    )
    kept_people: set[int] = set()
    kept_organisations: set[int] = set()
    if encounter is not None:
        kept_people = {m.pk for m in encounter.participants.all()}
        kept_organisations = {o.pk for o in encounter.organisations.all()}
    people = _participants(participants, kept_people, errors)
    organisation_ids = _organisations(
        actor,
        kind=kind,
        organisations=organisations,
        people=people,
        keep=kept_organisations,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    return people, organisation_ids


@transaction.atomic
def encounter_record(
    *,
    actor: Membership,
    client: Client,
    kind: str,
    category: str,
    started_at: dt.datetime,
    duration_minutes: int,
    attendance: str = Attendance.ATTENDED,
    participants: Iterable[Membership] = (),
    organisations: Iterable[Organisation] = (),
    notes: str = "",
) -> Encounter:
    """Record an encounter with `client`, in `actor`'s organisation.

    Raises PermissionDenied when `actor` may not work on the client or their role may not read
    `category`; ValidationError (per field) when a value breaks the rules in the module's
    docstring. Nothing is written then.
    """
    require(can_work_on(actor, client))
    require(category not in DataCategory.values or access.role_permits(actor, category))
    notes = notes.strip()
    people, organisation_ids = _validated(
        actor=actor,
        client=client,
        kind=kind,
        category=category,
        started_at=started_at,
        duration_minutes=duration_minutes,
        attendance=attendance,
        participants=participants,
        organisations=organisations,
        notes=notes,
    )
    with audit.acting(actor):
        encounter = Encounter.objects.create(
            client=client,
            kind=kind,
            category=category,
            started_at=started_at,
            duration_minutes=duration_minutes,
            attendance=attendance,
            notes=notes,
            recorded_by_id=actor.organisation_id,
            created_by=actor,
        )
        encounter.participants.set(people)
        encounter.organisations.set(organisation_ids)
    return encounter


@transaction.atomic
def encounter_update(
    *,
    actor: Membership,
    encounter: Encounter,
    kind: str,
    category: str,
    started_at: dt.datetime,
    duration_minutes: int,
    attendance: str,
    participants: Iterable[Membership],
    organisations: Iterable[Organisation],
    notes: str,
) -> Encounter:
    """Correct an encounter: every value is replaced by the one given.

    Only the recording organisation's people who may work on the client and whose role reads
    both the encounter's category and the new one (`can_edit`); PermissionDenied otherwise.
    Same validation as `encounter_record`.
    """
    require(can_edit(actor, encounter))
    require(category not in DataCategory.values or access.role_permits(actor, category))
    notes = notes.strip()
    people, organisation_ids = _validated(
        actor=actor,
        client=encounter.client,
        kind=kind,
        category=category,
        started_at=started_at,
        duration_minutes=duration_minutes,
        attendance=attendance,
        participants=participants,
        organisations=organisations,
        notes=notes,
        encounter=encounter,
    )
    with audit.acting(actor):
        encounter.kind, encounter.category = kind, category
        encounter.started_at, encounter.duration_minutes = started_at, duration_minutes
        encounter.attendance, encounter.notes = attendance, notes
        encounter.save(
            update_fields=[
                "kind",
                "category",
                "started_at",
                "duration_minutes",
                "attendance",
                "notes",
            ]
        )
        encounter.participants.set(people)
        encounter.organisations.set(organisation_ids)
    return encounter
