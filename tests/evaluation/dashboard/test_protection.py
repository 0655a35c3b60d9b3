"""Disclosure control of the dashboard's tables: small groups left out of the frame, and the
cells of a table protected against every sum it shows."""

from __future__ import annotations

import itertools

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from polku.core.disclosure import HIDDEN, SMALL
from polku.evaluation.cohort import leave_out_small_groups
from polku.evaluation.dashboard.protection import Line, protect_cells


def _frame(rows: list[tuple[str, str]]) -> pd.DataFrame:
    """One programme, one provider, everyone entering in January 2025: only gender and age
    band differ (the leave-out step is `cohort.leave_out_small_groups`, shared by the pages)."""
    frame = pd.DataFrame(rows, columns=["gender", "age_band"])
    frame["provider"] = "City"
    frame["provider_sector"] = "public"
    frame["programme"] = "pilot"
    frame["programme_name"] = "Pilot"
    frame["entry_date"] = pd.Timestamp("2025-01-10")
    return frame


def test_a_gender_of_fewer_than_five_is_left_out_and_named() -> None:
    frame = _frame([("woman", "30_54")] * 6 + [("man", "30_54")] * 5 + [("other", "30_54")] * 2)
    kept, left_out = leave_out_small_groups(frame)
    assert sorted(kept["gender"].unique()) == ["man", "woman"]
    assert len(kept) == 11
    assert [(g.breakdown, g.key) for g in left_out] == [("gender", "other")]


def test_leaving_a_group_out_can_make_another_small_so_it_goes_too() -> None:
    # Three 18–29-year-old men go; the two men left are then too few as well.
    frame = _frame([("woman", "30_54")] * 8 + [("man", "18_29")] * 3 + [("man", "30_54")] * 2)
    kept, left_out = leave_out_small_groups(frame)
    assert list(kept["gender"].unique()) == ["woman"]
    assert {(g.breakdown, g.key) for g in left_out} == {("age_band", "18_29"), ("gender", "man")}


def test_a_frame_of_fewer_than_five_is_returned_whole() -> None:
    frame = _frame([("woman", "30_54")] * 2 + [("man", "30_54")] * 2)
    kept, left_out = leave_out_small_groups(frame)
    assert len(kept) == 4
    assert left_out == ()


def _row(values: list[int]) -> list[Line]:
    """A row of cells and its total as the last cell: cells - total = 0."""
    last = len(values) - 1
    return [Line((*((i, 1) for i in range(last)), (last, -1)), 0)]


def test_a_small_cell_beside_a_shown_total_hides_the_next_smallest() -> None:
    assert protect_cells([8, 2, 10], _row([8, 2, 10])) == [HIDDEN, SMALL, "10"]


def test_a_line_that_cannot_be_protected_gives_none() -> None:
    # The only other cell is zero: the small cell equals the shown total.
    lines = [Line(((0, 1), (1, 1)), 3)]
    assert protect_cells([3, 0], lines) is None


def test_zeros_and_large_counts_are_shown() -> None:
    assert protect_cells([8, 0, 6, 14], _row([8, 0, 6, 14])) == ["8", "0", "6", "14"]


def test_a_small_total_is_hidden_with_its_cells() -> None:
    assert protect_cells([2, 2, 4], _row([2, 2, 4])) == [SMALL, SMALL, SMALL]


def _bounds(shown: str, ceiling: int) -> range:
    if shown == SMALL:
        return range(1, 5)
    if shown == HIDDEN:
        return range(5, ceiling + 1)
    return range(int(shown), int(shown) + 1)


def _pinned(display: list[str], line: Line, ceiling: int) -> bool:
    """Brute force: whether some hidden cell of the line takes one value in every reading of
    the line's cells that fits the display and the line's sum."""
    cells = [index for index, _sign in line.terms]
    readings = [
        reading
        for reading in itertools.product(*(_bounds(display[i], ceiling) for i in cells))
        if sum(v * s for v, (_i, s) in zip(reading, line.terms, strict=True)) == line.total
    ]
    hidden = [k for k, i in enumerate(cells) if display[i] in (SMALL, HIDDEN)]
    return any(len({reading[k] for reading in readings}) == 1 for k in hidden)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=7), min_size=4, max_size=4))
def test_no_hidden_cell_of_a_two_by_two_table_can_be_worked_out(cells: list[int]) -> None:
    """A 2×2 table with its row totals, column totals and grand total, all as cells: whatever
    the counts, no reading of what is shown pins a hidden one."""
    a, b, c, d = cells
    # Layout: a b | a+b ; c d | c+d ; a+c b+d | total
    values = [a, b, a + b, c, d, c + d, a + c, b + d, a + b + c + d]
    lines = [
        Line(((0, 1), (1, 1), (2, -1)), 0),
        Line(((3, 1), (4, 1), (5, -1)), 0),
        Line(((6, 1), (7, 1), (8, -1)), 0),
        Line(((0, 1), (3, 1), (6, -1)), 0),
        Line(((1, 1), (4, 1), (7, -1)), 0),
        Line(((2, 1), (5, 1), (8, -1)), 0),
    ]
    display = protect_cells(values, lines)
    if display is None:
        return
    for value, shown in zip(values, display, strict=True):
        if shown.isdigit():
            assert int(shown) == value
        elif shown == SMALL:
            assert 1 <= value <= 4
        else:
            assert value >= 5
    for line in lines:
        assert not _pinned(display, line, max(values))
