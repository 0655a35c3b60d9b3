"""A programme's targets and costs, which the dashboard and the savings report set actuals
against. Programme-level figures, not personal data."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme


class TargetMeasure(models.TextChoices):
    # The Helsinki IPS pilot's targets (../shared/domain/ESF_INDICATORS.md, programme-specific).
    PARTICIPANTS = "participants", _("Participants")
    WORK_OR_TRAINING_AT_EXIT = (
        "work_or_training_at_exit",
        _("Share in work or training at exit (%)"),
    )
    HIRING_EMPLOYERS = "hiring_employers", _("Employers who hired a participant")
    EMPLOYED_AT_EXIT = "employed_at_exit", _("Share employed at exit (%)")


# Measures given as a percentage (0–100); the others are counts.
PERCENT_MEASURES = frozenset(
    {TargetMeasure.WORK_OR_TRAINING_AT_EXIT, TargetMeasure.EMPLOYED_AT_EXIT}
)


class ProgrammeTarget(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="targets", verbose_name=_("programme")
    )
    measure = models.CharField(_("measure"), max_length=32, choices=TargetMeasure.choices)
    value = models.DecimalField(
        _("target"), max_digits=10, decimal_places=1, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        constraints = [
            models.UniqueConstraint(fields=["programme", "measure"], name="target_one_per_measure")
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.measure}"


class ProgrammeCost(models.Model):
    """What the programme cost in a calendar month (staff, purchased services, other)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="costs", verbose_name=_("programme")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(
        _("amount (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("programme cost")
        verbose_name_plural = _("programme costs")
        ordering = ["month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="programme_cost_first_of_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.month:%Y-%m}"
