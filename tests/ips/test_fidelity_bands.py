"""A review's total and band (IPS.md, "Bands (total score)"), and the 25 items of the scale."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polku.ips.fidelity.bands import (
    MAX_TOTAL,
    MIN_TOTAL,
    Band,
    band_for,
    band_range,
    total_of,
)
from polku.ips.fidelity.items import ITEMS, DataSupport, Section, by_section, item

ORDER = [Band.NOT_IPS, Band.FAIR, Band.GOOD, Band.EXEMPLARY]


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (25, Band.NOT_IPS),
        (73, Band.NOT_IPS),
        (74, Band.FAIR),
        (99, Band.FAIR),
        (100, Band.GOOD),
        (114, Band.GOOD),
        (115, Band.EXEMPLARY),
        (125, Band.EXEMPLARY),
    ],
)
def test_bands_change_exactly_at_their_published_boundaries(total: int, band: Band) -> None:
    assert band_for(total) == band


@pytest.mark.parametrize("total", [0, 24, 126, 200])
def test_a_total_outside_25_to_125_has_no_band(total: int) -> None:
    with pytest.raises(ValueError, match="between 25 and 125"):
        band_for(total)


@given(
    a=st.integers(min_value=MIN_TOTAL, max_value=MAX_TOTAL),
    b=st.integers(min_value=MIN_TOTAL, max_value=MAX_TOTAL),
)
def test_a_higher_total_never_falls_in_a_lower_band(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert ORDER.index(band_for(low)) <= ORDER.index(band_for(high))


@given(total=st.integers(min_value=MIN_TOTAL, max_value=MAX_TOTAL))
def test_every_total_lies_in_the_range_of_its_band(total: int) -> None:
    lowest, highest = band_range(band_for(total))
    assert lowest <= total <= highest


def test_the_bands_cover_25_to_125_without_gaps_or_overlaps() -> None:
    ranges = sorted(band_range(band) for band in Band)
    assert ranges == [(25, 73), (74, 99), (100, 114), (115, 125)]


@given(scores=st.lists(st.integers(min_value=1, max_value=5), min_size=25, max_size=25))
def test_the_total_of_25_scores_is_their_sum_and_has_a_band(scores: list[int]) -> None:
    total = total_of(scores)
    assert total == sum(scores)
    assert total is not None
    assert band_for(total) in Band


def test_no_total_until_every_item_is_scored() -> None:
    assert total_of([5] * 24 + [None]) is None
    assert total_of([5] * 24) is None
    assert total_of([3] * 25) == 75


def test_the_scale_has_25_items_in_three_sections_as_in_ips_md() -> None:
    assert [i.number for i in ITEMS] == list(range(1, 26))
    sections = {section: [i.number for i in items] for section, items in by_section()}
    assert sections == {
        Section.STAFFING: [1, 2, 3],
        Section.ORGANISATION: list(range(4, 12)),
        Section.SERVICES: list(range(12, 26)),
    }
    reviewer_only = [i.number for i in ITEMS if i.data == DataSupport.NO]
    assert reviewer_only == [7, 8, 11, 18]
    assert str(item(15).title) == "Rapid job search for a competitive job"
    with pytest.raises(KeyError):
        item(26)
