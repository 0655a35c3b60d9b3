"""Clients, their programme episodes, consents and care teams."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.core import crypto
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Country, Membership, Organisation, PersonalDataModel
from polku.core.validators import IdentityCodeType

C = DataCategory


class Municipality(models.Model):
    """Municipality of residence (Statistics Finland / SCB codes). Names are translated."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.FINLAND
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A service programme clients take part in, e.g. the IPS pilot."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)  # translated
    if TYPE_CHECKING:  # added by django-modeltranslation (clients/translation.py)
        name_fi: str
        name_sv: str
        name_en: str
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("organisation responsible"),
    )
    target_participants = models.PositiveIntegerField(_("target participants"), default=0)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")
    NOT_DISCLOSED = "not_disclosed", _("Not disclosed")


class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other")


# Unambiguous characters for client references that are read aloud on the phone.
REFERENCE_ALPHABET = "ACDEFHJKLMNPRTUVWXY34679"


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class Client(PersonalDataModel):
    """The person being helped.

    The identity code is stored encrypted; `identity_code_digest` (a keyed hash of the
    normalised code) finds it and keeps it unique. `str()` gives only the pseudonymous reference,
    so logs and the change audit never carry a name.
    """

    personal_data = {
        "first_name": C.IDENTITY,
        "last_name": C.IDENTITY,
        "identity_code": C.IDENTITY,
        "date_of_birth": C.IDENTITY,
        "gender": C.IDENTITY,
        "preferred_language": C.IDENTITY,
        "municipality": C.IDENTITY,
        "phone": C.CONTACT,
        "email": C.CONTACT,
        "street_address": C.CONTACT,
        "postal_code": C.CONTACT,
        "post_office": C.CONTACT,
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(
        _("client reference"), max_length=8, unique=True, default=new_reference, editable=False
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    identity_code_type = models.CharField(
        _("identity code type"), max_length=24, choices=IdentityCodeType.choices, blank=True
    )
    identity_code_encrypted = models.TextField(blank=True, editable=False)
    # NULL, not "", when there is no code: the unique constraint must ignore clients without one.
    identity_code_digest = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
    )
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.FINNISH
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("municipality of residence"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    post_office = models.CharField(_("post office"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def identity_code(self) -> str:
        if not self.identity_code_encrypted:
            return ""
        return crypto.decrypt(self.identity_code_encrypted)

    def set_identity_code(self, code_type: str, normalised: str) -> None:
        self.identity_code_type = code_type
        self.identity_code_encrypted = crypto.encrypt(normalised)
        self.identity_code_digest = crypto.digest(normalised)

    def age_on(self, day: dt.date | None = None) -> int:
        on = day or timezone.localdate()
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class EndReason(models.TextChoices):
    EMPLOYED = "employed", _("Employed in the open labour market")
    SUBSIDISED_EMPLOYMENT = "subsidised", _("Subsidised employment")
    EDUCATION = "education", _("Started education or training")
    OTHER_SERVICE = "other_service", _("Moved to another service")
    REHABILITATION = "rehabilitation", _("Rehabilitation, sick leave or pension")
    MOVED = "moved", _("Moved away")
    DROPPED_OUT = "dropped_out", _("Stopped taking part")
    PROGRAMME_ENDED = "programme_ended", _("Programme ended")
    OTHER = "other", _("Other reason")


class Episode(PersonalDataModel):
    """One participation in a programme, start to end, with the facts that made it eligible."""

    record_category = C.EMPLOYMENT
    personal_data = {
        "start_date": C.EMPLOYMENT,
        "end_date": C.EMPLOYMENT,
        "end_reason": C.EMPLOYMENT,
        "months_unemployed": C.EMPLOYMENT,
        # An eligibility fact of the programme, read with the episode; the benefit decisions
        # themselves are benefits data.
        "days_on_labour_market_subsidy": C.EMPLOYMENT,
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("client")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("programme")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="episodes",
        verbose_name=_("organisation responsible"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    months_unemployed = models.PositiveIntegerField(
        _("months unemployed at entry"), null=True, blank=True
    )
    days_on_labour_market_subsidy = models.PositiveIntegerField(
        _("days on labour market subsidy at entry"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="episode_end_has_reason",
            ),
            models.UniqueConstraint(
                fields=["client", "programme"],
                condition=Q(end_date__isnull=True),
                name="episode_one_open_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client.reference} · {self.programme.code}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Signed on paper")
    ELECTRONIC = "electronic", _("Given electronically")
    VERBAL = "verbal", _("Given verbally and recorded by staff")


class ConsentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PENDING = "pending", _("Not yet valid")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def valid_on(self, day: dt.date) -> ConsentQuerySet:
        """Consents in force on `day`: started, not ended, not withdrawn."""
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            valid_from__lte=day,
            withdrawn_at__isnull=True,
        )

    def sharing(self, *, category: str, purpose: str) -> ConsentQuerySet:
        return self.filter(scopes__category=category, purpose=purpose)


class Consent(PersonalDataModel):
    """The client's permission to share data categories with organisations for a purpose.

    Active while valid_from <= today <= valid_until (if set) and not withdrawn; a withdrawal
    takes effect on the next read, because access is computed live from this table.
    """

    # The free-text note may say anything about the client; the rest (dates, organisations,
    # categories) is what an auditor needs to see changing.
    personal_data = {"note": C.IDENTITY}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="consents", verbose_name=_("client")
    )
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.SERVICE
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="consents_received", verbose_name=_("shared with")
    )
    method = models.CharField(_("how it was given"), max_length=20, choices=ConsentMethod.choices)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-valid_from", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="consent_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client.reference} · {self.purpose}"

    def status(self, on: dt.date | None = None) -> ConsentStatus:
        today = on or timezone.localdate()
        if self.withdrawn_at is not None:
            return ConsentStatus.WITHDRAWN
        if self.valid_from > today:
            return ConsentStatus.PENDING
        if self.valid_until is not None and self.valid_until < today:
            return ConsentStatus.EXPIRED
        return ConsentStatus.ACTIVE


class ConsentCategory(models.Model):
    """One data category a consent shares (a row per category keeps access checks indexable)."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="scopes")
    category = models.CharField(max_length=20, choices=DataCategory.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consent", "category"], name="consent_category_once"),
        ]
        indexes = [models.Index(fields=["category", "consent"])]

    def __str__(self) -> str:
        return self.category


class CareTeamMember(models.Model):
    """A professional on the client's care team, acting through one membership.

    At most one current key worker per client. Members leave by `removed_at`; rows stay so the
    team's history can be read.
    """

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="care_team", verbose_name=_("client")
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="care_teams",
        verbose_name=_("member"),
    )
    is_key_worker = models.BooleanField(_("key worker"), default=False)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("care team member")
        verbose_name_plural = _("care team")
        ordering = ["-is_key_worker", "added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "membership"],
                condition=Q(removed_at__isnull=True),
                name="care_team_member_once",
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(removed_at__isnull=True, is_key_worker=True),
                name="care_team_one_key_worker",
            ),
        ]
        indexes = [models.Index(fields=["membership", "client"])]

    def __str__(self) -> str:
        return f"{self.client.reference} · {self.membership_id}"
