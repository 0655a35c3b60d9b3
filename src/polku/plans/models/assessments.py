"""The joint assessment: several professionals assess one client's life domains together."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Client, Episode
from polku.core.categories import ROW_CATEGORY, DataCategory
from polku.core.models import Membership, PersonalDataModel
from polku.plans.domains import LifeDomain, Need

C = DataCategory


class AssessmentStatus(models.TextChoices):
    OPEN = "open", _("Open for contributions")
    COMPLETED = "completed", _("Completed")


class Assessment(PersonalDataModel):
    """One round of the joint assessment. Rounds are numbered per client (the versions); the
    change in need per domain is read between consecutive completed rounds."""

    record_category = C.EMPLOYMENT
    personal_data = {"assessed_on": C.EMPLOYMENT}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("client")
    )
    episode = models.ForeignKey(
        Episode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("episode"),
    )
    version = models.PositiveIntegerField(_("version"))
    assessed_on = models.DateField(_("assessment date"))
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["client", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="assessment_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} · v{self.version}"


class DomainEntry(PersonalDataModel):
    """One professional's assessment of one life domain. Readable as the domain's category."""

    personal_data = dict.fromkeys(("need", "strengths", "barriers", "notes"), ROW_CATEGORY)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="entries", verbose_name=_("assessment")
    )
    # Denormalised from the assessment so that access.scope can filter by client directly.
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    category = models.CharField(max_length=20, choices=DataCategory.choices, editable=False)
    need = models.PositiveSmallIntegerField(_("need for support"), choices=Need.choices)
    strengths = models.TextField(_("strengths"), blank=True)
    barriers = models.TextField(_("barriers"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assessment entry")
        verbose_name_plural = _("assessment entries")
        ordering = ["assessment", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_domain_once"),
        ]
        indexes = [models.Index(fields=["client", "category"])]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.domain}"
