"""The kernel's tables: staff users, organisations, memberships, and the logs that guard them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.core.categories import DataCategory, Purpose
from polku.core.roles import Role
from polku.core.validators import validate_business_id


class User(AbstractUser):
    """A staff user. What they may do depends on the membership they act through."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class OrganisationKind(models.TextChoices):
    PUBLIC_EMPLOYMENT_SERVICE = "pes", _("Public employment service")
    MUNICIPAL_EMPLOYMENT = "municipal_employment", _("Municipal employment services")
    SOCIAL_SERVICES = "social_services", _("Social services")
    HEALTH_CARE = "health_care", _("Health care")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    EDUCATION_PROVIDER = "education", _("Education provider")
    SERVICE_PROVIDER = "service_provider", _("Private or third-sector service provider")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    EMPLOYER = "employer", _("Employer")


class Sector(models.TextChoices):
    """Who runs the organisation: the provider comparison sets public against private providers
    (Helsinki's 2019 trial, ../shared/domain/OUTCOME_CONTRACTS.md)."""

    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    THIRD_SECTOR = "third_sector", _("Third sector")


class Country(models.TextChoices):
    FINLAND = "FI", _("Finland")
    SWEDEN = "SE", _("Sweden")


class Organisation(models.Model):
    """An agency, provider or employer that takes part in the shared work."""

    # The organisation's Open Referral HSDS `organization.id`, stable across a catalogue export
    # and import (plans/hsds.py).
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)  # translated: name_fi, name_sv, name_en
    if TYPE_CHECKING:  # added by django-modeltranslation (core/translation.py)
        name_fi: str
        name_sv: str
        name_en: str
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    sector = models.CharField(
        _("sector"), max_length=16, choices=Sector.choices, default=Sector.PUBLIC
    )
    business_id = models.CharField(
        _("Business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Finnish Business ID (Y-tunnus), for example 0112038-9."),
    )
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.FINLAND
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        # Not unique: a city's employment, social and health services are one legal person
        # with one Business ID.
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: dt.date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on),
            valid_from__lte=on,
            user__is_active=True,
            organisation__is_active=True,
        )


class Membership(models.Model):
    """A user's place in one organisation in one role; every action is taken through one."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_role_display()}"

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.valid_from <= on
            and (self.valid_until is None or self.valid_until >= on)
            and self.user.is_active
            and self.organisation.is_active
        )


class PersonalDataModel(models.Model):
    """Base for every record of client data.

    Declares which organisation recorded the row (the access policy's unit) and which fields are
    personal data in which category, so access checks, exports and erasure read one declaration.
    """

    personal_data: ClassVar[dict[str, str]] = {}
    # The category the record as a whole belongs to; a row is readable when this one is.
    record_category: ClassVar[str] = DataCategory.IDENTITY

    recorded_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by organisation"),
    )
    created_by = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        abstract = True

    @classmethod
    def fields_in(cls, category: str) -> tuple[str, ...]:
        """The personal-data fields of `category`, in declaration order."""
        return tuple(name for name, cat in cls.personal_data.items() if cat == category)


# --- Read-access log --------------------------------------------------------------------------


class AccessAction(models.TextChoices):
    VIEW = "view", _("viewed")
    LIST = "list", _("listed")
    API = "api", _("read through the API")
    EXPORT = "export", _("exported")


class AppendOnlyError(RuntimeError):
    pass


class AccessLogEntry(models.Model):
    """One read of one client's data in one category. Append-only and hash-chained.

    `seq` numbers the chain without gaps; `hash` covers this row's fields and the previous row's
    hash, so altering or deleting any row breaks every later link (`polku verify-access-log`).
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    client_id = models.UUIDField(db_index=True)
    category = models.CharField(max_length=20, choices=DataCategory.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("read-access log entry")
        verbose_name_plural = _("read-access log")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"#{self.seq}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The read-access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The read-access log is append-only.")


class AccessLogHead(models.Model):
    """The chain's tip: the last seq and hash, locked while a batch of entries is appended.

    Keeping the tip separately also detects deletion of the newest rows, which a chain alone
    cannot see.
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.seq}"


# --- Security events and API tokens ------------------------------------------------------------


class SecurityEventKind(models.TextChoices):
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGIN = "login", _("Login")
    LOGOUT = "logout", _("Logout")
    MEMBERSHIP_SELECTED = "membership_selected", _("Acting membership chosen")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    # Registering a client tells the user whether the person is already a client somewhere:
    # each such answer is recorded, so auditors can see who looked for whom.
    IDENTITY_CODE_MATCH = "identity_code_match", _("Registration matched an identity code")
    NAME_MATCH = "name_match", _("Registration matched a name and date of birth")


class SecurityEvent(models.Model):
    """Authentication events for auditors. Never holds a typed-in username or password."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=32, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # The client an identity-code or name match found (shown to auditors by reference only).
    client_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token bound to one membership. Only a digest of the key is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("membership"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and self.expires_at > now
