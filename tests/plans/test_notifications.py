"""In-app notifications: the daily run (idempotent), who hears of what, reading them, the page,
the header count and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO

import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from polku.core import roles
from polku.core import services as core_services
from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.plans.models import ActionStatus, Notification, NotificationKind
from polku.plans.services import notifications as services
from tests.factories import MembershipFactory, enable_totp
from tests.plans.referrals_support import World, action_for, age, debt_world, send

pytestmark = pytest.mark.django_db
K = NotificationKind
TODAY = timezone.localdate()
Login = Callable[..., HttpClient]


@pytest.fixture
def world() -> World:
    return debt_world()


def _notices(kind: str) -> set[tuple[int, object]]:
    return {
        (n.recipient_id, n.referral_id or n.action_id)
        for n in Notification.objects.filter(kind=kind)
    }


def test_actions_due_soon_and_overdue_go_to_the_responsible_person(world: World) -> None:
    today = TODAY
    nurse = MembershipFactory(organisation=world.sender_org, role=Role.SOCIAL_WORKER)
    soon = action_for(world.client, responsible=nurse, due_date=TODAY + dt.timedelta(days=3))
    late = action_for(world.client, responsible=nurse, due_date=TODAY + dt.timedelta(days=-1))
    action_for(
        world.client, responsible=nurse, due_date=TODAY + dt.timedelta(days=4)
    )  # 4 days: not yet
    action_for(
        world.client,
        responsible=nurse,
        due_date=TODAY + dt.timedelta(days=-9),
        status=ActionStatus.DONE,
    )
    run = services.notify_due(today=today)
    assert (run.action_due, run.action_overdue, run.referral_overdue) == (1, 1, 0)
    assert _notices(K.ACTION_DUE) == {(nurse.pk, soon.pk)}
    assert _notices(K.ACTION_OVERDUE) == {(nurse.pk, late.pk)}


def test_an_action_without_a_responsible_person_goes_to_the_key_worker(world: World) -> None:
    action = action_for(world.client, due_date=TODAY + dt.timedelta(days=1))
    services.notify_due(today=TODAY)
    assert _notices(K.ACTION_DUE) == {(world.coordinator.pk, action.pk)}


def test_the_daily_run_is_idempotent_and_a_due_action_later_becomes_overdue(
    world: World,
) -> None:
    action = action_for(world.client, due_date=TODAY + dt.timedelta(days=1))
    assert services.notify_due(today=TODAY).total == 1
    assert services.notify_due(today=TODAY).total == 0
    assert (
        services.notify_due(today=TODAY + dt.timedelta(days=1)).total == 0
    )  # due today: still "due"
    run = services.notify_due(today=TODAY + dt.timedelta(days=2))
    assert (run.action_due, run.action_overdue) == (0, 1)
    assert Notification.objects.filter(action=action).count() == 2


def test_overdue_referrals_notify_the_sender_and_the_receivers(world: World) -> None:
    late = age(send(world), 15)
    send(world)  # on time
    nurse = MembershipFactory(organisation=world.receiver_org, role=Role.HEALTH_PROFESSIONAL)
    run = services.notify_due()
    assert run.referral_overdue == 2
    assert _notices(K.REFERRAL_OVERDUE) == {
        (world.coordinator.pk, late.pk),
        (world.counsellor.pk, late.pk),
    }
    assert nurse.pk not in {r for r, _ in _notices(K.REFERRAL_OVERDUE)}  # may not read benefits
    assert services.notify_due().total == 0


def test_inactive_memberships_are_not_notified(world: World) -> None:
    world.counsellor.valid_until = timezone.localdate() - dt.timedelta(days=1)
    world.counsellor.save()
    age(send(world), 20)
    services.notify_due()
    assert {r for r, _ in _notices(K.REFERRAL_OVERDUE)} == {world.coordinator.pk}


def test_the_command_runs_for_a_given_day(world: World) -> None:
    action_for(world.client, due_date=TODAY + dt.timedelta(days=1))
    out = StringIO()
    call_command("notify_due", "--today", TODAY.isoformat(), stdout=out)
    assert "1 action due, 0 action overdue, 0 referral overdue" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("notify_due", "--today", "10.3.2025")


def test_only_the_recipient_marks_a_notification_read(world: World) -> None:
    send(world)
    notice = Notification.objects.get(recipient=world.counsellor)
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(actor=world.coordinator, notification=notice)
    notice.refresh_from_db()
    assert notice.read_at is None
    services.notification_mark_read(actor=world.counsellor, notification=notice)
    first = notice.read_at
    assert first is not None
    services.notification_mark_read(actor=world.counsellor, notification=notice)
    assert notice.read_at == first


def test_the_page_builds_the_text_and_the_header_counts_unread(world: World, login: Login) -> None:
    referral = send(world)
    http = login(world.counsellor)
    page = http.get(reverse("plans:notifications"))
    (shown,) = page.context["shown"]
    assert shown.text.startswith("New referral to Debt counselling, sent ")
    assert shown.url == reverse("plans:referral_detail", kwargs={"referral_id": referral.pk})
    body = page.content.decode()
    assert "Notifications (1)" in body
    assert "Aino" not in body  # notifications name no client
    assert AccessLogEntry.objects.count() == 0
    response = http.post(
        reverse("plans:notification_read", kwargs={"notification_id": shown.notification.pk}),
        {"open": "1"},
    )
    assert response["Location"] == shown.url
    assert "Notifications (0)" in http.get(reverse("plans:notifications")).content.decode()


def test_someone_elses_notification_is_404(world: World, login: Login) -> None:
    send(world)
    notice = Notification.objects.get(recipient=world.counsellor)
    response = login(world.coordinator).post(
        reverse("plans:notification_read", kwargs={"notification_id": notice.pk})
    )
    assert response.status_code == 404


def test_mark_all_read(world: World, login: Login) -> None:
    send(world)
    send(world)
    login(world.counsellor).post(reverse("plans:notifications_read_all"))
    assert Notification.objects.filter(recipient=world.counsellor, read_at=None).count() == 0


def _api(membership: Membership) -> APIClient:
    if membership.role in roles.mfa_required_roles() and not is_mfa_enabled(
        membership.user, ["totp"]
    ):
        enable_totp(membership.user)
    _token, key = core_services.api_token_create(actor=membership, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def test_the_api_lists_own_notifications_and_marks_them_read(world: World) -> None:
    send(world)
    api = _api(world.counsellor)
    (row,) = api.get("/api/v1/notifications/").json()["results"]
    assert row["kind"] == K.REFERRAL_RECEIVED
    assert row["text"].startswith("New referral to Debt counselling")
    assert row["read_at"] is None
    response = api.post(f"/api/v1/notifications/{row['id']}/mark-read/")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    other = _api(world.coordinator)
    assert other.get("/api/v1/notifications/").json()["results"] == []
    assert other.post(f"/api/v1/notifications/{row['id']}/mark-read/").status_code == 404
