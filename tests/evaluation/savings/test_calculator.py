"""The savings calculation on hand-computed cases, and its properties.

Every expected amount below is worked out by hand in the comment beside it: weekdays are counted
on the calendar (public holidays are paid days too, as weekdays), the full labour market subsidy
is €37.21 a day, and each month's total and municipal savings are rounded to cents (half up),
the state's being the difference.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polku.evaluation.savings.calculator import (
    DAY,
    MONTH,
    Job,
    Person,
    Rule,
    Saving,
    cohort_savings,
    person_savings,
    project,
    weekdays_between,
)
from polku.ips.outcomes.periods import Month

D = Decimal
DAILY = D("37.21")


def _rule(  # noqa: PLR0917  (a table row, read as one)
    start: dt.date,
    end: dt.date | None,
    low: int,
    high: int | None,
    municipal: str,
    amount: Decimal = DAILY,
    unit: str = DAY,
) -> Rule:
    return Rule(
        valid_from=start,
        valid_until=end,
        days_from=low,
        days_to=high,
        municipal_share=D(municipal),
        state_share=1 - D(municipal),
        amount=amount,
        unit=unit,
    )


# 555/1998 8 §, 2015–2024: 0 % to day 300, 50 % to day 1000, 70 % after.
OLD = (dt.date(2015, 1, 1), dt.date(2024, 12, 31))
OLD_RULE = [
    _rule(*OLD, 1, 300, "0"),
    _rule(*OLD, 301, 1000, "0.5"),
    _rule(*OLD, 1001, None, "0.7"),
]
# The 2025 steps as shipped (provisional): 0 % to day 100, then 10 % more every 100 days, 45 %
# from day 501.
NEW = (dt.date(2025, 1, 1), None)
STEPS_2025 = [
    _rule(*NEW, 1, 100, "0"),
    _rule(*NEW, 101, 200, "0.1"),
    _rule(*NEW, 201, 300, "0.2"),
    _rule(*NEW, 301, 400, "0.3"),
    _rule(*NEW, 401, 500, "0.4"),
    _rule(*NEW, 501, None, "0.45"),
]
ENACTED = OLD_RULE + STEPS_2025


def _months(savings: dict[Month, Saving]) -> dict[str, tuple[Decimal, Decimal]]:
    return {str(month): (s.municipal, s.state) for month, s in savings.items()}


def test_weekdays_are_counted_on_the_calendar() -> None:
    assert weekdays_between(dt.date(2024, 3, 4), dt.date(2024, 3, 31)) == 20
    assert weekdays_between(dt.date(2024, 4, 1), dt.date(2024, 4, 30)) == 22
    assert weekdays_between(dt.date(2024, 3, 9), dt.date(2024, 3, 10)) == 0  # a weekend
    assert weekdays_between(dt.date(2024, 3, 10), dt.date(2024, 3, 9)) == 0


def test_old_rule_a_person_at_day_250_working_100_days_crosses_day_300() -> None:
    # Entry and job on Monday 4 March 2024 at 250 days; 100 weekdays to Friday 19 July.
    # March 20 weekdays (days 251–270), April 22 (271–292): state only.
    # May 23 (293–315): 8 at 0 %, 15 at 50 %: 15 × 37.21 × 0.5 = 279.075 → 279.08.
    # June 20 (316–335) at 50 %: 372.10. July 15 (336–350) at 50 %: 279.08.
    person = Person(
        entry=dt.date(2024, 3, 4),
        days_at_entry=250,
        jobs=(Job(dt.date(2024, 3, 4), dt.date(2024, 7, 19)),),
    )
    savings = person_savings(person, OLD_RULE, until=dt.date(2024, 12, 31))
    assert _months(savings) == {
        "2024-03": (D("0.00"), D("744.20")),  # 20 × 37.21
        "2024-04": (D("0.00"), D("818.62")),  # 22 × 37.21
        "2024-05": (D("279.08"), D("576.75")),  # of 23 × 37.21 = 855.83 in all
        "2024-06": (D("372.10"), D("372.10")),
        "2024-07": (D("279.08"), D("279.07")),  # of 15 × 37.21 = 558.15
    }
    total = sum(savings.values(), Saving())
    assert total.municipal == D("930.26")  # 50 × 18.605 = 930.25, plus two half cents
    assert total.total == D("3721.00")  # 100 days × 37.21, all of it avoided


def test_2025_steps_a_person_at_day_150_working_100_days() -> None:
    # Monday 3 March 2025 to Friday 18 July 2025: 100 weekdays, days 151–250.
    # Days 151–200 at 10 % and 201–250 at 20 %: 50 × 3.721 + 50 × 7.442 = 558.15.
    # Under the old rule the same 100 days would save the municipality nothing.
    person = Person(
        entry=dt.date(2025, 3, 3),
        days_at_entry=150,
        jobs=(Job(dt.date(2025, 3, 3), dt.date(2025, 7, 18)),),
    )
    new = sum(person_savings(person, STEPS_2025, until=dt.date(2025, 12, 31)).values(), Saving())
    assert new.municipal == D("558.15")
    assert new.total == D("3721.00")
    old_dates = Person(
        entry=dt.date(2024, 3, 4),
        days_at_entry=150,
        jobs=(Job(dt.date(2024, 3, 4), dt.date(2024, 7, 19)),),
    )
    old = sum(person_savings(old_dates, OLD_RULE, until=dt.date(2024, 12, 31)).values(), Saving())
    assert old.municipal == D("0.00")


def test_an_ended_placement_stops_the_saving() -> None:
    # Two weeks in work from Monday 2 September 2024 at day 1101 (70 %): 10 × 37.21 × 0.7.
    person = Person(
        entry=dt.date(2024, 9, 2),
        days_at_entry=1100,
        jobs=(Job(dt.date(2024, 9, 2), dt.date(2024, 9, 13)),),
    )
    savings = person_savings(person, OLD_RULE, until=dt.date(2024, 12, 31))
    assert _months(savings) == {"2024-09": (D("260.47"), D("111.63"))}


def test_a_job_going_on_saves_until_the_report_date() -> None:
    person = Person(entry=dt.date(2024, 9, 2), days_at_entry=1100, jobs=(Job(dt.date(2024, 9, 2)),))
    savings = person_savings(person, OLD_RULE, until=dt.date(2024, 9, 13))
    assert _months(savings) == {"2024-09": (D("260.47"), D("111.63"))}


def test_the_rule_changes_on_1_january_2025_in_the_middle_of_a_job() -> None:
    # 400 days at entry on Monday 2 December 2024, in work to Friday 31 January 2025.
    # December: 22 weekdays, days 401–422, old rule 50 %: 22 × 18.605 = 409.31.
    # January: 23 weekdays, days 423–445, 2025 step 401–500 at 40 %: 23 × 14.884 = 342.332.
    person = Person(
        entry=dt.date(2024, 12, 2),
        days_at_entry=400,
        jobs=(Job(dt.date(2024, 12, 2), dt.date(2025, 1, 31)),),
    )
    savings = person_savings(person, ENACTED, until=dt.date(2025, 6, 30))
    assert _months(savings) == {
        "2024-12": (D("409.31"), D("409.31")),
        "2025-01": (D("342.33"), D("513.50")),  # 23 × 37.21 = 855.83 in all
    }


def test_the_days_unemployed_before_the_job_count_five_a_week() -> None:
    # 290 days at entry on Monday 1 January 2024; two weeks unemployed (days 291–300), then a
    # job from Monday 15 January for five days: days 301–305, all at 50 %: 5 × 18.605.
    person = Person(
        entry=dt.date(2024, 1, 1),
        days_at_entry=290,
        jobs=(Job(dt.date(2024, 1, 15), dt.date(2024, 1, 19)),),
    )
    savings = person_savings(person, OLD_RULE, until=dt.date(2024, 12, 31))
    assert _months(savings) == {"2024-01": (D("93.03"), D("93.02"))}  # of 186.05


def test_overlapping_jobs_count_each_day_once() -> None:
    person = Person(
        entry=dt.date(2024, 9, 2),
        days_at_entry=1100,
        jobs=(
            Job(dt.date(2024, 9, 2), dt.date(2024, 9, 13)),
            Job(dt.date(2024, 9, 9), dt.date(2024, 9, 13)),
        ),
    )
    savings = person_savings(person, OLD_RULE, until=dt.date(2024, 12, 31))
    assert _months(savings) == {"2024-09": (D("260.47"), D("111.63"))}


def test_days_with_no_rule_in_force_save_nothing() -> None:
    person = Person(entry=dt.date(2025, 3, 3), days_at_entry=1100, jobs=(Job(dt.date(2025, 3, 3)),))
    assert person_savings(person, OLD_RULE, until=dt.date(2025, 6, 30)) == {}


def test_a_monthly_amount_is_saved_in_proportion_to_the_weekdays_worked() -> None:
    # Social assistance 9 135 a month, all municipal. April 2024 has 22 weekdays; working from
    # Monday 15 April saves 12/22 of it: 4 982.727… → 4 982.73; the whole of May saves 9 135.
    monthly = [_rule(dt.date(2017, 1, 1), None, 1, None, "1", D("9135"), MONTH)]
    person = Person(
        entry=dt.date(2024, 4, 1),
        days_at_entry=0,
        jobs=(Job(dt.date(2024, 4, 15), dt.date(2024, 5, 31)),),
    )
    savings = person_savings(person, monthly, until=dt.date(2024, 12, 31))
    assert _months(savings) == {
        "2024-04": (D("4982.73"), D("0.00")),
        "2024-05": (D("9135.00"), D("0.00")),
    }


def test_cohort_totals_know_who_contributed_to_each_month() -> None:
    working = Person(
        entry=dt.date(2024, 9, 2), days_at_entry=1100, jobs=(Job(dt.date(2024, 9, 2)),)
    )
    early = Person(entry=dt.date(2024, 9, 2), days_at_entry=10, jobs=(Job(dt.date(2024, 9, 2)),))
    idle = Person(entry=dt.date(2024, 9, 2), days_at_entry=1100)
    totals = cohort_savings([working, early, idle], OLD_RULE, until=dt.date(2024, 10, 31))
    # `early` saves the state only (days 11–…), which is a saving too; `idle` saves nothing.
    assert totals.people == {0, 1}
    assert totals.people_by_month[Month(2024, 9)] == {0, 1}
    # September from the 2nd: 21 weekdays; October: 23.
    assert totals.by_month[Month(2024, 9)] == Saving(D("546.99"), D("1015.83"))  # 234.42 + 781.41
    assert totals.total.total == D("3274.48")  # (21 + 23) × 37.21 × 2


def test_helsinki_175_people_in_work_save_about_a_million_euros_a_year() -> None:
    # Helsinki's estimate (../seeds/000_*): about €1 M a year in municipal contributions when
    # 175 people find work. Inputs: 175 participants, all in work (rate 1), for 12 months
    # (12 × 21.5 = 258 paid days), starting at day 871 under the 2015–2024 rule: days 872–1000
    # at 50 % and 1001–1129 at 70 %, a mean share of 60 %, as for a group of whom half are past
    # 1 000 days. Per person 129 × 18.605 + 129 × 26.047 = 5 760.108 → 5 760.11.
    result = project(
        OLD_RULE,
        participants=175,
        employment_rate=D(1),
        months_in_work=D(12),
        days_at_entry=871,
        on=dt.date(2024, 6, 1),
    )
    assert result.paid_days_avoided == 258
    assert result.per_person.municipal == D("5760.11")
    assert result.total.municipal == D("1008019.25")  # 175 × 5 760.11
    assert result.per_year == result.total
    assert D(950_000) < result.per_year.municipal < D(1_050_000)


def test_a_projection_scales_with_the_employment_rate_and_the_months() -> None:
    half = project(
        OLD_RULE,
        participants=100,
        employment_rate=D("0.5"),
        months_in_work=D(6),
        days_at_entry=2000,
        on=dt.date(2024, 6, 1),
    )
    # 6 × 21.5 = 129 days at 70 %: 3 360.063 → 3 360.06 a person; 50 people in work.
    assert half.per_person.municipal == D("3360.06")
    assert half.total.municipal == D("168003.00")
    assert half.per_year.municipal == D("336006.00")


def test_a_projection_refuses_a_rate_above_one() -> None:
    with pytest.raises(ValueError, match="rate"):
        project(
            OLD_RULE,
            participants=10,
            employment_rate=D("1.5"),
            months_in_work=D(6),
            days_at_entry=0,
            on=dt.date(2024, 6, 1),
        )


_dates = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 12, 31))


@st.composite
def _people(draw: st.DrawFn) -> tuple[Person, int]:
    entry = draw(_dates)
    start = entry + dt.timedelta(days=draw(st.integers(0, 200)))
    length = draw(st.integers(0, 400))
    person = Person(
        entry=entry,
        days_at_entry=draw(st.integers(0, 1500)),
        jobs=(Job(start, start + dt.timedelta(days=length)),),
    )
    return person, draw(st.integers(1, 200))


UNTIL = dt.date(2027, 12, 31)


@given(_people())
def test_savings_are_never_negative_and_add_up(case: tuple[Person, int]) -> None:
    person, _extra = case
    for saving in person_savings(person, ENACTED, until=UNTIL).values():
        assert saving.municipal >= 0
        assert saving.state >= 0
        assert saving.municipal + saving.state == saving.total


@given(_people())
def test_working_longer_never_saves_less(case: tuple[Person, int]) -> None:
    person, extra = case
    job = person.jobs[0]
    assert job.end is not None
    longer = Person(
        entry=person.entry,
        days_at_entry=person.days_at_entry,
        jobs=(Job(job.start, job.end + dt.timedelta(days=extra)),),
    )
    before = sum(person_savings(person, ENACTED, until=UNTIL).values(), Saving())
    after = sum(person_savings(longer, ENACTED, until=UNTIL).values(), Saving())
    assert after.municipal >= before.municipal
    assert after.state >= before.state
    assert after.total >= before.total


@given(
    st.integers(0, 2000),
    st.integers(0, 500),
    st.decimals(min_value=0, max_value=1, places=2),
    st.decimals(min_value=0, max_value=36, places=1),
)
def test_projections_are_never_negative_and_add_up(
    days: int, participants: int, rate: Decimal, months: Decimal
) -> None:
    result = project(
        ENACTED,
        participants=participants,
        employment_rate=rate,
        months_in_work=months,
        days_at_entry=days,
        on=dt.date(2025, 6, 1),
    )
    assert result.total.municipal >= 0
    assert result.total.state >= 0
    assert result.total.municipal + result.total.state == result.total.total
