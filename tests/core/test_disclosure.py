"""Published counts never let anyone work out a group of fewer than five people."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from polku.core.disclosure import HIDDEN, NOT_SHOWN, SMALL, protect


def consistent(display: list[str], total: str, bound: int) -> list[tuple[int, ...]]:
    """Brute force, independent of the implementation: every vector that fits the display."""
    choices = []
    for shown in display:
        if shown == SMALL:
            choices.append(range(1, 5))
        elif shown == HIDDEN:
            choices.append(range(5, bound + 1))
        elif shown == NOT_SHOWN:
            choices.append(range(5))
        else:
            choices.append(range(int(shown), int(shown) + 1))
    vectors = itertools.product(*choices)
    if total in (SMALL, HIDDEN):
        low, high = (1, 4) if total == SMALL else (5, 10**9)
        return [v for v in vectors if low <= sum(v) <= high]
    return [v for v in vectors if sum(v) == int(total)]


def test_the_example_that_leaked_before() -> None:
    assert protect([2, 6, 0, 0]) == (["<5", "≥5", "0", "0"], "8")


def test_large_counts_are_shown_exactly() -> None:
    assert protect([40, 55, 0, 5]) == (["40", "55", "0", "5"], "100")


def test_a_small_total_is_itself_suppressed_and_not_broken_down() -> None:
    assert protect([1, 1, 1, 1]) == (["–", "–", "–", "–"], "<5")
    assert protect([0, 0, 0]) == (["0", "0", "0"], "0")


@settings(max_examples=300)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4))
def test_no_hidden_cell_can_be_worked_out_and_shown_cells_are_exact(values: list[int]) -> None:
    display, total = protect(values)
    vectors = consistent(display, total, bound=sum(values))
    assert tuple(values) in vectors
    for index, shown in enumerate(display):
        possible = {v[index] for v in vectors}
        if shown in (SMALL, HIDDEN, NOT_SHOWN):
            assert len(possible) > 1, (values, display, total)
        else:
            assert int(shown) == values[index]
    if total not in (SMALL, HIDDEN):
        assert int(total) == sum(values)
    for value, shown in zip(values, display, strict=True):
        if 0 < value < 5:
            assert shown in (SMALL, NOT_SHOWN)
