"""The client's "Outcomes" tab, its two forms, and the due follow-ups list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from polku.core.categories import DataCategory
from polku.core.models import AccessAction, AccessLogEntry, Membership
from polku.core.roles import Role
from polku.evaluation.models import (
    EntryData,
    LabourMarketStatus,
    OutcomePoint,
    OutcomeSource,
    OutcomeStatus,
    SensitiveAnswer,
)
from polku.evaluation.selectors.outcomes import follow_ups_count
from tests import factories as f
from tests.evaluation.factories import EntryDataFactory
from tests.evaluation.outcomes.world import World, build, ended_episode, outcome_row

pytestmark = pytest.mark.django_db

Login = Callable[[Membership], HttpClient]
C = DataCategory


@pytest.fixture
def world() -> World:
    return build(ended_days_ago=10)


def _tab(world: World) -> str:
    return reverse("evaluation:client_outcomes", kwargs={"client_id": world.client.pk})


def _logged(viewer: Membership) -> list[tuple[str, str]]:
    return sorted((e.category, e.action) for e in AccessLogEntry.objects.filter(membership=viewer))


def _with_sensitive_answers(world: World) -> EntryData:
    return EntryDataFactory(
        episode=world.episode,
        sensitive_consent=True,
        disability=SensitiveAnswer.YES,
        minority=SensitiveAnswer.DECLINED,
        third_country_national=SensitiveAnswer.NO,
    )


def test_the_tab_shows_entry_data_and_each_point_with_its_state(world: World, login: Login) -> None:
    EntryDataFactory(episode=world.episode, isced_level=3)
    outcome_row(world.episode)
    response = login(world.specialist).get(_tab(world))
    assert response.status_code == 200
    page = response.context["page"]
    [item] = page.episodes
    assert [(row.point, row.timing) for row in item.points] == [
        (OutcomePoint.EXIT, "due"),
        (OutcomePoint.MONTH_6, "later"),
        (OutcomePoint.MONTH_12, "later"),
    ]
    html = response.content.decode()
    assert 'aria-current="page">Outcomes</a>' in html
    assert "3 – Upper secondary education" in html
    assert (
        reverse(
            "evaluation:outcome_record",
            kwargs={"client_id": world.client.pk, "outcome_id": item.points[0].outcome.pk},
        )
        in html
    )
    assert _logged(world.specialist) == [
        (C.EDUCATION, AccessAction.VIEW),
        (C.EMPLOYMENT, AccessAction.VIEW),
        (C.IDENTITY, AccessAction.VIEW),
    ]


def test_health_and_social_answers_are_shown_only_to_who_may_read_them(
    world: World, login: Login
) -> None:
    _with_sensitive_answers(world)
    specialist_page = login(world.specialist).get(_tab(world)).content.decode()
    assert "Has a disability" not in specialist_page
    assert "Belongs to a minority" not in specialist_page
    assert "Third-country national" in specialist_page
    assert "Some answers are not shown" in specialist_page
    assert {c for c, _ in _logged(world.specialist)} == {C.IDENTITY, C.EMPLOYMENT, C.EDUCATION}

    coordinator_page = login(world.coordinator).get(_tab(world)).content.decode()
    assert "Has a disability" in coordinator_page
    assert "Belongs to a minority" in coordinator_page
    assert {c for c, _ in _logged(world.coordinator)} == {
        C.IDENTITY,
        C.EMPLOYMENT,
        C.EDUCATION,
        C.HEALTH,
        C.SOCIAL,
    }


def test_without_consent_no_sensitive_answer_is_shown_or_logged(world: World, login: Login) -> None:
    EntryDataFactory(episode=world.episode, sensitive_consent=False)
    page = login(world.coordinator).get(_tab(world)).content.decode()
    assert "The participant has not agreed to answer: no answers are kept." in page
    assert "Has a disability" not in page
    assert C.HEALTH not in {c for c, _ in _logged(world.coordinator)}


def test_an_invisible_client_is_a_404_and_an_aggregate_role_a_403(
    world: World, login: Login
) -> None:
    assert login(world.partner).get(_tab(world)).status_code == 404
    manager = f.MembershipFactory(organisation=world.org_a, role=Role.PROGRAMME_MANAGER)
    assert login(manager).get(_tab(world)).status_code == 403
    assert AccessLogEntry.objects.filter(membership__in=[world.partner, manager]).count() == 0


def _record_url(world: World, outcome_id: Any) -> str:
    return reverse(
        "evaluation:outcome_record",
        kwargs={"client_id": world.client.pk, "outcome_id": outcome_id},
    )


def _outcome_data(world: World, **overrides: str) -> dict[str, str]:
    return {
        "status": OutcomeStatus.EMPLOYED_FULL_TIME,
        "observed_on": str(world.exit_day + dt.timedelta(days=2)),
        "source": OutcomeSource.PROVIDER,
        "in_education": "on",
    } | overrides


def test_recording_an_outcome_through_the_form(world: World, login: Login) -> None:
    outcome = outcome_row(world.episode)
    http = login(world.specialist)
    form_page = http.get(_record_url(world, outcome.pk))
    assert "improved_situation" not in form_page.context["form"].fields  # not employed at entry
    response = http.post(_record_url(world, outcome.pk), _outcome_data(world))
    assert response.status_code == 302
    assert response["Location"] == _tab(world)
    outcome.refresh_from_db()
    assert (outcome.status, outcome.source, outcome.in_education) == (
        OutcomeStatus.EMPLOYED_FULL_TIME,
        OutcomeSource.PROVIDER,
        True,
    )


def test_the_improvement_question_is_asked_of_those_employed_at_entry(
    world: World, login: Login
) -> None:
    EntryDataFactory(episode=world.episode, labour_market_status=LabourMarketStatus.EMPLOYED)
    outcome = outcome_row(world.episode)
    http = login(world.specialist)
    response = http.post(
        _record_url(world, outcome.pk), _outcome_data(world, improved_situation="yes")
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.improved_situation is True


def test_form_errors_name_the_fields_and_change_nothing(world: World, login: Login) -> None:
    outcome = outcome_row(world.episode)
    response = login(world.specialist).post(
        _record_url(world, outcome.pk),
        _outcome_data(world, status="", observed_on=str(world.exit_day + dt.timedelta(days=40))),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["status"] == ["Choose the participant's situation."]
    outcome.refresh_from_db()
    assert outcome.status == ""


def test_form_errors_are_in_finnish_for_a_finnish_user(world: World, login: Login) -> None:
    outcome = outcome_row(world.episode)
    http = login(world.specialist)
    future = str(timezone.localdate() + dt.timedelta(days=1))
    response = http.post(
        _record_url(world, outcome.pk),
        _outcome_data(world, observed_on=future),
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.context["form"].errors["observed_on"] == [
        "Päivämäärä ei voi olla tulevaisuudessa."
    ]
    response = http.post(
        _record_url(world, outcome.pk),
        _outcome_data(world, observed_on=str(world.exit_day - dt.timedelta(days=1))),
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    [message] = response.context["form"].errors["observed_on"]
    assert message.startswith("Poistumishetken tilanne on tilanne 28 päivän kuluessa")


def test_another_organisations_outcome_is_a_404(world: World, login: Login) -> None:
    other = ended_episode(f.ClientFactory(), timezone.localdate())
    outcome = outcome_row(other)
    assert login(world.specialist).get(_record_url(world, outcome.pk)).status_code == 404


def _entry_url(world: World) -> str:
    return reverse(
        "evaluation:entry_data",
        kwargs={"client_id": world.client.pk, "episode_id": world.episode.pk},
    )


def test_entry_form_asks_health_and_social_questions_only_of_who_may_read_them(
    world: World, login: Login
) -> None:
    specialist_form = login(world.specialist).get(_entry_url(world)).context["form"]
    assert {"disability", "minority", "homeless"} & set(specialist_form.fields) == set()
    assert "third_country_national" in specialist_form.fields
    coordinator_form = login(world.coordinator).get(_entry_url(world)).context["form"]
    assert {"disability", "minority", "homeless"} <= set(coordinator_form.fields)


def test_entry_data_without_consent_keeps_no_answer(world: World, login: Login) -> None:
    response = login(world.coordinator).post(
        _entry_url(world),
        {
            "labour_market_status": LabourMarketStatus.UNEMPLOYED,
            "isced_level": "2",
            "rural_area": "no",
            "months_employed_before": "0",
            "disability": SensitiveAnswer.YES,
            "minority": SensitiveAnswer.DECLINED,
        },
    )
    assert response.status_code == 302
    entry = EntryData.objects.get()
    assert (entry.sensitive_consent, entry.disability, entry.minority) == (
        False,
        SensitiveAnswer.NOT_ASKED,
        SensitiveAnswer.NOT_ASKED,
    )
    assert (entry.isced_level, entry.rural_area) == (2, False)


def test_entry_data_with_consent_keeps_declined_as_such(world: World, login: Login) -> None:
    login(world.coordinator).post(
        _entry_url(world),
        {
            "labour_market_status": LabourMarketStatus.INACTIVE,
            "sensitive_consent": "on",
            "disability": SensitiveAnswer.DECLINED,
            "homeless": SensitiveAnswer.NO,
        },
    )
    entry = EntryData.objects.get()
    assert (entry.disability, entry.homeless, entry.minority) == (
        SensitiveAnswer.DECLINED,
        SensitiveAnswer.NO,
        SensitiveAnswer.NOT_ASKED,
    )


def test_the_follow_ups_list_shows_team_clients_oldest_first(world: World, login: Login) -> None:
    today = timezone.localdate()
    old = ended_episode(
        f.ClientFactory(recorded_by=world.org_a, last_name="Older"),
        today - dt.timedelta(days=60),
    )
    f.CareTeamMemberFactory(client=old.client, membership=world.specialist)
    outcome_row(old)  # overdue: 60 days past its due date
    outcome_row(world.episode)  # due: 10 days
    stranger = ended_episode(f.ClientFactory(recorded_by=world.org_a), today)
    outcome_row(stranger)  # not on the specialist's team
    response = login(world.specialist).get(reverse("evaluation:follow_ups"))
    rows = response.context["rows"]
    assert [(row.outcome.episode.client, row.timing) for row in rows] == [
        (old.client, "overdue"),
        (world.client, "due"),
    ]
    html = response.content.decode()
    assert "2 follow-ups to record: 1 overdue, 1 due now, 0 coming up." in html
    assert follow_ups_count(world.specialist, today=today) == 2
    assert sorted(
        AccessLogEntry.objects.filter(membership=world.specialist).values_list(
            "client_id", "category", "action"
        )
    ) == sorted(
        (client.pk, category, AccessAction.LIST)
        for client in (old.client, world.client)
        for category in (C.IDENTITY, C.EMPLOYMENT)
    )


def test_a_coordinator_sees_the_follow_ups_of_the_organisation(world: World, login: Login) -> None:
    outcome_row(world.episode)
    recorded = outcome_row(world.episode, OutcomePoint.MONTH_6)
    recorded.status, recorded.observed_on, recorded.source = (
        OutcomeStatus.UNKNOWN,
        world.exit_day,
        OutcomeSource.REGISTER,
    )
    recorded.save()
    rows = login(world.coordinator).get(reverse("evaluation:follow_ups")).context["rows"]
    assert [row.outcome.point for row in rows] == [OutcomePoint.EXIT]
    assert login(world.partner).get(reverse("evaluation:follow_ups")).context["rows"] == []
