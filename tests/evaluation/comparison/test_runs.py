"""Runs of the estimators: parameters checked, the run queued and computed in the background,
and on a hand-built programme and comparison group the effect comes out as built."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.comparison import parameters as p
from polku.evaluation.comparison.services import run_request
from polku.evaluation.models import ComparisonGroup, ComparisonRun, EntryData, RunStatus
from tests import factories as f
from tests.evaluation.comparison.helpers import (
    IMMEDIATE_TASKS,
    ComparisonGroupFactory,
    ComparisonMemberFactory,
    members,
    participants,
)

pytestmark = pytest.mark.django_db

QUICK = {"bootstrap": 100}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    """Runs are computed as soon as they are queued (the worker's job, done in the test)."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def manager() -> Membership:
    return f.MembershipFactory(role=Role.PROGRAMME_MANAGER)


@pytest.fixture
def group(manager: Membership) -> ComparisonGroup:
    """Ten participants with 8 of the 12 months after entry in work and 1 before; ten
    comparison persons like them (genders, ages, months unemployed) with 3 after and 1 before.
    Whoever is matched with whom, the effect is 8 − 3 = 5 months, and the difference in
    differences (8 − 1) − (3 − 1) = 5."""
    programme = f.ProgrammeFactory(organisation=manager.organisation)
    participants(programme, count=10, months_after=8, months_before=1)
    group = ComparisonGroupFactory(programme=programme)
    members(group, count=10, months_after=3)
    return group


Run = Callable[..., ComparisonRun]


@pytest.fixture
def run(
    manager: Membership, group: ComparisonGroup, django_capture_on_commit_callbacks: Any
) -> Run:
    """Ask for a run and let the background job run when the request's transaction commits."""

    def _run(
        parameters: dict[str, Any] | None = None, *, actor: Membership = manager
    ) -> ComparisonRun:
        with django_capture_on_commit_callbacks(execute=True):
            queued = run_request(actor=actor, group=group, parameters=parameters or QUICK)
        queued.refresh_from_db()
        return queued

    return _run


def test_the_defaults_are_the_usual_choices() -> None:
    assert p.clean({}) == {
        "outcome": "months_employed_after",
        "covariates": ["gender", "age", "months_unemployed"],
        "caliper": 0.2,
        "replacement": False,
        "bootstrap": 500,
    }


@pytest.mark.parametrize(
    ("given_parameters", "errors"),
    [
        (
            {"outcome": "salary"},
            {"outcome": ["Choose one of: months_employed_after, employed_6m, employed_12m."]},
        ),
        (
            {"covariates": []},
            {
                "covariates": [
                    "Choose one or more of: gender, age, months_unemployed, isced_level, "
                    "months_employed_before."
                ]
            },
        ),
        (
            {"covariates": ["age", "shoe_size"]},
            {
                "covariates": [
                    "Choose one or more of: gender, age, months_unemployed, isced_level, "
                    "months_employed_before."
                ]
            },
        ),
        ({"covariates": ["age", "age"]}, {"covariates": ["Give each covariate once."]}),
        ({"caliper": 0}, {"caliper": ["Give a number from 0.01 to 2, or no caliper."]}),
        ({"caliper": "0.2"}, {"caliper": ["Give a number from 0.01 to 2, or no caliper."]}),
        ({"caliper": float("nan")}, {"caliper": ["Give a number from 0.01 to 2, or no caliper."]}),
        ({"replacement": "yes"}, {"replacement": ["Give true or false."]}),
        ({"bootstrap": 99}, {"bootstrap": ["Give a whole number from 100 to 2000."]}),
        ({"bootstrap": True}, {"bootstrap": ["Give a whole number from 100 to 2000."]}),
        ({"seed": 1}, {"non_field_errors": ["Unknown parameters: seed."]}),
    ],
)
def test_faulty_parameters_are_refused_by_field(
    given_parameters: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as raised:
        p.clean(given_parameters)
    assert raised.value.message_dict == errors


@given(
    outcome=st.sampled_from(list(p.OUTCOMES)),
    covariates=st.lists(st.sampled_from(list(p.COVARIATES)), min_size=1, unique=True),
    caliper=st.none() | st.floats(p.CALIPER_MIN, p.CALIPER_MAX),
    replacement=st.booleans(),
    bootstrap=st.integers(p.BOOTSTRAP_MIN, p.BOOTSTRAP_MAX),
)
def test_any_valid_parameters_are_kept_in_a_canonical_order(
    outcome: str, covariates: list[str], caliper: float | None, replacement: bool, bootstrap: int
) -> None:
    raw = {
        "outcome": outcome,
        "covariates": covariates,
        "caliper": caliper,
        "replacement": replacement,
        "bootstrap": bootstrap,
    }
    cleaned = p.clean(raw)
    assert cleaned == raw | {"covariates": [c for c in p.COVARIATES if c in covariates]}
    assert p.clean(cleaned) == cleaned


@given(bootstrap=st.integers().filter(lambda n: not p.BOOTSTRAP_MIN <= n <= p.BOOTSTRAP_MAX))
def test_any_bootstrap_count_out_of_range_is_refused(bootstrap: int) -> None:
    with pytest.raises(ValidationError) as raised:
        p.clean({"bootstrap": bootstrap})
    assert set(raised.value.message_dict) == {"bootstrap"}


def test_the_effect_on_a_hand_built_programme_is_as_built(run: Run) -> None:
    done = run({"bootstrap": 200})

    assert (done.status, done.error) == (RunStatus.DONE, "")
    assert done.finished_at is not None
    result = done.result
    assert result is not None
    psm = result["psm"]
    assert psm["att"] == pytest.approx(5.0)
    # Every resample gives the same 5: the interval is the point.
    assert (psm["lower"], psm["upper"]) == (pytest.approx(5.0), pytest.approx(5.0))
    assert (psm["n_treated"], psm["n_control"], psm["n_matched_treated"]) == (10, 10, 10)
    assert psm["n_unmatched_treated"] == 0
    assert [row["covariate"] for row in psm["balance"]] == ["woman", "age", "months_unemployed"]
    # The two sides were built alike: no difference before matching.
    assert [row["smd_before"] for row in psm["balance"]] == [pytest.approx(0.0)] * 3
    assert (result["participants"], result["members"]) == (10, 10)
    assert (result["dropped_treated"], result["dropped_control"]) == (0, 0)
    did = result["did"]
    assert did["estimate"] == pytest.approx(5.0)
    assert (did["treated_before"], did["treated_after"]) == (pytest.approx(1.0), pytest.approx(8.0))
    assert (did["control_before"], did["control_after"]) == (pytest.approx(1.0), pytest.approx(3.0))
    assert (did["n_treated"], did["n_control"]) == (10, 10)
    assert result["did_error"] == ""


def test_rows_missing_a_chosen_covariate_are_left_out_and_counted(
    run: Run, group: ComparisonGroup
) -> None:
    # Education varies on both sides, and three more comparison persons have it unknown.
    group.members.filter(age__lt=35).update(isced_level=4)
    EntryData.objects.filter(episode__client__date_of_birth__year__gt=1995).update(isced_level=4)
    ComparisonMemberFactory.create_batch(3, group=group, isced_level=None, age=40)

    done = run({"covariates": ["age", "isced_level"], **QUICK})

    assert done.status == RunStatus.DONE
    assert done.result is not None
    assert (done.result["dropped_treated"], done.result["dropped_control"]) == (0, 3)
    assert done.result["psm"]["n_control"] == 10


def test_too_few_participants_fail_the_run_with_a_reason(
    manager: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    programme = f.ProgrammeFactory(organisation=manager.organisation)
    participants(programme, count=3)
    group = ComparisonGroupFactory(programme=programme)
    members(group, count=10)

    with django_capture_on_commit_callbacks(execute=True):
        queued = run_request(actor=manager, group=group, parameters=QUICK)
    queued.refresh_from_db()

    assert queued.status == RunStatus.FAILED
    assert queued.result is None
    assert queued.error == "Too few participants with the data needed: <5; at least 5 are needed."


def test_a_run_asked_for_in_finnish_gives_its_reason_in_finnish(
    manager: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import translation

    programme = f.ProgrammeFactory(organisation=manager.organisation)
    group = ComparisonGroupFactory(programme=programme)
    members(group, count=10)

    with translation.override("fi"), django_capture_on_commit_callbacks(execute=True):
        queued = run_request(actor=manager, group=group, parameters=QUICK)
    queued.refresh_from_db()

    assert queued.status == RunStatus.FAILED
    with translation.override("fi"):
        from django.utils.translation import gettext

        expected = gettext(
            "Too few participants with the data needed: %(count)s; at least %(minimum)d are needed."
        ) % {"count": "0", "minimum": 5}
    assert queued.error == expected


def test_a_constant_covariate_fails_the_run_naming_it(run: Run, group: ComparisonGroup) -> None:
    done = run({"covariates": ["isced_level"], **QUICK})

    assert done.status == RunStatus.FAILED
    assert "isced_level" in done.error


def test_a_difference_in_differences_that_cannot_be_estimated_leaves_the_matching(
    manager: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    programme = f.ProgrammeFactory(organisation=manager.organisation)
    participants(programme, count=6)
    group = ComparisonGroupFactory(programme=programme)
    members(group, count=6)
    group.members.update(months_employed_before=None)

    with django_capture_on_commit_callbacks(execute=True):
        queued = run_request(actor=manager, group=group, parameters=QUICK)
    queued.refresh_from_db()

    assert queued.status == RunStatus.DONE
    assert queued.result is not None
    assert queued.result["did"] is None
    assert queued.result["did_error"] == (
        "Too few comparison group members with the data needed: 0; at least 5 are needed."
    )


def test_a_coordinator_may_not_ask_for_a_run(group: ComparisonGroup) -> None:
    coordinator = f.MembershipFactory(role=Role.COORDINATOR)

    with pytest.raises(PermissionDenied):
        run_request(actor=coordinator, group=group, parameters=QUICK)
    assert not ComparisonRun.objects.exists()


def test_faulty_parameters_queue_nothing(manager: Membership, group: ComparisonGroup) -> None:
    with pytest.raises(ValidationError):
        run_request(actor=manager, group=group, parameters={"bootstrap": 5})
    assert not ComparisonRun.objects.exists()


def test_a_second_run_waits_for_the_first(manager: Membership, group: ComparisonGroup) -> None:
    # Without the on-commit callbacks the first run stays queued, as while the worker is busy.
    first = run_request(actor=manager, group=group, parameters=QUICK)

    with pytest.raises(ValidationError) as raised:
        run_request(actor=manager, group=group, parameters=QUICK)
    assert raised.value.code == "run_pending"
    assert list(ComparisonRun.objects.all()) == [first]
    assert first.status == RunStatus.QUEUED
    assert first.requested_by == manager.user


def test_a_run_of_someone_no_longer_allowed_fails(
    manager: Membership, group: ComparisonGroup, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        queued = run_request(actor=manager, group=group, parameters=QUICK)
    manager.role = Role.COORDINATOR
    manager.save()
    for callback in callbacks:
        callback()
    queued.refresh_from_db()

    assert queued.status == RunStatus.FAILED
    assert queued.error == "The person who asked for this run may no longer evaluate the programme."
