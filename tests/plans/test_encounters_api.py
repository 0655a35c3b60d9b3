"""The encounters API: list by client, read, record, correct; problem documents for refusals;
the read-access log of every response."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.utils import timezone
from rest_framework.test import APIClient

from polku.clients.models import Client
from polku.core import services as core_services
from polku.core.categories import DataCategory
from polku.core.models import AccessLogEntry, Membership, Organisation
from polku.core.roles import Role
from polku.plans.models import Attendance, Encounter, EncounterKind
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
    enable_totp,
)

pytestmark = pytest.mark.django_db
C = DataCategory
URL = "/api/v1/encounters/"


def _api(membership: Membership) -> APIClient:
    if not is_mfa_enabled(membership.user, ["totp"]):
        enable_totp(membership.user)
    _token, key = core_services.api_token_create(actor=membership, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def _logged(membership: Membership) -> list[tuple[str, str, str]]:
    return sorted(
        (str(e.client_id), e.category, e.action)
        for e in AccessLogEntry.objects.filter(membership=membership)
    )


@pytest.fixture
def city() -> Organisation:
    return OrganisationFactory()


@pytest.fixture
def person(city: Organisation) -> Client:
    return ClientFactory(recorded_by=city)


@pytest.fixture
def coordinator(city: Organisation, person: Client) -> Membership:
    membership = MembershipFactory(organisation=city, role=Role.COORDINATOR)
    CareTeamMemberFactory(client=person, membership=membership, is_key_worker=True)
    return membership


def _payload(person: Client, **overrides: Any) -> dict[str, Any]:
    return {
        "client": str(person.pk),
        "kind": EncounterKind.VIDEO,
        "category": C.SOCIAL,
        "started_at": (timezone.now() - dt.timedelta(hours=5)).isoformat(),
        "duration_minutes": 40,
        "notes": "Housing situation.",
    } | overrides


def test_records_lists_reads_and_corrects(
    coordinator: Membership, person: Client, city: Organisation
) -> None:
    api = _api(coordinator)
    created = api.post(URL, _payload(person, participants=[coordinator.pk]), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind"] == EncounterKind.VIDEO
    assert body["attendance"] == Attendance.ATTENDED
    assert body["participants"] == [coordinator.pk]
    assert body["organisations"] == [city.pk]
    assert body["recorded_by"] == city.pk
    encounter_id = body["id"]

    other = ClientFactory(recorded_by=city)
    Encounter.objects.create(
        client=other,
        kind=EncounterKind.PHONE,
        category=C.EMPLOYMENT,
        started_at=timezone.now(),
        duration_minutes=5,
        recorded_by=city,
    )
    listed = api.get(URL, {"client": str(person.pk)})
    assert [row["id"] for row in listed.json()["results"]] == [encounter_id]
    assert len(api.get(URL).json()["results"]) == 2

    patched = api.patch(
        f"{URL}{encounter_id}/", {"attendance": "no_show", "notes": "Missed."}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["attendance"], patched.json()["notes"]) == ("no_show", "Missed.")
    assert patched.json()["participants"] == [coordinator.pk]  # left out: kept

    assert api.get(f"{URL}{encounter_id}/").json()["notes"] == "Missed."
    reads = [row for row in _logged(coordinator) if row[0] == str(person.pk)]
    # Created, listed twice, patched, read: each response logged the social category it carried.
    assert reads == [(str(person.pk), C.SOCIAL, "api")] * 5


def test_validation_problems_name_the_fields(coordinator: Membership, person: Client) -> None:
    api = _api(coordinator)
    ahead = (timezone.now() + dt.timedelta(days=3)).isoformat()
    response = api.post(
        URL,
        _payload(person, started_at=ahead, kind=EncounterKind.NETWORK_MEETING),
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"started_at", "organisations"}
    response = api.post(URL, _payload(person, duration_minutes=0, notes=7), format="json")
    assert set(response.json()["errors"]) == {"duration_minutes", "notes"}
    assert Encounter.objects.count() == 0


def test_a_role_records_only_categories_it_may_read(city: Organisation, person: Client) -> None:
    coach = MembershipFactory(organisation=city, role=Role.EMPLOYMENT_SPECIALIST)
    CareTeamMemberFactory(client=person, membership=coach)
    response = _api(coach).post(URL, _payload(person, category=C.HEALTH), format="json")
    assert response.status_code == 403
    assert Encounter.objects.count() == 0


def test_an_invisible_client_does_not_exist(coordinator: Membership) -> None:
    stranger = ClientFactory()
    response = _api(coordinator).post(URL, _payload(stranger), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"client"}


def test_another_organisations_encounter_is_read_but_not_corrected(
    coordinator: Membership, person: Client
) -> None:
    partner = OrganisationFactory()
    ConsentFactory(
        client=person, organisations=[coordinator.organisation], categories=[C.EMPLOYMENT]
    )
    theirs = Encounter.objects.create(
        client=person,
        kind=EncounterKind.MEETING,
        category=C.EMPLOYMENT,
        started_at=timezone.now(),
        duration_minutes=30,
        notes="Theirs",
        recorded_by=partner,
    )
    api = _api(coordinator)
    assert api.get(f"{URL}{theirs.pk}/").status_code == 200
    response = api.patch(f"{URL}{theirs.pk}/", {"notes": "Mine now"}, format="json")
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.notes == "Theirs"
