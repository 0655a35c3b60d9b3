"""Who sees which referral, on every surface that shows one (docs/access-policy.md, "Plans,
referrals and encounters").

A referral is as sensitive as the most sensitive category it carries. The sending side reads it
for the service by the usual rule; the receiving organisation reads only the referrals sent to
it, for referrals, through the client's consent — so without a consent for health data, a
professional sees no health referral, on any page or endpoint. The expected answers are
restated here from the policy, not imported from the code.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from polku.core import roles
from polku.core import services as core_services
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessLogEntry, Membership, Organisation
from polku.core.roles import Role
from polku.plans.models import Referral
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
    enable_totp,
)
from tests.plans.referrals_support import ServiceFactory, send_as

pytestmark = pytest.mark.django_db
C = DataCategory
Login = Callable[..., HttpClient]


@dataclass
class Scene:
    sender: Organisation
    receiver: Organisation
    third: Organisation
    debt: Referral  # benefits, to the receiver
    health: Referral  # health, to the receiver
    elsewhere: Referral  # benefits, to the third organisation
    viewers: dict[str, Membership]


def _scene(*, health_consent: bool) -> Scene:
    sender, receiver, third = (OrganisationFactory() for _ in range(3))
    key_worker = MembershipFactory(organisation=sender, role=Role.COORDINATOR)
    client = ClientFactory(recorded_by=sender)
    CareTeamMemberFactory(client=client, membership=key_worker, is_key_worker=True)
    everything = [C.IDENTITY, C.CONTACT, C.BENEFITS, C.HEALTH]
    sending_consent = ConsentFactory(
        client=client, purpose=Purpose.REFERRAL, organisations=[receiver], categories=everything
    )
    ConsentFactory(
        client=client,
        purpose=Purpose.REFERRAL,
        organisations=[third],
        categories=[C.IDENTITY, C.CONTACT, C.BENEFITS],
    )
    debt_service = ServiceFactory(organisation=receiver, referral_categories=[C.BENEFITS])
    health_service = ServiceFactory(organisation=receiver, referral_categories=[C.HEALTH])
    third_service = ServiceFactory(organisation=third, referral_categories=[C.BENEFITS])
    debt = send_as(key_worker, client, debt_service)
    health = send_as(key_worker, client, health_service)
    elsewhere = send_as(key_worker, client, third_service)
    if not health_consent:
        # The client withdraws the consent and gives a new one without health data.
        sending_consent.withdrawn_at = timezone.now()
        sending_consent.save()
        ConsentFactory(
            client=client,
            purpose=Purpose.REFERRAL,
            organisations=[receiver],
            categories=[C.IDENTITY, C.CONTACT, C.BENEFITS],
        )
    coach = MembershipFactory(organisation=sender, role=Role.EMPLOYMENT_SPECIALIST)
    CareTeamMemberFactory(client=client, membership=coach)
    viewers: dict[str, Membership] = {
        "sender key worker": key_worker,
        "sender coach on the team": coach,
        "sender social worker off the team": MembershipFactory(
            organisation=sender, role=Role.SOCIAL_WORKER
        ),
        "receiver health professional": MembershipFactory(
            organisation=receiver, role=Role.HEALTH_PROFESSIONAL
        ),
        "receiver benefits counsellor": MembershipFactory(
            organisation=receiver, role=Role.BENEFITS_COUNSELLOR
        ),
        "receiver coordinator": MembershipFactory(organisation=receiver, role=Role.COORDINATOR),
        "receiver organisation admin": MembershipFactory(
            organisation=receiver, role=Role.ORGANISATION_ADMIN
        ),
        "third coordinator": MembershipFactory(organisation=third, role=Role.COORDINATOR),
        "unrelated coordinator": MembershipFactory(role=Role.COORDINATOR),
    }
    return Scene(sender, receiver, third, debt, health, elsewhere, viewers)


# viewer → the referrals they may read (of debt, health, elsewhere), with and without the
# receiver's consent for health data. Restated from the policy:
# - the key worker (coordinator, recording organisation) reads every referral their
#   organisation sent, whatever the category;
# - the IPS coach on the team reads benefits but not health (role);
# - a social worker of the sending organisation who is not on the team reads nothing;
# - the receiving organisation reads only referrals sent to it, only categories its role
#   permits, and health only while the consent shares health with it;
# - an organisation admin reads no client data; others read nothing.
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "sender key worker": ({"debt", "health", "elsewhere"}, {"debt", "health", "elsewhere"}),
    "sender coach on the team": ({"debt", "elsewhere"}, {"debt", "elsewhere"}),
    "sender social worker off the team": (set(), set()),
    "receiver health professional": ({"health"}, set()),
    "receiver benefits counsellor": ({"debt"}, {"debt"}),
    "receiver coordinator": ({"debt", "health"}, {"debt"}),
    "receiver organisation admin": (set(), set()),
    "third coordinator": ({"elsewhere"}, {"elsewhere"}),
    "unrelated coordinator": (set(), set()),
}


def _names(scene: Scene, ids: set[uuid.UUID]) -> set[str]:
    named = {scene.debt.pk: "debt", scene.health.pk: "health", scene.elsewhere.pk: "elsewhere"}
    return {named[i] for i in ids if i in named}


def _api(membership: Membership) -> APIClient:
    if membership.role in roles.mfa_required_roles() and not is_mfa_enabled(
        membership.user, ["totp"]
    ):
        enable_totp(membership.user)
    _token, key = core_services.api_token_create(actor=membership, name="matrix")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def _seen_on_pages(scene: Scene, http: HttpClient) -> dict[str, set[str]]:
    client_id = scene.debt.client_id
    seen: dict[str, set[str]] = {}
    tab = http.get(reverse("plans:client_referrals", kwargs={"client_id": client_id}))
    seen["client tab"] = (
        _names(scene, {r.referral.pk for r in tab.context["rows"]})
        if tab.status_code == 200
        else set()
    )
    inbox = http.get(reverse("plans:referral_inbox"), {"status": ""})
    seen["inbox"] = (
        _names(scene, {r.referral.pk for r in inbox.context["rows"]})
        if inbox.status_code == 200
        else set()
    )
    seen["detail page"] = {
        name
        for name, referral in (
            ("debt", scene.debt),
            ("health", scene.health),
            ("elsewhere", scene.elsewhere),
        )
        if http.get(
            reverse("plans:referral_detail", kwargs={"referral_id": referral.pk})
        ).status_code
        == 200
    }
    return seen


def _seen_in_api(scene: Scene, api: APIClient) -> dict[str, set[str]]:
    listed = api.get("/api/v1/referrals/", {"page_size": 200})
    rows = listed.json().get("results", []) if listed.status_code == 200 else []
    return {
        "api list": _names(scene, {uuid.UUID(r["id"]) for r in rows}),
        "api detail": {
            name
            for name, referral in (
                ("debt", scene.debt),
                ("health", scene.health),
                ("elsewhere", scene.elsewhere),
            )
            if api.get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
        },
    }


@pytest.mark.parametrize("health_consent", [True, False], ids=["health-shared", "no-health"])
@pytest.mark.parametrize("viewer", sorted(EXPECTED))
def test_each_surface_shows_exactly_what_the_policy_allows(
    viewer: str, health_consent: bool, login: Login
) -> None:
    scene = _scene(health_consent=health_consent)
    membership = scene.viewers[viewer]
    expected = EXPECTED[viewer][0 if health_consent else 1]
    seen = _seen_on_pages(scene, login(membership)) | _seen_in_api(scene, _api(membership))
    # The inbox lists only what was sent to the viewer's own organisation.
    receiving = membership.organisation_id in {scene.receiver.pk, scene.third.pk}
    inbox_expected = expected if receiving else set()
    assert seen == {
        "client tab": expected,
        "inbox": inbox_expected,
        "detail page": expected,
        "api list": expected,
        "api detail": expected,
    }


def test_a_professional_without_health_consent_sees_no_health_referral_and_leaves_no_trace(
    login: Login,
) -> None:
    scene = _scene(health_consent=False)
    nurse = scene.viewers["receiver health professional"]
    http = login(nurse)
    response = http.get(reverse("plans:referral_detail", kwargs={"referral_id": scene.health.pk}))
    assert response.status_code == 404
    missing = http.get(reverse("plans:referral_detail", kwargs={"referral_id": uuid.uuid4()}))
    assert missing.status_code == 404  # invisible answers like missing
    assert http.get(reverse("plans:referral_inbox")).context["rows"] == []
    assert AccessLogEntry.objects.filter(membership=nurse, category=C.HEALTH).count() == 0


def test_the_receivers_reads_are_logged_for_referrals(login: Login) -> None:
    scene = _scene(health_consent=True)
    counsellor = scene.viewers["receiver benefits counsellor"]
    login(counsellor).get(reverse("plans:referral_detail", kwargs={"referral_id": scene.debt.pk}))
    logged = set(
        AccessLogEntry.objects.filter(membership=counsellor).values_list(
            "client_id", "category", "purpose"
        )
    )
    assert logged == {
        (scene.debt.client_id, C.IDENTITY, Purpose.REFERRAL),
        (scene.debt.client_id, C.BENEFITS, Purpose.REFERRAL),
    }
