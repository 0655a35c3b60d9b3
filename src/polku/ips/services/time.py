"""The specialists' own time records.

Time entries inform fidelity items 2 (specialists do employment work only) and 24 (at least 65 %
of their time in the community, outside the office; ../shared/domain/IPS.md). They are staff
data, not client data: each employment specialist records and sees their own.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.core import audit
from polku.core.models import Membership
from polku.ips.models import TimeActivity, TimeEntry
from polku.ips.permissions import can_record_time, require
from polku.ips.services.common import Errors, choice, not_in_future

MIN_MINUTES, MINUTES_PER_DAY = 5, 24 * 60
# Time is recorded soon after: a year back is plenty, and keeps typos of the year out.
OLDEST = dt.timedelta(days=366)


@transaction.atomic
def time_entry_record(
    *,
    actor: Membership,
    date: dt.date,
    activity: str,
    minutes: int,
    in_community: bool = False,
) -> TimeEntry:
    """Record `minutes` of the actor's own time on `date` in `activity`.

    Raises PermissionDenied unless the actor is an active employment specialist;
    ValidationError (per field) for a date in the future or over a year back, an unknown
    activity, or minutes outside 5–1440 or beyond 24 hours for the day in all.
    """
    require(can_record_time(actor))
    errors: Errors = {}
    not_in_future(date, "date", errors)
    if date < timezone.localdate() - OLDEST:
        errors["date"] = _("Record time within a year of the day.")
    choice(
        activity,
        TimeActivity.values,
        "activity",
        errors,
        _("Choose the activity from the list."),
    )
    if not MIN_MINUTES <= minutes <= MINUTES_PER_DAY:
        errors["minutes"] = _("Give the minutes, from %(min)d to %(max)d.") % {
            "min": MIN_MINUTES,
            "max": MINUTES_PER_DAY,
        }
    else:
        # One specialist's saves one after another (a lock on the membership's row), so two
        # saves cannot both pass the day's limit.
        Membership.objects.select_for_update().filter(pk=actor.pk).first()
        recorded = (
            TimeEntry.objects.filter(membership=actor, date=date).aggregate(total=Sum("minutes"))[
                "total"
            ]
            or 0
        )
        if recorded + minutes > MINUTES_PER_DAY:
            errors["minutes"] = _(
                "%(minutes)d minutes are already recorded for that day: a day has 24 hours."
            ) % {"minutes": recorded}
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        return TimeEntry.objects.create(
            membership=actor,
            date=date,
            activity=activity,
            minutes=minutes,
            in_community=in_community,
        )
