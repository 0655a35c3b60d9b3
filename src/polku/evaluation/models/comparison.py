"""Comparison groups: people who did not take part, imported from a register extract (CSV).

The rows are pseudonymous — the register's own row id, never a name or identity code — and carry
the same covariates and outcomes as the participants' evaluation frame, so the estimators
(`evaluation.estimators`) can set one against the other. Only evaluators and programme managers
see them, and only as aggregates and estimates.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Gender, Programme


class ComparisonGroup(models.Model):
    name = models.CharField(_("name"), max_length=200)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="comparison_groups",
        verbose_name=_("compared with programme"),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the data came from, e.g. the register and extract date."),
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    file_name = models.CharField(_("file"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("comparison group")
        verbose_name_plural = _("comparison groups")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.name


class ComparisonMember(models.Model):
    group = models.ForeignKey(ComparisonGroup, on_delete=models.CASCADE, related_name="members")
    row_id = models.CharField(_("row id"), max_length=64)
    # Covariates, as at the reference date (the participants' entry date).
    reference_date = models.DateField(_("reference date"))
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices)
    age = models.PositiveSmallIntegerField(_("age"), validators=[MaxValueValidator(120)])
    months_unemployed = models.PositiveSmallIntegerField(_("months unemployed"))
    isced_level = models.PositiveSmallIntegerField(
        _("ISCED level"), null=True, blank=True, validators=[MaxValueValidator(8)]
    )
    months_employed_before = models.PositiveSmallIntegerField(
        _("months in work in the 12 months before"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(12)],
    )
    # Outcomes.
    months_employed_after = models.PositiveSmallIntegerField(
        _("months in work in the 12 months after"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(12)],
    )
    employed_6m = models.BooleanField(_("employed 6 months after"), null=True, blank=True)
    employed_12m = models.BooleanField(_("employed 12 months after"), null=True, blank=True)
    days_to_job = models.PositiveIntegerField(_("days to first job"), null=True, blank=True)
    days_followed = models.PositiveIntegerField(_("days followed"))

    class Meta:
        verbose_name = _("comparison group member")
        verbose_name_plural = _("comparison group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "row_id"], name="comparison_row_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.row_id}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ComparisonRun(models.Model):
    """One run of the estimators (matching, difference-in-differences) on a comparison group.

    Heavy statistics run as background jobs, never in a request (ARCHITECTURE.md): the page
    queues a run with its parameters, the worker stores the result here as JSON, and the page
    shows the latest finished run. A run holds aggregates only.
    """

    group = models.ForeignKey(ComparisonGroup, on_delete=models.CASCADE, related_name="runs")
    parameters = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    result = models.JSONField(_("result"), null=True, blank=True)
    # A user-facing reason when the data could not support an estimate.
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comparison run")
        verbose_name_plural = _("comparison runs")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.group} · {self.requested_at:%Y-%m-%d %H:%M}"
