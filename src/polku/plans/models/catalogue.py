"""The service catalogue, shaped after Open Referral HSDS 3.0 (domain/SERVICE_DIRECTORY.md).

Organisations are Polku's own (core.Organisation, HSDS `organization`); services, locations and
services at locations follow HSDS names so that import and export map column to column. The
`hsds_id` keeps an imported record's identifier, so an export → import round trip gives the same
catalogue. Not personal data: every staff member may read it.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from polku.core.categories import DataCategory
from polku.core.models import Organisation


class ServiceKind(models.TextChoices):
    """Polku's service taxonomy (HSDS taxonomy_term), used to filter the catalogue."""

    DEBT_COUNSELLING = "debt_counselling", _("Debt and financial counselling")
    SUBSTANCE_USE = "substance_use", _("Substance-use services")
    MENTAL_HEALTH = "mental_health", _("Mental health services")
    HEALTH = "health", _("Health services")
    HOUSING = "housing", _("Housing advice and support")
    SOCIAL_WORK = "social_work", _("Social work")
    REHABILITATIVE_WORK = "rehabilitative_work", _("Rehabilitative work activity")
    VOCATIONAL_REHABILITATION = "vocational_rehabilitation", _("Vocational rehabilitation")
    EDUCATION = "education", _("Education and language courses")
    JOB_COACHING = "job_coaching", _("Job coaching")
    WORK_TRIAL = "work_trial", _("Work trial")
    PAY_SUBSIDY = "pay_subsidy", _("Pay subsidy")
    BENEFITS = "benefits", _("Benefits advice")
    OTHER = "other", _("Other")


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("service status", "Active")
    INACTIVE = "inactive", _("Inactive")


class Service(models.Model):
    """What a person can receive (HSDS `service`); the target of a referral."""

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("organisation"),
    )
    # name, description and eligibility are translated: name_fi, name_sv, name_en, …
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    eligibility = models.TextField(_("eligibility"), blank=True)
    kind = models.CharField(_("kind of service"), max_length=40, choices=ServiceKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes, e.g. fi, sv, en.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    url = models.URLField(_("web address"), blank=True)
    schedule = models.CharField(_("opening hours"), max_length=300, blank=True)
    fees = models.CharField(_("fees"), max_length=300, blank=True)
    # Polku extensions (exported as polku_ columns):
    expected_response_days = models.PositiveSmallIntegerField(
        _("expected response time (days)"),
        default=14,
        validators=[MaxValueValidator(365)],
        help_text=_("Days from a referral to the first contact with the client."),
    )
    # The data categories a referral to this service carries (besides identity and contact).
    referral_categories = models.JSONField(_("data categories a referral carries"), default=list)
    accepts_referrals = models.BooleanField(_("accepts referrals"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def main_category(self) -> str:
        """The category a referral to this service belongs to: its most sensitive one."""
        return main_category(self.referral_categories)


# From most to least sensitive: a referral is as sensitive as the most sensitive data it carries.
_SENSITIVITY = [
    DataCategory.HEALTH,
    DataCategory.SOCIAL,
    DataCategory.BENEFITS,
    DataCategory.EDUCATION,
    DataCategory.EMPLOYMENT,
    DataCategory.CONTACT,
    DataCategory.IDENTITY,
]


def main_category(categories: list[str]) -> str:
    for category in _SENSITIVITY:
        if category in categories:
            return category
    return DataCategory.EMPLOYMENT


class Location(models.Model):
    """A physical or virtual place (HSDS `location`)."""

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FI")
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    is_virtual = models.BooleanField(_("virtual location"), default=False)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    """A service offered at a location (HSDS `service_at_location`)."""

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services")

    class Meta:
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_at_location_once")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"
