"""The career (vocational) profile: each save is a new version.

The profile grows as the client works and tries things (IPS-25 item 14, ongoing work-based
assessment), so an update never rewrites the previous version; the newest version is current.
Preferred occupations are ISCO-08 group codes of the shipped classification; the disclosure
preference is the client's informed choice (item 13).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.clients.models import Client
from polku.core import audit
from polku.core.categories import DataCategory
from polku.core.models import Membership
from polku.ips.models import CareerProfile, Disclosure, HoursPreference
from polku.ips.permissions import can_write, require
from polku.ips.services.common import Errors, choice, isco_codes, text

PLACES_MAX_LENGTH = 300


def can_update(actor: Membership, client: Client) -> bool:
    return can_write(actor, client, DataCategory.EMPLOYMENT)


@transaction.atomic
def profile_save(
    *,
    actor: Membership,
    client: Client,
    work_history: str = "",
    education: str = "",
    preferred_occupations: Iterable[str] = (),
    preferred_hours: str = HoursPreference.EITHER,
    preferred_places: str = "",
    strengths: str = "",
    barriers: str = "",
    support_needs: str = "",
    disclosure: str = Disclosure.UNDECIDED,
    disclosure_notes: str = "",
) -> CareerProfile:
    """Save a new version of the client's career profile; the earlier versions stay as they were.

    Raises PermissionDenied when `actor` may not write the client's employment data;
    ValidationError (per field) for an unknown ISCO code or choice, or too long a text.
    """
    require(can_update(actor, client))
    errors: Errors = {}
    values = {
        "work_history": text(work_history, "work_history", errors),
        "education": text(education, "education", errors),
        "preferred_occupations": isco_codes(preferred_occupations, "preferred_occupations", errors),
        "preferred_hours": preferred_hours,
        "preferred_places": text(
            preferred_places, "preferred_places", errors, max_length=PLACES_MAX_LENGTH
        ),
        "strengths": text(strengths, "strengths", errors),
        "barriers": text(barriers, "barriers", errors),
        "support_needs": text(support_needs, "support_needs", errors),
        "disclosure": disclosure,
        "disclosure_notes": text(disclosure_notes, "disclosure_notes", errors),
    }
    choice(
        preferred_hours,
        HoursPreference.values,
        "preferred_hours",
        errors,
        _("Choose the preferred hours from the list."),
    )
    choice(
        disclosure,
        Disclosure.values,
        "disclosure",
        errors,
        _("Choose the disclosure preference from the list."),
    )
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        return CareerProfile.objects.create(
            client=client, recorded_by_id=actor.organisation_id, created_by=actor, **values
        )
