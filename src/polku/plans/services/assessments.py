"""Writes of the joint assessment: start a round, record a domain entry, complete the round.

Several professionals contribute to one round; each writes only the life domains whose data
category their role may read, and only about clients they may work on (`plans.permissions`).
An entry belongs to the organisation that recorded it: others cannot overwrite it. A completed
round is frozen, so the change in need between rounds compares what was agreed at the time.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.clients.models import Client, Episode
from polku.core import access, audit
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership
from polku.plans.domains import LifeDomain, Need, category_of
from polku.plans.models import Assessment, AssessmentStatus, DomainEntry
from polku.plans.permissions import (
    can_manage_plan,
    can_work_on,
    can_write_category,
    require,
)

C = DataCategory
TEXT_MAX_LENGTH = 4000
OPEN_ROUND_EXISTS = "open_round_exists"
RECORDED_BY_ANOTHER_ORGANISATION = "recorded_by_another_organisation"


def domains_writable_by(actor: Membership, client: Client) -> list[str]:
    """The life domains `actor` may assess for `client`, in the assessment's order."""
    if not can_work_on(actor, client):
        return []
    return [d for d in LifeDomain.values if access.role_permits(actor, category_of(d))]


def can_start(actor: Membership, client: Client) -> bool:
    """May open a new round: the round itself is employment data."""
    return can_write_category(actor, client, C.EMPLOYMENT)


def can_contribute(actor: Membership, assessment: Assessment) -> bool:
    """May add entries to `assessment`: works on the client and reads the round itself."""
    return can_work_on(actor, assessment.client) and access.can_read(
        actor,
        assessment.client,
        category=C.EMPLOYMENT,
        purpose=Purpose.SERVICE,
        recorded_by_id=assessment.recorded_by_id,
    )


def can_complete(actor: Membership, assessment: Assessment) -> bool:
    """May complete the round: whoever manages the client's plan (the key worker, a coordinator
    of the registering organisation), or the people of the organisation that opened it."""
    client = assessment.client
    if can_manage_plan(actor, client):
        return True
    return actor.organisation_id == assessment.recorded_by_id and can_start(actor, client)


@transaction.atomic
def assessment_start(
    *,
    actor: Membership,
    client: Client,
    assessed_on: dt.date | None = None,
    episode: Episode | None = None,
) -> Assessment:
    """Open the next round (version) of the client's joint assessment.

    At most one round per client is open at a time: contributions go to it until it is
    completed. Raises PermissionDenied unless the actor may record employment data about the
    client, ValidationError for a date in the future or before the client's birth, an episode of
    another client, or an open round.
    """
    require(can_start(actor, client))
    # Serialise starts for one client: two concurrent starts would both see no open round.
    Client.objects.select_for_update().filter(pk=client.pk).first()
    assessed_on = assessed_on or timezone.localdate()
    errors: dict[str, str] = {}
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = _("The assessment date cannot be in the future.")
    elif assessed_on < client.date_of_birth:
        errors["assessed_on"] = _("The assessment date is before the client was born.")
    if episode is not None and episode.client_id != client.pk:
        errors["episode"] = _("The episode belongs to another client.")
    if errors:
        raise ValidationError(errors)
    rounds = Assessment.objects.filter(client=client)
    if rounds.filter(status=AssessmentStatus.OPEN).exists():
        raise ValidationError(
            _("The client already has an open assessment. Complete it before starting another."),
            code=OPEN_ROUND_EXISTS,
        )
    latest = rounds.aggregate(latest=Max("version"))["latest"] or 0
    with audit.acting(actor):
        return Assessment.objects.create(
            client=client,
            episode=episode,
            version=latest + 1,
            assessed_on=assessed_on,
            recorded_by_id=actor.organisation_id,
            created_by=actor,
        )


def _check_entry(domain: str, need: int, texts: dict[str, str]) -> None:
    errors: dict[str, str] = {}
    if domain not in LifeDomain.values:
        errors["domain"] = _("Choose one of the life domains.")
    if need not in Need.values:
        errors["need"] = _("Choose a need from 0 (no need) to 3 (urgent).")
    for name, text in texts.items():
        if len(text) > TEXT_MAX_LENGTH:
            errors[name] = _("Write at most %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def entry_save(
    *,
    actor: Membership,
    assessment: Assessment,
    domain: str,
    need: int,
    strengths: str = "",
    barriers: str = "",
    notes: str = "",
) -> DomainEntry:
    """Record (or correct) the actor's organisation's assessment of one life domain.

    Creates the round's entry for `domain`, or updates it when the actor's organisation recorded
    it; the entry takes the domain's data category. Raises PermissionDenied unless the actor may
    contribute to the round and record data of that category about the client; ValidationError
    for an unknown domain or need, text too long, a completed round, or an entry another
    organisation recorded (each organisation answers for its own assessment).
    """
    # Lock the round: completion and concurrent entries wait for each other.
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("client")
        .get(pk=assessment.pk)
    )
    client = assessment.client
    texts = {"strengths": strengths.strip(), "barriers": barriers.strip(), "notes": notes.strip()}
    require(can_contribute(actor, assessment))
    _check_entry(domain, need, texts)
    category = category_of(domain)
    require(can_write_category(actor, client, category))
    if assessment.status != AssessmentStatus.OPEN:
        raise ValidationError(_("This assessment is completed and can no longer be changed."))
    entry = DomainEntry.objects.filter(assessment=assessment, domain=domain).first()
    if entry is not None and entry.recorded_by_id != actor.organisation_id:
        # Said whether or not the actor may read that entry: one entry per domain and round.
        raise ValidationError(
            {
                "domain": ValidationError(
                    _(
                        "Another organisation has already assessed this domain in this "
                        "assessment. Only they can change their entry."
                    ),
                    code=RECORDED_BY_ANOTHER_ORGANISATION,
                )
            }
        )
    with audit.acting(actor):
        if entry is None:
            return DomainEntry.objects.create(
                assessment=assessment,
                client=client,
                domain=domain,
                category=category,
                need=need,
                recorded_by_id=actor.organisation_id,
                created_by=actor,
                **texts,
            )
        entry.need = need
        for name, text in texts.items():
            setattr(entry, name, text)
        entry.save(update_fields=["need", *texts, "updated_at"])
    return entry


@transaction.atomic
def assessment_complete(*, actor: Membership, assessment: Assessment) -> Assessment:
    """Complete (freeze) an open round. Its entries can no longer be changed.

    Raises PermissionDenied unless `can_complete`; ValidationError when the round is already
    completed or has no entries at all.
    """
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("client")
        .get(pk=assessment.pk)
    )
    require(can_contribute(actor, assessment) and can_complete(actor, assessment))
    if assessment.status != AssessmentStatus.OPEN:
        raise ValidationError(_("This assessment is already completed."))
    if not DomainEntry.objects.filter(assessment=assessment).exists():
        raise ValidationError(_("Assess at least one life domain before completing."))
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = timezone.now()
    assessment.completed_by = actor
    with audit.acting(actor):
        assessment.save(update_fields=["status", "completed_at", "completed_by"])
    return assessment
