"""Recording ESF+ entry data: consent for the sensitive answers, categories the recorder may not
read, and the EECR06 link to the outcomes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polku.core.categories import DataCategory
from polku.core.roles import Role
from polku.evaluation.models import (
    SENSITIVE_FIELDS,
    EntryData,
    LabourMarketStatus,
    OutcomeSource,
    OutcomeStatus,
    SensitiveAnswer,
)
from polku.evaluation.services.entry import entry_data_save
from polku.evaluation.services.outcomes import outcome_record
from tests import factories as f
from tests.evaluation.outcomes.world import World, build, outcome_row

pytestmark = pytest.mark.django_db

YES, NO, DECLINED, NOT_ASKED = (
    SensitiveAnswer.YES,
    SensitiveAnswer.NO,
    SensitiveAnswer.DECLINED,
    SensitiveAnswer.NOT_ASKED,
)


@pytest.fixture
def world() -> World:
    return build()


def _save(world: World, **overrides: Any) -> EntryData:
    values: dict[str, Any] = {
        "actor": world.coordinator,
        "episode": world.episode,
        "labour_market_status": LabourMarketStatus.UNEMPLOYED,
        "isced_level": 2,
        "rural_area": False,
        "months_employed_before": 3,
        "sensitive_consent": True,
        "disability": YES,
        "third_country_national": NO,
        "foreign_background": DECLINED,
        "minority": NO,
        "homeless": NOT_ASKED,
    } | overrides
    return entry_data_save(**values)


def _answers(entry: EntryData) -> dict[str, str]:
    entry.refresh_from_db()
    return {name: getattr(entry, name) for name in SENSITIVE_FIELDS}


def test_a_coordinator_records_everything_with_consent(world: World) -> None:
    entry = _save(world)
    assert (entry.labour_market_status, entry.isced_level, entry.months_employed_before) == (
        LabourMarketStatus.UNEMPLOYED,
        2,
        3,
    )
    assert entry.recorded_by_id == world.episode.recorded_by_id
    assert _answers(entry) == {
        "disability": YES,
        "third_country_national": NO,
        "foreign_background": DECLINED,
        "minority": NO,
        "homeless": NOT_ASKED,
    }


def test_without_consent_no_answer_is_taken(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _save(world, sensitive_consent=False)
    assert set(caught.value.message_dict) == {
        "disability",
        "third_country_national",
        "foreign_background",
        "minority",
    }
    assert caught.value.message_dict["disability"] == [
        "Without the participant's consent no answer is kept. Record the consent first."
    ]
    assert not EntryData.objects.exists()


def test_withdrawing_consent_erases_even_answers_the_recorder_may_not_read(world: World) -> None:
    entry = _save(world)
    # An employment specialist reads neither health nor social data (core.roles).
    _save(
        world,
        actor=world.specialist,
        sensitive_consent=False,
        isced_level=2,
        **dict.fromkeys(SENSITIVE_FIELDS),
    )
    assert set(_answers(entry).values()) == {NOT_ASKED}
    entry.refresh_from_db()
    assert entry.sensitive_consent is False


def test_nobody_records_a_category_they_may_not_read(world: World) -> None:
    entry = _save(world)
    with pytest.raises(ValidationError) as caught:
        _save(world, actor=world.specialist, disability=NO, minority=YES, homeless=None)
    assert set(caught.value.message_dict) == {"disability", "minority"}
    assert caught.value.message_dict["disability"] == [
        "Your role or the client's consents do not let you read this client's health data, "
        "so you cannot record it either."
    ]
    assert _answers(entry)["disability"] == YES


def test_answers_left_as_none_keep_their_values(world: World) -> None:
    entry = _save(world)
    _save(
        world,
        actor=world.specialist,
        labour_market_status=LabourMarketStatus.INACTIVE,
        disability=None,
        minority=None,
        homeless=None,
        third_country_national=YES,
    )
    entry.refresh_from_db()
    assert entry.labour_market_status == LabourMarketStatus.INACTIVE
    assert _answers(entry) == {
        "disability": YES,
        "third_country_national": YES,
        "foreign_background": DECLINED,
        "minority": NO,
        "homeless": NOT_ASKED,
    }


def test_a_health_professional_keeps_the_education_level_they_may_not_read(world: World) -> None:
    entry = _save(world, isced_level=6)
    nurse = f.MembershipFactory(organisation=world.org_a, role=Role.HEALTH_PROFESSIONAL)
    f.CareTeamMemberFactory(client=world.client, membership=nurse)
    _save(world, actor=nurse, isced_level=None, minority=None, homeless=None)
    entry.refresh_from_db()
    assert entry.isced_level == 6
    with pytest.raises(ValidationError) as caught:
        _save(world, actor=nurse, isced_level=3, minority=None, homeless=None)
    assert list(caught.value.message_dict) == ["isced_level"]


def test_out_of_range_values_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _save(world, labour_market_status="retired", isced_level=9, months_employed_before=13)
    assert caught.value.message_dict == {
        "labour_market_status": ["Choose the labour market status at entry."],
        "isced_level": ["Choose an ISCED level from 0 to 8."],
        "months_employed_before": ["Give a number of months from 0 to 12."],
    }
    assert not EntryData.objects.exists()


def test_the_status_stays_employed_while_an_outcome_records_an_improvement(world: World) -> None:
    _save(world, labour_market_status=LabourMarketStatus.EMPLOYED)
    outcome = outcome_row(world.episode)
    outcome_record(
        actor=world.coordinator,
        outcome=outcome,
        status=OutcomeStatus.EMPLOYED_FULL_TIME,
        observed_on=world.exit_day,
        source=OutcomeSource.REGISTER,
        improved_situation=True,
    )
    with pytest.raises(ValidationError) as caught:
        _save(world, labour_market_status=LabourMarketStatus.UNEMPLOYED)
    assert list(caught.value.message_dict) == ["labour_market_status"]
    assert EntryData.objects.get().labour_market_status == LabourMarketStatus.EMPLOYED


def test_another_organisation_without_consent_cannot_record(world: World) -> None:
    with pytest.raises(PermissionDenied):
        _save(world, actor=world.partner)
    assert not EntryData.objects.exists()


def test_another_organisation_with_consent_records_only_what_the_consent_shares(
    world: World,
) -> None:
    f.ConsentFactory(
        client=world.client,
        organisations=[world.org_b],
        categories=[DataCategory.IDENTITY, DataCategory.EMPLOYMENT, DataCategory.EDUCATION],
    )
    f.CareTeamMemberFactory(client=world.client, membership=world.partner)
    entry = _save(
        world,
        actor=world.partner,
        disability=None,
        minority=None,
        homeless=None,
        foreign_background=NO,
    )
    assert _answers(entry)["foreign_background"] == NO
    with pytest.raises(ValidationError):
        _save(world, actor=world.partner, disability=YES, minority=None, homeless=None)


ANSWERS = st.sampled_from([None, *SensitiveAnswer.values])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    consent=st.booleans(), answers=st.fixed_dictionaries(dict.fromkeys(SENSITIVE_FIELDS, ANSWERS))
)
def test_no_sensitive_answer_is_ever_held_without_consent(
    world: World, consent: bool, answers: dict[str, str | None]
) -> None:
    """Property: whatever is submitted, either it is refused and nothing changes, or what is
    stored is what was given (None: unchanged) with consent, and only "not asked" without."""
    EntryData.objects.all().delete()
    given_answers = [a for a in answers.values() if a is not None]
    refused = not consent and any(a != NOT_ASKED for a in given_answers)
    try:
        entry = _save(world, sensitive_consent=consent, **answers)
    except ValidationError:
        assert refused
        assert not EntryData.objects.exists()
        return
    assert not refused
    stored = _answers(entry)
    for name, answer in answers.items():
        assert stored[name] == (answer if consent and answer is not None else NOT_ASKED)
