"""Employer contacts: a specialist's visit, call, e-mail or event with an employer.

IPS fidelity item 17 counts the face-to-face job development contacts per specialist per week,
so the contact is always the acting specialist's own, recorded through their membership and
organisation, on the day it happened (never in the future).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.core import audit
from polku.core.models import Membership
from polku.employers.models import (
    Employer,
    EmployerInteraction,
    EmployerPerson,
    InteractionKind,
    InteractionPurpose,
)
from polku.employers.permissions import require_write

OUTCOME_MAX_LENGTH = 5000


@transaction.atomic
def interaction_record(
    *,
    actor: Membership,
    employer: Employer,
    date: dt.date,
    kind: str = InteractionKind.VISIT,
    purpose: str = InteractionPurpose.JOB_DEVELOPMENT,
    person: EmployerPerson | None = None,
    outcome: str = "",
) -> EmployerInteraction:
    """Record the actor's contact with `employer` on `date`.

    The specialist is the actor and the organisation the actor's. Raises PermissionDenied
    unless the actor may write the register; ValidationError by field: a date in the future,
    an unknown kind or purpose, a person of another employer, an outcome too long.
    """
    require_write(actor)
    errors: dict[str, list[str]] = {}
    if date > timezone.localdate():
        errors["date"] = [_("The date cannot be in the future.")]
    if kind not in InteractionKind.values:
        errors["kind"] = [_("Choose how you were in contact.")]
    if purpose not in InteractionPurpose.values:
        errors["purpose"] = [_("Choose the purpose of the contact.")]
    if person is not None and person.employer_id != employer.pk:
        errors["person"] = [_("Choose a contact person of this employer.")]
    outcome = (outcome or "").strip()
    if len(outcome) > OUTCOME_MAX_LENGTH:
        errors["outcome"] = [
            _("Keep the outcome under %(count)d characters.") % {"count": OUTCOME_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    interaction = EmployerInteraction(
        employer=employer,
        date=date,
        kind=kind,
        purpose=purpose,
        specialist=actor,
        organisation=actor.organisation,
        person=person,
        outcome=outcome,
    )
    with audit.acting(actor):
        interaction.save()
    return interaction
