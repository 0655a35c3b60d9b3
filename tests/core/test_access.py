"""The access policy decides each read from role, organisation, care team and consent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from polku.clients.models import Client
from polku.core import access
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership
from polku.core.roles import Role
from polku.plans.domains import LifeDomain, category_of
from polku.plans.models import Assessment, DomainEntry
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
)

C = DataCategory
pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def decide(
    viewer: Membership, client: Client, category: str = C.IDENTITY, purpose: str = Purpose.SERVICE
) -> access.Decision:
    return access.decide(viewer, client, category=category, purpose=purpose)


def visible(
    viewer: Membership, category: str = C.IDENTITY, purpose: str = Purpose.SERVICE
) -> set[object]:
    qs = access.scope(Client.objects.all(), viewer, category=category, purpose=purpose)
    return set(qs.values_list("pk", flat=True))


def test_own_organisation_team_member_reads_and_others_in_the_organisation_do_not() -> None:
    org = OrganisationFactory()
    client = ClientFactory(recorded_by=org)
    on_team = MembershipFactory(organisation=org, role=Role.EMPLOYMENT_SPECIALIST)
    colleague = MembershipFactory(organisation=org, role=Role.EMPLOYMENT_SPECIALIST)
    CareTeamMemberFactory(client=client, membership=on_team)

    assert decide(on_team, client) == access.Decision(True, "own_organisation")
    assert decide(colleague, client) == access.Decision(False, "no_basis")
    assert visible(on_team) == {client.pk}
    assert visible(colleague) == set()


def test_coordinator_sees_every_client_of_the_organisation_but_not_of_others() -> None:
    org, other = OrganisationFactory(), OrganisationFactory()
    mine, theirs = ClientFactory(recorded_by=org), ClientFactory(recorded_by=other)
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR)

    assert decide(coordinator, mine).allowed
    assert not decide(coordinator, theirs).allowed
    assert visible(coordinator) == {mine.pk}


def test_consent_shares_only_the_categories_and_purpose_it_names() -> None:
    recorder, partner = OrganisationFactory(), OrganisationFactory()
    client = ClientFactory(recorded_by=recorder)
    coach = MembershipFactory(organisation=partner, role=Role.EMPLOYMENT_SPECIALIST)
    ConsentFactory(client=client, organisations=[partner], categories=[C.IDENTITY, C.EMPLOYMENT])

    assert decide(coach, client, C.IDENTITY) == access.Decision(True, "consent")
    assert decide(coach, client, C.EMPLOYMENT).allowed
    assert not decide(coach, client, C.CONTACT).allowed
    assert not decide(coach, client, C.IDENTITY, Purpose.REFERRAL).allowed


def test_health_data_needs_both_a_health_role_and_a_consent_across_organisations() -> None:
    recorder, clinic = OrganisationFactory(), OrganisationFactory()
    client = ClientFactory(recorded_by=recorder)
    nurse = MembershipFactory(organisation=clinic, role=Role.HEALTH_PROFESSIONAL)
    coach = MembershipFactory(organisation=clinic, role=Role.EMPLOYMENT_SPECIALIST)
    assert not decide(nurse, client, C.HEALTH).allowed

    ConsentFactory(client=client, organisations=[clinic], categories=[C.HEALTH])

    assert decide(nurse, client, C.HEALTH).allowed
    assert decide(coach, client, C.HEALTH) == access.Decision(False, "role")


@pytest.mark.parametrize(
    ("changes", "allowed"),
    [
        ({}, True),
        ({"withdrawn_at": timezone.now()}, False),
        ({"valid_until": dt.date(2020, 1, 1), "valid_from": dt.date(2019, 1, 1)}, False),
        ({"valid_from": dt.date(2999, 1, 1)}, False),
        ({"valid_until": None}, True),
    ],
    ids=["active", "withdrawn", "expired", "not-yet-valid", "open-ended"],
)
def test_only_a_consent_valid_today_shares_data(changes: dict[str, object], allowed: bool) -> None:
    recorder, partner = OrganisationFactory(), OrganisationFactory()
    client = ClientFactory(recorded_by=recorder)
    coach = MembershipFactory(organisation=partner, role=Role.EMPLOYMENT_SPECIALIST)
    consent = ConsentFactory(client=client, organisations=[partner], categories=[C.IDENTITY])
    for name, value in changes.items():
        setattr(consent, name, value)
    consent.save()

    assert decide(coach, client).allowed is allowed
    assert (visible(coach) == {client.pk}) is allowed


def test_withdrawing_consent_cuts_access_on_the_very_next_read() -> None:
    recorder, partner = OrganisationFactory(), OrganisationFactory()
    client = ClientFactory(recorded_by=recorder)
    coach = MembershipFactory(organisation=partner, role=Role.EMPLOYMENT_SPECIALIST)
    consent = ConsentFactory(client=client, organisations=[partner], categories=[C.IDENTITY])
    assert decide(coach, client).allowed

    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])

    assert not decide(coach, client).allowed
    assert visible(coach) == set()


def test_ended_membership_and_deactivated_user_read_nothing() -> None:
    org = OrganisationFactory()
    client = ClientFactory(recorded_by=org)
    ended = MembershipFactory(organisation=org, valid_until=TODAY() - dt.timedelta(days=1))
    inactive = MembershipFactory(organisation=org, user__is_active=False)

    assert decide(ended, client) == access.Decision(False, "inactive")
    assert decide(inactive, client) == access.Decision(False, "inactive")
    assert visible(ended) == visible(inactive) == set()


@pytest.mark.parametrize(
    "role", [Role.PROGRAMME_MANAGER, Role.EVALUATOR, Role.ORGANISATION_ADMIN, Role.AUDITOR]
)
def test_roles_without_client_work_read_no_identifiable_data_even_with_consent(role: str) -> None:
    org = OrganisationFactory()
    client = ClientFactory(recorded_by=org)
    member = MembershipFactory(organisation=org, role=role)
    CareTeamMemberFactory(client=client, membership=member)
    ConsentFactory(client=client, organisations=[org], categories=list(C.values))

    for category in C.values:
        assert decide(member, client, category) == access.Decision(False, "role")
    assert visible(member) == set()


def test_removal_from_the_care_team_ends_team_based_access() -> None:
    org = OrganisationFactory()
    client = ClientFactory(recorded_by=org)
    worker = MembershipFactory(organisation=org, role=Role.SOCIAL_WORKER)
    member = CareTeamMemberFactory(client=client, membership=worker)
    assert decide(worker, client, C.SOCIAL).allowed

    member.removed_at = timezone.now()
    member.save()

    assert not decide(worker, client, C.SOCIAL).allowed


class ScopeAgreesWithDecide(HypothesisTestCase):
    """The list filter (SQL, in both its forms) and the single decision (Python) are readings
    of one rule; over random worlds they must agree on every client and category."""

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        role=st.sampled_from(Role.values),
        category=st.sampled_from(C.values),
        worlds=st.lists(
            st.tuples(
                st.booleans(),  # recorded by the viewer's organisation
                st.booleans(),  # viewer on the care team
                st.sampled_from(["none", "active", "withdrawn", "expired", "other-org"]),
                st.sets(st.sampled_from(C.values), min_size=1, max_size=3),
            ),
            min_size=1,
            max_size=6,
        ),
    )
    def test_scope_and_decide_agree(
        self, role: str, category: str, worlds: list[tuple[bool, bool, str, set[str]]]
    ) -> None:
        home, elsewhere = OrganisationFactory(), OrganisationFactory()
        viewer = MembershipFactory(organisation=home, role=role)
        clients = []
        for own, on_team, consent, categories in worlds:
            client = ClientFactory(recorded_by=home if own else elsewhere)
            if on_team:
                CareTeamMemberFactory(client=client, membership=viewer)
            if consent != "none":
                ConsentFactory(
                    client=client,
                    organisations=[elsewhere if consent == "other-org" else home],
                    categories=sorted(categories),
                    withdrawn_at=timezone.now() if consent == "withdrawn" else None,
                    valid_from=dt.date(2020, 1, 1),
                    valid_until=dt.date(2021, 1, 1) if consent == "expired" else None,
                )
            clients.append(client)
        in_scope = visible(viewer, category)
        few = set(
            access.scope(
                Client.objects.filter(pk__in=[c.pk for c in clients]),
                viewer,
                category=category,
                purpose=Purpose.SERVICE,
                few=True,
            ).values_list("pk", flat=True)
        )
        for client in clients:
            allowed = decide(viewer, client, category).allowed
            assert allowed == (client.pk in in_scope) == (client.pk in few)


class RowCategoryScopeAgreesWithDecide(HypothesisTestCase):
    """Records whose category is a column (assessment entries, goals, referrals) are scoped row
    by row: a row is visible exactly when `decide` allows its own category and recorder."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        role=st.sampled_from(sorted(Role.values)),
        viewer_is_recorder=st.booleans(),
        on_team=st.booleans(),
        shared=st.sets(st.sampled_from(sorted(C.values))),
        purpose=st.sampled_from([Purpose.SERVICE, Purpose.REFERRAL]),
        few=st.booleans(),
    )
    def test_rows(  # noqa: PLR0917 - hypothesis passes the drawn values by keyword
        self,
        role: str,
        viewer_is_recorder: bool,
        on_team: bool,
        shared: set[str],
        purpose: str,
        few: bool,
    ) -> None:
        recorder, other = OrganisationFactory(), OrganisationFactory()
        viewer = MembershipFactory(
            organisation=recorder if viewer_is_recorder else other, role=role
        )
        client = ClientFactory(recorded_by=recorder)
        if on_team:
            CareTeamMemberFactory(client=client, membership=viewer)
        if shared:
            ConsentFactory(
                client=client,
                organisations=[viewer.organisation],
                categories=shared,
                purpose=purpose,
            )
        assessment = Assessment.objects.create(
            client=client, recorded_by=recorder, version=1, assessed_on=TODAY()
        )
        for domain in LifeDomain.values:
            DomainEntry.objects.create(
                assessment=assessment,
                client=client,
                domain=domain,
                category=category_of(domain),
                need=1,
                recorded_by=recorder,
            )

        visible_rows = set(
            access.scope_by_row_category(
                DomainEntry.objects.all(), viewer, purpose=purpose, few=few
            ).values_list("domain", flat=True)
        )
        expected = {
            domain
            for domain in LifeDomain.values
            if access.decide(viewer, client, category=category_of(domain), purpose=purpose)
        }
        assert visible_rows == expected
