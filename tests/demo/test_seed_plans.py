"""The demo's plans data: deterministic, and within the rules the plans services keep — so that
every page of the demo shows something real without showing anything the policy would hide."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from polku.clients.models import CareTeamMember, Client, Consent, Episode, Programme
from polku.core import access
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership, Organisation, User
from polku.core.roles import Role
from polku.demo import catalogue, generator
from polku.demo.plans import GOALS
from polku.plans.domains import category_of
from polku.plans.models import (
    TRANSITIONS,
    Action,
    ActionStatus,
    Assessment,
    Attendance,
    DomainEntry,
    Encounter,
    EncounterKind,
    Goal,
    Location,
    Notification,
    NotificationKind,
    Plan,
    PlanReview,
    PlanRevision,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Service,
    ServiceAtLocation,
    main_category,
)
from polku.plans.permissions import can_work_on
from tests.demo.test_seed_ips import wipe_ips_and_employers

pytestmark = pytest.mark.django_db
C = DataCategory
S = ReferralStatus
CLIENTS = 150


def _seed(clients: int = CLIENTS, seed: int = 7, today: dt.date | None = None) -> None:
    # The access policy decides with today's date: the demo is anchored on it, too.
    generator.seed(clients=clients, seed=seed, today=today or timezone.localdate())


def _fingerprint() -> dict[str, object]:
    return {
        "entries": sorted(
            DomainEntry.objects.values_list(
                "client__reference",
                "assessment__version",
                "domain",
                "need",
                "created_by__user__username",
            )
        ),
        "goals": sorted(Goal.objects.values_list("client__reference", "domain", "client_words")),
        "actions": sorted(
            Action.objects.values_list("client__reference", "title", "status", "due_date")
        ),
        "referrals": sorted(
            Referral.objects.values_list("client__reference", "service__name", "status", "sent_at")
        ),
        "encounters": sorted(
            Encounter.objects.values_list("client__reference", "started_at", "category")
        ),
        "revisions": sorted(
            PlanRevision.objects.values_list("client__reference", "number", "change")
        ),
        "notifications": Notification.objects.count(),
    }


def _wipe() -> None:
    wipe_ips_and_employers()  # the employer register and IPS work (demo/ips.py)
    for model in [
        Notification,
        ReferralEvent,
        Referral,
        Encounter,
        PlanRevision,
        PlanReview,
        Action,
        Goal,
        Plan,
        DomainEntry,
        Assessment,
        ServiceAtLocation,
        Service,
        Location,
        CareTeamMember,
        Consent,
        Episode,
        Client,
        Membership,
        User,
        Programme,
        Organisation,
    ]:
        model.objects.all().delete()  # type: ignore[attr-defined]


def test_the_same_seed_gives_the_same_plans_and_another_seed_does_not() -> None:
    today = dt.date(2026, 11, 27)
    _seed(clients=60, seed=11, today=today)
    first = _fingerprint()
    _wipe()
    _seed(clients=60, seed=11, today=today)
    assert _fingerprint() == first
    _wipe()
    _seed(clients=60, seed=12, today=today)
    assert _fingerprint()["referrals"] != first["referrals"]


def test_the_command_counts_the_plans_rows() -> None:
    out = StringIO()
    call_command("seed_demo", clients=30, seed=3, stdout=out)
    summary = out.getvalue()
    assert (
        f"and 16 services, {Consent.objects.filter(purpose=Purpose.REFERRAL).count()} " in summary
    )
    assert f"{Plan.objects.count()} plans ({Goal.objects.count()} goals" in summary
    assert (
        f"{Referral.objects.count()} referrals ({ReferralEvent.objects.count()} events)" in summary
    )
    assert f"{Encounter.objects.count()} encounters" in summary


def test_the_catalogue_has_helsinki_services_of_every_demo_organisation_in_three_languages() -> (
    None
):
    _seed(clients=0)
    services = list(Service.objects.select_related("organisation"))
    assert len(services) == len(catalogue.SERVICES) == 16
    assert {s.organisation.name_en for s in services} == set(
        Organisation.objects.values_list("name_en", flat=True)
    )
    texts = [
        f"{name}_{language}"
        for name in ("name", "description", "eligibility")
        for language in ("fi", "sv", "en")
    ]
    for row in Service.objects.values_list(*texts):
        assert all(row), row
    for service in services:
        assert service.referral_categories, service.name
        assert set(service.referral_categories) <= set(C.values)
        assert 1 <= service.expected_response_days <= 30
        assert service.at_locations.exists(), service.name
    carried = dict(Service.objects.values_list("name_en", "referral_categories"))
    assert carried["Financial and debt counselling"] == [C.BENEFITS]
    assert carried["Substance-use outpatient clinic"] == [C.HEALTH]
    assert carried["Mental health nurse"] == [C.HEALTH]
    assert carried["Housing advice"] == [C.SOCIAL]
    assert carried["IPS job coaching"] == [C.EMPLOYMENT, C.EDUCATION]
    employment = Organisation.objects.get(name_en="Helsinki Employment Services")
    assert set(
        Service.objects.filter(organisation=employment).values_list("name_en", flat=True)
    ) == {
        "Work trial",
        "Pay subsidy",
    }
    for location in Location.objects.filter(is_virtual=False):
        assert location.city == "Helsinki"
        assert location.postal_code.startswith("00")
        assert len(location.postal_code) == 5
        assert location.latitude is not None
        assert location.longitude is not None
        assert Decimal("60.10") < location.latitude < Decimal("60.30"), location.name
        assert Decimal("24.80") < location.longitude < Decimal("25.20"), location.name


def test_every_referral_is_covered_by_a_referral_consent_for_what_it_carries() -> None:
    _seed()
    referrals = list(Referral.objects.select_related("service", "client", "created_by"))
    assert len(referrals) >= 40
    for referral in referrals:
        carried = referral.carried_categories
        assert carried == [
            c
            for c in C.values
            if c in {C.IDENTITY, C.CONTACT, *referral.service.referral_categories}
        ]
        assert referral.category == main_category(carried)
        assert referral.receiving_organisation_id == referral.service.organisation_id
        # Sent by the registering organisation, to another one, by someone who may read it all.
        sender = referral.created_by
        assert sender is not None
        assert referral.recorded_by_id == sender.organisation_id == referral.client.recorded_by_id
        assert sender.organisation_id != referral.receiving_organisation_id
        assert all(access.role_permits(sender, c) for c in carried)
        for category in carried:
            covering = Consent.objects.filter(
                client=referral.client_id,
                purpose=Purpose.REFERRAL,
                organisations=referral.receiving_organisation_id,
                scopes__category=category,
                valid_from__lte=referral.sent_at.date(),
            ).valid_on(timezone.localdate())
            assert covering.exists(), (referral.pk, category)


def test_most_clients_consent_to_referrals_and_some_do_not() -> None:
    _seed()
    consenting = set(
        Consent.objects.filter(purpose=Purpose.REFERRAL).values_list("client", flat=True)
    )
    assert len(consenting) > CLIENTS / 2
    open_clients = set(
        Episode.objects.filter(end_date__isnull=True).values_list("client", flat=True)
    )
    without = open_clients - consenting
    assert len(without) >= 5  # "missing consent" can be shown
    assert not Referral.objects.filter(client__in=without).exists()


def test_assessment_entries_are_written_by_roles_that_may_write_their_category() -> None:
    _seed()
    entries = list(DomainEntry.objects.select_related("created_by", "assessment", "client"))
    assert len(entries) >= 300
    checked: set[tuple[int, object]] = set()
    today_open = set(Episode.objects.filter(end_date__isnull=True).values_list("client", flat=True))
    for entry in entries:
        author = entry.created_by
        assert author is not None
        assert entry.category == category_of(entry.domain)
        assert access.role_permits(author, entry.category), (author.role, entry.domain)
        assert entry.recorded_by_id == author.organisation_id
        assert entry.assessment.recorded_by_id == entry.client.recorded_by_id
        key = (author.pk, entry.client_id)
        if entry.client_id in today_open and key not in checked:
            checked.add(key)
            # The author works on the client and reads the round they contribute to.
            assert can_work_on(author, entry.client)
            assert access.can_read(
                author,
                entry.client,
                category=C.EMPLOYMENT,
                purpose=Purpose.SERVICE,
                recorded_by_id=entry.assessment.recorded_by_id,
            )
    roles = Counter(e.created_by.role for e in entries if e.created_by)
    assert roles[Role.EMPLOYMENT_SPECIALIST]
    assert roles[Role.BENEFITS_COUNSELLOR]
    assert roles[Role.SOCIAL_WORKER]
    assert roles[Role.COORDINATOR]


def test_a_second_assessment_differs_from_the_first() -> None:
    _seed()
    needs: dict[tuple[object, int], dict[str, int]] = defaultdict(dict)
    for client_id, version, domain, need in DomainEntry.objects.values_list(
        "client", "assessment__version", "domain", "need"
    ):
        needs[(client_id, version)][domain] = need
    seconds = [client for client, version in needs if version == 2]
    assert len(seconds) >= 10
    for client in seconds:
        assert needs[(client, 2)] != needs[(client, 1)], client
    assert not Assessment.objects.filter(version__gt=2).exists()


def test_most_clients_with_an_open_episode_have_a_plan_with_two_to_four_goals() -> None:
    _seed()
    assessed_open = set(
        Assessment.objects.filter(episode__end_date__isnull=True).values_list("client", flat=True)
    )
    planned = set(Plan.objects.values_list("client", flat=True))
    assert planned <= assessed_open
    assert len(planned) >= 0.75 * len(assessed_open)
    assert not Plan.objects.filter(episode__end_date__isnull=False).exists()
    goal_counts = Plan.objects.annotate(n=Count("goals")).values_list("n", flat=True)
    assert set(goal_counts) <= {2, 3, 4}
    words = {
        lang: {getattr(t.words, lang) for ts in GOALS.values() for t in ts}
        for lang in ["fi", "sv", "en"]
    }
    for goal in Goal.objects.select_related("client", "plan__created_by"):
        language = {"fi": "fi", "sv": "sv"}.get(goal.client.preferred_language, "en")
        assert goal.client_words in words[language], goal.pk
        assert goal.target
        assert goal.category == category_of(goal.domain)
        assert goal.plan.created_by is not None
        assert access.role_permits(goal.plan.created_by, goal.category)


def test_actions_are_owned_on_the_team_and_some_are_done_due_soon_or_overdue() -> None:
    _seed()
    today = timezone.localdate()
    actions = list(Action.objects.select_related("responsible", "goal"))
    for action in actions:
        assert action.category == action.goal.category
        if action.responsible is not None:
            assert action.responsible_organisation_id == action.responsible.organisation_id
        if action.status == ActionStatus.DONE:
            assert action.completed_on is not None
            assert action.completed_on <= today
    unfinished = [a for a in actions if a.status not in {ActionStatus.DONE, ActionStatus.CANCELLED}]
    assert sum(1 for a in actions if a.status == ActionStatus.DONE) >= 20
    assert sum(1 for a in unfinished if a.due_date and a.due_date < today) >= 10
    soon = [a for a in unfinished if a.due_date and today <= a.due_date <= today + dt.timedelta(7)]
    assert len(soon) >= 10
    on_team = set(
        CareTeamMember.objects.filter(removed_at__isnull=True).values_list("client", "membership")
    )
    elsewhere = [a for a in actions if a.responsible_organisation_id != a.goal.recorded_by_id]
    assert elsewhere  # steps of other organisations too (referrals, Kela, health)
    team_owned = [
        a for a in actions if a.responsible_id and (a.client_id, a.responsible_id) in on_team
    ]
    assert len(team_owned) >= len(actions) / 3


def test_the_latest_revision_of_each_plan_is_the_plan_as_it_stands() -> None:
    _seed()
    plans = Plan.objects.prefetch_related("goals", "reviews", "revisions", "participants")
    assert plans.exists()
    for plan in plans:
        revisions = sorted(plan.revisions.all(), key=lambda r: r.number)
        assert [r.number for r in revisions] == list(range(1, plan.revision + 1))
        assert revisions[0].change == "created"
        assert [r.created_at for r in revisions] == sorted(r.created_at for r in revisions)
        latest = revisions[-1].snapshot
        goals = sorted(plan.goals.all(), key=lambda g: (g.created_at, str(g.pk)))
        assert [(g["id"], g["status"], g["category"]) for g in latest["goals"]] == [
            (str(g.pk), g.status, g.category) for g in goals
        ]
        actions = Action.objects.filter(goal__plan=plan).order_by(
            "goal__created_at", "created_at", "pk"
        )
        assert [(a["id"], a["status"], a["due_date"]) for a in latest["actions"]] == [
            (str(a.pk), a.status, a.due_date.isoformat() if a.due_date else None) for a in actions
        ]
        assert latest["plan"]["status"] == plan.status
        assert latest["plan"]["participants"] == sorted(m.pk for m in plan.participants.all())
        assert [r["id"] for r in latest["plan"]["reviews"]] == [
            r.pk for r in sorted(plan.reviews.all(), key=lambda r: (r.due_on, r.pk))
        ]


def test_referral_statuses_are_spread_with_declined_and_overdue_ones() -> None:
    _seed()
    today = timezone.localdate()
    referrals = list(Referral.objects.select_related("service"))
    statuses = Counter(r.status for r in referrals)
    assert set(statuses) == set(S.values)
    declined = [r for r in referrals if r.status == S.DECLINED]
    assert all(r.decline_reason and r.decline_note and r.decided_at for r in declined)
    overdue = [
        r
        for r in referrals
        if r.status in {S.SENT, S.RECEIVED, S.ACCEPTED}
        and r.first_contact_on is None
        and r.sent_at.date() + dt.timedelta(days=r.expected_response_days) < today
    ]
    assert len(overdue) >= 5
    on_time = [r for r in referrals if r.status in {S.SENT, S.RECEIVED} and r not in overdue]
    assert on_time


def test_referral_events_follow_the_transitions_stamped_by_plausible_members() -> None:
    _seed()
    end_of_today = timezone.now() + dt.timedelta(days=1)
    events: dict[object, list[ReferralEvent]] = defaultdict(list)
    for event in ReferralEvent.objects.select_related("by").order_by("at", "pk"):
        events[event.referral_id].append(event)
    for referral in Referral.objects.all():
        steps = events[referral.pk]
        assert steps[0].status == S.SENT
        assert steps[0].by_id == referral.created_by_id
        assert steps[0].at == referral.sent_at
        assert steps[-1].status == referral.status
        for before, after in itertools.pairwise(steps):
            assert after.status in TRANSITIONS[before.status], (before.status, after.status)
            assert before.at <= after.at <= end_of_today
        for step in steps:
            assert step.organisation_id == step.by.organisation_id
            if step.status in {S.SENT, S.CANCELLED}:
                assert step.organisation_id == referral.recorded_by_id
            else:
                assert step.organisation_id == referral.receiving_organisation_id
                assert access.role_permits(step.by, referral.category)
        if referral.status in {S.FIRST_CONTACT, S.COMPLETED}:
            assert referral.first_contact_on is not None
            assert referral.first_contact_on >= referral.sent_at.date()


def test_new_referrals_notify_the_receiving_organisations_members_who_may_read_them() -> None:
    _seed()
    sent = list(Referral.objects.filter(status=S.SENT))
    assert sent
    for referral in sent:
        expected = {
            m.pk
            for m in Membership.objects.filter(organisation=referral.receiving_organisation_id)
            if access.works_with_clients(m) and access.role_permits(m, referral.category)
        }
        notified = set(
            Notification.objects.filter(
                referral=referral, kind=NotificationKind.REFERRAL_RECEIVED, read_at__isnull=True
            ).values_list("recipient", flat=True)
        )
        assert notified == expected
    answered = Notification.objects.filter(kind=NotificationKind.REFERRAL_ANSWERED)
    assert answered.exists()
    for notification in answered.select_related("referral"):
        assert notification.referral is not None
        assert notification.recipient_id == notification.referral.created_by_id
        assert notification.referral.decided_at is not None


def test_encounters_are_recorded_in_categories_the_recording_role_may_read() -> None:
    _seed()
    encounters = list(
        Encounter.objects.select_related("created_by").prefetch_related("organisations")
    )
    assert len(encounters) >= 300
    for encounter in encounters:
        author = encounter.created_by
        assert author is not None
        assert access.role_permits(author, encounter.category)
        assert encounter.recorded_by_id == author.organisation_id
        organisations = {o.pk for o in encounter.organisations.all()}
        assert author.organisation_id in organisations
        if encounter.kind == EncounterKind.NETWORK_MEETING:
            assert len(organisations) >= 2
    attendance = Counter(e.attendance for e in encounters)
    assert set(attendance) == set(Attendance.values)
    nurses = [
        e for e in encounters if e.created_by and e.created_by.role == Role.HEALTH_PROFESSIONAL
    ]
    assert nurses
    assert all(e.category == C.HEALTH for e in nurses)


def test_the_demo_coordinator_has_something_on_every_tab(
    login: Callable[[Membership], HttpClient],
) -> None:
    _seed()
    coordinator = Membership.objects.get(user__username="coordinator")
    visible = Client.objects.filter(
        access.readable(coordinator, category=C.IDENTITY, purpose=Purpose.SERVICE)
    )
    rich = (
        visible.filter(
            Q(plans__isnull=False)
            & Q(referrals__isnull=False)
            & Q(encounters__isnull=False)
            & Q(assessments__isnull=False)
        )
        .distinct()
        .order_by("reference")
    )
    client = next(
        c
        for c in rich
        if Referral.objects.filter(client=c, status=S.DECLINED).exists()
        or Referral.objects.filter(client=c).count() >= 2
    )
    plan = access.scope(
        Plan.objects.filter(client=client),
        coordinator,
        category=C.EMPLOYMENT,
        purpose=Purpose.SERVICE,
        client_path="client",
    )
    goals = access.scope_by_row_category(
        Goal.objects.filter(client=client), coordinator, purpose=Purpose.SERVICE
    )
    entries = access.scope_by_row_category(
        DomainEntry.objects.filter(client=client), coordinator, purpose=Purpose.SERVICE
    )
    referrals = access.scope_by_row_category(
        Referral.objects.filter(client=client), coordinator, purpose=Purpose.SERVICE
    )
    encounters = access.scope_by_row_category(
        Encounter.objects.filter(client=client), coordinator, purpose=Purpose.SERVICE
    )
    assert plan.exists()
    assert goals.exists()
    assert entries.exists()
    assert referrals.exists()
    assert encounters.exists()
    http = login(coordinator)
    dashboard = http.get(reverse("dashboard")).content.decode()
    assert any(reference in dashboard for reference in visible.values_list("reference", flat=True))
    goal = goals.first()
    referral = referrals.select_related("service").first()
    assert goal is not None
    assert referral is not None
    pages = {
        "plans:plan": goal.client_words,
        "plans:client_referrals": referral.service.name,  # in English, the active language
        "plans:assessments": "",
        "plans:encounters": "",
    }
    for name, text in pages.items():
        response = http.get(reverse(name, args=[client.pk]))
        assert response.status_code == 200, name
        assert text in response.content.decode(), name
