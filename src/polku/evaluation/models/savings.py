"""Savings rule sets: who pays which share of a benefit, from which date, at which cumulative day.

A rule set is data, not code (../shared/domain/BENEFITS_AND_SAVINGS.md: "a new law is a new row,
not a release"). Each row says: from `valid_from` to `valid_until`, for a person whose cumulative
count of paid benefit days is between `days_from` and `days_to`, a benefit of `amount` per day
(or per month) is paid, of which the municipality finances `municipal_share` and the state
`state_share`. The shipped rule sets are loaded from `evaluation/savings/data/rule_sets.json`
(migration 0002 and `polku savings-rules-load`). Reference data, not personal data.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AmountUnit",
    "BenefitType",
    "SavingsKind",
    "SavingsRule",
    "SavingsRuleSet",
]


class SavingsKind(models.TextChoices):
    FI_UNEMPLOYMENT_SHARE = (
        "fi_unemployment_share",
        _("Finland: municipal share of unemployment benefits"),
    )
    SE_SOCIAL_ASSISTANCE = "se_social_assistance", _("Sweden: municipal social assistance")


class BenefitType(models.TextChoices):
    LABOUR_MARKET_SUBSIDY = "labour_market_subsidy", _("Labour market subsidy")
    BASIC_ALLOWANCE = "basic_allowance", _("Basic unemployment allowance")
    # Kela's basic allowance and labour market subsidy merge into one benefit on 1 May 2026.
    GENERAL_BENEFIT = "general_benefit", _("General benefit")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")


class AmountUnit(models.TextChoices):
    DAY = "day", _("per paid day")
    MONTH = "month", _("per month")


_SHARE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class SavingsRuleSet(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=SavingsKind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code: FI, SE."))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    source = models.TextField(_("source"), help_text=_("The law or statistics the rows follow."))
    note = models.TextField(_("note"), blank=True)
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Some figures could not be confirmed from the act or statistics."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in lists; the first is the default.")
    )

    class Meta:
        verbose_name = _("savings rule set")
        verbose_name_plural = _("savings rule sets")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (English when the language is another)."""
        language = (translation.get_language() or "en")[:2]
        return {"fi": self.name_fi, "sv": self.name_sv}.get(language, self.name_en)


class SavingsRule(models.Model):
    rule_set = models.ForeignKey(
        SavingsRuleSet,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("rule set"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    benefit_type = models.CharField(_("benefit"), max_length=32, choices=BenefitType.choices)
    days_from = models.PositiveIntegerField(
        _("from cumulative day"),
        help_text=_("The first paid benefit day the row covers (1 = the first)."),
    )
    days_to = models.PositiveIntegerField(
        _("to cumulative day"),
        null=True,
        blank=True,
        help_text=_("The last paid benefit day the row covers; empty: no end."),
    )
    municipal_share = models.DecimalField(
        _("municipal share"), max_digits=5, decimal_places=4, validators=_SHARE
    )
    state_share = models.DecimalField(
        _("state share"), max_digits=5, decimal_places=4, validators=_SHARE
    )
    amount = models.DecimalField(
        _("benefit amount"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    amount_unit = models.CharField(
        _("amount per"), max_length=8, choices=AmountUnit.choices, default=AmountUnit.DAY
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("savings rule")
        verbose_name_plural = _("savings rules")
        ordering = ["rule_set", "valid_from", "days_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="savings_rule_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(days_to__isnull=True) | Q(days_to__gte=F("days_from")),
                name="savings_rule_days_in_order",
            ),
            models.CheckConstraint(
                condition=Q(days_from__gte=1), name="savings_rule_days_from_one"
            ),
            models.CheckConstraint(
                condition=Q(municipal_share__gte=0)
                & Q(state_share__gte=0)
                & Q(municipal_share__lte=1)
                & Q(state_share__lte=1),
                name="savings_rule_shares_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set.code} · {self.valid_from} · {self.days_from}"
