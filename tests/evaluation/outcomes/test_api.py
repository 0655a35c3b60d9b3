"""The outcomes and entry-data API: scoped and logged reads, writes through the services, and
problem documents for refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from polku.core.categories import DataCategory
from polku.core.models import AccessAction, AccessLogEntry, Membership
from polku.evaluation.models import (
    EntryData,
    LabourMarketStatus,
    OutcomePoint,
    OutcomeSource,
    OutcomeStatus,
    SensitiveAnswer,
)
from tests.evaluation.factories import EntryDataFactory
from tests.evaluation.outcomes.world import World, build, outcome_row
from tests.plans.test_encounters_api import _api

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
C = DataCategory


@pytest.fixture
def world() -> World:
    return build(ended_days_ago=10)


def _logged(membership: Membership) -> list[tuple[str, str, str]]:
    return sorted(
        (str(e.client_id), e.category, e.action)
        for e in AccessLogEntry.objects.filter(membership=membership)
    )


def test_a_clients_due_outcomes_are_listed_and_logged(world: World) -> None:
    due = outcome_row(world.episode)
    later = outcome_row(world.episode, OutcomePoint.MONTH_6)  # due in about six months
    api = _api(world.specialist)
    body = api.get("/api/v1/outcomes/", {"client": str(world.client.pk), "due": "true"}).json()
    assert [row["id"] for row in body["results"]] == [str(due.pk)]
    assert body["results"][0] | {"id": None} == {
        "id": None,
        "client": str(world.client.pk),
        "episode": str(world.episode.pk),
        "point": OutcomePoint.EXIT,
        "due_on": str(world.exit_day),
        "status": "",
        "observed_on": None,
        "source": "",
        "in_education": False,
        "gained_qualification": False,
        "improved_situation": None,
        "recorded_at": None,
        "recorded_by_member": None,
        "recorded_by": world.org_a.pk,
    }
    everything = api.get("/api/v1/outcomes/", {"client": str(world.client.pk)}).json()
    assert [row["id"] for row in everything["results"]] == [str(due.pk), str(later.pk)]
    assert _logged(world.specialist) == [(str(world.client.pk), C.EMPLOYMENT, AccessAction.API)] * 2


def test_an_outcome_is_recorded_with_patch(world: World) -> None:
    outcome = outcome_row(world.episode)
    response = _api(world.specialist).patch(
        f"/api/v1/outcomes/{outcome.pk}/",
        {
            "status": OutcomeStatus.EDUCATION,
            "observed_on": str(world.exit_day + dt.timedelta(days=1)),
            "source": OutcomeSource.REGISTER,
            "in_education": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["recorded_by_member"]) == (
        OutcomeStatus.EDUCATION,
        world.specialist.pk,
    )
    outcome.refresh_from_db()
    assert (outcome.status, outcome.in_education) == (OutcomeStatus.EDUCATION, True)


def test_an_invalid_outcome_is_a_400_problem_naming_the_field(world: World) -> None:
    outcome = outcome_row(world.episode)
    response = _api(world.specialist).patch(
        f"/api/v1/outcomes/{outcome.pk}/",
        {"status": OutcomeStatus.JOB_SEEKING, "observed_on": str(world.exit_day - dt.timedelta(1))},
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert set(response.json()["errors"]) == {"observed_on", "source"}
    outcome.refresh_from_db()
    assert outcome.status == ""


def test_another_organisation_sees_no_outcome_and_cannot_write(world: World) -> None:
    outcome = outcome_row(world.episode)
    api = _api(world.partner)
    assert api.get("/api/v1/outcomes/").json()["results"] == []
    response = api.patch(
        f"/api/v1/outcomes/{outcome.pk}/", {"status": OutcomeStatus.UNKNOWN}, format="json"
    )
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert _logged(world.partner) == []


def test_entry_data_is_put_and_read_back_with_unreadable_answers_hidden(world: World) -> None:
    url = f"/api/v1/entry-data/{world.episode.pk}/"
    coordinator = _api(world.coordinator)
    assert coordinator.get(url).status_code == 404  # none recorded yet
    response = coordinator.put(
        url,
        {
            "labour_market_status": LabourMarketStatus.EMPLOYED,
            "isced_level": 4,
            "sensitive_consent": True,
            "disability": SensitiveAnswer.DECLINED,
            "homeless": SensitiveAnswer.NO,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["disability"], response.json()["hidden_fields"]) == (
        SensitiveAnswer.DECLINED,
        [],
    )
    body = _api(world.specialist).get(url).json()
    assert (body["disability"], body["homeless"], body["isced_level"]) == (None, None, 4)
    assert body["hidden_fields"] == ["disability", "homeless", "minority"]
    assert {category for _, category, _ in _logged(world.specialist)} == {
        C.EMPLOYMENT,
        C.EDUCATION,
        C.IDENTITY,
    }


def test_putting_a_health_answer_one_may_not_read_is_a_400(world: World) -> None:
    EntryDataFactory(episode=world.episode, sensitive_consent=True, disability=SensitiveAnswer.YES)
    response = _api(world.specialist).put(
        f"/api/v1/entry-data/{world.episode.pk}/",
        {
            "labour_market_status": LabourMarketStatus.UNEMPLOYED,
            "sensitive_consent": True,
            "disability": SensitiveAnswer.NO,
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["disability"]
    assert EntryData.objects.get().disability == SensitiveAnswer.YES


def test_another_organisations_episode_has_no_entry_data(world: World) -> None:
    EntryDataFactory(episode=world.episode)
    api = _api(world.partner)
    assert api.get(f"/api/v1/entry-data/{world.episode.pk}/").status_code == 404
    response = api.put(
        f"/api/v1/entry-data/{world.episode.pk}/",
        {"labour_market_status": LabourMarketStatus.INACTIVE, "sensitive_consent": False},
        format="json",
    )
    assert response.status_code == 404
    assert EntryData.objects.get().labour_market_status == LabourMarketStatus.UNEMPLOYED
