"""Recording a participant's situation at exit and at the follow-ups, and scheduling the rows.

The rows (`Outcome`) exist before anyone knows the answer: `exit_due` creates the exit row when an
episode ends (called from `clients.services.episode_end`), and `schedule_follow_ups` (a daily
background task) creates every missing exit row and the 6- and 12-month rows once they fall due
within `SCHEDULE_AHEAD_DAYS`. Recording fills a row in. The rules
(../shared/domain/ESF_INDICATORS.md):

- The situation at exit is the one in the four weeks (28 days) after leaving: the day it applies
  is on or after the exit and at most 28 days later. A follow-up's day is not before the exit,
  and not earlier than `SCHEDULE_AHEAD_DAYS` before it falls due (else it is not the situation
  six or twelve months on). No day is in the future.
- A situation, its day and its source go together (a database constraint too).
- "Improved labour market situation" (EECR06) applies only to participants employed at entry
  (their entry data says so), and means a better job, so only with an employed status.
- Who records: as for IPS work, the people who may work on the client (`clients.services.
  can_work_on`) in a role that reads employment data, who may read the outcome's record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polku.clients.models import Client, Episode
from polku.clients.services import can_work_on
from polku.core import access, audit
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership
from polku.evaluation.models import (
    EMPLOYED_STATUSES,
    POINT_MONTHS,
    EntryData,
    LabourMarketStatus,
    Outcome,
    OutcomePoint,
    OutcomeSource,
    OutcomeStatus,
)
from polku.ips.outcomes.calculations import add_months

# ESF+ immediate results: the situation in the four weeks after leaving.
EXIT_WINDOW_DAYS = 28
# A follow-up row appears this many days before it falls due, so the key worker can plan it.
SCHEDULE_AHEAD_DAYS = 30
# Months are uneven: a candidate episode may end this many days after the exact cut-off and
# still fall due in time (31 August + 6 months = 28 February). The exact date is checked after.
MONTH_SLACK_DAYS = 4
FOLLOW_UP_POINTS = (OutcomePoint.MONTH_6, OutcomePoint.MONTH_12)


def _short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def due_date(end_date: dt.date, point: str) -> dt.date:
    """The day the outcome at `point` falls due for an episode that ended on `end_date`."""
    return add_months(end_date, POINT_MONTHS[point])


def can_record_for(actor: Membership, client: Client) -> bool:
    """May record outcomes and entry data of `client`: works on the client in a role that reads
    employment data (as for IPS work)."""
    return (
        actor.is_active()
        and access.role_permits(actor, DataCategory.EMPLOYMENT)
        and can_work_on(actor, client)
    )


def can_record(actor: Membership, outcome: Outcome) -> bool:
    """May record or correct `outcome`: `can_record_for` its client, and reads its record."""
    client = outcome.episode.client
    return can_record_for(actor, client) and access.can_read(
        actor,
        client,
        category=Outcome.record_category,
        purpose=Purpose.SERVICE,
        recorded_by_id=outcome.recorded_by_id,
    )


def employed_at_entry(episode: Episode) -> bool:
    """Whether the episode's entry data says the participant was employed at entry."""
    return EntryData.objects.filter(
        episode=episode, labour_market_status=LabourMarketStatus.EMPLOYED
    ).exists()


def _check_day(outcome: Outcome, observed_on: dt.date | None, errors: dict[str, str]) -> None:
    end = outcome.episode.end_date
    if observed_on is None:
        errors["observed_on"] = _("Give the day the situation applies to.")
        return
    if observed_on > timezone.localdate():
        errors["observed_on"] = _("The date cannot be in the future.")
    elif end is None:
        errors["observed_on"] = _("The episode has not ended: outcomes are recorded after exit.")
    elif outcome.point == OutcomePoint.EXIT:
        last = end + dt.timedelta(days=EXIT_WINDOW_DAYS)
        if not end <= observed_on <= last:
            errors["observed_on"] = _(
                "The situation at exit is the one within 28 days after leaving (ESF+): give a "
                "day from %(first)s to %(last)s."
            ) % {"first": _short(end), "last": _short(last)}
    elif observed_on < end:
        errors["observed_on"] = _("A follow-up cannot be before the exit (%(date)s).") % {
            "date": _short(end)
        }
    else:
        earliest = outcome.due_on - dt.timedelta(days=SCHEDULE_AHEAD_DAYS)
        if observed_on < earliest:
            errors["observed_on"] = _(
                "This follow-up falls due on %(due)s: record the situation from %(earliest)s on."
            ) % {"due": _short(outcome.due_on), "earliest": _short(earliest)}


def _check_improved(
    outcome: Outcome, status: str, improved_situation: bool | None, errors: dict[str, str]
) -> None:
    if improved_situation is None:
        return
    if not employed_at_entry(outcome.episode):
        errors["improved_situation"] = _(
            "An improved labour market situation is recorded only for participants who were "
            "employed at entry (ESF+ EECR06). Record the entry data first, or leave this empty."
        )
    elif improved_situation and status not in EMPLOYED_STATUSES:
        errors["improved_situation"] = _(
            "An improved situation means a better job: choose an employed situation, or answer no."
        )


@transaction.atomic
def outcome_record(
    *,
    actor: Membership,
    outcome: Outcome,
    status: str,
    observed_on: dt.date | None,
    source: str,
    in_education: bool = False,
    gained_qualification: bool = False,
    improved_situation: bool | None = None,
) -> Outcome:
    """Record (or correct) the participant's situation at the outcome's point.

    Raises PermissionDenied unless `can_record(actor, outcome)`; ValidationError per field when a
    rule in the module docstring is broken. Nothing is written then. Returns the outcome,
    recorded by `actor` now.
    """
    if not can_record(actor, outcome):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if status not in OutcomeStatus.values:
        errors["status"] = _("Choose the participant's situation.")
    if source not in OutcomeSource.values:
        errors["source"] = _("Choose where the information came from.")
    _check_day(outcome, observed_on, errors)
    _check_improved(outcome, status, improved_situation, errors)
    if errors:
        raise ValidationError(errors)
    outcome.status, outcome.observed_on, outcome.source = status, observed_on, source
    outcome.in_education, outcome.gained_qualification = in_education, gained_qualification
    outcome.improved_situation = improved_situation
    outcome.recorded_at, outcome.recorded_by_member = timezone.now(), actor
    with audit.acting(actor):
        outcome.save()
    return outcome


def _missing_rows(episodes: QuerySet[Episode], *, today: dt.date) -> list[Outcome]:
    """The outcome rows `episodes` should have by `today` and do not: one query per point."""
    rows: list[Outcome] = []
    horizon = today + dt.timedelta(days=SCHEDULE_AHEAD_DAYS)
    ended = episodes.filter(end_date__isnull=False)
    for point in (OutcomePoint.EXIT, *FOLLOW_UP_POINTS):
        candidates = ended.filter(
            ~Exists(Outcome.objects.filter(episode=OuterRef("pk"), point=point))
        )
        if point != OutcomePoint.EXIT:
            cutoff = add_months(horizon, -POINT_MONTHS[point])
            candidates = candidates.filter(
                end_date__lte=cutoff + dt.timedelta(days=MONTH_SLACK_DAYS)
            )
        rows += _rows(candidates.values_list("pk", "end_date", "recorded_by_id"), point, horizon)
    return rows


def _rows(
    episodes: Iterable[tuple[uuid.UUID, dt.date | None, int]], point: str, horizon: dt.date
) -> list[Outcome]:
    rows = []
    for episode_id, end_date, recorded_by_id in episodes:
        if end_date is None:  # not a candidate: `_missing_rows` reads ended episodes only
            continue
        due_on = due_date(end_date, point)
        if due_on <= horizon:
            rows.append(
                Outcome(
                    episode_id=episode_id, point=point, due_on=due_on, recorded_by_id=recorded_by_id
                )
            )
    return rows


def _create(rows: list[Outcome]) -> int:
    # ignore_conflicts: a row created meanwhile (another run, an episode ending) is left as it
    # is. The empty rows hold no recorded values; recording them is what the change audit shows.
    Outcome.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def schedule_follow_ups(*, today: dt.date) -> int:
    """Create the missing outcome rows as of `today`; return how many were created.

    The exit row of every ended episode, and the 6- and 12-month rows of those whose due date is
    at most `SCHEDULE_AHEAD_DAYS` after `today`. Idempotent: a second run the same day creates
    nothing. Set-based: three queries for the candidates, then bulk inserts. Rows are recorded by
    the episode's organisation, as the episode is.
    """
    return _create(_missing_rows(Episode.objects.all(), today=today))


@transaction.atomic
def exit_due(episode: Episode) -> Outcome | None:
    """Create the outcome rows an episode has just become due for, as soon as it ends: the exit
    row, and for an end recorded late, any follow-up already due. Returns the exit row (None
    while the episode is open). Called by `clients.services.episode_end`."""
    if episode.end_date is None:
        return None
    _create(_missing_rows(Episode.objects.filter(pk=episode.pk), today=timezone.localdate()))
    return Outcome.objects.get(episode=episode, point=OutcomePoint.EXIT)
