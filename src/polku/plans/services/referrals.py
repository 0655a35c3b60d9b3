"""Writes of referrals: send one to another organisation's service, and move it on.

A referral carries the client's identity and contact details and the data categories the
service needs (`Service.referral_categories`). It leaves the sending organisation only when a
consent valid today, for the purpose *referral*, shares every one of them with the receiving
organisation; otherwise the sender is told which categories are missing and nothing is written.

The receiving organisation answers (received, accepted, declined with a reason, first contact,
completed); the sending side may cancel. Every change stamps its own timestamp field and adds a
ReferralEvent (who, when, from which organisation), and the people who need to act hear of it
through an in-app notification — which carries no personal data (models/notifications.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polku.clients.models import Client, Consent
from polku.core import access, audit
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership
from polku.plans.models import (
    TRANSITIONS,
    Action,
    DeclineReason,
    Notification,
    NotificationKind,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Service,
    ServiceStatus,
    main_category,
)
from polku.plans.permissions import can_work_on, require
from polku.plans.selectors.shared_plan import actions_visible_to

C = DataCategory
S = ReferralStatus
# Every referral says who the client is and how to reach them.
ALWAYS_CARRIED = (C.IDENTITY, C.CONTACT)
MESSAGE_MAX_LENGTH = 4000
MISSING_CONSENT = "missing_consent"
# What the receiving organisation does; the sending side only cancels.
RECEIVER_STATUSES = frozenset({S.RECEIVED, S.ACCEPTED, S.DECLINED, S.FIRST_CONTACT, S.COMPLETED})
SENDER_STATUSES = frozenset({S.CANCELLED})

__all__ = [
    "MISSING_CONSENT",
    "ConsentCoverage",
    "can_cancel",
    "can_receive",
    "can_send",
    "carried_categories",
    "consent_coverage",
    "referral_send",
    "referral_transition",
    "statuses_open_to",
]


def carried_categories(service: Service) -> list[str]:
    """The categories a referral to `service` carries, in DataCategory's order."""
    wanted = set(ALWAYS_CARRIED) | set(service.referral_categories)
    return [category for category in C.values if category in wanted]


@dataclass(frozen=True)
class ConsentCoverage:
    """Which of a referral's categories the client's referral consents cover today."""

    carried: list[str]
    missing: list[str]

    @property
    def covered(self) -> bool:
        return not self.missing


def referral_consented_categories(
    client: Client, *, today: dt.date | None = None
) -> dict[int, set[str]]:
    """Organisation id → categories the client shares with it for referrals, as of `today`."""
    today = today or timezone.localdate()
    shared: dict[int, set[str]] = {}
    rows = (
        Consent.objects.filter(client=client, purpose=Purpose.REFERRAL)
        .valid_on(today)
        .values_list("organisations", "scopes__category")
    )
    for organisation_id, category in rows:
        if organisation_id is not None and category is not None:
            shared.setdefault(organisation_id, set()).add(category)
    return shared


def consent_coverage(
    client: Client, service: Service, *, shared: dict[int, set[str]] | None = None
) -> ConsentCoverage:
    """Whether the client's referral consents cover what a referral to `service` carries.

    `shared` (from `referral_consented_categories`) saves the query when many services are
    checked for one client.
    """
    if shared is None:
        shared = referral_consented_categories(client)
    carried = carried_categories(service)
    covered = shared.get(service.organisation_id, set())
    return ConsentCoverage(carried=carried, missing=[c for c in carried if c not in covered])


def can_send(actor: Membership, client: Client) -> bool:
    """May refer `client` at all (to some service): works on the client."""
    return access.works_with_clients(actor) and can_work_on(actor, client)


def can_receive(actor: Membership, referral: Referral) -> bool:
    """A member of the receiving organisation who may read the referral for referrals."""
    return (
        actor.organisation_id == referral.receiving_organisation_id
        and access.works_with_clients(actor)
        and access.can_read(
            actor,
            referral.client,
            category=referral.category,
            purpose=Purpose.REFERRAL,
            recorded_by_id=referral.recorded_by_id,
        )
    )


def can_cancel(actor: Membership, referral: Referral) -> bool:
    """The sending side: works on the client and reads the referral as part of the service."""
    return (
        actor.organisation_id != referral.receiving_organisation_id
        and can_work_on(actor, referral.client)
        and access.can_read(
            actor,
            referral.client,
            category=referral.category,
            purpose=Purpose.SERVICE,
            recorded_by_id=referral.recorded_by_id,
        )
    )


def statuses_open_to(actor: Membership, referral: Referral) -> list[str]:
    """The statuses `actor` may move `referral` to now, in the order of ReferralStatus."""
    allowed: set[str] = set()
    following = TRANSITIONS[referral.status]
    if following & RECEIVER_STATUSES and can_receive(actor, referral):
        allowed |= following & RECEIVER_STATUSES
    if following & SENDER_STATUSES and can_cancel(actor, referral):
        allowed |= following & SENDER_STATUSES
    return [status for status in S.values if status in allowed]


def _category_names(categories: Iterable[str]) -> str:
    return ", ".join(str(C(category).label).lower() for category in categories)


def _check_service(actor: Membership, service: Service) -> None:
    if service.status != ServiceStatus.ACTIVE or not service.accepts_referrals:
        raise ValidationError({"service": _("This service does not take referrals at present.")})
    if service.organisation_id == actor.organisation_id:
        raise ValidationError(
            {
                "service": _(
                    "This is your own organisation's service: referrals go to other organisations."
                )
            }
        )
    if not service.organisation.is_active:
        raise ValidationError({"service": _("The organisation of this service is not active.")})


def _notify(recipients: Iterable[Membership | int], kind: str, referral: Referral) -> None:
    """One notification per recipient; a repeat of the same notice is skipped."""
    recipient_ids = {r.pk if isinstance(r, Membership) else r for r in recipients}
    existing = set(
        Notification.objects.filter(
            recipient__in=recipient_ids, kind=kind, referral=referral, action__isnull=True
        ).values_list("recipient_id", flat=True)
    )
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=recipient_id, kind=kind, referral=referral)
            for recipient_id in sorted(recipient_ids - existing)
        ],
        ignore_conflicts=True,
    )


def receiving_members(referral: Referral) -> list[Membership]:
    """The receiving organisation's active members whose role may read the referral."""
    members = Membership.objects.active().filter(organisation=referral.receiving_organisation_id)
    return [
        m
        for m in members
        if access.works_with_clients(m) and access.role_permits(m, referral.category)
    ]


@transaction.atomic
def referral_send(
    *,
    actor: Membership,
    client: Client,
    service: Service,
    message: str,
    action: Action | None = None,
) -> Referral:
    """Refer `client` to `service` of another organisation and tell that organisation.

    Refuses (PermissionDenied) an actor who does not work on the client or whose role may not
    read every category the referral carries. Raises ValidationError for a service that takes
    no referrals or is the actor's own organisation's, an empty message, a plan action of
    another client, and — with code "missing_consent", naming the categories and the
    organisation — when the client's consents for referrals do not cover what it carries.
    Nothing is written then. Writes the referral, its SENT event and a notification for each
    member of the receiving organisation whose role may read it.
    """
    require(can_send(actor, client))
    carried = carried_categories(service)
    require(all(access.role_permits(actor, category) for category in carried))
    _check_service(actor, service)
    message = message.strip()
    errors: dict[str, str] = {}
    if not message:
        errors["message"] = _("Say why the client is referred and what you hope the service does.")
    elif len(message) > MESSAGE_MAX_LENGTH:
        errors["message"] = _("Keep the reason under %(max)d characters.") % {
            "max": MESSAGE_MAX_LENGTH
        }
    if action is not None and (
        action.client_id != client.pk or not actions_visible_to(actor).filter(pk=action.pk).exists()
    ):
        # One answer for another client's action and for one the actor may not read.
        errors["action"] = _("Choose an action of this client's plan.")
    if errors:
        raise ValidationError(errors)
    coverage = consent_coverage(client, service)
    if not coverage.covered:
        raise ValidationError(
            _(
                "The client has not consented to share %(categories)s with %(organisation)s for "
                "referrals. Record a consent for referrals that covers them; nothing was sent."
            )
            % {
                "categories": _category_names(coverage.missing),
                "organisation": service.organisation.name,
            },
            code=MISSING_CONSENT,
        )
    now = timezone.now()
    with audit.acting(actor):
        referral = Referral.objects.create(
            client=client,
            service=service,
            receiving_organisation_id=service.organisation_id,
            action=action,
            category=main_category(carried),
            carried_categories=carried,
            message=message,
            status=S.SENT,
            expected_response_days=service.expected_response_days,
            sent_at=now,
            recorded_by_id=actor.organisation_id,
            created_by=actor,
        )
    ReferralEvent.objects.create(
        referral=referral, status=S.SENT, at=now, by=actor, organisation_id=actor.organisation_id
    )
    _notify(receiving_members(referral), NotificationKind.REFERRAL_RECEIVED, referral)
    return referral


def _check_answer(
    referral: Referral,
    status: str,
    *,
    decline_reason: str,
    first_contact_on: dt.date | None,
) -> None:
    errors: dict[str, str] = {}
    if status == S.DECLINED and decline_reason not in DeclineReason.values:
        errors["decline_reason"] = _("Choose why the referral is declined.")
    if status == S.FIRST_CONTACT:
        sent_on = timezone.localdate(referral.sent_at)
        if first_contact_on is None:
            errors["first_contact_on"] = _("Give the date of the first contact.")
        elif first_contact_on < sent_on:
            errors["first_contact_on"] = _(
                "The first contact cannot be before the referral was sent (%(date)s)."
            ) % {"date": date_format(sent_on, "SHORT_DATE_FORMAT")}
        elif first_contact_on > timezone.localdate():
            errors["first_contact_on"] = _("The first contact cannot be in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def referral_transition(
    *,
    actor: Membership,
    referral: Referral,
    status: str,
    decline_reason: str = "",
    decline_note: str = "",
    first_contact_on: dt.date | None = None,
) -> Referral:
    """Move `referral` to `status`, stamping who and when.

    The receiving organisation's members who may read the referral for referrals mark it
    received, accept or decline it (a reason is required), record the first contact (a date
    from the sending day to today) and complete it; the sending side (who works on the client)
    cancels. Raises PermissionDenied for anyone else, ValidationError for a transition the
    TRANSITIONS table does not allow or a missing reason or date. Notifies the person who sent
    it when it is accepted or declined.
    """
    referral = Referral.objects.select_for_update().select_related("client").get(pk=referral.pk)
    if status in SENDER_STATUSES:
        require(can_cancel(actor, referral))
    elif status in RECEIVER_STATUSES:
        require(can_receive(actor, referral))
    else:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status not in TRANSITIONS[referral.status]:
        raise ValidationError(
            {
                "status": _("A referral that is “%(current)s” cannot become “%(new)s”.")
                % {"current": S(referral.status).label, "new": S(status).label}
            }
        )
    _check_answer(
        referral, status, decline_reason=decline_reason, first_contact_on=first_contact_on
    )
    now = timezone.now()
    fields = ["status", "updated_at"]
    if status in RECEIVER_STATUSES:
        referral.handler = actor
        fields.append("handler")
        if referral.received_at is None:
            # Accepting or declining straight away means it was received then, too.
            referral.received_at = now
            fields.append("received_at")
    if status in {S.ACCEPTED, S.DECLINED}:
        referral.decided_at = now
        fields.append("decided_at")
    if status == S.DECLINED:
        referral.decline_reason, referral.decline_note = decline_reason, decline_note.strip()
        fields += ["decline_reason", "decline_note"]
    if status == S.FIRST_CONTACT:
        referral.first_contact_on = first_contact_on
        fields.append("first_contact_on")
    if status in {S.COMPLETED, S.CANCELLED}:
        referral.closed_at = now
        fields.append("closed_at")
    referral.status = status
    with audit.acting(actor):
        referral.save(update_fields=fields)
    ReferralEvent.objects.create(
        referral=referral, status=status, at=now, by=actor, organisation_id=actor.organisation_id
    )
    if status in {S.ACCEPTED, S.DECLINED} and referral.created_by_id is not None:
        _notify([referral.created_by_id], NotificationKind.REFERRAL_ANSWERED, referral)
    return referral
