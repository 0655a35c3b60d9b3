"""Writes to clients, episodes, consents and care teams: success, each refusal, and that a
refused or invalid call changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.signals import pre_save
from django.test import Client as HttpClient
from django.utils import timezone

from polku.clients import services
from polku.clients.models import CareTeamMember, Client, Consent, EndReason, Episode, Gender
from polku.core import crypto
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership, SecurityEvent
from polku.core.roles import Role
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    EpisodeFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db
C = DataCategory
TODAY = timezone.localdate


def register(actor: Membership, **overrides: Any) -> Client:
    fields = {
        "first_name": "Aino",
        "last_name": "Mäkelä",
        "gender": Gender.WOMAN,
        "identity_code": "131052-308T",
        "identity_code_type": "fi_hetu",
    }
    return services.client_register(actor=actor, **(fields | overrides))


# --- client_register -----------------------------------------------------------------------


def test_registering_stores_the_code_encrypted_and_makes_the_actor_key_worker() -> None:
    actor = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    client = register(actor)
    client.refresh_from_db()
    assert client.date_of_birth == dt.date(1952, 10, 13)
    assert client.identity_code == "131052-308T"
    assert "131052" not in client.identity_code_encrypted
    assert client.identity_code_digest == crypto.digest("131052-308T")
    assert client.recorded_by_id == actor.organisation_id
    team = list(
        CareTeamMember.objects.filter(client=client).values_list("membership_id", "is_key_worker")
    )
    assert team == [(actor.pk, True)]


def test_registration_is_in_the_change_audit_without_personal_values() -> None:
    actor = MembershipFactory()
    client = register(actor)
    entry = LogEntry.objects.get(object_pk=str(client.pk), action=LogEntry.Action.CREATE)
    assert entry.actor_id == actor.user_id
    assert entry.object_repr == client.reference
    changes = entry.changes_dict
    assert changes["first_name"] == changes["phone"] == ["•••", "•••"]
    assert changes["reference"] == ["None", client.reference]
    assert "Aino" not in str(changes)
    assert "131052" not in str(changes)
    assert changes["identity_code_digest"] == ["•••", "•••"]
    assert not {"identity_code_encrypted", "episodes"} & set(changes)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"identity_code": "131052-308U"}, "identity_code", "control character"),
        ({"identity_code": "310252-308T"}, "identity_code", "not a real date"),
        ({"identity_code_type": ""}, "identity_code_type", "type of the identity code"),
        ({"date_of_birth": dt.date(1952, 10, 14)}, "date_of_birth", "differs"),
        ({"identity_code": "", "date_of_birth": None}, "date_of_birth", "Give the date"),
        ({"identity_code": "", "date_of_birth": dt.date(2999, 1, 1)}, "date_of_birth", "Check"),
    ],
)
def test_invalid_registration_names_the_field_and_changes_nothing(
    overrides: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        register(MembershipFactory(), **overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert Client.objects.count() == 0
    assert CareTeamMember.objects.count() == 0


def test_the_same_identity_code_cannot_be_registered_twice() -> None:
    register(MembershipFactory())
    with pytest.raises(ValidationError) as error:
        register(MembershipFactory(), first_name="Other", last_name="Person")
    assert "already registered" in error.value.message_dict["identity_code"][0]
    assert Client.objects.count() == 1


def test_same_name_and_birth_date_warns_until_confirmed() -> None:
    actor = MembershipFactory()
    register(actor, identity_code="", date_of_birth=dt.date(1980, 1, 2))
    with pytest.raises(ValidationError) as error:
        register(
            actor,
            identity_code="",
            date_of_birth=dt.date(1980, 1, 2),
            first_name="AINO",
            last_name=" mäkelä ",
        )
    assert error.value.code == services.POSSIBLE_DUPLICATE
    assert Client.objects.count() == 1

    register(
        actor, identity_code="", date_of_birth=dt.date(1980, 1, 2), confirm_possible_duplicate=True
    )
    assert Client.objects.count() == 2


def test_names_in_swapped_order_count_as_a_possible_duplicate() -> None:
    swapped = ClientFactory(
        first_name="Mäkelä", last_name="Aino", date_of_birth=dt.date(1980, 1, 2)
    )
    assert services.namesakes(
        first_name="Aino", last_name="Mäkelä", date_of_birth=dt.date(1980, 1, 2)
    ) == [swapped.pk]


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.PROGRAMME_MANAGER, Role.EVALUATOR, Role.ORGANISATION_ADMIN]
)
def test_roles_without_client_work_cannot_register(role: str) -> None:
    with pytest.raises(PermissionDenied):
        register(MembershipFactory(role=role))
    assert Client.objects.count() == 0


def test_swedish_coordination_number_is_accepted_with_its_type() -> None:
    client = register(
        MembershipFactory(), identity_code="811278-9873", identity_code_type="se_samordningsnummer"
    )
    assert client.identity_code == "19811278-9873"
    assert client.date_of_birth == dt.date(1981, 12, 18)


# --- client_update --------------------------------------------------------------------------


def test_update_corrects_contact_details_and_keeps_the_code_when_left_empty() -> None:
    actor = MembershipFactory()
    client = register(actor)
    services.client_update(
        actor=actor,
        client=client,
        phone=" 050 1 ",
        first_name="Aino-Maria",
        date_of_birth=dt.date(1952, 10, 13),
    )
    client.refresh_from_db()
    assert (client.phone, client.first_name, client.identity_code) == (
        "050 1",
        "Aino-Maria",
        "131052-308T",
    )


def test_update_refuses_a_birth_date_that_contradicts_the_stored_code() -> None:
    actor = MembershipFactory()
    client = register(actor)
    with pytest.raises(ValidationError) as error:
        services.client_update(actor=actor, client=client, date_of_birth=dt.date(1960, 1, 1))
    assert "differs" in error.value.message_dict["date_of_birth"][0]
    client.refresh_from_db()
    assert client.date_of_birth == dt.date(1952, 10, 13)


def test_update_of_contact_details_needs_the_contact_category() -> None:
    recorder, partner = OrganisationFactory(), OrganisationFactory()
    client = ClientFactory(recorded_by=recorder, phone="040 1")
    coach = MembershipFactory(organisation=partner, role=Role.EMPLOYMENT_SPECIALIST)
    ConsentFactory(client=client, organisations=[partner], categories=[C.IDENTITY])
    with pytest.raises(PermissionDenied):
        services.client_update(actor=coach, client=client, phone="040 2")
    client.refresh_from_db()
    assert client.phone == "040 1"


# --- episodes ---------------------------------------------------------------------------------


def test_episode_start_and_end() -> None:
    actor = MembershipFactory()
    client = ClientFactory(recorded_by=actor.organisation)
    CareTeamMemberFactory(client=client, membership=actor)
    programme = ProgrammeFactory()
    episode = services.episode_start(
        actor=actor,
        client=client,
        programme=programme,
        organisation=actor.organisation,
        start_date=TODAY() - dt.timedelta(days=10),
        months_unemployed=30,
        days_on_labour_market_subsidy=400,
    )
    assert episode.recorded_by_id == actor.organisation_id
    services.episode_end(
        actor=actor, episode=episode, end_date=TODAY(), end_reason=EndReason.EMPLOYED
    )
    episode.refresh_from_db()
    assert (episode.end_date, episode.end_reason) == (TODAY(), EndReason.EMPLOYED)


def test_a_second_open_episode_in_the_same_programme_is_refused() -> None:
    actor = MembershipFactory()
    episode = EpisodeFactory(client__recorded_by=actor.organisation)
    with pytest.raises(ValidationError) as error:
        services.episode_start(
            actor=actor,
            client=episode.client,
            programme=episode.programme,
            organisation=actor.organisation,
            start_date=TODAY(),
        )
    assert "already has an open episode" in error.value.message_dict["programme"][0]
    assert Episode.objects.count() == 1


@pytest.mark.parametrize(
    ("end_date", "reason", "field", "message"),
    [
        (dt.date(2000, 1, 1), EndReason.EMPLOYED, "end_date", "before the start date"),
        (dt.date(2999, 1, 1), EndReason.EMPLOYED, "end_date", "future"),
        (None, "", "end_reason", "Choose why"),
    ],
)
def test_episode_end_validation(
    end_date: dt.date | None, reason: str, field: str, message: str
) -> None:
    actor = MembershipFactory()
    episode = EpisodeFactory(client__recorded_by=actor.organisation)
    with pytest.raises(ValidationError) as error:
        services.episode_end(
            actor=actor, episode=episode, end_date=end_date or TODAY(), end_reason=reason
        )
    assert message in error.value.message_dict[field][0]
    episode.refresh_from_db()
    assert episode.end_date is None


def test_a_role_without_the_employment_category_cannot_end_someone_elses_episode() -> None:
    recorder, partner = OrganisationFactory(), OrganisationFactory()
    episode = EpisodeFactory(client__recorded_by=recorder)
    outsider = MembershipFactory(organisation=partner, role=Role.EMPLOYMENT_SPECIALIST)
    ConsentFactory(client=episode.client, organisations=[partner], categories=[C.IDENTITY])
    with pytest.raises(PermissionDenied):
        services.episode_end(
            actor=outsider, episode=episode, end_date=TODAY(), end_reason=EndReason.EMPLOYED
        )


# --- consents -----------------------------------------------------------------------------------


def test_consent_record_and_withdraw() -> None:
    actor = MembershipFactory()
    client = ClientFactory(recorded_by=actor.organisation)
    partner = OrganisationFactory()
    consent = services.consent_record(
        actor=actor,
        client=client,
        organisations=[partner],
        categories=[C.HEALTH, C.IDENTITY],
        method="written",
        valid_until=TODAY() + dt.timedelta(days=365),
        note=" signed ",
    )
    assert sorted(consent.scopes.values_list("category", flat=True)) == ["health", "identity"]
    assert list(consent.organisations.all()) == [partner]
    assert (consent.note, consent.created_by_id, consent.purpose) == (
        "signed",
        actor.pk,
        Purpose.SERVICE,
    )

    services.consent_withdraw(actor=actor, consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_by_id == actor.pk
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.consent_withdraw(actor=actor, consent=consent)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"organisations": []}, "organisations"),
        ({"categories": []}, "categories"),
        ({"categories": ["passwords"]}, "categories"),
        ({"valid_from": dt.date(2030, 1, 2), "valid_until": dt.date(2030, 1, 1)}, "valid_until"),
        ({"valid_until": dt.date(2001, 1, 1), "valid_from": dt.date(2000, 1, 1)}, "valid_until"),
    ],
)
def test_invalid_consent_is_refused_and_nothing_is_stored(
    kwargs: dict[str, object], field: str
) -> None:
    actor = MembershipFactory()
    client = ClientFactory(recorded_by=actor.organisation)
    values = {
        "organisations": [OrganisationFactory()],
        "categories": [C.IDENTITY],
        "method": "written",
    } | kwargs
    with pytest.raises(ValidationError) as error:
        services.consent_record(actor=actor, client=client, **values)  # type: ignore[arg-type]
    assert field in error.value.message_dict
    assert Consent.objects.count() == 0


def test_someone_who_cannot_see_the_client_cannot_record_a_consent_for_them() -> None:
    client = ClientFactory()
    stranger = MembershipFactory()
    with pytest.raises(PermissionDenied):
        services.consent_record(
            actor=stranger,
            client=client,
            organisations=[stranger.organisation],
            categories=[C.IDENTITY],
            method="verbal",
        )
    assert Consent.objects.count() == 0


# --- care team ----------------------------------------------------------------------------------


def test_a_member_from_another_organisation_needs_consent_first() -> None:
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    client = ClientFactory(recorded_by=coordinator.organisation)
    nurse = MembershipFactory(role=Role.HEALTH_PROFESSIONAL)
    with pytest.raises(ValidationError) as error:
        services.care_team_add(actor=coordinator, client=client, membership=nurse)
    assert "has not consented" in error.value.message_dict["membership"][0]
    assert CareTeamMember.objects.count() == 0

    ConsentFactory(client=client, organisations=[nurse.organisation], categories=[C.IDENTITY])
    member = services.care_team_add(actor=coordinator, client=client, membership=nurse)
    assert member.added_by_id == coordinator.pk


def test_the_key_worker_is_replaced_not_duplicated() -> None:
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    client = ClientFactory(recorded_by=coordinator.organisation)
    first = CareTeamMemberFactory(
        client=client, is_key_worker=True, membership__organisation=coordinator.organisation
    )
    colleague = MembershipFactory(
        organisation=coordinator.organisation, role=Role.EMPLOYMENT_SPECIALIST
    )
    second = services.care_team_add(
        actor=coordinator, client=client, membership=colleague, as_key_worker=True
    )
    first.refresh_from_db()
    assert (first.is_key_worker, second.is_key_worker) == (False, True)
    services.care_team_set_key_worker(actor=coordinator, member=first)
    second.refresh_from_db()
    assert CareTeamMember.objects.filter(client=client, is_key_worker=True).get() == first


def test_removal_keeps_the_row_and_a_removed_member_cannot_be_removed_again() -> None:
    key = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    client = ClientFactory(recorded_by=key.organisation)
    CareTeamMemberFactory(client=client, membership=key, is_key_worker=True)
    other = CareTeamMemberFactory(
        client=client,
        membership__organisation=key.organisation,
        membership__role=Role.SOCIAL_WORKER,
    )
    services.care_team_remove(actor=key, member=other)
    other.refresh_from_db()
    assert other.removed_by_id == key.pk
    with pytest.raises(ValidationError, match="no longer on the care team"):
        services.care_team_remove(actor=key, member=other)


def test_an_ordinary_team_member_cannot_manage_the_team_while_there_is_a_key_worker() -> None:
    org = OrganisationFactory()
    client = ClientFactory(recorded_by=org)
    CareTeamMemberFactory(client=client, is_key_worker=True, membership__organisation=org)
    member = MembershipFactory(organisation=org, role=Role.SOCIAL_WORKER)
    CareTeamMemberFactory(client=client, membership=member)
    newcomer = MembershipFactory(organisation=org, role=Role.EMPLOYMENT_SPECIALIST)
    with pytest.raises(PermissionDenied):
        services.care_team_add(actor=member, client=client, membership=newcomer)
    assert CareTeamMember.objects.filter(client=client).count() == 2


def test_only_people_who_work_with_clients_can_join_a_team() -> None:
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    client = ClientFactory(recorded_by=coordinator.organisation)
    auditor = MembershipFactory(organisation=coordinator.organisation, role=Role.AUDITOR)
    with pytest.raises(ValidationError, match="works with clients"):
        services.care_team_add(actor=coordinator, client=client, membership=auditor)


def test_the_change_audit_shows_which_categories_a_consent_shares_and_code_changes() -> None:
    actor = MembershipFactory()
    client = register(actor)
    consent = services.consent_record(
        actor=actor,
        client=client,
        organisations=[OrganisationFactory()],
        categories=[C.HEALTH, C.IDENTITY],
        method="written",
    )
    shared = LogEntry.objects.filter(
        content_type__model="consentcategory", action=LogEntry.Action.CREATE
    )
    assert sorted(e.changes_dict["category"][1] for e in shared) == ["health", "identity"]
    assert {e.actor_id for e in shared} == {actor.user_id}
    assert consent.scopes.count() == 2

    services.client_update(
        actor=actor,
        client=client,
        identity_code="010594Y9032",
        identity_code_type="fi_hetu",
        date_of_birth=dt.date(1994, 5, 1),
    )
    update = LogEntry.objects.filter(object_pk=str(client.pk), action=LogEntry.Action.UPDATE).get()
    assert update.changes_dict["identity_code_digest"] == ["•••", "•••"]
    assert "010594" not in str(update.changes_dict)


def test_nested_audit_contexts_do_not_leave_signal_receivers_behind(
    login: Callable[..., HttpClient],
) -> None:
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    client = ClientFactory(recorded_by=coordinator.organisation)
    http = login(coordinator)
    http.get("/")
    before = len(pre_save.receivers)
    for name in ("A", "B", "C"):
        http.post(
            f"/clients/{client.pk}/edit/",
            {
                "first_name": name,
                "last_name": "X",
                "gender": "man",
                "preferred_language": "fi",
                "date_of_birth": "1980-05-17",
            },
        )
    client.refresh_from_db()
    assert client.first_name == "C"
    assert len(pre_save.receivers) == before


def test_a_registration_that_finds_an_existing_client_is_recorded_for_auditors(
    login: Callable[..., HttpClient],
) -> None:
    first = register(MembershipFactory())
    prober = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    with pytest.raises(ValidationError):
        register(prober, first_name="Someone", last_name="Else")
    with pytest.raises(ValidationError):
        register(prober, identity_code="", date_of_birth=first.date_of_birth)
    events = list(
        SecurityEvent.objects.filter(membership=prober)
        .order_by("at")
        .values_list("kind", "client_id")
    )
    assert events == [("identity_code_match", first.pk), ("name_match", first.pk)]
    auditor = MembershipFactory(organisation=prober.organisation, role=Role.AUDITOR)
    rows = login(auditor).get("/audit/sign-ins/").context["rows"]
    matches = [(e.kind, reference) for e, reference in rows if e.kind.endswith("_match")]
    assert matches == [("name_match", first.reference), ("identity_code_match", first.reference)]
