"""The referrals API: list and filters, sending (problem JSON naming the missing consent),
transitions, the read-access log, and the timeliness report."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.utils import timezone
from rest_framework.test import APIClient

from polku.core import roles
from polku.core import services as core_services
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.plans.models import Referral, ReferralStatus
from polku.plans.services import referrals as services
from tests.factories import MembershipFactory, enable_totp
from tests.plans.referrals_support import World, age, debt_world, send

pytestmark = pytest.mark.django_db
C = DataCategory
S = ReferralStatus
URL = "/api/v1/referrals/"


def api_for(membership: Membership) -> APIClient:
    if membership.role in roles.mfa_required_roles() and not is_mfa_enabled(
        membership.user, ["totp"]
    ):
        enable_totp(membership.user)
    _token, key = core_services.api_token_create(actor=membership, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def problem_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    return body


@pytest.fixture
def world() -> World:
    return debt_world()


def test_sending_through_the_api_answers_201_with_the_referral(world: World) -> None:
    response = api_for(world.coordinator).post(
        URL,
        {"client": str(world.client.pk), "service": world.debt.pk, "message": "Debts."},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get()
    assert body["id"] == str(referral.pk)
    assert body["carried_categories"] == [C.IDENTITY, C.CONTACT, C.BENEFITS]
    assert body["category"] == C.BENEFITS
    assert body["status"] == S.SENT
    assert body["is_overdue"] is False
    assert body["days_to_first_contact"] is None
    assert [e["status"] for e in body["events"]] == [S.SENT]


def test_without_consent_the_problem_names_the_missing_categories(world: World) -> None:
    body = problem_of(
        api_for(world.coordinator).post(
            URL,
            {"client": str(world.client.pk), "service": world.health.pk, "message": "Help."},
            format="json",
        ),
        400,
    )
    assert body["code"] == "missing_consent"
    (message,) = body["errors"]["non_field_errors"]
    assert "health" in message
    assert "Debt Advice Association" in message
    assert Referral.objects.count() == 0


def test_a_client_the_sender_cannot_see_does_not_exist(world: World) -> None:
    outsider = MembershipFactory(role=Role.COORDINATOR)
    body = problem_of(
        api_for(outsider).post(
            URL,
            {"client": str(world.client.pk), "service": world.debt.pk, "message": "x"},
            format="json",
        ),
        400,
    )
    assert set(body["errors"]) == {"client"}


def test_each_side_lists_its_referrals_and_the_inbox_filter(world: World) -> None:
    mine = send(world)
    other_service = world.health
    services_consent = world.consent
    services_consent.scopes.create(category=C.HEALTH)
    health = send(world, other_service)
    sender = api_for(world.coordinator)
    assert [r["id"] for r in sender.get(URL).json()["results"]] == [str(health.pk), str(mine.pk)]
    assert sender.get(URL, {"inbox": "true"}).json()["results"] == []
    receiver = api_for(world.counsellor)
    # A benefits counsellor's role may not read health data: only the debt referral.
    assert [r["id"] for r in receiver.get(URL, {"inbox": "true"}).json()["results"]] == [
        str(mine.pk)
    ]
    assert [r["id"] for r in receiver.get(URL, {"status": "sent"}).json()["results"]] == [
        str(mine.pk)
    ]
    assert receiver.get(URL, {"status": "accepted"}).json()["results"] == []
    assert [
        r["id"] for r in sender.get(URL, {"client": str(world.client.pk)}).json()["results"]
    ] == [str(health.pk), str(mine.pk)]


def test_reads_are_logged_with_each_sides_purpose(world: World) -> None:
    referral = send(world)
    api_for(world.counsellor).get(f"{URL}{referral.pk}/")
    api_for(world.coordinator).get(URL)
    logged = sorted(
        (e.category, e.purpose, e.action) for e in AccessLogEntry.objects.order_by("seq")
    )
    assert logged == [
        (C.BENEFITS, Purpose.REFERRAL, "api"),
        (C.BENEFITS, Purpose.SERVICE, "api"),
        (C.IDENTITY, Purpose.REFERRAL, "api"),
        (C.IDENTITY, Purpose.SERVICE, "api"),
    ]


def test_transitions_through_the_api(world: World) -> None:
    referral = send(world)
    receiver = api_for(world.counsellor)
    url = f"{URL}{referral.pk}/transition/"
    assert receiver.post(url, {"status": "accepted"}, format="json").status_code == 200
    response = receiver.post(
        url,
        {"status": "first_contact", "first_contact_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["days_to_first_contact"] == 0
    body = problem_of(receiver.post(url, {"status": "declined"}, format="json"), 400)
    assert "status" in body["errors"]
    problem_of(api_for(world.coordinator).post(url, {"status": "completed"}, format="json"), 403)


def test_an_invisible_referral_is_404_like_a_missing_one(world: World) -> None:
    referral = send(world)
    outsider = api_for(MembershipFactory(role=Role.COORDINATOR))
    problem_of(outsider.get(f"{URL}{referral.pk}/"), 404)
    problem_of(outsider.post(f"{URL}{referral.pk}/transition/", {"status": "received"}), 404)
    assert AccessLogEntry.objects.count() == 0


def test_the_overdue_flag(world: World) -> None:
    late = age(send(world), 15)
    body = api_for(world.counsellor).get(f"{URL}{late.pk}/").json()
    assert body["is_overdue"] is True
    services.referral_transition(actor=world.counsellor, referral=late, status=S.ACCEPTED)
    services.referral_transition(
        actor=world.counsellor,
        referral=late,
        status=S.FIRST_CONTACT,
        first_contact_on=timezone.localdate(),
    )
    body = api_for(world.coordinator).get(f"{URL}{late.pk}/").json()
    assert (body["is_overdue"], body["days_to_first_contact"]) == (False, 15)


def test_the_report_endpoint_is_aggregate_and_suppressed(world: World) -> None:
    send(world)
    manager = api_for(MembershipFactory(role=Role.PROGRAMME_MANAGER))
    body = manager.get("/api/v1/referral-report/").json()
    assert body["services"] == [
        {
            "name": "Debt counselling",
            "organisation": "Debt Advice Association",
            "n": "–",
            "stats": None,
        }
    ]
    assert body["total"]["n"] == "<5"
    problem_of(manager.get("/api/v1/referral-report/", {"date_from": "yesterday"}), 400)
    admin = api_for(MembershipFactory(role=Role.ORGANISATION_ADMIN))
    problem_of(admin.get("/api/v1/referral-report/"), 403)
