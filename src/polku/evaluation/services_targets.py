"""Setting a programme's targets, which the dashboard sets actuals against."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.clients.models import Programme
from polku.core import audit
from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.models import PERCENT_MEASURES, ProgrammeTarget, TargetMeasure

MAX_PERCENT = Decimal(100)
MAX_COUNT = Decimal(999_999_999)


def can_set_targets(actor: Membership, programme: Programme) -> bool:
    """Programme managers set the targets of the programmes their organisation runs;
    evaluators, and managers of other organisations, read them."""
    return actor.role == Role.PROGRAMME_MANAGER and programme.organisation_id == (
        actor.organisation_id
    )


def _error(measure: str, value: Decimal) -> str | None:
    if not value.is_finite():
        return _("Enter a number.")
    if measure in PERCENT_MEASURES:
        if not Decimal(0) <= value <= MAX_PERCENT:
            return _("Enter a percentage from 0 to 100.")
        if value != value.quantize(Decimal("0.1")):
            return _("Enter at most one decimal.")
        return None
    if not Decimal(0) <= value <= MAX_COUNT or value != value.to_integral_value():
        return _("Enter a whole number, 0 or more.")
    return None


@transaction.atomic
def programme_targets_set(
    *, actor: Membership, programme: Programme, targets: Mapping[str, Decimal | None]
) -> dict[str, Decimal]:
    """Set `programme`'s targets: a value per measure (`TargetMeasure`), None to remove one;
    measures not given stay as they are.

    Returns the programme's targets afterwards, by measure. Raises PermissionDenied unless
    `can_set_targets`, and ValidationError by measure for an unknown measure, a percentage
    outside 0–100 or a count that is not a whole number of 0 or more; nothing changes then.
    The change audit records who set what (`audit.acting`).
    """
    if not can_set_targets(actor, programme):
        raise PermissionDenied
    errors: dict[str, str] = {}
    for measure, value in targets.items():
        if measure not in TargetMeasure.values:
            errors[measure] = _("Unknown target measure.")
        elif value is not None and (message := _error(measure, value)):
            errors[measure] = message
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        for measure, value in targets.items():
            if value is None:
                for target in ProgrammeTarget.objects.filter(programme=programme, measure=measure):
                    target.delete()  # one by one, so the change audit sees each removal
            else:
                ProgrammeTarget.objects.update_or_create(
                    programme=programme, measure=measure, defaults={"value": value}
                )
    return {str(t.measure): t.value for t in ProgrammeTarget.objects.filter(programme=programme)}
