"""Disclosure control for the dashboard's tables, over the participant frame.

The rules are those of `polku.core.disclosure` (threshold five; counts of 1–4 shown as "<5"
with secondary suppression). Small groups are left out of the frame before any table is made,
by `polku.evaluation.cohort.leave_out_small_groups`, the step every page built on the frame
shares. What this module adds:

- The situation at exit is a partition: each group's statuses add up to the group, and each
  status's groups add up to the status among everyone. A table of such counts has sums along
  its rows and its columns, so a hidden count must stay hidden under both; `protect_cells`
  takes every such sum as a line and hides further counts until no line gives one away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from polku.core import disclosure
from polku.ips.outcomes.selectors import THRESHOLD

SMALL = disclosure.SMALL
HIDDEN = disclosure.HIDDEN

# A term of a line: (cell index, +1 or -1). A line says: the sum of sign × cell is `total`.
Term = tuple[int, int]


@dataclass(frozen=True)
class Line:
    terms: tuple[Term, ...]
    total: int


def _is_hidden(shown: str) -> bool:
    return shown in (SMALL, HIDDEN)


def _bounds(shown: str, value: int, ceiling: int) -> tuple[int, int]:
    """What a reader knows of a cell: its value, 1–4, or 5 up to the largest total."""
    if shown == SMALL:
        return 1, THRESHOLD - 1
    if shown == HIDDEN:
        return THRESHOLD, max(ceiling, THRESHOLD)
    return value, value


def _gives_away(line: Line, display: Sequence[str], values: Sequence[int], ceiling: int) -> bool:
    """Whether the line pins some hidden cell to one value.

    Each term lies in an interval (a cell's bounds, negated for -1), and the terms sum to the
    line's total, so a hidden cell's possible values are its bounds cut to the total less what
    the other terms can sum to (the reasoning of `polku.core.disclosure`, with signs)."""
    ranges = []
    for index, sign in line.terms:
        low, high = _bounds(display[index], values[index], ceiling)
        ranges.append((index, (low, high) if sign > 0 else (-high, -low)))
    least_sum = sum(low for _index, (low, _high) in ranges)
    most_sum = sum(high for _index, (_low, high) in ranges)
    if not least_sum <= line.total <= most_sum:
        return True  # no reading fits: hide more rather than trust the display
    for index, (low, high) in ranges:
        if not _is_hidden(display[index]):
            continue
        least = max(low, line.total - (most_sum - high))
        most = min(high, line.total - (least_sum - low))
        if least >= most:
            return True
    return False


def protect_cells(values: Sequence[int], lines: Sequence[Line]) -> list[str] | None:
    """Display strings for `values` ("12", "<5", "≥5") such that no line gives a hidden one away.

    Counts of 1–4 are "<5" (primary suppression). Then, while some line pins a hidden cell, the
    smallest shown non-zero count of that line is hidden too (secondary suppression), and every
    line is checked again, since a cell hidden for one line changes what the others reveal.
    Zeros are shown: an empty cell reveals no one. Returns None when a line cannot be protected
    (all its other cells are zeros): the caller then shows none of the table's counts.
    """
    ceiling = max([line.total for line in lines] + list(values) + [0])
    display = [SMALL if 0 < v < THRESHOLD else str(v) for v in values]
    changed = True
    while changed:
        changed = False
        for line in lines:
            while _gives_away(line, display, values, ceiling):
                visible = [
                    index
                    for index, _sign in line.terms
                    if not _is_hidden(display[index]) and values[index] > 0
                ]
                if not visible:
                    return None
                smallest = min(visible, key=lambda index: (values[index], index))
                display[smallest] = SMALL if values[smallest] < THRESHOLD else HIDDEN
                changed = True
    return display
