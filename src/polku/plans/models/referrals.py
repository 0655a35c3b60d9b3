"""Referrals to a service of another organisation, tracked until someone answers."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Client
from polku.core.categories import ROW_CATEGORY, DataCategory
from polku.core.models import Membership, Organisation, PersonalDataModel
from polku.plans.models.catalogue import Service
from polku.plans.models.plans import Action


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    FIRST_CONTACT = "first_contact", _("First contact made")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# Which status may follow which (services.referral_transition enforces it). The sender cancels;
# the receiver does the rest.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset(
        {ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}
        | {ReferralStatus.CANCELLED}
    ),
    ReferralStatus.RECEIVED: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CANCELLED}
    ),
    ReferralStatus.ACCEPTED: frozenset(
        {ReferralStatus.FIRST_CONTACT, ReferralStatus.CANCELLED, ReferralStatus.COMPLETED}
    ),
    ReferralStatus.FIRST_CONTACT: frozenset({ReferralStatus.COMPLETED, ReferralStatus.CANCELLED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.CANCELLED: frozenset(),
}
OPEN_STATUSES = frozenset({ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED})


class DeclineReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("The client is not eligible")
    # IPS has no readiness screening (zero exclusion, fidelity item 9): counted against fidelity.
    NOT_READY = "not_ready", _("The client was judged not ready for work")
    NO_CAPACITY = "no_capacity", _("No capacity at the moment")
    WRONG_SERVICE = "wrong_service", _("Another service fits better")
    CLIENT_REFUSED = "client_refused", _("The client did not want the service")
    UNREACHABLE = "unreachable", _("The client could not be reached")
    OTHER = "other", _("Other reason")


class Referral(PersonalDataModel):
    """A referral of a client to a service. Readable as its `category` — the most sensitive
    data category it carries — by the sending organisation (own records) and by the receiving
    organisation through the client's consent for referrals."""

    personal_data = {"message": ROW_CATEGORY, "decline_note": ROW_CATEGORY}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("client")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    receiving_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("receiving organisation"),
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("plan action"),
    )
    category = models.CharField(max_length=20, choices=DataCategory.choices, editable=False)
    carried_categories = models.JSONField(_("data categories shared"), default=list)
    message = models.TextField(_("reason for the referral"))
    status = models.CharField(
        _("status"), max_length=15, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    # The service's promise at the time of sending: later edits to the catalogue do not move
    # the goalposts of referrals already made.
    expected_response_days = models.PositiveSmallIntegerField(_("expected response time (days)"))
    sent_at = models.DateTimeField(_("sent at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("accepted or declined at"), null=True, blank=True)
    first_contact_on = models.DateField(_("first contact on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("completed or cancelled at"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(_("explanation"), blank=True)
    handler = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["client", "category"]),
            models.Index(fields=["receiving_organisation", "status"]),
            models.Index(fields=["service", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} → {self.service_id}"


class ReferralEvent(models.Model):
    """One status change of a referral: who, when, from which organisation."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=15, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["referral", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id} · {self.status}"
