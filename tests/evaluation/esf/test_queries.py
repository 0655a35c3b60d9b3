"""The ESF+ indicator report on a hand-built programme with known answers (scenario.EXPECTED),
its access rule, and its constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from polku.clients.models import Gender
from polku.core.roles import Role
from polku.evaluation.esf import queries
from polku.evaluation.esf.indicators import INDICATORS, Group
from polku.evaluation.esf.queries import Counts
from polku.evaluation.esf.selectors import EsfReport, default_period, esf_report
from polku.ips.outcomes.periods import Month
from polku.ips.outcomes.selectors import age_on
from tests.evaluation.esf import scenario
from tests.evaluation.factories import EntryDataFactory
from tests.factories import ClientFactory, EpisodeFactory, MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _report(world: scenario.World, role: str = Role.PROGRAMME_MANAGER) -> EsfReport:
    return esf_report(
        MembershipFactory(role=role, organisation=world.organisation),
        programme=world.programme,
        period_from=scenario.PERIOD_FROM,
        period_to=scenario.PERIOD_TO,
    )


def test_every_cell_of_the_report_is_the_hand_counted_one() -> None:
    report = _report(scenario.build())
    shown = {
        line.key: line.counts.cells
        for section in report.sections
        for line in (*section.lines, *section.quality)
        if line.counts is not None
    }
    assert shown == scenario.EXPECTED


def test_totals_add_the_four_gender_columns() -> None:
    report = _report(scenario.build())
    assert report.line("EECO01").total == 11
    assert report.line("esf-leavers").total == 8
    assert report.line("EECR04").total == 3


def test_sections_follow_annex_one_with_every_code_once() -> None:
    report = _report(scenario.build())
    assert [s.group for s in report.sections] == [
        Group.OUTPUT,
        Group.IMMEDIATE,
        Group.LONGER_TERM,
        Group.ENTITIES,
    ]
    codes = [line.code for line in report.indicators]
    assert codes == [i.code for i in INDICATORS]
    assert len(set(codes)) == 25


def test_smes_supported_are_counted_once_each_and_public_bodies_are_not_collected() -> None:
    report = _report(scenario.build())
    eeco19 = report.line("EECO19")
    assert (eeco19.entities, eeco19.counts, eeco19.collected) == (3, None, True)
    assert report.line("esf-employers-supported").entities == 5
    assert report.line("esf-employer-size-unknown").entities == 1
    eeco18 = report.line("EECO18")
    assert (eeco18.collected, eeco18.total) == (False, None)
    assert "Not collected" in str(eeco18.note)


def test_the_report_says_it_holds_counts_under_five() -> None:
    assert _report(scenario.build()).has_small_counts


def test_an_open_period_counts_every_participant_and_leaver() -> None:
    world = scenario.build()
    evaluator = MembershipFactory(role=Role.EVALUATOR, organisation=world.organisation)
    report = esf_report(evaluator, programme=world.programme)
    # Adds I (entered July 2025), D (first entry 2024), J and O (entered 2024).
    assert report.line("EECO01").counts == Counts(women=7, men=6, non_binary=1, not_disclosed=1)
    # Adds J (left 2024) and Q is still in.
    assert report.line("esf-leavers").counts == Counts(4, 4, 0, 1)
    assert report.line("EECR04").counts == Counts(2, 2, 0, 0)


@pytest.mark.parametrize(
    "role",
    [Role.COORDINATOR, Role.EMPLOYMENT_SPECIALIST, Role.ORGANISATION_ADMIN, Role.AUDITOR],
)
def test_only_programme_managers_and_evaluators_get_the_report(role: str) -> None:
    world = scenario.build()
    with pytest.raises(PermissionDenied):
        _report(world, role)


def test_the_default_period_is_the_programmes_whole_run() -> None:
    programme = ProgrammeFactory(start_date=dt.date(2024, 6, 10), end_date=dt.date(2026, 5, 31))
    assert default_period(programme) == (Month(2024, 6), Month(2026, 5))
    assert default_period(ProgrammeFactory()) == (None, None)


def _participants(programme: object, count: int) -> None:
    for index in range(count):
        episode = EpisodeFactory(
            programme=programme,
            client=ClientFactory(gender=Gender.values[index % 4]),
            start_date=dt.date(2025, 1, 1) + dt.timedelta(days=index),
            end_date=dt.date(2025, 3, 1),
            end_reason="other",
        )
        EntryDataFactory(episode=episode)


@pytest.mark.parametrize("count", [2, 40])
def test_the_report_takes_the_same_number_of_queries_for_any_number_of_participants(
    count: int, django_assert_num_queries: object
) -> None:
    programme = ProgrammeFactory()
    _participants(programme, count)
    manager = MembershipFactory(role=Role.PROGRAMME_MANAGER, organisation=programme.organisation)
    manager.organisation  # noqa: B018 - loaded as the request's membership would be
    # Three: the participants at entry, the leavers with their outcomes, the employers.
    with django_assert_num_queries(3):  # type: ignore[operator]
        report = esf_report(manager, programme=programme)
    assert report.line("EECO01").total == count


@given(
    born=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2012, 12, 31)),
    entry=st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)),
)
def test_age_at_entry_in_sql_is_the_calendar_age(born: dt.date, entry: dt.date) -> None:
    """The SQL age (year difference less one before the birthday) agrees with `age_on`, leap
    days included: the age bands EECO06–08 and the under-25 rule rest on it."""
    episode = EpisodeFactory(client=ClientFactory(date_of_birth=born), start_date=entry)
    age = (
        queries.first_entries(episode.programme, None, None)
        .annotate(age=queries._age_at_entry())
        .values_list("age", flat=True)
        .get()
    )
    assert age == age_on(born, entry)
