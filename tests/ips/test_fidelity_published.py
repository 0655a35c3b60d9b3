"""Disclosure control over the computed fidelity indicators where they are shown (page, API,
PDF, XLSX): counts of 1–4 people as "<5", no share, mean or median resting on them, counts of
staff, their time and employer contacts as they are, and the suggestion kept with a word that
it rests on fewer than five. `compute` itself stays exact.

The period is 1 January – 30 June 2025, as in test_fidelity_indicators.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polku.clients.models import Client, Programme
from polku.ips.fidelity.indicators import FidelityIndicators, Indicator, Measure, Unit
from polku.ips.fidelity.published import ShownIndicator, ShownIndicators, publish
from polku.ips.models import BenefitsCounselling
from tests.factories import EmployerInteractionFactory
from tests.ips.test_fidelity_indicators import World, day, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def _counsel(world: World, client: Client, date: dt.date) -> BenefitsCounselling:
    return BenefitsCounselling.objects.create(
        client=client, recorded_by=world.city, date=date, counsellor=world.coach
    )


def _item(shown: ShownIndicators, number: int) -> ShownIndicator:
    found = shown.for_item(number)
    assert found is not None
    return found


def _display(indicator: ShownIndicator) -> dict[str, str]:
    return {m.key: m.display() for m in (*indicator.values, *indicator.counts)}


@pytest.fixture
def small(world: World) -> ShownIndicators:
    """Three cases, one of them counselled before the job; two competitive jobs; one employer
    visit and 400 minutes of the specialist's time, 300 of them outside the office."""
    cases = [world.case() for _ in range(3)]
    _counsel(world, cases[0].client, day(2, 1))
    world.placement(cases[0], day(3, 1))
    world.placement(cases[1], day(4, 1), isco_code="911")
    world.time(300, outside=True)
    world.time(100)
    EmployerInteractionFactory(specialist=world.coach, date=day(3, 3))
    return publish(world.compute())


def test_counts_of_one_to_four_people_are_shown_as_fewer_than_five(small: ShownIndicators) -> None:
    assert (small.cases, small.placements, small.specialists) == ("<5", "<5", 1)
    assert (small.cases_value, small.cases_suppressed) == (None, True)
    assert (small.placements_value, small.placements_suppressed) == (None, True)
    assert _display(_item(small, 12)) == {
        "share": "–",
        "before_job": "–",
        "cases": "<5",
        "counselled": "<5",
        "placed": "<5",
        "counselled_before_job": "<5",
    }
    competitive = _item(small, 21)
    assert _display(competitive) == {"share": "–", "placements": "<5", "competitive": "<5"}
    assert [m.value for m in competitive.counts] == [None, None]
    assert all(m.suppressed for m in competitive.counts)
    caseload = _item(small, 1)
    assert _display(caseload)["open_cases"] == "<5"
    assert _display(caseload)["max"] == "<5"
    assert _display(caseload)["mean"] == "–"


def test_a_figure_resting_on_fewer_than_five_is_not_shown(small: ShownIndicators) -> None:
    share = _item(small, 12).values[0]
    assert (share.value, share.suppressed, share.hidden, share.small) == (None, True, True, False)
    # Distinct occupations are not people, but at most the placements: hidden with them.
    occupations = _item(small, 19).counts[1]
    assert (occupations.key, occupations.display(), occupations.hidden) == (
        "occupations",
        "–",
        True,
    )


def test_the_suggestion_stays_and_says_it_rests_on_fewer_than_five(small: ShownIndicators) -> None:
    assert (_item(small, 21).suggested, _item(small, 21).rests_on_few) == (5, True)
    assert (_item(small, 12).suggested, _item(small, 12).rests_on_few) == (2, True)  # 1 of 3
    assert (_item(small, 1).suggested, _item(small, 1).rests_on_few) == (5, True)


def test_staff_their_time_and_employer_contacts_are_shown_as_they_are(
    small: ShownIndicators,
) -> None:
    community = _item(small, 24)
    assert _display(community) == {"share": "75 %", "minutes": "400", "outside_minutes": "300"}
    assert (community.suggested, community.rests_on_few) == (5, False)
    contacts = _item(small, 17)
    assert _display(contacts)["visits"] == "1"
    assert _display(contacts)["specialists"] == "1"
    assert not any(m.suppressed for m in (*contacts.values, *contacts.counts))
    assert _display(_item(small, 2))["specialists"] == "1"


def test_compute_itself_stays_exact(world: World, small: ShownIndicators) -> None:
    exact = small.result
    assert (exact.cases, exact.placements) == (3, 2)
    competitive = exact.for_item(21)
    assert competitive is not None
    assert [m.value for m in competitive.counts] == [2, 2]


def test_five_or_more_are_shown_and_zeros_are_shown(world: World) -> None:
    cases = [world.case() for _ in range(6)]
    for case in cases[:5]:
        _counsel(world, case.client, day(2, 1))
    shown = publish(world.compute())
    assert shown.cases == "6"
    assert (shown.cases_value, shown.cases_suppressed) == (6, False)
    work = _item(shown, 12)
    assert _display(work) == {
        "share": "83.3 %",
        "before_job": "–",  # no placements: nothing to divide by, not hidden
        "cases": "6",
        "counselled": "5",
        "placed": "0",
        "counselled_before_job": "0",
    }
    assert not any(m.suppressed for m in (*work.values, *work.counts))
    assert (work.suggested, work.rests_on_few) == (4, False)  # 83 %: 75–89 % is a 4
    meetings = _item(shown, 5)
    assert _display(meetings) == {"share": "0 %", "cases": "6", "with_meeting": "0"}


def test_one_of_six_hides_the_one_and_the_share(world: World) -> None:
    cases = [world.case() for _ in range(6)]
    _counsel(world, cases[0].client, day(2, 1))
    work = _item(publish(world.compute()), 12)
    assert _display(work)["cases"] == "6"
    assert _display(work)["counselled"] == "<5"
    assert _display(work)["share"] == "–"
    assert (work.suggested, work.rests_on_few) == (1, True)


def test_a_figure_resting_on_an_unknown_count_is_refused() -> None:
    broken = Indicator(
        item=99,
        key="broken",
        values=(Measure("share", "Share", 0.5, Unit.SHARE, basis=("missing",)),),
        counts=(),
        suggested=None,
        how="",
    )
    with pytest.raises(ValueError, match="unknown counts"):
        publish_one(broken)


def publish_one(indicator: Indicator) -> ShownIndicator:
    result = FidelityIndicators(
        programme=Programme(),
        start=day(1, 1),
        end=day(6, 30),
        cases=0,
        specialists=0,
        placements=0,
        indicators=(indicator,),
    )
    return publish(result).indicators[0]


counts_strategy = st.lists(st.tuples(st.integers(0, 12), st.booleans()), min_size=1, max_size=5)


@given(counts=counts_strategy, data=st.data())
def test_no_count_of_one_to_four_people_is_ever_shown(
    counts: list[tuple[int, bool]], data: st.DataObject
) -> None:
    """Whatever the figures: a count of 1–4 people never shows; a figure resting on one never
    shows; and everything else shows exactly."""
    keys = [f"c{i}" for i in range(len(counts))]
    count_measures = tuple(
        Measure(key, key, value, Unit.COUNT, people=people)
        for key, (value, people) in zip(keys, counts, strict=True)
    )
    bases = data.draw(st.lists(st.lists(st.sampled_from(keys), max_size=2), max_size=3))
    value_measures = tuple(
        Measure(f"v{i}", "v", 0.5, Unit.SHARE, basis=tuple(basis)) for i, basis in enumerate(bases)
    )
    shown = publish_one(
        Indicator(
            item=1,
            key="k",
            values=value_measures,
            counts=count_measures,
            suggested=3,
            how="",
        )
    )
    small = {
        key for key, (value, people) in zip(keys, counts, strict=True) if people and 0 < value < 5
    }
    for measure in (*shown.values, *shown.counts):
        original = measure.measure
        withheld = (original.people and original.key in small) or bool(small & set(original.basis))
        assert measure.suppressed == withheld
        if withheld:
            assert measure.value is None
            assert measure.display() in {"<5", "–"}
        else:
            assert measure.value == original.value
            assert measure.display() == original.display()
    assert shown.rests_on_few == bool(value_measures and shown.values[0].suppressed)
