"""Recording and correcting encounters: who may, which values the rules accept, and that a
refused or invalid call changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polku.clients.models import Client
from polku.core.categories import DataCategory
from polku.core.models import Membership, Organisation
from polku.core.roles import Role
from polku.plans.models import Attendance, Encounter, EncounterKind
from polku.plans.services.encounters import (
    categories_writable_by,
    encounter_record,
    encounter_update,
)
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db
C = DataCategory


@pytest.fixture
def city() -> Organisation:
    return OrganisationFactory()


@pytest.fixture
def client(city: Organisation) -> Client:
    return ClientFactory(recorded_by=city)


@pytest.fixture
def coach(city: Organisation, client: Client) -> Membership:
    """An employment specialist on the client's care team (reads no health or social data)."""
    membership = MembershipFactory(organisation=city, role=Role.EMPLOYMENT_SPECIALIST)
    CareTeamMemberFactory(client=client, membership=membership, is_key_worker=True)
    return membership


def _values(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": EncounterKind.MEETING,
        "category": C.EMPLOYMENT,
        "started_at": timezone.now() - dt.timedelta(hours=2),
        "duration_minutes": 45,
        "attendance": Attendance.ATTENDED,
        "notes": "  Talked about the CV and two vacancies.  ",
    } | overrides


def test_records_an_encounter_of_the_actors_organisation(
    coach: Membership, client: Client, city: Organisation
) -> None:
    partner = OrganisationFactory()
    encounter = encounter_record(
        actor=coach, client=client, participants=[coach], organisations=[partner], **_values()
    )
    encounter.refresh_from_db()
    assert encounter.client == client
    assert encounter.kind == EncounterKind.MEETING
    assert encounter.category == C.EMPLOYMENT
    assert encounter.duration_minutes == 45
    assert encounter.notes == "Talked about the CV and two vacancies."
    assert encounter.recorded_by == city
    assert encounter.created_by == coach
    assert list(encounter.participants.all()) == [coach]
    # The recording organisation is always present; the partner as given.
    assert {o.pk for o in encounter.organisations.all()} == {city.pk, partner.pk}
    entries = LogEntry.objects.get_for_object(encounter)
    assert {entry.actor for entry in entries} == {coach.user}
    created = entries.get(action=LogEntry.Action.CREATE)
    assert created.changes["notes"] == ["•••", "•••"]  # masked in the change audit


def test_participants_organisations_are_added_to_those_present(
    coach: Membership, client: Client, city: Organisation
) -> None:
    clinic = OrganisationFactory()
    nurse = MembershipFactory(organisation=clinic, role=Role.HEALTH_PROFESSIONAL)
    encounter = encounter_record(
        actor=coach,
        client=client,
        participants=[coach, nurse],
        **_values(kind=EncounterKind.NETWORK_MEETING),
    )
    assert {o.pk for o in encounter.organisations.all()} == {city.pk, clinic.pk}


def test_a_network_meeting_needs_two_organisations(coach: Membership, client: Client) -> None:
    with pytest.raises(ValidationError) as error:
        encounter_record(
            actor=coach,
            client=client,
            participants=[coach],
            **_values(kind=EncounterKind.NETWORK_MEETING),
        )
    assert set(error.value.message_dict) == {"organisations"}
    assert Encounter.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"category": "secrets"}, "category"),
        ({"attendance": "maybe"}, "attendance"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"notes": "x" * 10001}, "notes"),
        ({"started_at": dt.datetime(2024, 5, 1, 10, 0)}, "started_at"),  # noqa: DTZ001 - naive
        ({"started_at": timezone.now() + dt.timedelta(days=2)}, "started_at"),
        (
            {
                "started_at": timezone.now() + dt.timedelta(days=2),
                "attendance": Attendance.NO_SHOW,
            },
            "started_at",
        ),
        (
            {
                "started_at": timezone.now() + dt.timedelta(days=400),
                "attendance": Attendance.CANCELLED,
            },
            "started_at",
        ),
        (
            {"started_at": timezone.make_aware(dt.datetime(1979, 1, 1, 12, 0))},  # noqa: DTZ001
            "started_at",
        ),
    ],
)
def test_invalid_values_are_refused_per_field_and_nothing_is_written(
    coach: Membership, client: Client, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        encounter_record(actor=coach, client=client, **_values(**overrides))
    assert set(error.value.message_dict) == {field}
    assert Encounter.objects.count() == 0
    assert LogEntry.objects.filter(content_type__model="encounter").count() == 0


def test_slack_of_a_day_for_an_encounter_about_to_start(coach: Membership, client: Client) -> None:
    soon = timezone.now() + dt.timedelta(hours=20)
    assert encounter_record(actor=coach, client=client, **_values(started_at=soon)).pk


def test_a_cancelled_booking_may_lie_ahead(coach: Membership, client: Client) -> None:
    ahead = timezone.now() + dt.timedelta(days=30)
    encounter = encounter_record(
        actor=coach,
        client=client,
        **_values(started_at=ahead, attendance=Attendance.CANCELLED),
    )
    assert encounter.attendance == Attendance.CANCELLED


def test_participants_must_be_active_professionals(
    coach: Membership, client: Client, city: Organisation
) -> None:
    left = MembershipFactory(
        organisation=city,
        role=Role.SOCIAL_WORKER,
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    admin = MembershipFactory(organisation=city, role=Role.ORGANISATION_ADMIN)
    for person in (left, admin):
        with pytest.raises(ValidationError) as error:
            encounter_record(actor=coach, client=client, participants=[person], **_values())
        assert set(error.value.message_dict) == {"participants"}
    assert Encounter.objects.count() == 0


def test_inactive_organisations_cannot_be_added(coach: Membership, client: Client) -> None:
    closed = OrganisationFactory(is_active=False)
    with pytest.raises(ValidationError) as error:
        encounter_record(actor=coach, client=client, organisations=[closed], **_values())
    assert set(error.value.message_dict) == {"organisations"}


def test_a_role_records_only_categories_it_may_read(coach: Membership, client: Client) -> None:
    assert categories_writable_by(coach, client) == [
        C.IDENTITY,
        C.CONTACT,
        C.EMPLOYMENT,
        C.EDUCATION,
        C.BENEFITS,
    ]
    for category in (C.HEALTH, C.SOCIAL):
        with pytest.raises(PermissionDenied):
            encounter_record(actor=coach, client=client, **_values(category=category))
    assert Encounter.objects.count() == 0


def test_only_those_who_work_on_the_client_record(client: Client, city: Organisation) -> None:
    off_team = MembershipFactory(organisation=city, role=Role.EMPLOYMENT_SPECIALIST)
    other = OrganisationFactory()
    # Another organisation that may read the client by consent, without a place on the team.
    ConsentFactory(client=client, organisations=[other], categories=[C.IDENTITY, C.EMPLOYMENT])
    outsider = MembershipFactory(organisation=other, role=Role.COORDINATOR)
    auditor = MembershipFactory(organisation=city, role=Role.AUDITOR)
    for actor in (off_team, outsider, auditor):
        assert categories_writable_by(actor, client) == []
        with pytest.raises(PermissionDenied):
            encounter_record(actor=actor, client=client, **_values())
    assert Encounter.objects.count() == 0


def test_a_team_member_of_another_organisation_records_with_their_own(
    client: Client,
) -> None:
    clinic = OrganisationFactory()
    ConsentFactory(client=client, organisations=[clinic], categories=[C.IDENTITY, C.HEALTH])
    nurse = MembershipFactory(organisation=clinic, role=Role.HEALTH_PROFESSIONAL)
    CareTeamMemberFactory(client=client, membership=nurse)
    encounter = encounter_record(
        actor=nurse, client=client, **_values(category=C.HEALTH, kind=EncounterKind.HOME_VISIT)
    )
    assert encounter.recorded_by == clinic
    assert encounter.category == C.HEALTH


def test_update_replaces_the_values(coach: Membership, client: Client) -> None:
    encounter = encounter_record(actor=coach, client=client, participants=[coach], **_values())
    later = timezone.now() - dt.timedelta(hours=1)
    encounter_update(
        actor=coach,
        encounter=encounter,
        participants=[],
        organisations=[],
        **_values(
            kind=EncounterKind.PHONE,
            category=C.BENEFITS,
            started_at=later,
            duration_minutes=15,
            attendance=Attendance.NO_SHOW,
            notes="Did not answer.",
        ),
    )
    encounter.refresh_from_db()
    assert (encounter.kind, encounter.category, encounter.duration_minutes) == (
        EncounterKind.PHONE,
        C.BENEFITS,
        15,
    )
    assert (encounter.attendance, encounter.notes) == (Attendance.NO_SHOW, "Did not answer.")
    assert encounter.started_at == later
    assert list(encounter.participants.all()) == []


def test_update_keeps_professionals_who_have_left_since(
    coach: Membership, client: Client, city: Organisation
) -> None:
    colleague = MembershipFactory(organisation=city, role=Role.SOCIAL_WORKER)
    encounter = encounter_record(
        actor=coach, client=client, participants=[coach, colleague], **_values()
    )
    colleague.valid_until = timezone.localdate() - dt.timedelta(days=1)
    colleague.save()
    encounter_update(
        actor=coach,
        encounter=encounter,
        participants=[coach, colleague],
        organisations=[city],
        **_values(notes="Corrected."),
    )
    assert set(encounter.participants.all()) == {coach, colleague}


def test_only_the_recording_organisation_corrects(coach: Membership, client: Client) -> None:
    encounter = encounter_record(actor=coach, client=client, **_values())
    other = OrganisationFactory()
    ConsentFactory(client=client, organisations=[other], categories=[C.IDENTITY, C.EMPLOYMENT])
    partner = MembershipFactory(organisation=other, role=Role.EMPLOYMENT_SPECIALIST)
    CareTeamMemberFactory(client=client, membership=partner)
    with pytest.raises(PermissionDenied):
        encounter_update(
            actor=partner,
            encounter=encounter,
            participants=[],
            organisations=[],
            **_values(notes="Overwritten"),
        )
    encounter.refresh_from_db()
    assert encounter.notes == "Talked about the CV and two vacancies."


def test_update_cannot_move_an_encounter_to_a_category_the_role_may_not_read(
    coach: Membership, client: Client
) -> None:
    encounter = encounter_record(actor=coach, client=client, **_values())
    with pytest.raises(PermissionDenied):
        encounter_update(
            actor=coach,
            encounter=encounter,
            participants=[],
            organisations=[],
            **_values(category=C.HEALTH),
        )
    encounter.refresh_from_db()
    assert encounter.category == C.EMPLOYMENT


def test_an_invalid_update_changes_nothing(coach: Membership, client: Client) -> None:
    encounter = encounter_record(actor=coach, client=client, participants=[coach], **_values())
    with pytest.raises(ValidationError):
        encounter_update(
            actor=coach,
            encounter=encounter,
            participants=[],
            organisations=[],
            **_values(duration_minutes=0, notes="Changed"),
        )
    encounter.refresh_from_db()
    assert encounter.duration_minutes == 45
    assert list(encounter.participants.all()) == [coach]
