"""Encounters with the client: meetings, calls, home visits and network meetings."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Client
from polku.core.categories import ROW_CATEGORY, DataCategory
from polku.core.models import Membership, Organisation, PersonalDataModel


class EncounterKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    HOME_VISIT = "home_visit", _("Home visit")
    NETWORK_MEETING = "network_meeting", _("Network meeting with several organisations")


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not attend")


class Encounter(PersonalDataModel):
    """An encounter, readable as its `category`: a visit to a mental health nurse is health
    data even before a word of notes is written."""

    personal_data = {"notes": ROW_CATEGORY, "started_at": ROW_CATEGORY}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="encounters", verbose_name=_("client")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EncounterKind.choices)
    category = models.CharField(
        _("data category of the notes"),
        max_length=20,
        choices=DataCategory.choices,
        default=DataCategory.EMPLOYMENT,
    )
    started_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.ATTENDED
    )
    participants = models.ManyToManyField(
        Membership, blank=True, related_name="+", verbose_name=_("professionals present")
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("organisations present")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("encounter")
        verbose_name_plural = _("encounters")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["client", "category"])]

    def __str__(self) -> str:
        return f"{self.client_id} · {self.kind}"
