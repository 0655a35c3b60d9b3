"""Services of the joint assessment: starting a round, recording domain entries, completing.

Each service: success, each validation failure and the permission refusal; a refused or invalid
call changes nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polku.clients.models import Client
from polku.core.models import Membership, Organisation
from polku.core.roles import Role
from polku.plans.models import Assessment, AssessmentStatus, DomainEntry
from polku.plans.services.assessments import (
    assessment_complete,
    assessment_start,
    domains_writable_by,
    entry_save,
)
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    EpisodeFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _member(organisation: Organisation, role: str, client: Client) -> Membership:
    """A professional of `organisation` on `client`'s care team."""
    membership = MembershipFactory(organisation=organisation, role=role)
    CareTeamMemberFactory(client=client, membership=membership)
    return membership


@pytest.fixture
def coordinator() -> Membership:
    return MembershipFactory(role=Role.COORDINATOR)


@pytest.fixture
def client(coordinator: Membership) -> Client:
    return ClientFactory(recorded_by=coordinator.organisation)


def _snapshot() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    return (
        list(Assessment.objects.order_by("pk").values_list("pk", "version", "status")),
        list(
            DomainEntry.objects.order_by("pk").values_list(
                "pk", "need", "strengths", "barriers", "notes", "recorded_by"
            )
        ),
    )


# --- assessment_start -------------------------------------------------------------------------


def test_the_first_round_is_version_1_recorded_by_the_actors_organisation(
    coordinator: Membership, client: Client
) -> None:
    assessment = assessment_start(actor=coordinator, client=client, assessed_on=TODAY())
    assert (assessment.version, assessment.status) == (1, AssessmentStatus.OPEN)
    assert assessment.recorded_by_id == coordinator.organisation_id
    assert assessment.created_by == coordinator
    assert assessment.assessed_on == TODAY()
    entry = LogEntry.objects.get_for_object(assessment).get()
    assert entry.actor == coordinator.user


def test_each_new_round_takes_the_next_version(coordinator: Membership, client: Client) -> None:
    first = assessment_start(actor=coordinator, client=client)
    entry_save(actor=coordinator, assessment=first, domain="work", need=2)
    assessment_complete(actor=coordinator, assessment=first)
    second = assessment_start(actor=coordinator, client=client)
    assert second.version == 2
    # Another client's versions are counted apart.
    other = ClientFactory(recorded_by=coordinator.organisation)
    assert assessment_start(actor=coordinator, client=other).version == 1


def test_only_one_round_is_open_at_a_time(coordinator: Membership, client: Client) -> None:
    assessment_start(actor=coordinator, client=client)
    before = _snapshot()
    with pytest.raises(ValidationError) as raised:
        assessment_start(actor=coordinator, client=client)
    assert raised.value.code == "open_round_exists"
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("assessed_on", "message"),
    [
        (TODAY() + dt.timedelta(days=1), "The assessment date cannot be in the future."),
        (dt.date(1970, 1, 1), "The assessment date is before the client was born."),
    ],
)
def test_an_impossible_date_is_refused(
    coordinator: Membership, client: Client, assessed_on: dt.date, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        assessment_start(actor=coordinator, client=client, assessed_on=assessed_on)
    assert raised.value.message_dict == {"assessed_on": [message]}
    assert Assessment.objects.count() == 0


def test_an_episode_of_another_client_is_refused(coordinator: Membership, client: Client) -> None:
    episode = EpisodeFactory(client__recorded_by=coordinator.organisation)
    with pytest.raises(ValidationError) as raised:
        assessment_start(actor=coordinator, client=client, episode=episode)
    assert raised.value.message_dict == {"episode": ["The episode belongs to another client."]}
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    "who",
    ["another_organisation", "not_on_team", "evaluator", "consent_only"],
)
def test_starting_needs_someone_who_works_on_the_client(
    coordinator: Membership, client: Client, who: str
) -> None:
    other = OrganisationFactory()
    actor = {
        "another_organisation": lambda: MembershipFactory(organisation=other),
        "not_on_team": lambda: MembershipFactory(
            organisation=client.recorded_by, role=Role.SOCIAL_WORKER
        ),
        "evaluator": lambda: MembershipFactory(
            organisation=client.recorded_by, role=Role.EVALUATOR
        ),
        # A consent lets another organisation read; it does not let it write.
        "consent_only": lambda: MembershipFactory(organisation=other, role=Role.COORDINATOR),
    }[who]()
    ConsentFactory(client=client, organisations=[other], categories=["identity", "employment"])
    with pytest.raises(PermissionDenied):
        assessment_start(actor=actor, client=client)
    assert Assessment.objects.count() == 0


def test_a_team_member_of_another_organisation_may_start_a_round(client: Client) -> None:
    partner = OrganisationFactory()
    ConsentFactory(client=client, organisations=[partner], categories=["identity"])
    coach = _member(partner, Role.EMPLOYMENT_SPECIALIST, client)
    assert assessment_start(actor=coach, client=client).recorded_by == partner


# --- entry_save --------------------------------------------------------------------------------


def test_an_entry_takes_its_domains_category_and_records_who_and_which_organisation(
    coordinator: Membership, client: Client
) -> None:
    assessment = assessment_start(actor=coordinator, client=client)
    social_worker = _member(coordinator.organisation, Role.SOCIAL_WORKER, client)
    entry = entry_save(
        actor=social_worker,
        assessment=assessment,
        domain="housing",
        need=3,
        strengths="  Keeps in touch with the landlord. ",
        barriers="Rent arrears",
        notes="",
    )
    entry.refresh_from_db()
    assert (entry.domain, entry.category, entry.need) == ("housing", "social", 3)
    assert entry.strengths == "Keeps in touch with the landlord."
    assert entry.client == client
    assert entry.created_by == social_worker
    assert entry.recorded_by == social_worker.organisation
    assert LogEntry.objects.get_for_object(entry).get().actor == social_worker.user


def test_a_colleague_of_the_same_organisation_corrects_the_entry(
    coordinator: Membership, client: Client
) -> None:
    assessment = assessment_start(actor=coordinator, client=client)
    first = entry_save(actor=coordinator, assessment=assessment, domain="work", need=1)
    colleague = _member(coordinator.organisation, Role.EMPLOYMENT_SPECIALIST, client)
    second = entry_save(
        actor=colleague, assessment=assessment, domain="work", need=2, notes="Wants to try"
    )
    assert second.pk == first.pk
    assert DomainEntry.objects.filter(assessment=assessment).count() == 1
    second.refresh_from_db()
    assert (second.need, second.notes) == (2, "Wants to try")
    assert second.created_by == coordinator  # the author stays; the change audit has the rest


def test_an_entry_recorded_by_another_organisation_cannot_be_overwritten(
    coordinator: Membership, client: Client
) -> None:
    health = OrganisationFactory()
    ConsentFactory(client=client, organisations=[health], categories=["identity", "employment"])
    nurse = _member(health, Role.HEALTH_PROFESSIONAL, client)
    assessment = assessment_start(actor=coordinator, client=client)
    entry_save(actor=nurse, assessment=assessment, domain="mental_health", need=2)
    before = _snapshot()
    with pytest.raises(ValidationError) as raised:
        entry_save(actor=coordinator, assessment=assessment, domain="mental_health", need=0)
    assert [e.code for e in raised.value.error_dict["domain"]] == [
        "recorded_by_another_organisation"
    ]
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("role", "domain"),
    [
        (Role.SOCIAL_WORKER, "physical_health"),
        (Role.SOCIAL_WORKER, "substance_use"),
        (Role.HEALTH_PROFESSIONAL, "housing"),
        (Role.HEALTH_PROFESSIONAL, "finances"),
        (Role.EMPLOYMENT_SPECIALIST, "mental_health"),
        (Role.BENEFITS_COUNSELLOR, "education"),
    ],
)
def test_a_professional_writes_only_the_domains_their_role_may_read(
    coordinator: Membership, client: Client, role: str, domain: str
) -> None:
    assessment = assessment_start(actor=coordinator, client=client)
    actor = _member(coordinator.organisation, role, client)
    with pytest.raises(PermissionDenied):
        entry_save(actor=actor, assessment=assessment, domain=domain, need=1)
    assert DomainEntry.objects.count() == 0


def test_the_writable_domains_follow_the_role(coordinator: Membership, client: Client) -> None:
    org = coordinator.organisation
    assert domains_writable_by(_member(org, Role.HEALTH_PROFESSIONAL, client), client) == [
        "work",
        "physical_health",
        "mental_health",
        "substance_use",
    ]
    assert domains_writable_by(_member(org, Role.BENEFITS_COUNSELLOR, client), client) == [
        "work",
        "finances",
    ]
    assert len(domains_writable_by(coordinator, client)) == 11
    # Not on the team: nothing at all.
    assert (
        domains_writable_by(MembershipFactory(organisation=org, role=Role.SOCIAL_WORKER), client)
        == []
    )


def test_someone_who_cannot_read_the_round_cannot_add_to_it(client: Client) -> None:
    partner = OrganisationFactory()
    # Identity only: the partner's nurse is on the team but may not read the round itself.
    ConsentFactory(client=client, organisations=[partner], categories=["identity"])
    nurse = _member(partner, Role.HEALTH_PROFESSIONAL, client)
    coordinator = MembershipFactory(organisation=client.recorded_by, role=Role.COORDINATOR)
    assessment = assessment_start(actor=coordinator, client=client)
    with pytest.raises(PermissionDenied):
        entry_save(actor=nurse, assessment=assessment, domain="physical_health", need=1)
    assert DomainEntry.objects.count() == 0


def test_a_completed_round_is_frozen(coordinator: Membership, client: Client) -> None:
    assessment = assessment_start(actor=coordinator, client=client)
    entry_save(actor=coordinator, assessment=assessment, domain="work", need=1)
    assessment_complete(actor=coordinator, assessment=assessment)
    before = _snapshot()
    for domain in ("work", "housing"):
        with pytest.raises(ValidationError) as raised:
            entry_save(actor=coordinator, assessment=assessment, domain=domain, need=3)
        assert raised.value.messages == [
            "This assessment is completed and can no longer be changed."
        ]
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"domain": "astrology", "need": 1}, {"domain"}),
        ({"domain": "work", "need": 4}, {"need"}),
        ({"domain": "work", "need": -1}, {"need"}),
        ({"domain": "work", "need": 1, "notes": "x" * 4001}, {"notes"}),
        ({"domain": "work", "need": 9, "barriers": "x" * 4001}, {"need", "barriers"}),
    ],
)
def test_invalid_entries_are_refused_field_by_field(
    coordinator: Membership, client: Client, values: dict[str, object], errors: set[str]
) -> None:
    assessment = assessment_start(actor=coordinator, client=client)
    with pytest.raises(ValidationError) as raised:
        entry_save(actor=coordinator, assessment=assessment, **values)  # type: ignore[arg-type]
    assert set(raised.value.message_dict) == errors
    assert DomainEntry.objects.count() == 0


# --- assessment_complete -----------------------------------------------------------------------


def test_completing_records_who_and_when(coordinator: Membership, client: Client) -> None:
    assessment = assessment_start(actor=coordinator, client=client)
    entry_save(actor=coordinator, assessment=assessment, domain="work", need=1)
    done = assessment_complete(actor=coordinator, assessment=assessment)
    done.refresh_from_db()
    assert done.status == AssessmentStatus.COMPLETED
    assert done.completed_by == coordinator
    assert done.completed_at is not None


def test_an_empty_round_cannot_be_completed(coordinator: Membership, client: Client) -> None:
    assessment = assessment_start(actor=coordinator, client=client)
    with pytest.raises(ValidationError) as raised:
        assessment_complete(actor=coordinator, assessment=assessment)
    assert raised.value.messages == ["Assess at least one life domain before completing."]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.OPEN


def test_a_completed_round_cannot_be_completed_again(
    coordinator: Membership, client: Client
) -> None:
    assessment = assessment_start(actor=coordinator, client=client)
    entry_save(actor=coordinator, assessment=assessment, domain="work", need=1)
    assessment_complete(actor=coordinator, assessment=assessment)
    completed_at = Assessment.objects.get().completed_at
    with pytest.raises(ValidationError):
        assessment_complete(actor=coordinator, assessment=assessment)
    assert Assessment.objects.get().completed_at == completed_at


def test_a_contributor_of_another_organisation_cannot_complete_the_round(
    coordinator: Membership, client: Client
) -> None:
    """Once the client has a key worker (while there is none, any team member manages the
    plan, as with the care team)."""
    CareTeamMemberFactory(client=client, membership=coordinator, is_key_worker=True)
    health = OrganisationFactory()
    ConsentFactory(client=client, organisations=[health], categories=["identity", "employment"])
    nurse = _member(health, Role.HEALTH_PROFESSIONAL, client)
    assessment = assessment_start(actor=coordinator, client=client)
    entry_save(actor=nurse, assessment=assessment, domain="mental_health", need=1)
    with pytest.raises(PermissionDenied):
        assessment_complete(actor=nurse, assessment=assessment)
    assert Assessment.objects.get().status == AssessmentStatus.OPEN


def test_the_key_worker_of_another_organisation_may_complete_the_round(client: Client) -> None:
    partner = OrganisationFactory()
    ConsentFactory(client=client, organisations=[partner], categories=["identity", "employment"])
    key_worker = MembershipFactory(organisation=partner, role=Role.EMPLOYMENT_SPECIALIST)
    CareTeamMemberFactory(client=client, membership=key_worker, is_key_worker=True)
    coordinator = MembershipFactory(organisation=client.recorded_by, role=Role.COORDINATOR)
    assessment = assessment_start(actor=coordinator, client=client)
    entry_save(actor=key_worker, assessment=assessment, domain="work", need=1)
    assert assessment_complete(actor=key_worker, assessment=assessment).status == "completed"
