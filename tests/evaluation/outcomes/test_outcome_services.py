"""Recording outcomes: the ESF+ day rules, EECR06, who may record, and nothing changed on a
refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polku.core.roles import Role
from polku.evaluation.models import (
    LabourMarketStatus,
    Outcome,
    OutcomePoint,
    OutcomeSource,
    OutcomeStatus,
)
from polku.evaluation.services.outcomes import outcome_record
from tests import factories as f
from tests.evaluation.factories import EntryDataFactory
from tests.evaluation.outcomes.world import World, build, outcome_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build(ended_days_ago=10)


def _record(world: World, outcome: Outcome, **overrides: Any) -> Outcome:
    values: dict[str, Any] = {
        "actor": world.specialist,
        "outcome": outcome,
        "status": OutcomeStatus.EMPLOYED_PART_TIME,
        "observed_on": world.exit_day + dt.timedelta(days=3),
        "source": OutcomeSource.SELF_REPORT,
        "in_education": False,
        "gained_qualification": True,
        "improved_situation": None,
    } | overrides
    return outcome_record(**values)


def _errors(world: World, outcome: Outcome, **overrides: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        _record(world, outcome, **overrides)
    outcome.refresh_from_db()
    assert outcome.status == ""  # nothing was written
    assert outcome.observed_on is None
    return caught.value.message_dict


def test_recording_the_situation_at_exit_keeps_who_recorded_it(world: World) -> None:
    outcome = outcome_row(world.episode)
    _record(world, outcome)
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.EMPLOYED_PART_TIME
    assert outcome.observed_on == world.exit_day + dt.timedelta(days=3)
    assert outcome.source == OutcomeSource.SELF_REPORT
    assert (outcome.in_education, outcome.gained_qualification) == (False, True)
    assert outcome.recorded_by_member == world.specialist
    assert outcome.recorded_at is not None


def test_a_recorded_outcome_can_be_corrected(world: World) -> None:
    outcome = outcome_row(world.episode)
    _record(world, outcome)
    _record(world, outcome, actor=world.coordinator, status=OutcomeStatus.JOB_SEEKING)
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.JOB_SEEKING
    assert outcome.recorded_by_member == world.coordinator


def test_the_situation_at_exit_must_be_within_28_days_after_leaving(world: World) -> None:
    world.episode.end_date = timezone.localdate() - dt.timedelta(days=40)
    world.episode.save()
    outcome = outcome_row(world.episode)
    early = _errors(world, outcome, observed_on=world.exit_day - dt.timedelta(days=1))
    late = _errors(world, outcome, observed_on=world.exit_day + dt.timedelta(days=29))
    assert early["observed_on"][0].startswith("The situation at exit is the one within 28 days")
    assert late == early
    _record(world, outcome, observed_on=world.exit_day + dt.timedelta(days=28))
    outcome.refresh_from_db()
    assert outcome.is_recorded


def test_no_situation_is_recorded_for_a_day_in_the_future(world: World) -> None:
    outcome = outcome_row(world.episode)
    errors = _errors(world, outcome, observed_on=timezone.localdate() + dt.timedelta(days=1))
    assert errors == {"observed_on": ["The date cannot be in the future."]}


def test_a_follow_up_is_not_before_the_exit_nor_long_before_it_falls_due() -> None:
    world = build(ended_days_ago=200)
    outcome = outcome_row(world.episode, OutcomePoint.MONTH_6)
    before_exit = _errors(world, outcome, observed_on=world.exit_day - dt.timedelta(days=1))
    assert before_exit["observed_on"][0].startswith("A follow-up cannot be before the exit")
    too_early = _errors(world, outcome, observed_on=world.exit_day + dt.timedelta(days=20))
    assert too_early["observed_on"][0].startswith("This follow-up falls due on")
    _record(world, outcome, observed_on=outcome.due_on - dt.timedelta(days=30))
    outcome.refresh_from_db()
    assert outcome.is_recorded


def test_situation_and_source_are_required(world: World) -> None:
    outcome = outcome_row(world.episode)
    errors = _errors(world, outcome, status="", source="", observed_on=None)
    assert errors == {
        "status": ["Choose the participant's situation."],
        "source": ["Choose where the information came from."],
        "observed_on": ["Give the day the situation applies to."],
    }


def test_an_improved_situation_needs_employment_at_entry(world: World) -> None:
    outcome = outcome_row(world.episode)
    EntryDataFactory(episode=world.episode, labour_market_status=LabourMarketStatus.UNEMPLOYED)
    errors = _errors(world, outcome, improved_situation=True)
    assert errors["improved_situation"][0].startswith(
        "An improved labour market situation is recorded only for participants who were "
        "employed at entry"
    )


def test_an_improved_situation_means_a_better_job(world: World) -> None:
    outcome = outcome_row(world.episode)
    EntryDataFactory(episode=world.episode, labour_market_status=LabourMarketStatus.EMPLOYED)
    errors = _errors(
        world, outcome, improved_situation=True, status=OutcomeStatus.OUTSIDE_LABOUR_FORCE
    )
    assert list(errors) == ["improved_situation"]
    _record(world, outcome, improved_situation=True)
    outcome.refresh_from_db()
    assert outcome.improved_situation is True


@pytest.mark.parametrize("who", ["partner", "manager", "unteamed_specialist"])
def test_people_without_a_basis_cannot_record(world: World, who: str) -> None:
    outcome = outcome_row(world.episode)
    actors = {
        "partner": world.partner,
        "manager": f.MembershipFactory(organisation=world.org_a, role=Role.PROGRAMME_MANAGER),
        "unteamed_specialist": f.MembershipFactory(
            organisation=world.org_a, role=Role.EMPLOYMENT_SPECIALIST
        ),
    }
    with pytest.raises(PermissionDenied):
        _record(world, outcome, actor=actors[who])
    outcome.refresh_from_db()
    assert outcome.status == ""


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offset=st.integers(min_value=-60, max_value=60))
def test_the_exit_day_rule_accepts_exactly_the_28_days_after_leaving(
    world: World, offset: int
) -> None:
    """Property: a situation at exit is accepted iff it is 0–28 days after the exit and not in
    the future (the exit was 10 days ago, so days 11–28 are still ahead)."""
    outcome, _ = Outcome.objects.get_or_create(
        episode=world.episode,
        point=OutcomePoint.EXIT,
        defaults={"due_on": world.exit_day, "recorded_by": world.org_a},
    )
    day = world.exit_day + dt.timedelta(days=offset)
    accepted = 0 <= offset <= 28 and day <= timezone.localdate()
    if accepted:
        _record(world, outcome, observed_on=day)
    else:
        with pytest.raises(ValidationError) as caught:
            _record(world, outcome, observed_on=day)
        assert list(caught.value.message_dict) == ["observed_on"]
