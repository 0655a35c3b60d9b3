"""The fidelity review workflow: open with the data's suggestions, score, complete; who may,
which values the rules accept, and that a refused or invalid call changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from polku.core.models import Membership
from polku.core.roles import Role
from polku.ips.fidelity.indicators import add_months, default_period, last_day_of_month
from polku.ips.fidelity.services import (
    CONTROL_CHARACTERS,
    ScoreInput,
    can_edit,
    fidelity_review_complete,
    fidelity_review_create,
    fidelity_scores_update,
    period_errors,
)
from polku.ips.models import FidelityReview, FidelityScore, ReviewStatus, TimeActivity
from tests.factories import MembershipFactory, OrganisationFactory, ProgrammeFactory
from tests.ips.test_fidelity_indicators import World, make_world

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def world() -> World:
    """The programme of make_world with one case open for a year."""
    world = make_world()
    world.case(start=TODAY() - dt.timedelta(days=365))
    return world


@pytest.fixture
def manager(world: World) -> Membership:
    return MembershipFactory(organisation=world.city, role=Role.PROGRAMME_MANAGER)


def _values(**overrides: Any) -> dict[str, Any]:
    start, end = default_period(TODAY())  # the six whole months before this one and this one
    return {
        "review_date": TODAY(),
        "period_start": start,
        "period_end": end,
        "reviewers": "Reviewer One, Reviewer Two",
    } | overrides


THIS_MONTH = TODAY().replace(day=1)
LAST_MONTH_END = THIS_MONTH - dt.timedelta(days=1)
CONTROL = "The text contains invisible control characters. Remove them and try again."


def _open(world: World, actor: Membership, **overrides: Any) -> FidelityReview:
    return fidelity_review_create(actor=actor, programme=world.programme, **_values(**overrides))


def _score_all(actor: Membership, review: FidelityReview, score: int = 4) -> None:
    fidelity_scores_update(
        actor=actor,
        review=review,
        scores=[ScoreInput(item=n, score=score, evidence="Seen") for n in range(1, 26)],
    )


def test_a_review_opens_with_suggestions_and_no_scores(world: World, manager: Membership) -> None:
    world.time(300, outside=True, date=TODAY() - dt.timedelta(days=10))
    world.time(100, activity=TimeActivity.ADMIN, date=TODAY() - dt.timedelta(days=10))
    review = _open(world, manager)
    rows = {row.item: (row.suggested, row.score) for row in review.scores.all()}
    assert len(rows) == 25
    assert {score for _suggested, score in rows.values()} == {None}
    assert rows[24] == (5, None)  # 75 % of the time outside the office
    assert rows[2] == (5, None)  # all of it employment work
    assert rows[1] == (5, None)  # one open case
    assert rows[7] == (None, None)  # reviewer only
    assert rows[10] == (None, None)  # informs, never suggests
    assert review.status == ReviewStatus.DRAFT
    assert (review.organisation, review.created_by) == (world.city, manager)
    assert LogEntry.objects.get_for_object(review).count() == 1
    assert LogEntry.objects.filter(content_type__model="fidelityscore").count() == 25


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.EMPLOYMENT_SPECIALIST, Role.EMPLOYER_LIAISON, Role.AUDITOR]
)
def test_only_programme_managers_and_evaluators_open_reviews(world: World, role: str) -> None:
    actor = MembershipFactory(organisation=world.city, role=role)
    with pytest.raises(PermissionDenied):
        _open(world, actor)
    assert FidelityReview.objects.count() == 0


def test_an_evaluator_opens_reviews(world: World) -> None:
    evaluator = MembershipFactory(organisation=OrganisationFactory(), role=Role.EVALUATOR)
    assert _open(world, evaluator).organisation == evaluator.organisation


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"period_start": THIS_MONTH, "period_end": LAST_MONTH_END},
            "period_end",
            "The period must end on or after the day it starts.",
        ),
        (
            {
                "period_end": TODAY() + dt.timedelta(days=1),
                "review_date": TODAY() + dt.timedelta(days=2),
            },
            "period_end",
            "The period cannot end after today.",
        ),
        (
            {"period_start": add_months(THIS_MONTH, -40)},
            "period_start",
            "The period can be at most three years long.",
        ),
        # Periods to the day would let two periods a day apart single out one client.
        (
            {"period_start": add_months(THIS_MONTH, -6) + dt.timedelta(days=1)},
            "period_start",
            "Start the period on the first day of a month.",
        ),
        (
            {"period_end": LAST_MONTH_END - dt.timedelta(days=1)},
            "period_end",
            "End the period on the last day of a month, or today.",
        ),
        (
            {"period_start": add_months(THIS_MONTH, -1)},
            "period_start",
            "The period must be at least three months long.",
        ),
        ({"reviewers": "Reviewer\x0bOne"}, "reviewers", CONTROL),
        ({"notes": "Summary\x1b[31m"}, "notes", CONTROL),
        ({"reviewers": "   "}, "reviewers", "Name the reviewers."),
        ({"reviewers": "x" * 301}, "reviewers", "Use at most 300 characters."),
        (
            {"review_date": TODAY() - dt.timedelta(days=30)},
            "review_date",
            "The review cannot be dated before the end of its period.",
        ),
    ],
)
def test_invalid_reviews_are_refused_by_field_and_nothing_is_written(
    world: World, manager: Membership, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _open(world, manager, **overrides)
    assert refused.value.message_dict == {field: [message]}
    assert FidelityReview.objects.count() == 0
    assert FidelityScore.objects.count() == 0


def test_a_programme_without_ips_cases_is_not_reviewed(world: World, manager: Membership) -> None:
    with pytest.raises(ValidationError) as refused:
        fidelity_review_create(actor=manager, programme=ProgrammeFactory(), **_values())
    assert refused.value.message_dict == {
        "programme": ["The programme has no IPS cases to review."]
    }
    assert FidelityReview.objects.count() == 0


def test_scores_and_evidence_are_recorded_and_only_changes_are_saved(
    world: World, manager: Membership
) -> None:
    review = _open(world, manager)
    fidelity_scores_update(
        actor=manager,
        review=review,
        scores=[ScoreInput(1, 5, "  Caseloads of 15–18  "), ScoreInput(7, 3, "")],
        notes="Strong start",
    )
    before = LogEntry.objects.count()
    fidelity_scores_update(
        actor=manager,
        review=review,
        scores=[ScoreInput(1, 5, "Caseloads of 15–18"), ScoreInput(7, 2, "Supervision monthly")],
    )
    rows = {row.item: (row.score, row.evidence) for row in review.scores.all()}
    assert rows[1] == (5, "Caseloads of 15–18")
    assert rows[7] == (2, "Supervision monthly")
    assert rows[8] == (None, "")
    review.refresh_from_db()
    assert review.notes == "Strong start"
    assert LogEntry.objects.count() == before + 1  # item 7 only: item 1 did not change


@pytest.mark.parametrize(
    ("entries", "errors"),
    [
        ([ScoreInput(3, 6)], {"score_3": ["Score the item from 1 to 5, or leave it empty."]}),
        ([ScoreInput(3, 0)], {"score_3": ["Score the item from 1 to 5, or leave it empty."]}),
        ([ScoreInput(26, 3)], {"scores": ["Give each item from 1 to 25 at most once."]}),
        (
            [ScoreInput(2, 3), ScoreInput(2, 4)],
            {"scores": ["Give each item from 1 to 25 at most once."]},
        ),
        ([ScoreInput(4, 3, "x" * 5001)], {"evidence_4": ["Use at most 5000 characters."]}),
        # A workbook cannot hold control characters: the XLSX report would fail on them.
        ([ScoreInput(2, 3, "line\x0bbreak")], {"evidence_2": [CONTROL]}),
        ([ScoreInput(2, 3, "nul\x00")], {"evidence_2": [CONTROL]}),
        ([ScoreInput(2, 3, "del\x7f")], {"evidence_2": [CONTROL]}),
    ],
)
def test_invalid_scores_are_refused_and_nothing_changes(
    world: World, manager: Membership, entries: list[ScoreInput], errors: dict[str, list[str]]
) -> None:
    review = _open(world, manager)
    with pytest.raises(ValidationError) as refused:
        fidelity_scores_update(actor=manager, review=review, scores=[ScoreInput(1, 4), *entries])
    assert refused.value.message_dict == errors
    assert list(review.scores.exclude(score=None)) == []


def test_another_organisations_reviewer_may_not_score(world: World, manager: Membership) -> None:
    review = _open(world, manager)
    other = MembershipFactory(organisation=OrganisationFactory(), role=Role.PROGRAMME_MANAGER)
    assert not can_edit(other, review)
    with pytest.raises(PermissionDenied):
        fidelity_scores_update(actor=other, review=review, scores=[ScoreInput(1, 4)])
    with pytest.raises(PermissionDenied):
        fidelity_review_complete(actor=other, review=review)
    assert list(review.scores.exclude(score=None)) == []


def test_a_review_completes_only_when_every_item_is_scored(
    world: World, manager: Membership
) -> None:
    review = _open(world, manager)
    fidelity_scores_update(
        actor=manager,
        review=review,
        scores=[ScoreInput(n, 4) for n in range(1, 26) if n not in (3, 18, 25)],
    )
    with pytest.raises(ValidationError) as refused:
        fidelity_review_complete(actor=manager, review=review)
    assert refused.value.messages == [
        "Score every item before completing the review. Not scored yet: 3, 18, 25."
    ]
    assert refused.value.error_list[0].code == "unscored"
    review.refresh_from_db()
    assert (review.status, review.completed_at) == (ReviewStatus.DRAFT, None)
    fidelity_scores_update(
        actor=manager, review=review, scores=[ScoreInput(n, 5) for n in (3, 18, 25)]
    )
    completed = fidelity_review_complete(actor=manager, review=review)
    assert completed.status == ReviewStatus.COMPLETED
    assert completed.completed_at is not None


def test_a_completed_review_is_read_only(world: World, manager: Membership) -> None:
    review = _open(world, manager)
    _score_all(manager, review)
    review = fidelity_review_complete(actor=manager, review=review)
    assert not can_edit(manager, review)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        fidelity_scores_update(actor=manager, review=review, scores=[ScoreInput(1, 1)])
    with pytest.raises(ValidationError, match="can no longer be changed"):
        fidelity_review_complete(actor=manager, review=review)
    assert set(review.scores.values_list("score", flat=True)) == {4}


def test_tabs_and_line_breaks_are_text_and_notes_with_control_characters_are_refused(
    world: World, manager: Membership
) -> None:
    review = _open(world, manager)
    fidelity_scores_update(
        actor=manager, review=review, scores=[ScoreInput(3, 4, "First line\r\nSecond\tline")]
    )
    assert review.scores.get(item=3).evidence == "First line\r\nSecond\tline"
    with pytest.raises(ValidationError) as refused:
        fidelity_scores_update(
            actor=manager, review=review, scores=[ScoreInput(3, 5)], notes="Bell\x07"
        )
    assert refused.value.message_dict == {"notes": [CONTROL]}
    assert review.scores.get(item=3).score == 4


@given(st.characters(categories=["Cc"]))
def test_every_control_character_but_tab_and_line_breaks_is_refused(character: str) -> None:
    assert bool(CONTROL_CHARACTERS.search(f"a{character}b")) == (character not in "\t\n\r")


@given(
    start=st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)),
    end=st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)),
    today=st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)),
)
def test_an_accepted_period_is_whole_months_of_three_to_thirty_six(
    start: dt.date, end: dt.date, today: dt.date
) -> None:
    if period_errors(start, end, today=today):
        return
    assert start.day == 1
    assert end <= today
    assert end in (today, last_day_of_month(end))
    assert end >= add_months(start, 3) - dt.timedelta(days=1)
    assert end < add_months(start, 36)


@given(
    first=st.dates(dt.date(2020, 1, 1), dt.date(2024, 12, 31)),
    months=st.integers(3, 36),
    later=st.integers(0, 400),
)
def test_whole_months_from_three_to_thirty_six_are_accepted(
    first: dt.date, months: int, later: int
) -> None:
    start = first.replace(day=1)
    end = add_months(start, months) - dt.timedelta(days=1)
    assert period_errors(start, end, today=end + dt.timedelta(days=later)) == {}
    # The running month up to today, too.
    running = add_months(start, months - 1) + dt.timedelta(days=later % 28)
    if running >= add_months(start, 3) - dt.timedelta(days=1):
        assert period_errors(start, running, today=running) == {}
