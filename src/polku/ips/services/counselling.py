"""Benefits (work-incentive) counselling records.

Personalised benefits counselling is an IPS principle (5) and fidelity item 12: every client
should hear, before a job starts, how earnings change their benefits. The record is benefits
data, so only roles that may read benefits data record it (an employer liaison does not), and it
reaches another organisation only as the access policy allows benefits data to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.clients.models import Client
from polku.core import audit, roles
from polku.core.categories import DataCategory
from polku.core.models import Membership
from polku.ips.models import BenefitsCounselling
from polku.ips.permissions import can_write, require
from polku.ips.services.common import Errors, not_in_future, text

C = DataCategory
BENEFIT_ROLES = sorted(
    role for role in roles.Role.values if C.BENEFITS in roles.categories_for(role)
)
COUNSELLOR_REFUSED = gettext_lazy(
    "Choose yourself or an active member of the client's care team whose role covers benefits "
    "counselling."
)


class BenefitTopic(models.TextChoices):
    """What the counselling covered (stored as codes in BenefitsCounselling.topics)."""

    EARNINGS_ADJUSTMENT = (
        "earnings_adjustment",
        gettext_lazy("Adjusting unemployment benefit to earnings"),
    )
    HOUSING_ALLOWANCE = "housing_allowance", gettext_lazy("Housing allowance")
    SOCIAL_ASSISTANCE = "social_assistance", gettext_lazy("Social assistance")
    DISABILITY_BENEFITS = (
        "disability_benefits",
        gettext_lazy("Disability benefits and pension while working"),
    )
    REHABILITATION = "rehabilitation", gettext_lazy("Rehabilitation allowance")
    TAXATION = "taxation", gettext_lazy("Tax card and taxation")
    PAY_SUBSIDY = "pay_subsidy", gettext_lazy("Pay subsidy and other support for the employer")
    OTHER = "other", gettext_lazy("Other benefit questions")


def can_record(actor: Membership, client: Client) -> bool:
    return can_write(actor, client, C.BENEFITS)


def _counsellors(actor: Membership, client: Client) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(
            models.Q(pk=actor.pk)
            | models.Q(care_teams__client=client, care_teams__removed_at__isnull=True)
        )
        .filter(role__in=BENEFIT_ROLES)
    )


def counsellors_for(actor: Membership, client: Client) -> list[Membership]:
    """Who may be named as having given the counselling: the actor and the client's care team
    members whose role reads benefits data, active today."""
    return list(
        _counsellors(actor, client)
        .select_related("user", "organisation")
        .distinct()
        .order_by("user__last_name", "user__first_name", "pk")
    )


@transaction.atomic
def counselling_record(
    *,
    actor: Membership,
    client: Client,
    date: dt.date,
    topics: Iterable[str],
    calculation_made: bool = False,
    notes: str = "",
    counsellor: Membership | None = None,
) -> BenefitsCounselling:
    """Record benefits counselling given to the client by `counsellor` (the actor by default).

    Raises PermissionDenied when `actor` may not write the client's benefits data;
    ValidationError (per field) for a date in the future, no or unknown topics, or a counsellor
    who is not one of `counsellors_for(actor, client)`: the actor or an active member of the
    client's care team whose role reads benefits data.
    """
    require(can_record(actor, client))
    counsellor = counsellor or actor
    errors: Errors = {}
    not_in_future(date, "date", errors)
    chosen = list(dict.fromkeys(topics))
    if not chosen:
        errors["topics"] = _("Choose at least one topic discussed.")
    elif set(chosen) - set(BenefitTopic.values):
        errors["topics"] = _("Choose topics from the list.")
    if not _counsellors(actor, client).filter(pk=counsellor.pk).exists():
        # One message for every refusal: it does not tell who exists elsewhere (the API's
        # unknown id gets it too).
        errors["counsellor"] = str(COUNSELLOR_REFUSED)
    notes = text(notes, "notes", errors)
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        return BenefitsCounselling.objects.create(
            client=client,
            date=date,
            counsellor=counsellor,
            topics=chosen,
            calculation_made=calculation_made,
            notes=notes,
            recorded_by_id=actor.organisation_id,
            created_by=actor,
        )
