"""The employer register: employers, their places and people, job development contacts,
vacancies and the services agreed with them.

Employers are not clients: the register is shared by every organisation of the network, so a
coach in one organisation sees the employers a liaison in another found (the seeds' "nobody
holds the whole"). What a row says about a client lives in the `ips` app, under the access
policy; an employer contact's notes must not name clients (the forms say so).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from polku.core.classifications import industries, occupations
from polku.core.models import Country, Membership, Organisation


def validate_isco_code(value: str) -> None:
    """An ISCO-08 group code present in the shipped fixture (major, sub-major or minor group)."""
    if value not in occupations():
        raise ValidationError(
            _("%(code)s is not an ISCO-08 occupation group code."),
            code="isco",
            params={"code": value},
        )


def validate_nace_section(value: str) -> None:
    if value not in industries():
        raise ValidationError(
            _("%(code)s is not a NACE Rev. 2 / TOL 2008 section letter (A–U)."),
            code="nace",
            params={"code": value},
        )


class SizeClass(models.TextChoices):
    """Statistics Finland's / Eurostat's enterprise size classes by persons employed."""

    MICRO = "micro", _("Micro (fewer than 10 employees)")
    SMALL = "small", _("Small (10–49 employees)")
    MEDIUM = "medium", _("Medium (50–249 employees)")
    LARGE = "large", _("Large (250 or more employees)")


class Employer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.FINLAND
    )
    # Normalised by the service: NNNNNNN-C (Y-tunnus) in Finland, NNNNNN-NNNN in Sweden.
    business_id = models.CharField(
        _("Business ID or organisation number"), max_length=11, blank=True
    )
    industry = models.CharField(
        _("industry (TOL 2008 / NACE Rev. 2 section)"),
        max_length=1,
        blank=True,
        validators=[validate_nace_section],
    )
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    is_social_enterprise = models.BooleanField(_("social enterprise"), default=False)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    registered_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by organisation"),
    )
    created_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "business_id"],
                condition=~Q(business_id=""),
                name="employer_business_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class EmployerLocation(models.Model):
    """A workplace of the employer (a shop, a depot, an office)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=200, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100)

    class Meta:
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")
        ordering = ["municipality", "name"]

    def __str__(self) -> str:
        parts = [self.name, self.street_address, self.municipality]
        return ", ".join(part for part in parts if part)


class EmployerPerson(models.Model):
    """A person at the employer the programme deals with (recruiting manager, supervisor)."""

    # Not client data, but a person's: masked in the change audit like client fields.
    personal_data: ClassVar[dict[str, str]] = {"name": "", "phone": "", "email": ""}

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return self.name


class InteractionKind(models.TextChoices):
    VISIT = "visit", _("Face-to-face visit")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    EVENT = "event", _("Event")


class InteractionPurpose(models.TextChoices):
    JOB_DEVELOPMENT = "job_development", _("Job development")
    FOLLOW_ALONG = "follow_along", _("Follow-along with a placed worker")
    EMPLOYER_SERVICE = "employer_service", _("Employer service")


class EmployerInteraction(models.Model):
    """One contact of a specialist with an employer. IPS fidelity item 17 counts the
    face-to-face job development contacts per specialist per week (../shared/domain/IPS.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="interactions", verbose_name=_("employer")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=InteractionKind.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=InteractionPurpose.choices)
    specialist = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialist")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    person = models.ForeignKey(
        EmployerPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("met"),
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["specialist", "date"])]

    def __str__(self) -> str:
        return f"{self.employer} · {self.date}"


class WorkingTime(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    EITHER = "either", _("Full- or part-time")


class VacancyStatus(models.TextChoices):
    # In context: the adjective, not the verb of the notifications' "Open" link.
    DRAFT = "draft", pgettext_lazy("vacancy status", "Draft")
    OPEN = "open", pgettext_lazy("vacancy status", "Open")
    FILLED = "filled", pgettext_lazy("vacancy status", "Filled")
    CLOSED = "closed", pgettext_lazy("vacancy status", "Closed")


class Vacancy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("employer")
    )
    title = models.CharField(_("title"), max_length=200)
    isco_code = models.CharField(
        _("occupation (ISCO-08)"), max_length=4, validators=[validate_isco_code]
    )
    description = models.TextField(_("description"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    # Language codes ("fi", "sv", "en", others as ISO 639-1), in the order the employer gave.
    languages = models.JSONField(_("languages needed"), default=list, blank=True)
    working_time = models.CharField(
        _("working time"), max_length=10, choices=WorkingTime.choices, default=WorkingTime.EITHER
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("60"))],
    )
    location = models.ForeignKey(
        EmployerLocation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("workplace"),
    )
    positions = models.PositiveSmallIntegerField(
        _("positions"), default=1, validators=[MinValueValidator(1)]
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    deadline = models.DateField(_("application deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    adjustments = models.TextField(
        _("possible adjustments"),
        blank=True,
        help_text=_("Hours, tasks or workplace the employer is willing to adjust."),
    )
    created_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["deadline", "title"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: dt.date) -> bool:
        return self.status == VacancyStatus.OPEN and (self.deadline is None or self.deadline >= day)


class EmployerServiceKind(models.TextChoices):
    RECRUITMENT_HELP = "recruitment_help", _("Recruitment help")
    JOB_TAILORING = "job_tailoring", _("Job tailoring")
    WAGE_SUBSIDY_ADVICE = "wage_subsidy_advice", _("Wage subsidy advice")
    TRAINING = "training", _("Training for the work community")
    OTHER = "other", _("Other service")


class EmployerAgreement(models.Model):
    """A service agreed with an employer, for a period."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("employer")
    )
    kind = models.CharField(_("service"), max_length=24, choices=EmployerServiceKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    agreed_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("agreed by")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("employer service")
        verbose_name_plural = _("employer services")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employer_agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer} · {self.kind}"

    def is_in_force_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)
