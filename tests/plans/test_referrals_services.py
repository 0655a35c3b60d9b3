"""Sending referrals and moving them on (plans.services.referrals)."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polku.core.categories import DataCategory, Purpose
from polku.core.roles import Role
from polku.plans.models import (
    Notification,
    NotificationKind,
    Referral,
    ReferralEvent,
    ReferralStatus,
    ServiceStatus,
)
from polku.plans.services import referrals as services
from tests.factories import CareTeamMemberFactory, ClientFactory, ConsentFactory, MembershipFactory
from tests.plans.referrals_support import ServiceFactory, World, action_for, debt_world, send

pytestmark = pytest.mark.django_db
C = DataCategory
S = ReferralStatus


@pytest.fixture
def world() -> World:
    return debt_world()


def _nothing_written() -> None:
    assert Referral.objects.count() == 0
    assert ReferralEvent.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_referral_carries_identity_contact_and_the_services_categories(world: World) -> None:
    referral = send(world)
    assert referral.carried_categories == [C.IDENTITY, C.CONTACT, C.BENEFITS]
    assert referral.category == C.BENEFITS  # the most sensitive carried
    assert referral.status == S.SENT
    assert referral.receiving_organisation == world.receiver_org
    assert referral.recorded_by == world.sender_org
    assert referral.created_by == world.coordinator
    assert referral.expected_response_days == 14
    event = referral.events.get()
    assert (event.status, event.by, event.organisation) == (
        S.SENT,
        world.coordinator,
        world.sender_org,
    )
    assert event.at == referral.sent_at
    # Written to the change audit, attributed to the sender's user.
    entry = LogEntry.objects.get_for_object(referral).get()
    assert entry.actor == world.coordinator.user


def test_sending_notifies_the_receivers_who_may_read_it(world: World) -> None:
    colleague = MembershipFactory(organisation=world.receiver_org, role=Role.COORDINATOR)
    MembershipFactory(organisation=world.receiver_org, role=Role.HEALTH_PROFESSIONAL)  # no benefits
    MembershipFactory(organisation=world.receiver_org, role=Role.ORGANISATION_ADMIN)
    MembershipFactory(
        organisation=world.receiver_org,
        role=Role.SOCIAL_WORKER,
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    referral = send(world)
    notified = set(
        Notification.objects.filter(
            kind=NotificationKind.REFERRAL_RECEIVED, referral=referral
        ).values_list("recipient_id", flat=True)
    )
    assert notified == {world.counsellor.pk, colleague.pk}


def test_without_consent_the_sender_is_told_what_is_missing_and_nothing_is_sent() -> None:
    world = debt_world(consent_categories=[C.IDENTITY])
    with pytest.raises(ValidationError) as caught:
        send(world)
    assert caught.value.code == services.MISSING_CONSENT
    message = caught.value.messages[0]
    assert "contact details, benefits" in message
    assert "Debt Advice Association" in message
    _nothing_written()


@pytest.mark.parametrize(
    "consent",
    [
        {"purpose": Purpose.SERVICE},  # shared, but not for referrals
        {
            "valid_until": timezone.localdate() - dt.timedelta(days=1),
            "valid_from": dt.date(2020, 1, 1),
        },
        {"withdrawn_at": timezone.now()},
        {"valid_from": timezone.localdate() + dt.timedelta(days=1)},
    ],
    ids=["service-purpose", "expired", "withdrawn", "not-yet-valid"],
)
def test_only_a_referral_consent_valid_today_counts(consent: dict[str, object]) -> None:
    world = debt_world(consent_categories=[])
    ConsentFactory(
        client=world.client,
        organisations=[world.receiver_org],
        categories=[C.IDENTITY, C.CONTACT, C.BENEFITS],
        **{"purpose": Purpose.REFERRAL, **consent},
    )
    with pytest.raises(ValidationError):
        send(world)
    _nothing_written()


def test_a_consent_with_another_organisation_does_not_count() -> None:
    world = debt_world(consent_categories=[])
    other = MembershipFactory(role=Role.COORDINATOR).organisation
    ConsentFactory(
        client=world.client,
        purpose=Purpose.REFERRAL,
        organisations=[other],
        categories=[C.IDENTITY, C.CONTACT, C.BENEFITS],
    )
    with pytest.raises(ValidationError):
        send(world)
    _nothing_written()


def test_the_consent_check_is_shown_before_sending(world: World) -> None:
    assert services.consent_coverage(world.client, world.debt).missing == []
    assert services.consent_coverage(world.client, world.health).missing == [C.HEALTH]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": ServiceStatus.INACTIVE}, "service"),
        ({"accepts_referrals": False}, "service"),
    ],
)
def test_a_service_that_takes_no_referrals_is_refused(
    world: World, change: dict[str, object], field: str
) -> None:
    for name, value in change.items():
        setattr(world.debt, name, value)
    world.debt.save()
    with pytest.raises(ValidationError) as caught:
        send(world)
    assert set(caught.value.message_dict) == {field}
    _nothing_written()


def test_a_service_of_the_senders_own_organisation_is_refused(world: World) -> None:
    own = ServiceFactory(organisation=world.sender_org)
    with pytest.raises(ValidationError) as caught:
        send(world, own)
    assert set(caught.value.message_dict) == {"service"}
    _nothing_written()


def test_an_empty_message_and_another_clients_action_are_refused(world: World) -> None:
    other_action = action_for(ClientFactory(recorded_by=world.sender_org))
    with pytest.raises(ValidationError) as caught:
        send(world, message="   ", action=other_action)
    assert set(caught.value.message_dict) == {"message", "action"}
    _nothing_written()


def test_an_action_of_the_plan_is_linked(world: World) -> None:
    action = action_for(world.client, domain="finances")
    assert send(world, action=action).action == action


def test_someone_who_does_not_work_on_the_client_cannot_refer(world: World) -> None:
    outsider = MembershipFactory(role=Role.COORDINATOR)
    not_on_team = MembershipFactory(organisation=world.sender_org, role=Role.SOCIAL_WORKER)
    for actor in (outsider, not_on_team, world.counsellor):
        with pytest.raises(PermissionDenied):
            send(world, actor=actor)
    _nothing_written()


def test_a_role_that_may_not_read_a_carried_category_cannot_send_it(world: World) -> None:
    coach = MembershipFactory(organisation=world.sender_org, role=Role.EMPLOYMENT_SPECIALIST)
    CareTeamMemberFactory(client=world.client, membership=coach)
    ConsentFactory(
        client=world.client,
        purpose=Purpose.REFERRAL,
        organisations=[world.receiver_org],
        categories=[C.HEALTH],
    )
    with pytest.raises(PermissionDenied):
        send(world, world.health, actor=coach)
    _nothing_written()
    assert send(world, actor=coach).category == C.BENEFITS


def test_the_done_when_flow_received_accepted_first_contact_completed(world: World) -> None:
    referral = send(world)
    steps: list[tuple[str, dt.date | None]] = [
        (S.RECEIVED, None),
        (S.ACCEPTED, None),
        (S.FIRST_CONTACT, timezone.localdate()),
        (S.COMPLETED, None),
    ]
    for status, first_contact_on in steps:
        referral = services.referral_transition(
            actor=world.counsellor,
            referral=referral,
            status=status,
            first_contact_on=first_contact_on,
        )
        assert referral.status == status
    referral.refresh_from_db()
    assert referral.received_at is not None
    assert referral.decided_at is not None
    assert referral.first_contact_on == timezone.localdate()
    assert referral.closed_at is not None
    assert referral.handler == world.counsellor
    events = list(referral.events.values_list("status", "by", "organisation"))
    assert events == [
        (S.SENT, world.coordinator.pk, world.sender_org.pk),
        (S.RECEIVED, world.counsellor.pk, world.receiver_org.pk),
        (S.ACCEPTED, world.counsellor.pk, world.receiver_org.pk),
        (S.FIRST_CONTACT, world.counsellor.pk, world.receiver_org.pk),
        (S.COMPLETED, world.counsellor.pk, world.receiver_org.pk),
    ]
    answered = Notification.objects.get(kind=NotificationKind.REFERRAL_ANSWERED)
    assert answered.recipient == world.coordinator


def test_accepting_straight_away_also_marks_it_received(world: World) -> None:
    referral = services.referral_transition(
        actor=world.counsellor, referral=send(world), status=S.ACCEPTED
    )
    assert referral.received_at == referral.decided_at


def test_declining_needs_a_reason(world: World) -> None:
    referral = send(world)
    with pytest.raises(ValidationError) as caught:
        services.referral_transition(actor=world.counsellor, referral=referral, status=S.DECLINED)
    assert set(caught.value.message_dict) == {"decline_reason"}
    referral.refresh_from_db()
    assert referral.status == S.SENT
    assert referral.events.count() == 1
    referral = services.referral_transition(
        actor=world.counsellor,
        referral=referral,
        status=S.DECLINED,
        decline_reason="no_capacity",
        decline_note="  Queue is full until March.  ",
    )
    assert (referral.status, referral.decline_reason, referral.decline_note) == (
        S.DECLINED,
        "no_capacity",
        "Queue is full until March.",
    )
    assert Notification.objects.filter(
        kind=NotificationKind.REFERRAL_ANSWERED, recipient=world.coordinator
    ).exists()


@pytest.mark.parametrize(
    ("first_contact_on", "message"),
    [
        (None, "Give the date"),
        (-3, "before the referral was sent"),
        (1, "in the future"),
    ],
)
def test_the_first_contact_date_is_between_sending_and_today(
    world: World, first_contact_on: int | None, message: str
) -> None:
    referral = services.referral_transition(
        actor=world.counsellor, referral=send(world), status=S.ACCEPTED
    )
    day = (
        None
        if first_contact_on is None
        else timezone.localdate() + dt.timedelta(days=first_contact_on)
    )
    with pytest.raises(ValidationError) as caught:
        services.referral_transition(
            actor=world.counsellor,
            referral=referral,
            status=S.FIRST_CONTACT,
            first_contact_on=day,
        )
    assert message in caught.value.message_dict["first_contact_on"][0]
    referral.refresh_from_db()
    assert referral.first_contact_on is None


def test_illegal_transitions_are_refused(world: World) -> None:
    referral = send(world)
    with pytest.raises(ValidationError) as caught:
        services.referral_transition(
            actor=world.counsellor,
            referral=referral,
            status=S.FIRST_CONTACT,
            first_contact_on=timezone.localdate(),
        )
    assert "cannot become" in caught.value.message_dict["status"][0]
    services.referral_transition(
        actor=world.counsellor, referral=referral, status=S.DECLINED, decline_reason="other"
    )
    for status in (S.ACCEPTED, S.COMPLETED):
        with pytest.raises(ValidationError):
            services.referral_transition(actor=world.counsellor, referral=referral, status=status)
    with pytest.raises(ValidationError):
        services.referral_transition(actor=world.coordinator, referral=referral, status=S.CANCELLED)
    with pytest.raises(ValidationError):
        services.referral_transition(actor=world.counsellor, referral=referral, status="sent")
    assert referral.events.count() == 2


def test_the_sender_cancels_and_the_receiver_cannot(world: World) -> None:
    referral = send(world)
    with pytest.raises(PermissionDenied):
        services.referral_transition(actor=world.counsellor, referral=referral, status=S.CANCELLED)
    referral = services.referral_transition(
        actor=world.coordinator, referral=referral, status=S.CANCELLED
    )
    assert referral.status == S.CANCELLED
    assert referral.closed_at is not None
    assert referral.handler is None


def test_the_sender_cannot_answer_for_the_receiver(world: World) -> None:
    referral = send(world)
    for status in (S.RECEIVED, S.ACCEPTED):
        with pytest.raises(PermissionDenied):
            services.referral_transition(actor=world.coordinator, referral=referral, status=status)
    referral.refresh_from_db()
    assert referral.status == S.SENT


def test_a_receiver_without_consent_or_role_cannot_answer(world: World) -> None:
    referral = send(world)
    nurse = MembershipFactory(organisation=world.receiver_org, role=Role.HEALTH_PROFESSIONAL)
    stranger = MembershipFactory(role=Role.BENEFITS_COUNSELLOR)
    for actor in (nurse, stranger):
        with pytest.raises(PermissionDenied):
            services.referral_transition(actor=actor, referral=referral, status=S.RECEIVED)
    # Withdrawing the consent ends the receiver's access at once.
    world.consent.withdrawn_at = timezone.now()
    world.consent.save()
    with pytest.raises(PermissionDenied):
        services.referral_transition(actor=world.counsellor, referral=referral, status=S.RECEIVED)
    assert referral.events.count() == 1


def test_the_statuses_offered_follow_the_side_and_the_table(world: World) -> None:
    referral = send(world)
    assert services.statuses_open_to(world.counsellor, referral) == [
        S.RECEIVED,
        S.ACCEPTED,
        S.DECLINED,
    ]
    assert services.statuses_open_to(world.coordinator, referral) == [S.CANCELLED]
    assert services.statuses_open_to(MembershipFactory(), referral) == []
