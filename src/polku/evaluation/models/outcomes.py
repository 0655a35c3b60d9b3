"""A participant's situation at exit and at the follow-ups 6 and 12 months after exit.

One row per episode and point. The row for a follow-up exists before anyone knows the answer:
the scheduler (`evaluation.tasks.schedule_follow_ups`) creates it, empty, when it falls due, so
the key worker's list of due follow-ups is a plain query. A row is recorded when its status is
set.

ESF+ (../shared/domain/ESF_INDICATORS.md): the situation at exit feeds the immediate result
indicators (EECR01–04, the 28 days after leaving), the one six months after exit the longer-term
ones (EECR05–06). Education and a gained qualification may go with any labour-market situation
(EECR02 and EECR03 co-occur with the others), so they are flags beside the one exclusive status.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Episode
from polku.core.categories import DataCategory as C
from polku.core.models import Membership, PersonalDataModel


class OutcomePoint(models.TextChoices):
    EXIT = "exit", _("At exit")
    MONTH_6 = "month_6", _("6 months after exit")
    MONTH_12 = "month_12", _("12 months after exit")


# Months after the exit at which each point falls due.
POINT_MONTHS: dict[str, int] = {
    OutcomePoint.EXIT: 0,
    OutcomePoint.MONTH_6: 6,
    OutcomePoint.MONTH_12: 12,
}


class OutcomeStatus(models.TextChoices):
    EMPLOYED_FULL_TIME = "employed_full_time", _("Employed full-time, open labour market")
    EMPLOYED_PART_TIME = "employed_part_time", _("Employed part-time, open labour market")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    SUBSIDISED = "subsidised", _("Subsidised employment")
    EDUCATION = "education", _("In education or training")
    JOB_SEEKING = "job_seeking", _("Job seeking")
    REHABILITATION = "rehabilitation", _("In rehabilitation")
    PENSION_OR_SICK_LEAVE = "pension_or_sick_leave", _("On pension or long sick leave")
    OUTSIDE_LABOUR_FORCE = "outside_labour_force", _("Outside the labour force")
    UNKNOWN = "unknown", _("Unknown")


# In employment, including self-employment (ESF+ EECR04/EECR05: subsidised jobs count).
EMPLOYED_STATUSES = frozenset(
    {
        OutcomeStatus.EMPLOYED_FULL_TIME,
        OutcomeStatus.EMPLOYED_PART_TIME,
        OutcomeStatus.SELF_EMPLOYED,
        OutcomeStatus.SUBSIDISED,
    }
)
# Open labour market only (the IPS sense of a competitive job is narrower still).
OPEN_MARKET_STATUSES = frozenset(
    {OutcomeStatus.EMPLOYED_FULL_TIME, OutcomeStatus.EMPLOYED_PART_TIME}
)


class OutcomeSource(models.TextChoices):
    SELF_REPORT = "self_report", _("The participant's own report")
    REGISTER = "register", _("Register")
    PROVIDER = "provider", _("Service provider")


class Outcome(PersonalDataModel):
    record_category = C.EMPLOYMENT
    personal_data = {
        "status": C.EMPLOYMENT,
        "observed_on": C.EMPLOYMENT,
        "in_education": C.EMPLOYMENT,
        "gained_qualification": C.EMPLOYMENT,
        "improved_situation": C.EMPLOYMENT,
        "source": C.EMPLOYMENT,
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("episode")
    )
    point = models.CharField(_("when"), max_length=12, choices=OutcomePoint.choices)
    due_on = models.DateField(_("due on"))
    # Empty until recorded.
    status = models.CharField(
        _("situation"), max_length=24, choices=OutcomeStatus.choices, blank=True
    )
    observed_on = models.DateField(_("situation on"), null=True, blank=True)
    in_education = models.BooleanField(_("in education or training"), default=False)
    gained_qualification = models.BooleanField(_("gained a qualification"), default=False)
    # ESF+ EECR06, only for participants employed at entry: a more stable job, more hours,
    # higher skills or more responsibility. None where it does not apply or is not known.
    improved_situation = models.BooleanField(
        _("improved labour market situation"), null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=12, choices=OutcomeSource.choices, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by_member = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "point"], name="outcome_one_per_point"),
            # Recorded means a status, the day it applies and where it came from, together.
            models.CheckConstraint(
                condition=Q(status="", observed_on__isnull=True, source="")
                | (~Q(status="") & Q(observed_on__isnull=False) & ~Q(source="")),
                name="outcome_recorded_whole",
            ),
        ]
        indexes = [models.Index(fields=["point", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.episode} · {self.point}"

    @property
    def is_recorded(self) -> bool:
        return bool(self.status)
