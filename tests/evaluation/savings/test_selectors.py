"""The savings of a programme's participants from the database: who counts, which jobs count,
what is hidden, and who may see it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from polku.core.roles import Role
from polku.evaluation.models.savings import SavingsRuleSet
from polku.evaluation.savings import selectors
from polku.evaluation.savings.calculator import Saving
from polku.ips.outcomes.periods import Month
from tests import factories as f
from tests.evaluation.factories import ProgrammeCostFactory
from tests.evaluation.savings.scenario import AS_OF, ENTRY, participant

pytestmark = pytest.mark.django_db

D = Decimal
# 10 weekdays at day 1101–1110 under the 2015–2024 rule (70 %): 260.47 municipal, 111.63 state.
ONE = Saving(D("260.47"), D("111.63"))


@pytest.fixture
def manager() -> Any:
    return f.MembershipFactory(role=Role.PROGRAMME_MANAGER)


@pytest.fixture
def enacted() -> SavingsRuleSet:
    return SavingsRuleSet.objects.get(code="fi-enacted")


def _report(viewer: Any, programme: Any, rule_set: SavingsRuleSet, **kwargs: Any) -> Any:
    return selectors.savings_report(
        viewer, programme=programme, rule_set=rule_set, as_of=AS_OF, **kwargs
    )


def test_five_people_in_work_show_their_savings_against_the_cost(
    manager: Any, enacted: SavingsRuleSet, django_assert_max_num_queries: Any
) -> None:
    programme = f.ProgrammeFactory()
    for _index in range(5):
        participant(programme)
    ProgrammeCostFactory(programme=programme, month=dt.date(2024, 9, 1), amount=D("1000.00"))
    ProgrammeCostFactory(programme=programme, month=dt.date(2024, 9, 1), amount=D("200.00"))
    ProgrammeCostFactory(programme=programme, month=dt.date(2024, 8, 1), amount=D("999.00"))
    # Episodes, placements, the rule set's rows and the costs: four, whatever the cohort.
    with django_assert_max_num_queries(4):
        report = _report(manager, programme, enacted)
    assert report.shown is True
    assert (report.without_days_shown, report.people, report.people_shown) == ("0", 5, "5")
    assert report.total == Saving(D("1302.35"), D("558.15"))  # 5 × ONE
    assert report.cost == D("1200.00")  # September's two costs; August is before the entry
    assert report.net == D("102.35")
    assert [str(row.month) for row in report.months] == ["2024-09", "2024-10", "2024-11", "2024-12"]
    september = report.months[0]
    assert (september.people, september.saving, september.cost) == (
        "5",
        Saving(D("1302.35"), D("558.15")),
        D("1200.00"),
    )
    assert (report.months[1].people, report.months[1].saving) == ("0", Saving())
    assert report.observed is not None
    assert report.observed.employment_rate == D("1.00")
    assert report.observed.months_in_work == D("0.5")  # 10 weekdays ÷ 21.5
    assert report.observed.days_at_entry == 1100


def test_four_people_in_work_show_no_amounts(manager: Any, enacted: SavingsRuleSet) -> None:
    programme = f.ProgrammeFactory()
    for _index in range(4):
        participant(programme)
    participant(programme, job=None)
    report = _report(manager, programme, enacted)
    assert report.shown is False
    assert (report.people, report.people_shown, report.total) == (0, "<5", Saving())
    assert all(row.saving is None and row.people == "–" for row in report.months)
    assert report.observed is None


def test_a_month_of_one_person_is_hidden_and_so_is_the_month_that_would_give_it_away(
    manager: Any, enacted: SavingsRuleSet
) -> None:
    programme = f.ProgrammeFactory()
    for _index in range(5):
        participant(programme)
    participant(programme, job=(dt.date(2024, 10, 7), dt.date(2024, 10, 18)))
    report = _report(manager, programme, enacted)
    assert report.shown is True
    assert report.people == 6
    by_month = {str(row.month): row for row in report.months}
    assert by_month["2024-10"].people == "<5"
    assert by_month["2024-10"].saving is None
    # With October hidden alone, the total less September would be one person's savings.
    assert by_month["2024-09"].people == "5"
    assert by_month["2024-09"].saving is None
    assert by_month["2024-11"].saving == Saving()
    assert report.total == Saving(D("1562.82"), D("669.78"))  # 6 × ONE


def test_only_jobs_from_entry_to_28_days_after_the_exit_count(
    manager: Any, enacted: SavingsRuleSet
) -> None:
    programme = f.ProgrammeFactory()
    for _index in range(5):
        participant(programme)
    # A job that started before entry, and one that started more than 28 days after the exit.
    participant(programme, entry=dt.date(2024, 9, 9), job=(ENTRY, JOB_END_BEFORE))
    participant(
        programme,
        entry=dt.date(2024, 6, 3),
        end=dt.date(2024, 7, 31),
        job=(dt.date(2024, 9, 2), dt.date(2024, 9, 13)),
    )
    # No days on subsidy recorded: left out, and said so.
    participant(programme, days=None)
    report = _report(manager, programme, enacted)
    assert (report.without_days_shown, report.people) == ("<5", 5)
    assert report.total == Saving(D("1302.35"), D("558.15"))


JOB_END_BEFORE = dt.date(2024, 9, 6)


def test_the_report_counts_participants_only_as_they_may_be_published(
    manager: Any, enacted: SavingsRuleSet
) -> None:
    """No exact count of 1–4 and no participant total: another page's total less this one's
    could give the left-out group away."""
    programme = f.ProgrammeFactory()
    for _index in range(5):
        participant(programme)
    for _index in range(3):
        participant(programme, days=None)
    report = _report(manager, programme, enacted)
    assert report.without_days_shown == "<5"
    assert not hasattr(report, "participants")
    assert not hasattr(report, "without_days")
    for _index in range(3):
        participant(programme, days=None)
    assert _report(manager, programme, enacted).without_days_shown == "6"


def test_the_period_of_entry_chooses_the_participants(
    manager: Any, enacted: SavingsRuleSet
) -> None:
    programme = f.ProgrammeFactory()
    for _index in range(5):
        participant(programme)
    for _index in range(5):
        participant(programme, entry=dt.date(2024, 10, 7), job=(dt.date(2024, 10, 7), None))
    report = _report(manager, programme, enacted, entered_from=Month(2024, 10))
    assert report.people == 5
    assert str(report.months[0].month) == "2024-10"


def test_only_programme_managers_and_evaluators_get_savings(enacted: SavingsRuleSet) -> None:
    programme = f.ProgrammeFactory()
    coordinator = f.MembershipFactory(role=Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        _report(coordinator, programme, enacted)
    with pytest.raises(PermissionDenied):
        selectors.savings_summary(coordinator, programme=programme)
    evaluator = f.MembershipFactory(role=Role.EVALUATOR)
    assert _report(evaluator, programme, enacted).people_shown == "0"


def test_the_dashboard_summary_uses_the_default_rule_set(manager: Any) -> None:
    programme = f.ProgrammeFactory()
    for _index in range(5):
        participant(programme)
    ProgrammeCostFactory(programme=programme, month=dt.date(2024, 10, 1), amount=D("500.00"))
    summary = selectors.savings_summary(
        manager, programme=programme, entry_from=dt.date(2024, 9, 15), as_of=AS_OF
    )
    assert summary == selectors.SavingsSummary(
        people=5,
        municipal=D("1302.35"),
        state=D("558.15"),
        total=D("1860.50"),
        cost=D("500.00"),
        rule_set=SavingsRuleSet.objects.get(code="fi-enacted").name,
        shown=True,
    )
    small = selectors.savings_summary(manager, programme=f.ProgrammeFactory(), as_of=AS_OF)
    assert (small.shown, small.people, small.total, small.cost) == (False, 0, D(0), None)
