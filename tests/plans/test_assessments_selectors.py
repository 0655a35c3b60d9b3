"""Reads of the joint assessment: what each viewer sees, the change in need between rounds
(computed from visible entries only), the work-capacity summary and the access log."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polku.clients.models import Client
from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.plans.domains import LifeDomain
from polku.plans.selectors.assessments import (
    NeedChange,
    assessment_overview,
    assessment_round,
    entries_visible_to,
    need_changes,
    work_capacity,
)
from polku.plans.services.assessments import assessment_complete, assessment_start, entry_save
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
)

DOMAINS = LifeDomain.values
rounds = st.dictionaries(st.sampled_from(DOMAINS), st.integers(min_value=0, max_value=3))


@given(before=rounds, after=rounds)
def test_need_changes_cover_each_domain_of_either_round_once_in_order(
    before: dict[str, int], after: dict[str, int]
) -> None:
    changes = need_changes(before.items(), after.items())
    assert [c.domain for c in changes] == [d for d in DOMAINS if d in before or d in after]
    for change in changes:
        assert (change.before, change.after) == (
            before.get(change.domain),
            after.get(change.domain),
        )
        if change.before is not None and change.after is not None:
            assert change.difference == change.after - change.before
            assert change.steps == abs(change.difference)
            expected = {1: "increased", -1: "decreased", 0: "unchanged"}
            assert change.direction == expected[(change.difference > 0) - (change.difference < 0)]
        else:
            assert change.difference is None
            assert change.steps == 0
            assert change.direction == ("new" if change.before is None else "not_reassessed")


def test_need_change_labels_say_the_need_in_words() -> None:
    change = NeedChange("housing", 3, 1)
    assert change.label == "Housing"
    assert (change.before_label, change.after_label) == ("3 – urgent need", "1 – some need")
    assert (change.direction, change.steps) == ("decreased", 2)


@pytest.mark.django_db
class TestWhatEachViewerSees:
    """Registering organisation A (coordinator, social worker) and a health organisation H
    whose nurse is on the team by a consent that shares identity, employment and health."""

    @pytest.fixture(autouse=True)
    def _world(self) -> None:
        self.home, self.health = OrganisationFactory(), OrganisationFactory()
        self.client = ClientFactory(recorded_by=self.home)
        self.coordinator = MembershipFactory(organisation=self.home, role=Role.COORDINATOR)
        self.social_worker = MembershipFactory(organisation=self.home, role=Role.SOCIAL_WORKER)
        self.nurse = MembershipFactory(organisation=self.health, role=Role.HEALTH_PROFESSIONAL)
        ConsentFactory(
            client=self.client,
            organisations=[self.health],
            categories=["identity", "employment", "health"],
        )
        for member in (self.social_worker, self.nurse):
            CareTeamMemberFactory(client=self.client, membership=member)
        self.v1 = self._round({"work": 3, "housing": 3, "mental_health": 3})
        self.v2 = self._round({"work": 2, "housing": 3, "mental_health": 1, "legal": 1})

    def _round(self, needs: dict[str, int]) -> object:
        assessment = assessment_start(actor=self.coordinator, client=self.client)
        for domain, need in needs.items():
            actor = {"housing": self.social_worker, "legal": self.social_worker}.get(
                domain, self.nurse if domain == "mental_health" else self.coordinator
            )
            entry_save(actor=actor, assessment=assessment, domain=domain, need=need)
        return assessment_complete(actor=self.coordinator, assessment=assessment)

    def _seen(self, viewer: Membership) -> set[str]:
        return set(
            entries_visible_to(viewer).filter(client=self.client).values_list("domain", flat=True)
        )

    def test_each_sees_the_domains_their_role_and_the_consents_allow(self) -> None:
        # The coordinator of A reads A's entries; the nurse's health entry needs a consent
        # sharing health with A, which the client has not given.
        assert self._seen(self.coordinator) == {"work", "housing", "legal"}
        assert self._seen(self.social_worker) == {"work", "housing", "legal"}
        # The nurse reads the health entries H recorded, and A's work entries by consent.
        assert self._seen(self.nurse) == {"work", "mental_health"}

    def test_the_change_in_need_covers_only_visible_domains(self) -> None:
        overview = assessment_overview(self.coordinator, self.client.pk)
        assert overview.comparison is not None
        changes = [(c.domain, c.before, c.after) for c in overview.comparison.changes]
        assert changes == [("work", 3, 2), ("housing", 3, 3), ("legal", None, 1)]
        nurse_view = assessment_overview(self.nurse, self.client.pk).comparison
        assert nurse_view is not None
        assert [(c.domain, c.direction) for c in nurse_view.changes] == [
            ("work", "decreased"),
            ("mental_health", "decreased"),
        ]

    def test_the_overview_shows_the_latest_round_and_every_version(self) -> None:
        overview = assessment_overview(self.social_worker, self.client.pk)
        assert [r.version for r in overview.rounds] == [2, 1]
        assert overview.current is not None
        assert overview.current.assessment == self.v2
        assert [e.domain for e in overview.current.entries] == ["work", "housing", "legal"]

    def test_an_older_round_compares_with_the_round_before_it(self) -> None:
        first = assessment_round(self.nurse, self.client.pk, self.v1.pk)  # type: ignore[attr-defined]
        assert first.previous is None
        assert first.changes == []
        assert [e.domain for e in first.entries] == ["work", "mental_health"]

    def test_the_overview_logs_identity_the_round_and_each_category_shown_once(self) -> None:
        assessment_overview(self.nurse, self.client.pk)
        assert sorted(
            AccessLogEntry.objects.filter(membership=self.nurse).values_list("category", flat=True)
        ) == ["employment", "health", "identity"]

    def test_work_capacity_groups_the_latest_visible_needs_most_urgent_first(self) -> None:
        summary = work_capacity(self.coordinator, self.client.pk)
        assert summary.latest is not None
        assert summary.latest.assessment == self.v2
        assert [
            (level, [e.domain for e in entries])
            for level, _label, entries in summary.needs_by_level
        ] == [(3, ["housing"]), (2, ["work"]), (1, ["legal"])]
        assert summary.open_round is None
        assert summary.questionnaires == []

    def test_an_invisible_client_is_like_a_missing_one(self) -> None:
        stranger = MembershipFactory(role=Role.COORDINATOR)
        with pytest.raises(Client.DoesNotExist):
            assessment_overview(stranger, self.client.pk)
        with pytest.raises(Client.DoesNotExist):
            work_capacity(stranger, self.client.pk)
        assert not AccessLogEntry.objects.filter(membership=stranger).exists()
