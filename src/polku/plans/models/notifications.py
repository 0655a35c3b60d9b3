"""In-app notifications: a new referral, an action due or overdue, a referral overdue.

The text is built at display time from the kind and the linked record, never stored, so a
notification carries no personal data and the linked page applies the access policy as always.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.core.models import Membership
from polku.plans.models.plans import Action
from polku.plans.models.referrals import Referral


class NotificationKind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", _("New referral")
    REFERRAL_ANSWERED = "referral_answered", _("Referral answered")
    REFERRAL_OVERDUE = "referral_overdue", _("Referral overdue")
    ACTION_DUE = "action_due", _("Action due soon")
    ACTION_OVERDUE = "action_overdue", _("Action overdue")


class Notification(models.Model):
    recipient = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            # A daily run must not repeat itself: one notice per recipient, kind and record.
            # (Two partial constraints rather than NULLS NOT DISTINCT, which SQLite lacks.)
            models.UniqueConstraint(
                fields=["recipient", "kind", "referral"],
                condition=models.Q(action__isnull=True),
                name="notification_once_per_referral",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "action"],
                condition=models.Q(referral__isnull=True),
                name="notification_once_per_action",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id} · {self.kind}"
