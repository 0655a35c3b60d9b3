"""Generated requests against every operation the published schema describes (schemathesis).

Each operation gets up to EXAMPLES requests, valid and invalid, sent with a coordinator's bearer
token. Half of the valid requests are made to name real records (the path id; `client`,
`programme`, ... in the body) and dates the rules accept, so detail, update and action
endpoints are exercised beyond their 404 and 400. Every response must have a documented status,
media type and body, and no input may cause a server error.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from polku.clients.models import Client, Episode, Municipality
from polku.core import services as core_services
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership, Organisation
from polku.core.roles import Role
from polku.plans.domains import LifeDomain
from polku.plans.models import (
    Action,
    Assessment,
    DomainEntry,
    Encounter,
    EncounterKind,
    Goal,
    Location,
    Notification,
    NotificationKind,
    Plan,
    PlanReview,
    Referral,
    Service,
    ServiceKind,
)
from tests import factories
from tests.api.worlds import (
    comparison,
    employers,
    esf,
    evaluation_outcomes,
    fidelity,
    ips,
    outcomes,
    savings,
    survival,
)

# Each app's part of the world and of the operation list lives in tests/api/worlds/.
APP_WORLDS = (
    employers,
    ips,
    fidelity,
    outcomes,
    savings,
    comparison,
    evaluation_outcomes,
    survival,
    esf,
)

# Loaded at import, before pytest-django opens the test database: the schema endpoint is public
# and reads nothing from the database (API throttling counts in a process-local cache).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())

# Every request carries the world's token (below); generating Authorization headers too would
# only produce requests whose generated header the token then replaces.
schema.config.generation.update(with_security_parameters=False)

pytestmark = pytest.mark.django_db

# Requests per operation: enough to stay quick in every run; raise it for a deeper search.
EXAMPLES = int(os.environ.get("POLKU_SCHEMA_EXAMPLES", "30"))

C = DataCategory


@pytest.fixture(autouse=True)
def _schemathesis_hosts(settings: Any) -> None:
    """schemathesis sends `Host: localhost`."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]


@pytest.fixture(autouse=True)
def _keep_the_test_transaction() -> Iterator[None]:
    """Django closes a connection found inside a transaction when a request ends. The test
    client avoids that by unhooking the signal, as this does for schemathesis's WSGI calls;
    otherwise PostgreSQL loses the test's transaction after the first request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@dataclass
class World:
    """The records generated requests may name, by path and by body field."""

    headers: dict[str, str]
    path_ids: dict[str, list[Any]] = field(default_factory=dict)
    body_values: dict[str, list[Any]] = field(default_factory=dict)

    def ids_for(self, path: str) -> list[Any]:
        resource = path.removeprefix("/api/v1/").split("/", 1)[0]
        return self.path_ids.get(resource, [])


@pytest.fixture
def world() -> World:
    """Two organisations sharing clients by consent; the token acts as A's coordinator."""
    # A code of its own: the real municipalities are reference data seeded by a migration.
    municipality = Municipality.objects.create(code="T01", name="Testby")
    org_a, org_b = factories.OrganisationFactory(), factories.OrganisationFactory()
    coordinator = factories.MembershipFactory(organisation=org_a, role=Role.COORDINATOR)
    specialist = factories.MembershipFactory(organisation=org_a, role=Role.EMPLOYMENT_SPECIALIST)
    partner = factories.MembershipFactory(organisation=org_b, role=Role.EMPLOYMENT_SPECIALIST)
    programme = factories.ProgrammeFactory(organisation=org_a)
    with_code = factories.ClientFactory(recorded_by=org_a, municipality=municipality)
    with_code.set_identity_code("fi_hetu", "131052-308T")
    with_code.date_of_birth = dt.date(1952, 10, 13)
    with_code.save()
    without_code = factories.ClientFactory(recorded_by=org_a)
    from_b = factories.ClientFactory(recorded_by=org_b)
    open_episode = factories.EpisodeFactory(client=with_code, programme=programme)
    ended_episode = factories.EpisodeFactory(
        client=without_code,
        programme=programme,
        end_date=timezone.localdate(),
        end_reason="employed",
    )
    shared_with_b = factories.ConsentFactory(
        client=with_code, organisations=[org_b], categories=[C.IDENTITY, C.EMPLOYMENT]
    )
    shared_with_a = factories.ConsentFactory(
        client=from_b, organisations=[org_a], categories=[C.IDENTITY]
    )
    key_worker = factories.CareTeamMemberFactory(
        client=with_code, membership=specialist, is_key_worker=True
    )
    member = factories.CareTeamMemberFactory(client=without_code, membership=specialist)
    plans = _plans_world(org_a, org_b, coordinator, with_code, open_episode)
    base = {
        "org_a": org_a,
        "org_b": org_b,
        "coordinator": coordinator,
        "specialist": specialist,
        "partner": partner,
        "programme": programme,
        "client": with_code,
        "episode": open_episode,
    }
    app_paths: dict[str, list[Any]] = {}
    app_bodies: dict[str, list[Any]] = {}
    for app_world in APP_WORLDS:
        paths, bodies = app_world.build(base)
        app_paths |= paths
        for name, values in bodies.items():
            app_bodies.setdefault(name, []).extend(values)
    factories.enable_totp(coordinator.user)  # coordinators use two factors
    _token, key = core_services.api_token_create(actor=coordinator, name="schemathesis")
    clients = [str(c.pk) for c in (with_code, without_code, from_b)]
    today = str(timezone.localdate())
    organisations = [org_a.pk, org_b.pk]
    the_world = World(
        headers={"Authorization": f"Bearer {key}"},
        path_ids={
            "clients": clients,
            "episodes": [str(open_episode.pk), str(ended_episode.pk)],
            "consents": [str(shared_with_b.pk), str(shared_with_a.pk)],
            "care-team-members": [key_worker.pk, member.pk],
            "organisations": organisations,
            "programmes": [programme.pk],
            **plans.path_ids,
            **app_paths,
        },
        body_values={
            "client": clients,
            "programme": [programme.pk],
            "organisation": organisations,
            "organisations": [[org_b.pk], organisations],
            "membership": [specialist.pk, partner.pk, coordinator.pk],
            "municipality": [municipality.code],
            # Dates and codes the rules accept, so that creating and ending succeed now and
            # then instead of always stopping at validation.
            "identity_code": [""],
            "date_of_birth": ["1980-05-17"],
            "start_date": [today],
            "end_date": [today],
            "valid_from": [today],
            "valid_until": [None],
            **plans.body_values,
        },
    )
    # An app may add values for a field another part also fills: the lists are joined.
    for name, values in app_bodies.items():
        the_world.body_values[name] = [*the_world.body_values.get(name, []), *values]
    return the_world


def _plans_world(
    org_a: Organisation,
    org_b: Organisation,
    coordinator: Membership,
    client: Client,
    episode: Episode,
) -> World:
    """A record of every plans resource about `client`, recorded by A's coordinator, and a
    service of B that a referral consent lets A refer the client to."""
    today = timezone.localdate()
    common = {"client": client, "recorded_by": org_a, "created_by": coordinator}
    assessment = Assessment.objects.create(**common, episode=episode, version=1, assessed_on=today)
    entry = DomainEntry.objects.create(
        **common, assessment=assessment, domain=LifeDomain.WORK, category=C.EMPLOYMENT, need=2
    )
    plan = Plan.objects.create(**common, episode=episode)
    goal = Goal.objects.create(
        **common,
        plan=plan,
        domain=LifeDomain.WORK,
        category=C.EMPLOYMENT,
        client_words="Töihin",
        target="A job",
    )
    action = Action.objects.create(
        **common,
        goal=goal,
        category=C.EMPLOYMENT,
        title="CV",
        responsible_organisation=org_a,
        responsible=coordinator,
    )
    review = PlanReview.objects.create(**common, plan=plan, due_on=today)
    service = Service.objects.create(
        organisation=org_b,
        name="Debt counselling",
        kind=ServiceKind.DEBT_COUNSELLING,
        referral_categories=[C.BENEFITS],
    )
    location = Location.objects.create(organisation=org_b, name="Office")
    factories.ConsentFactory(
        client=client,
        organisations=[org_b],
        categories=[C.IDENTITY, C.CONTACT, C.BENEFITS],
        purpose=Purpose.REFERRAL,
    )
    referral = Referral.objects.create(
        **common,
        service=service,
        receiving_organisation=org_b,
        category=C.BENEFITS,
        carried_categories=[C.IDENTITY, C.CONTACT, C.BENEFITS],
        message="Debts",
        expected_response_days=14,
        sent_at=timezone.now(),
    )
    encounter = Encounter.objects.create(
        **common, kind=EncounterKind.MEETING, started_at=timezone.now(), duration_minutes=30
    )
    notification = Notification.objects.create(
        recipient=coordinator, kind=NotificationKind.ACTION_DUE, action=action
    )
    return World(
        headers={},
        path_ids={
            "assessments": [str(assessment.pk)],
            "assessment-entries": [str(entry.pk)],
            "plans": [str(plan.pk)],
            "goals": [str(goal.pk)],
            "actions": [str(action.pk)],
            "plan-reviews": [review.pk],
            "services": [service.pk],
            "locations": [location.pk],
            "referrals": [str(referral.pk)],
            "encounters": [str(encounter.pk)],
            "notifications": [notification.pk],
        },
        body_values={
            "episode": [str(episode.pk)],
            "assessment": [str(assessment.pk)],
            "plan": [str(plan.pk)],
            "goal": [str(goal.pk)],
            "service": [service.pk],
            "responsible_organisation": [org_a.pk],
            "responsible": [coordinator.pk],
            "target_date": [str(today)],
            "due_date": [str(today)],
            "due_on": [str(today)],
            "assessed_on": [str(today)],
            "agreed_on": [str(today)],
        },
    )


def body_fields(case: schemathesis.Case[Any]) -> set[str]:
    """The fields the operation's JSON request body documents."""
    operation = schema.raw_schema["paths"][case.path][case.method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    component = schema.raw_schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return set(component.get("properties", {}))


def point_at_real_records(case: schemathesis.Case[Any], data: st.DataObject, world: World) -> None:
    """Make half of the valid requests name real records and acceptable dates.

    Invalid (negative) requests are left alone: replacing their invalid part with a valid one
    would make the server right to accept them.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    real: bool = data.draw(st.booleans())
    if not real:
        return
    ids = world.ids_for(case.path)
    if case.path_parameters and "id" in case.path_parameters and ids:
        case.path_parameters["id"] = data.draw(st.sampled_from(ids))
    if isinstance(case.body, dict):
        for name in sorted(body_fields(case) & set(world.body_values)):
            case.body[name] = data.draw(st.sampled_from(world.body_values[name]))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    # The world is built once per operation and shared by its examples, on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@schema.given(data=st.data())
@schema.parametrize()
def test_every_operation_answers_within_its_documented_contract(
    case: schemathesis.Case[Any], data: st.DataObject, world: World
) -> None:
    point_at_real_records(case, data, world)
    case.call_and_validate(
        headers=world.headers,
        # A request can match the schema and still be refused with a 400: it names a record
        # that does not exist, or breaks a rule no schema can state (a date of birth that differs
        # from the identity code's, a second open episode in a programme).
        excluded_checks=[positive_data_acceptance],
    )


def test_the_schema_documents_every_operation_of_the_api() -> None:
    operations = {
        f"{method.upper()} {path}"
        for path, item in schema.raw_schema["paths"].items()
        for method in item
    }
    app_operations = set().union(*(app_world.OPERATIONS for app_world in APP_WORLDS))
    assert operations == app_operations | {
        "GET /api/v1/clients/",
        "POST /api/v1/clients/",
        "POST /api/v1/clients/search/",
        "GET /api/v1/clients/{id}/",
        "PATCH /api/v1/clients/{id}/",
        "GET /api/v1/episodes/",
        "POST /api/v1/episodes/",
        "GET /api/v1/episodes/{id}/",
        "POST /api/v1/episodes/{id}/end/",
        "GET /api/v1/consents/",
        "POST /api/v1/consents/",
        "GET /api/v1/consents/{id}/",
        "POST /api/v1/consents/{id}/withdraw/",
        "GET /api/v1/care-team-members/",
        "POST /api/v1/care-team-members/",
        "GET /api/v1/care-team-members/{id}/",
        "DELETE /api/v1/care-team-members/{id}/",
        "POST /api/v1/care-team-members/{id}/make-key-worker/",
        "GET /api/v1/organisations/",
        "GET /api/v1/organisations/{id}/",
        "GET /api/v1/programmes/",
        "GET /api/v1/programmes/{id}/",
        "GET /api/v1/actions/",
        "POST /api/v1/actions/",
        "GET /api/v1/actions/{id}/",
        "PATCH /api/v1/actions/{id}/",
        "GET /api/v1/assessment-entries/",
        "POST /api/v1/assessment-entries/",
        "GET /api/v1/assessment-entries/{id}/",
        "PATCH /api/v1/assessment-entries/{id}/",
        "GET /api/v1/assessments/",
        "POST /api/v1/assessments/",
        "GET /api/v1/assessments/{id}/",
        "POST /api/v1/assessments/{id}/complete/",
        "GET /api/v1/catalogue/hsds/",
        "GET /api/v1/encounters/",
        "POST /api/v1/encounters/",
        "GET /api/v1/encounters/{id}/",
        "PATCH /api/v1/encounters/{id}/",
        "GET /api/v1/goals/",
        "POST /api/v1/goals/",
        "GET /api/v1/goals/{id}/",
        "PATCH /api/v1/goals/{id}/",
        "GET /api/v1/locations/",
        "GET /api/v1/locations/{id}/",
        "GET /api/v1/notifications/",
        "POST /api/v1/notifications/{id}/mark-read/",
        "GET /api/v1/plan-reviews/",
        "POST /api/v1/plan-reviews/",
        "GET /api/v1/plan-reviews/{id}/",
        "POST /api/v1/plan-reviews/{id}/hold/",
        "GET /api/v1/plans/",
        "POST /api/v1/plans/",
        "GET /api/v1/plans/{id}/",
        "POST /api/v1/plans/{id}/agree/",
        "POST /api/v1/plans/{id}/close/",
        "GET /api/v1/plans/{id}/revisions/",
        "GET /api/v1/referral-report/",
        "GET /api/v1/referrals/",
        "POST /api/v1/referrals/",
        "GET /api/v1/referrals/{id}/",
        "POST /api/v1/referrals/{id}/transition/",
        "GET /api/v1/services/",
        "GET /api/v1/services/{id}/",
        "GET /api/v1/timeline/",
    }
