"""Programme costs: what a programme cost each month, set against its savings.

Only programme managers of the organisation responsible for the programme record its costs
(`can_record_costs`, the rule of `services_targets.can_set_targets`); evaluators, and managers of
other organisations, read them. A cost is a month
(first day), an amount in euros, 0 to 9 999 999 999.99 with at most two decimals, and an
optional description (staff, purchased services, ...); a month may hold several costs. Every
write is in the change audit, attributed to the acting membership.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from polku.clients.models import Programme
from polku.core import audit
from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.models import ProgrammeCost
from polku.evaluation.services_targets import can_set_targets
from polku.ips.outcomes.periods import Month

COST_ROLES = frozenset({Role.PROGRAMME_MANAGER})
MAX_AMOUNT = Decimal("9999999999.99")
DESCRIPTION_LENGTH = 200
FIRST_YEAR = 2000


def can_record_costs(actor: Membership, programme: Programme | None = None) -> bool:
    """Whether `actor` records costs: of `programme`, only a programme manager of the
    organisation responsible for it (the same rule as setting its targets); with no programme,
    whether the actor's role records costs at all."""
    if programme is None:
        return actor.role in COST_ROLES
    return actor.role in COST_ROLES and can_set_targets(actor, programme)


def cost_programmes(actor: Membership) -> QuerySet[Programme]:
    """The programmes whose costs `actor` records (`can_record_costs`)."""
    if actor.role not in COST_ROLES:
        return Programme.objects.none()
    return Programme.objects.filter(organisation_id=actor.organisation_id).order_by("name")


def _require(actor: Membership, programme: Programme) -> None:
    if not can_record_costs(actor, programme):
        raise PermissionDenied


def _validated(month: Month, amount: Decimal, description: str) -> tuple[Decimal, str]:
    errors: dict[str, list[str]] = {}
    if month.year < FIRST_YEAR:
        errors["month"] = [_("Give a month from the year %(year)s on.") % {"year": FIRST_YEAR}]
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        errors["amount"] = [_("Give an amount from 0 to 9 999 999 999.99 euros.")]
    elif amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = [_("Give the amount in euros and cents, at most two decimals.")]
    description = description.strip()
    if len(description) > DESCRIPTION_LENGTH:
        errors["description"] = [
            _("Keep the description to %(count)s characters.") % {"count": DESCRIPTION_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    return amount.quantize(Decimal("0.01")), description


@transaction.atomic
def programme_cost_record(
    *,
    actor: Membership,
    programme: Programme,
    month: Month,
    amount: Decimal,
    description: str = "",
) -> ProgrammeCost:
    """Record a cost of `programme` in `month`.

    Raises PermissionDenied unless the actor is a programme manager of the organisation
    responsible for `programme`, ValidationError (per
    field) for a month before 2000, an amount out of range or with more than two decimals, or a
    description over 200 characters; nothing is written then.
    """
    _require(actor, programme)
    amount, description = _validated(month, amount, description)
    with audit.acting(actor):
        return ProgrammeCost.objects.create(
            programme=programme, month=month.first_day, amount=amount, description=description
        )


@transaction.atomic
def programme_cost_update(
    *,
    actor: Membership,
    cost: ProgrammeCost,
    month: Month,
    amount: Decimal,
    description: str = "",
) -> ProgrammeCost:
    """Correct a recorded cost; the same rules and refusals as `programme_cost_record`."""
    _require(actor, cost.programme)
    amount, description = _validated(month, amount, description)
    cost.month, cost.amount, cost.description = month.first_day, amount, description
    with audit.acting(actor):
        cost.save(update_fields=["month", "amount", "description"])
    return cost


@transaction.atomic
def programme_cost_delete(*, actor: Membership, cost: ProgrammeCost) -> None:
    """Remove a cost recorded by mistake (a programme figure, not personal data, so it is
    deleted; the change audit keeps what it was). PermissionDenied unless a programme manager of
    the organisation responsible for the cost's programme."""
    _require(actor, cost.programme)
    with audit.acting(actor):
        cost.delete()
