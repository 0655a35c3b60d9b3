"""What the ESF+ output indicators need to know about a participant at entry.

One row per episode; a person who re-enters the same programme is reported with the entry data
of the first entry (../shared/domain/ESF_INDICATORS.md). Age, gender and long-term unemployment
come from the client and the episode (months unemployed at entry), so they are not repeated here.

The sensitive characteristics (disability, third-country national, foreign background, minority,
homelessness) are special-category data: they are asked only with the participant's explicit
consent, and "declined" is kept as its own answer and reported as a count, never guessed.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Episode
from polku.core.categories import DataCategory as C
from polku.core.models import PersonalDataModel


class LabourMarketStatus(models.TextChoices):
    # Exclusive (ESF_INDICATORS.md): EECO02 unemployed, EECO04 inactive, EECO05 employed.
    UNEMPLOYED = "unemployed", _("Unemployed")
    INACTIVE = "inactive", _("Inactive (not working, not looking for work)")
    EMPLOYED = "employed", _("Employed, including self-employed")


class SensitiveAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    DECLINED = "declined", _("Did not want to say")
    NOT_ASKED = "not_asked", _("Not asked")


class IscedLevel(models.IntegerChoices):
    # ISCED 2011 (ESF_INDICATORS.md): 0–2 → EECO09, 3–4 → EECO10, 5–8 → EECO11.
    EARLY_CHILDHOOD = 0, _("0 – Early childhood education")
    PRIMARY = 1, _("1 – Primary education")
    LOWER_SECONDARY = 2, _("2 – Lower secondary education")
    UPPER_SECONDARY = 3, _("3 – Upper secondary education")
    POST_SECONDARY = 4, _("4 – Post-secondary non-tertiary education")
    SHORT_TERTIARY = 5, _("5 – Short-cycle tertiary education")
    BACHELOR = 6, _("6 – Bachelor's or equivalent")
    MASTER = 7, _("7 – Master's or equivalent")
    DOCTORAL = 8, _("8 – Doctoral or equivalent")


SENSITIVE_FIELDS = (
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless",
)


class EntryData(PersonalDataModel):
    record_category = C.EMPLOYMENT
    personal_data = {
        "labour_market_status": C.EMPLOYMENT,
        "isced_level": C.EDUCATION,
        "rural_area": C.IDENTITY,
        "months_employed_before": C.EMPLOYMENT,
        "sensitive_consent": C.IDENTITY,
        "disability": C.HEALTH,
        "third_country_national": C.IDENTITY,
        "foreign_background": C.IDENTITY,
        "minority": C.SOCIAL,
        "homeless": C.SOCIAL,
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="entry_data", verbose_name=_("episode")
    )
    labour_market_status = models.CharField(
        _("labour market status at entry"), max_length=12, choices=LabourMarketStatus.choices
    )
    isced_level = models.PositiveSmallIntegerField(
        _("highest level of education (ISCED 2011)"),
        choices=IscedLevel.choices,
        null=True,
        blank=True,
    )
    rural_area = models.BooleanField(_("lives in a rural area"), null=True, blank=True)
    # For the difference-in-differences comparison: months in work in the 12 months before entry.
    months_employed_before = models.PositiveSmallIntegerField(
        _("months in work in the 12 months before entry"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(12)],
    )
    sensitive_consent = models.BooleanField(
        _("agreed to give sensitive characteristics"), default=False
    )
    disability = models.CharField(
        _("has a disability"),
        max_length=10,
        choices=SensitiveAnswer.choices,
        default=SensitiveAnswer.NOT_ASKED,
    )
    third_country_national = models.CharField(
        _("third-country national"),
        max_length=10,
        choices=SensitiveAnswer.choices,
        default=SensitiveAnswer.NOT_ASKED,
    )
    foreign_background = models.CharField(
        _("foreign background"),
        max_length=10,
        choices=SensitiveAnswer.choices,
        default=SensitiveAnswer.NOT_ASKED,
    )
    minority = models.CharField(
        _("belongs to a minority"),
        max_length=10,
        choices=SensitiveAnswer.choices,
        default=SensitiveAnswer.NOT_ASKED,
    )
    homeless = models.CharField(
        _("homeless or affected by housing exclusion"),
        max_length=10,
        choices=SensitiveAnswer.choices,
        default=SensitiveAnswer.NOT_ASKED,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("ESF+ entry data")
        verbose_name_plural = _("ESF+ entry data")
        constraints = [
            # Without consent nothing sensitive is held, not even "declined".
            models.CheckConstraint(
                condition=Q(sensitive_consent=True)
                | Q(
                    disability="not_asked",
                    third_country_national="not_asked",
                    foreign_background="not_asked",
                    minority="not_asked",
                    homeless="not_asked",
                ),
                name="entry_sensitive_only_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.episode} · entry"
