"""Starting and ending a client's IPS case.

A case is the client's time with an employment specialist: the caseload's unit, and its start is
the entry from which rapid job search is measured (IPS-25 item 15, ../shared/domain/IPS.md). The
rules:

- The client has an open programme episode the actor may read; the case starts on or after the
  episode's start, and not in the future.
- The specialist is an active employment specialist of the actor's organisation, which records
  the case: so the specialist reads it as their own organisation's record.
- The specialist joins the client's care team (through `clients.services.care_team_add`, with
  its consent rule) unless already on it; IPS is integrated with the client's other services
  (principle 3).
- One open case per client (a database constraint too).
- A case ends with a date (not before its start, not in the future) and a reason, by the
  organisation that recorded it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.clients import services as client_services
from polku.clients.models import CareTeamMember, Client, Episode
from polku.core import audit, roles
from polku.core.categories import DataCategory
from polku.core.models import Membership
from polku.ips.models import CaseEndReason, IpsCase
from polku.ips.permissions import can_manage_team, can_write, require
from polku.ips.selectors.cases import open_episodes
from polku.ips.services.common import Errors, choice, end_after_start, short_date

C = DataCategory
# One message for every specialist refused: the API's unknown id gets it too, so an answer does
# not tell whether a membership exists elsewhere.
SPECIALIST_REFUSED = gettext_lazy("Choose an active employment specialist of your organisation.")


def can_start(actor: Membership, client: Client) -> bool:
    return can_write(actor, client, C.EMPLOYMENT)


def can_end(actor: Membership, case: IpsCase) -> bool:
    """The recording organisation's people who may work on the client end the case."""
    return case.recorded_by_id == actor.organisation_id and can_write(
        actor, case.client, C.EMPLOYMENT
    )


def specialists_of(actor: Membership) -> QuerySet[Membership]:
    """Who may carry a case the actor opens: the active employment specialists of the actor's
    organisation."""
    return Membership.objects.active().filter(
        organisation=actor.organisation_id, role=roles.Role.EMPLOYMENT_SPECIALIST
    )


def specialists_for(actor: Membership) -> list[Membership]:
    """`specialists_of(actor)` by name."""
    return list(
        specialists_of(actor)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _check_specialist(actor: Membership, specialist: Membership, errors: Errors) -> None:
    if (
        specialist.role != roles.Role.EMPLOYMENT_SPECIALIST
        or specialist.organisation_id != actor.organisation_id
        or not specialist.is_active()
    ):
        errors["specialist"] = str(SPECIALIST_REFUSED)


def _join_care_team(actor: Membership, client: Client, specialist: Membership) -> None:
    """Put the specialist on the care team unless already there; errors name the specialist."""
    if CareTeamMember.objects.filter(
        client=client, membership=specialist, removed_at__isnull=True
    ).exists():
        return
    if not can_manage_team(actor, client):
        raise ValidationError(
            {
                "specialist": _(
                    "%(name)s is not on the client's care team, and only the key worker or a "
                    "coordinator may add them. Ask them to add %(name)s first."
                )
                % {"name": specialist.user.display_name()}
            }
        )
    try:
        client_services.care_team_add(actor=actor, client=client, membership=specialist)
    except ValidationError as error:
        raise ValidationError({"specialist": error.messages}) from None


@transaction.atomic
def case_start(
    *,
    actor: Membership,
    client: Client,
    episode: Episode,
    specialist: Membership,
    start_date: dt.date,
) -> IpsCase:
    """Open the client's IPS case with `specialist`, who joins the care team.

    Raises PermissionDenied when `actor` may not write the client's employment data;
    ValidationError (per field; `client` when the client already has an open case) when a rule
    in the module docstring is broken. Nothing is written then.
    """
    require(can_start(actor, client))
    errors: Errors = {}
    if not open_episodes(actor, client).filter(pk=episode.pk).exists():
        errors["episode"] = _("Choose one of the client's open programme episodes.")
    elif start_date < episode.start_date:
        errors["start_date"] = _(
            "The IPS case cannot start before the programme episode (%(date)s)."
        ) % {"date": short_date(episode.start_date)}
    if start_date > timezone.localdate():
        errors["start_date"] = _("The entry date cannot be in the future.")
    _check_specialist(actor, specialist, errors)
    if IpsCase.objects.filter(client=client, end_date__isnull=True).exists():
        errors["client"] = _(
            "The client already has an open IPS case. End it before starting a new one."
        )
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        _join_care_team(actor, client, specialist)
        try:
            with transaction.atomic():
                return IpsCase.objects.create(
                    client=client,
                    episode=episode,
                    specialist=specialist,
                    start_date=start_date,
                    recorded_by_id=actor.organisation_id,
                    created_by=actor,
                )
        except IntegrityError:
            # Two starts raced; the second loses cleanly (ips_one_open_case).
            raise ValidationError(
                {
                    "client": _(
                        "The client already has an open IPS case. End it before starting a new one."
                    )
                }
            ) from None


@transaction.atomic
def case_end(*, actor: Membership, case: IpsCase, end_date: dt.date, end_reason: str) -> IpsCase:
    """End an open IPS case with a date and a reason.

    Follow-along support of the client's jobs is not ended with it: that is the client's choice,
    recorded per placement (`placements.follow_along_end`).
    """
    require(can_end(actor, case))
    errors: Errors = {}
    if case.end_date is not None:
        errors["end_date"] = _("This IPS case has already ended.")
    else:
        end_after_start(end_date, case.start_date, errors)
    choice(end_reason, CaseEndReason.values, "end_reason", errors, _("Choose why the case ended."))
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        case.end_date, case.end_reason = end_date, end_reason
        case.save(update_fields=["end_date", "end_reason"])
    return case
