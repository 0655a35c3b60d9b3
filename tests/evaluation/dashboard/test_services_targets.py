"""Setting a programme's targets: who may, what is refused, and that a refusal changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from polku.core.roles import Role
from polku.evaluation.models import ProgrammeTarget, TargetMeasure
from polku.evaluation.services_targets import _error, programme_targets_set
from tests import factories as f
from tests.evaluation.factories import ProgrammeTargetFactory

pytestmark = pytest.mark.django_db
M = TargetMeasure


def _saved(programme) -> dict[str, Decimal]:  # type: ignore[no-untyped-def]
    return dict(ProgrammeTarget.objects.filter(programme=programme).values_list("measure", "value"))


def test_a_manager_sets_changes_and_removes_targets() -> None:
    programme = f.ProgrammeFactory()
    manager = f.MembershipFactory(role=Role.PROGRAMME_MANAGER, organisation=programme.organisation)
    ProgrammeTargetFactory(programme=programme, measure=M.HIRING_EMPLOYERS, value=Decimal(60))
    ProgrammeTargetFactory(programme=programme, measure=M.EMPLOYED_AT_EXIT, value=Decimal(30))

    result = programme_targets_set(
        actor=manager,
        programme=programme,
        targets={
            M.PARTICIPANTS: Decimal(350),
            M.WORK_OR_TRAINING_AT_EXIT: Decimal("50.5"),
            M.HIRING_EMPLOYERS: None,
        },
    )

    expected = {
        M.PARTICIPANTS: Decimal(350),
        M.WORK_OR_TRAINING_AT_EXIT: Decimal("50.5"),
        M.EMPLOYED_AT_EXIT: Decimal(30),  # not given: unchanged
    }
    assert result == expected
    assert _saved(programme) == expected
    # The change audit names who made each of the three changes (two set, one removed).
    entries = LogEntry.objects.filter(content_type__model="programmetarget", actor=manager.user)
    assert sorted(entries.values_list("action", flat=True)) == [
        LogEntry.Action.CREATE,
        LogEntry.Action.CREATE,
        LogEntry.Action.DELETE,
    ]


@pytest.mark.parametrize(
    ("targets", "field"),
    [
        ({M.WORK_OR_TRAINING_AT_EXIT: Decimal("100.1")}, M.WORK_OR_TRAINING_AT_EXIT),
        ({M.EMPLOYED_AT_EXIT: Decimal(-1)}, M.EMPLOYED_AT_EXIT),
        ({M.EMPLOYED_AT_EXIT: Decimal("10.25")}, M.EMPLOYED_AT_EXIT),
        ({M.PARTICIPANTS: Decimal("10.5")}, M.PARTICIPANTS),
        ({M.HIRING_EMPLOYERS: Decimal(-3)}, M.HIRING_EMPLOYERS),
        ({"costs": Decimal(1)}, "costs"),
    ],
)
def test_invalid_targets_are_refused_by_field_and_change_nothing(
    targets: dict[str, Decimal], field: str
) -> None:
    programme = f.ProgrammeFactory()
    manager = f.MembershipFactory(role=Role.PROGRAMME_MANAGER, organisation=programme.organisation)
    ProgrammeTargetFactory(programme=programme, measure=M.PARTICIPANTS, value=Decimal(100))
    # A valid change beside the invalid one is not made either.
    with pytest.raises(ValidationError) as error:
        programme_targets_set(
            actor=manager,
            programme=programme,
            targets={M.PARTICIPANTS: Decimal(200), **targets},
        )
    assert set(error.value.message_dict) == {field}
    assert _saved(programme) == {M.PARTICIPANTS: Decimal(100)}


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.COORDINATOR])
def test_only_programme_managers_set_targets(role: str) -> None:
    programme = f.ProgrammeFactory()
    member = f.MembershipFactory(role=role, organisation=programme.organisation)
    with pytest.raises(PermissionDenied):
        programme_targets_set(
            actor=member, programme=programme, targets={M.PARTICIPANTS: Decimal(1)}
        )
    assert _saved(programme) == {}


def test_a_manager_of_another_organisation_cannot_set_them() -> None:
    programme = f.ProgrammeFactory()
    outsider = f.MembershipFactory(role=Role.PROGRAMME_MANAGER)
    with pytest.raises(PermissionDenied):
        programme_targets_set(
            actor=outsider, programme=programme, targets={M.PARTICIPANTS: Decimal(1)}
        )
    assert _saved(programme) == {}


@given(st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False))
def test_a_percentage_is_accepted_exactly_from_0_to_100_with_one_decimal(value: Decimal) -> None:
    accepted = _error(M.EMPLOYED_AT_EXIT, value) is None
    assert accepted == (Decimal(0) <= value <= 100 and value == value.quantize(Decimal("0.1")))


@given(st.decimals(min_value=-1000, max_value=10**10, places=1, allow_nan=False))
def test_a_count_is_accepted_exactly_as_a_whole_number_of_0_or_more(value: Decimal) -> None:
    accepted = _error(M.PARTICIPANTS, value) is None
    assert accepted == (0 <= value <= 999_999_999 and value == value.to_integral_value())
