"""Outcomes and ESF+ entry data under the access policy: another organisation reads and writes
nothing without the client's consent, and health and social answers never cross the
organisation's border without a consent that shares them, whatever the role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client as HttpClient
from django.urls import reverse

from polku.core.categories import DataCategory
from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.evaluation.models import (
    EntryData,
    LabourMarketStatus,
    OutcomeSource,
    OutcomeStatus,
    SensitiveAnswer,
)
from polku.evaluation.selectors.outcomes import entry_data_visible_to, outcomes_visible_to
from polku.evaluation.services.entry import entry_data_save
from polku.evaluation.services.outcomes import outcome_record
from tests import factories as f
from tests.evaluation.factories import EntryDataFactory
from tests.evaluation.outcomes.world import World, build, outcome_row
from tests.plans.test_encounters_api import _api

pytestmark = pytest.mark.django_db

Login = Callable[[Membership], HttpClient]
C = DataCategory
BASIC = [C.IDENTITY, C.EMPLOYMENT]


@pytest.fixture
def world() -> World:
    world = build()
    EntryDataFactory(
        episode=world.episode,
        sensitive_consent=True,
        disability=SensitiveAnswer.YES,
        minority=SensitiveAnswer.NO,
        homeless=SensitiveAnswer.DECLINED,
    )
    return world


def _nurse_of_b(world: World) -> Membership:
    nurse = f.MembershipFactory(organisation=world.org_b, role=Role.HEALTH_PROFESSIONAL)
    f.CareTeamMemberFactory(client=world.client, membership=nurse)
    return nurse


def _tab(world: World) -> str:
    return reverse("evaluation:client_outcomes", kwargs={"client_id": world.client.pk})


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.HEALTH_PROFESSIONAL, Role.SOCIAL_WORKER])
def test_another_organisation_without_consent_reads_and_writes_nothing(
    world: World, login: Login, role: str
) -> None:
    outsider = f.MembershipFactory(organisation=world.org_b, role=role)
    outcome = outcome_row(world.episode)
    assert list(outcomes_visible_to(outsider)) == []
    assert list(entry_data_visible_to(outsider)) == []
    http = login(outsider)
    assert http.get(_tab(world)).status_code == 404
    record_url = reverse(
        "evaluation:outcome_record",
        kwargs={"client_id": world.client.pk, "outcome_id": outcome.pk},
    )
    assert http.post(record_url, {"status": "unknown"}).status_code == 404
    with pytest.raises(PermissionDenied):
        outcome_record(
            actor=outsider,
            outcome=outcome,
            status=OutcomeStatus.UNKNOWN,
            observed_on=world.exit_day,
            source=OutcomeSource.REGISTER,
        )
    with pytest.raises(PermissionDenied):
        entry_data_save(
            actor=outsider,
            episode=world.episode,
            labour_market_status=LabourMarketStatus.EMPLOYED,
        )
    outcome.refresh_from_db()
    assert outcome.status == ""
    assert EntryData.objects.get().labour_market_status == LabourMarketStatus.UNEMPLOYED
    assert AccessLogEntry.objects.filter(membership=outsider).count() == 0


def test_a_consent_without_health_keeps_the_disability_answer_from_a_nurse_elsewhere(
    world: World, login: Login
) -> None:
    f.ConsentFactory(client=world.client, organisations=[world.org_b], categories=BASIC)
    nurse = _nurse_of_b(world)
    page = login(nurse).get(_tab(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Has a disability" not in html
    assert "Some answers are not shown" in html
    body = _api(nurse).get(f"/api/v1/entry-data/{world.episode.pk}/").json()
    assert body["disability"] is None
    assert "disability" in body["hidden_fields"]
    logged = set(AccessLogEntry.objects.filter(membership=nurse).values_list("category", flat=True))
    assert C.HEALTH not in logged


def test_a_consent_that_shares_health_lets_the_nurse_read_the_disability_answer(
    world: World, login: Login
) -> None:
    f.ConsentFactory(
        client=world.client, organisations=[world.org_b], categories=[*BASIC, C.HEALTH]
    )
    nurse = _nurse_of_b(world)
    html = login(nurse).get(_tab(world)).content.decode()
    assert "Has a disability" in html
    assert "Belongs to a minority" not in html  # social data: the nurse's role never reads it
    logged = set(AccessLogEntry.objects.filter(membership=nurse).values_list("category", flat=True))
    assert C.HEALTH in logged
    assert C.SOCIAL not in logged


def test_social_answers_stay_hidden_from_a_social_worker_elsewhere_without_consent(
    world: World,
) -> None:
    f.ConsentFactory(client=world.client, organisations=[world.org_b], categories=BASIC)
    social_worker = f.MembershipFactory(organisation=world.org_b, role=Role.SOCIAL_WORKER)
    f.CareTeamMemberFactory(client=world.client, membership=social_worker)
    body = _api(social_worker).get(f"/api/v1/entry-data/{world.episode.pk}/").json()
    assert (body["minority"], body["homeless"]) == (None, None)
    with pytest.raises(Exception, match="social"):
        entry_data_save(
            actor=social_worker,
            episode=world.episode,
            labour_market_status=LabourMarketStatus.UNEMPLOYED,
            sensitive_consent=True,
            homeless=SensitiveAnswer.NO,
        )
    assert EntryData.objects.get().homeless == SensitiveAnswer.DECLINED


def test_programme_managers_and_evaluators_read_no_identified_outcomes(world: World) -> None:
    outcome_row(world.episode)
    for role in (Role.PROGRAMME_MANAGER, Role.EVALUATOR):
        member = f.MembershipFactory(organisation=world.org_a, role=role)
        assert list(outcomes_visible_to(member)) == []
        assert list(entry_data_visible_to(member)) == []
