"""The client timeline's selector: every source merged newest first, scoped row by row by the
access policy, filtered by type and organisation, paged at the database, and logged once.

The records are made with `Model.objects.create` (`History` below), not through the services of
the assessment, plan and referral areas: the timeline only reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polku.clients.models import Client, Episode
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessLogEntry, Membership, Organisation
from polku.core.roles import Role
from polku.plans.domains import LifeDomain, category_of
from polku.plans.models import (
    Action,
    Assessment,
    AssessmentStatus,
    DomainEntry,
    Encounter,
    EncounterKind,
    Goal,
    Plan,
    PlanReview,
    PlanRevision,
    Referral,
    Service,
    ServiceKind,
)
from polku.plans.selectors.timeline import (
    MAX_WINDOW,
    PageOutOfRangeError,
    TimelineFilters,
    TimelineItem,
    client_for_timeline,
    log_timeline,
    organisations_on_timeline,
    timeline_page,
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
C = DataCategory


def days_ago(days: float, hour: int = 12) -> dt.datetime:
    moment = timezone.localtime() - dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


@dataclass
class History:
    """Builds a client's records directly, as another organisation's services would have."""

    client: Client
    made: dict[str, Any] = field(default_factory=dict)

    def episode(self, organisation: Organisation, *, start: int, end: int | None = None) -> Episode:
        today = timezone.localdate()
        return EpisodeFactory(
            client=self.client,
            organisation=organisation,
            recorded_by=organisation,
            start_date=today - dt.timedelta(days=start),
            end_date=None if end is None else today - dt.timedelta(days=end),
            end_reason="" if end is None else "employed",
        )

    def assessment(self, organisation: Organisation, *, days: int, version: int = 1) -> Assessment:
        return Assessment.objects.create(
            client=self.client,
            version=version,
            assessed_on=timezone.localdate() - dt.timedelta(days=days),
            status=AssessmentStatus.COMPLETED,
            recorded_by=organisation,
        )

    def entry(
        self, assessment: Assessment, organisation: Organisation, domain: str, *, days: float
    ) -> DomainEntry:
        return DomainEntry.objects.create(
            assessment=assessment,
            client=self.client,
            domain=domain,
            category=category_of(domain),
            need=2,
            recorded_by=organisation,
            created_at=days_ago(days),
        )

    def plan(self, organisation: Organisation) -> Plan:
        episode = EpisodeFactory(client=self.client, recorded_by=organisation)
        return Plan.objects.create(client=self.client, episode=episode, recorded_by=organisation)

    def revision(self, plan: Plan, by: Membership, *, number: int, days: float) -> PlanRevision:
        revision = PlanRevision.objects.create(
            plan=plan,
            client=self.client,
            number=number,
            snapshot={},
            change="agreed",
            changed_by=by,
            recorded_by=by.organisation,
        )
        # created_at is auto_now_add: set the moment afterwards.
        PlanRevision.objects.filter(pk=revision.pk).update(created_at=days_ago(days))
        revision.refresh_from_db()
        return revision

    def review(self, plan: Plan, organisation: Organisation, *, days: int) -> PlanReview:
        held = timezone.localdate() - dt.timedelta(days=days)
        return PlanReview.objects.create(
            plan=plan, client=self.client, due_on=held, held_on=held, recorded_by=organisation
        )

    def action(
        self,
        plan: Plan,
        organisation: Organisation,
        domain: str,
        *,
        days: float,
        done: int | None = None,
    ) -> Action:
        goal = Goal.objects.create(
            plan=plan,
            client=self.client,
            domain=domain,
            category=category_of(domain),
            client_words="I want to feel better.",
            target="Sleeps through the night",
            recorded_by=organisation,
        )
        return Action.objects.create(
            goal=goal,
            client=self.client,
            category=goal.category,
            title="See a doctor" if goal.category == C.HEALTH else "Write a CV",
            responsible_organisation=organisation,
            recorded_by=organisation,
            created_at=days_ago(days),
            completed_on=None if done is None else timezone.localdate() - dt.timedelta(days=done),
        )

    def referral(
        self,
        sender: Organisation,
        receiver: Organisation,
        category: str,
        *,
        days: float,
    ) -> Referral:
        service = Service.objects.create(
            organisation=receiver,
            name="Mental health outpatient clinic" if category == C.HEALTH else "Job club",
            kind=ServiceKind.MENTAL_HEALTH if category == C.HEALTH else ServiceKind.JOB_COACHING,
            referral_categories=[category],
        )
        return Referral.objects.create(
            client=self.client,
            service=service,
            receiving_organisation=receiver,
            category=category,
            carried_categories=[C.IDENTITY, C.CONTACT, category],
            message="Please see the client.",
            expected_response_days=14,
            sent_at=days_ago(days),
            recorded_by=sender,
        )

    def encounter(
        self,
        organisation: Organisation,
        category: str = C.EMPLOYMENT,
        *,
        days: float,
        kind: str = EncounterKind.MEETING,
    ) -> Encounter:
        return Encounter.objects.create(
            client=self.client,
            kind=kind,
            category=category,
            started_at=days_ago(days),
            duration_minutes=30,
            notes="Private notes",
            recorded_by=organisation,
        )


@dataclass
class World:
    city: Organisation
    clinic: Organisation
    coordinator: Membership
    coach: Membership
    nurse: Membership
    client: Client
    history: History


def make_world() -> World:
    """A client of the city who shares employment and health data with the clinic, and the
    clinic's health records back with the city, by consent."""
    city, clinic = OrganisationFactory(name="City"), OrganisationFactory(name="Clinic")
    client = ClientFactory(recorded_by=city)
    coordinator = MembershipFactory(organisation=city, role=Role.COORDINATOR)
    coach = MembershipFactory(organisation=city, role=Role.EMPLOYMENT_SPECIALIST)
    CareTeamMemberFactory(client=client, membership=coach, is_key_worker=True)
    ConsentFactory(
        client=client, organisations=[clinic], categories=[C.IDENTITY, C.EMPLOYMENT, C.HEALTH]
    )
    ConsentFactory(client=client, organisations=[city], categories=[C.HEALTH])
    nurse = MembershipFactory(organisation=clinic, role=Role.HEALTH_PROFESSIONAL)
    CareTeamMemberFactory(client=client, membership=nurse)
    return World(city, clinic, coordinator, coach, nurse, client, History(client))


@pytest.fixture
def world() -> World:
    return make_world()


def summary(items: list[TimelineItem]) -> list[tuple[str, str, str]]:
    return [(item.type, item.event, item.category) for item in items]


def full_history(world: World) -> dict[str, Any]:
    """One record of every kind, a day apart, newest first: the encounters."""
    h, city, clinic = world.history, world.city, world.clinic
    plan = h.plan(city)
    assessment = h.assessment(city, days=20)
    return {
        "episode": h.episode(city, start=30, end=1),
        "assessment": assessment,
        "work_entry": h.entry(assessment, city, LifeDomain.WORK, days=19),
        "health_entry": h.entry(assessment, clinic, LifeDomain.MENTAL_HEALTH, days=18),
        "revision": h.revision(plan, world.coach, number=1, days=17),
        "review": h.review(plan, city, days=16),
        "work_action": h.action(plan, city, LifeDomain.WORK, days=15, done=5),
        "health_action": h.action(plan, clinic, LifeDomain.PHYSICAL_HEALTH, days=14),
        "referral": h.referral(city, clinic, C.HEALTH, days=13),
        "health_encounter": h.encounter(clinic, C.HEALTH, days=0.5),
        "work_encounter": h.encounter(city, days=3),
    }


def test_merges_every_source_newest_first(world: World) -> None:
    full_history(world)
    page = timeline_page(world.coordinator, world.client)
    assert summary(page.items) == [
        ("encounter", "held", C.HEALTH),
        ("episode", "ended", C.EMPLOYMENT),
        ("encounter", "held", C.EMPLOYMENT),
        ("action", "done", C.EMPLOYMENT),
        ("referral", "sent", C.HEALTH),
        ("action", "planned", C.HEALTH),
        ("action", "planned", C.EMPLOYMENT),
        ("plan", "review", C.EMPLOYMENT),
        ("plan", "revision", C.EMPLOYMENT),
        ("assessment", "entry", C.HEALTH),
        ("assessment", "entry", C.EMPLOYMENT),
        ("assessment", "round", C.EMPLOYMENT),
        ("episode", "started", C.EMPLOYMENT),
        # The plan's own episode, started sixty days ago by the factory.
        ("episode", "started", C.EMPLOYMENT),
    ]
    assert page.has_next is False
    assert page.has_previous is False


def test_titles_are_built_from_codes_in_the_readers_language(world: World) -> None:
    made = full_history(world)
    items: dict[tuple[str, str], TimelineItem] = {}
    for item in timeline_page(world.coordinator, world.client).items:
        items.setdefault((item.type, item.event), item)  # the newest of each
    assert items[("encounter", "held")].title == "Meeting: Attended, 30 min"
    assert items[("referral", "sent")].title == (
        "Referral to Mental health outpatient clinic, Clinic (Sent)"
    )
    assert items[("action", "done")].title == "Action done: Write a CV"
    assert items[("plan", "revision")].title == "Plan revision 1"
    assert items[("assessment", "round")].title == "Assessment round 1 (Completed)"
    programme = made["episode"].programme.name
    assert items[("episode", "ended")].title == (
        f"Ended in {programme}: Employed in the open labour market"
    )
    assert items[("encounter", "held")].organisation_name == "Clinic"
    assert items[("referral", "sent")].link == f"/clients/{world.client.pk}/referrals/"
    encounter = made["health_encounter"]
    assert items[("encounter", "held")].link == (
        f"/clients/{world.client.pk}/encounters/#encounter-{encounter.pk}"
    )


def test_a_role_without_health_sees_no_health_items(world: World) -> None:
    full_history(world)
    items = timeline_page(world.coach, world.client).items
    assert C.HEALTH not in {item.category for item in items}
    assert ("encounter", "held", C.EMPLOYMENT) in summary(items)
    assert len(items) == 10  # the 14 of the coordinator, less the four health items


def test_another_organisation_sees_only_what_the_consent_shares(world: World) -> None:
    full_history(world)
    items = timeline_page(world.nurse, world.client).items
    # The clinic's own health records, the city's employment records (consent), and the health
    # referral sent to it; no benefits or social data (neither shared nor in its role).
    assert {(i.type, i.event, i.category, i.organisation_name) for i in items} >= {
        ("encounter", "held", C.HEALTH, "Clinic"),
        ("referral", "sent", C.HEALTH, "City"),
        ("encounter", "held", C.EMPLOYMENT, "City"),
    }
    assert len(items) == 14


def test_withdrawing_the_consent_hides_the_other_organisations_records_at_once(
    world: World,
) -> None:
    full_history(world)
    world.client.consents.filter(organisations=world.clinic).update(withdrawn_at=timezone.now())
    items = timeline_page(world.nurse, world.client).items
    # Left: what the clinic recorded itself, as a member of the care team.
    assert {i.organisation_name for i in items} == {"Clinic"}
    assert summary(items) == [
        ("encounter", "held", C.HEALTH),
        ("action", "planned", C.HEALTH),
        ("assessment", "entry", C.HEALTH),
    ]


def test_filters_by_type_and_organisation(world: World) -> None:
    full_history(world)
    by_type = timeline_page(
        world.coordinator,
        world.client,
        filters=TimelineFilters(types=frozenset({"encounter", "referral"})),
    )
    assert summary(by_type.items) == [
        ("encounter", "held", C.HEALTH),
        ("encounter", "held", C.EMPLOYMENT),
        ("referral", "sent", C.HEALTH),
    ]
    by_clinic = timeline_page(
        world.coordinator, world.client, filters=TimelineFilters(organisation=world.clinic.pk)
    )
    assert {i.organisation_id for i in by_clinic.items} == {world.clinic.pk}
    assert len(by_clinic.items) == 3
    both = timeline_page(
        world.coordinator,
        world.client,
        filters=TimelineFilters(types=frozenset({"assessment"}), organisation=world.city.pk),
    )
    assert summary(both.items) == [
        ("assessment", "entry", C.EMPLOYMENT),
        ("assessment", "round", C.EMPLOYMENT),
    ]


def test_the_organisation_filter_offers_only_organisations_with_visible_items(
    world: World,
) -> None:
    full_history(world)
    assert list(organisations_on_timeline(world.coordinator, world.client)) == [
        world.city,
        world.clinic,
    ]
    # The coach sees none of the clinic's (health) records, so the clinic is not offered:
    # offering it would tell that the clinic has records about the client.
    assert list(organisations_on_timeline(world.coach, world.client)) == [world.city]


def test_pages_are_cut_at_the_database(world: World) -> None:
    for day in range(30):
        world.history.encounter(world.city, days=day + 1)
    with CaptureQueriesContext(connection) as queries:
        page = timeline_page(world.coordinator, world.client, number=2, page_size=5)
    assert [i.at for i in page.items] == [days_ago(d) for d in (6, 7, 8, 9, 10)]
    assert page.has_next is True
    assert page.has_previous is True
    # Every source asks for no more than the window: two pages of five, and one more to know
    # whether another page follows.
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert all("LIMIT 11" in sql for sql in selects), selects
    # One query per source (ten sources), whatever the number of events.
    assert len(selects) == 10


def test_a_page_past_the_end_is_empty_and_absurd_pages_are_refused(world: World) -> None:
    world.history.encounter(world.city, days=1)
    assert timeline_page(world.coordinator, world.client, number=3).items == []
    for number in (0, MAX_WINDOW):
        with pytest.raises(PageOutOfRangeError):
            timeline_page(world.coordinator, world.client, number=number)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    moments=st.lists(
        st.tuples(st.sampled_from(["encounter", "action", "episode"]), st.integers(0, 6)),
        min_size=0,
        max_size=8,
    ),
    page_size=st.integers(1, 5),
)
def test_pages_put_together_are_the_whole_timeline_in_order(
    world: World, moments: list[tuple[str, int]], page_size: int
) -> None:
    """Paging never loses, repeats or reorders an event, even among events at the same time."""
    Plan.objects.all().delete()  # with its goals and actions
    Encounter.objects.all().delete()
    Episode.objects.filter(client=world.client).delete()
    plan = None
    for kind, day in moments:
        if kind == "encounter":
            world.history.encounter(world.city, days=day)
        elif kind == "episode":
            world.history.episode(world.city, start=day)
        else:
            if plan is None:
                plan = world.history.plan(world.city)
            world.history.action(plan, world.city, LifeDomain.WORK, days=day)
    only = TimelineFilters(types=frozenset({"encounter", "action", "episode"}))
    everything = timeline_page(world.coordinator, world.client, filters=only, page_size=50).items
    paged: list[TimelineItem] = []
    number = 1
    while True:
        page = timeline_page(
            world.coordinator, world.client, filters=only, number=number, page_size=page_size
        )
        paged += page.items
        if not page.has_next:
            break
        number += 1
    assert [(i.type, i.event, i.record_id) for i in paged] == [
        (i.type, i.event, i.record_id) for i in everything
    ]
    assert [i.at for i in everything] == sorted((i.at for i in everything), reverse=True)


def test_a_receiving_organisation_reads_its_referrals_with_the_purpose_referral() -> None:
    city, clinic = OrganisationFactory(), OrganisationFactory()
    client = ClientFactory(recorded_by=city)
    ConsentFactory(
        client=client,
        organisations=[clinic],
        categories=[C.IDENTITY, C.CONTACT, C.HEALTH],
        purpose=Purpose.REFERRAL,
    )
    history = History(client)
    referral = history.referral(city, clinic, C.HEALTH, days=2)
    history.encounter(city, days=1)
    nurse = MembershipFactory(organisation=clinic, role=Role.HEALTH_PROFESSIONAL)
    found, purpose = client_for_timeline(nurse, client.pk)
    assert (found, purpose) == (client, Purpose.REFERRAL)
    page = timeline_page(nurse, client, purpose=purpose)
    assert [(i.type, i.record_id, i.purpose) for i in page.items] == [
        ("referral", str(referral.pk), Purpose.REFERRAL)
    ]
    log_timeline(nurse, page)
    assert sorted(
        AccessLogEntry.objects.filter(membership=nurse).values_list("category", "purpose")
    ) == [(C.HEALTH, Purpose.REFERRAL), (C.IDENTITY, Purpose.REFERRAL)]


def test_the_log_records_the_categories_shown_in_one_insert(world: World) -> None:
    full_history(world)
    page = timeline_page(world.coordinator, world.client)
    with CaptureQueriesContext(connection) as queries:
        log_timeline(world.coordinator, page)
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert sorted(
        AccessLogEntry.objects.filter(membership=world.coordinator).values_list(
            "client_id", "category", "purpose", "action"
        )
    ) == [
        (world.client.pk, C.EMPLOYMENT, Purpose.SERVICE, "view"),
        (world.client.pk, C.HEALTH, Purpose.SERVICE, "view"),
        (world.client.pk, C.IDENTITY, Purpose.SERVICE, "view"),
    ]


def test_an_invisible_client_has_no_timeline(world: World) -> None:
    stranger = MembershipFactory(role=Role.COORDINATOR)
    with pytest.raises(Client.DoesNotExist):
        client_for_timeline(stranger, world.client.pk)
