"""Statistical disclosure control for published counts.

Counts of 1–4 people are shown as "<5" (primary suppression, the threshold Statistics Finland and
most ESF+ managing authorities use). Hiding small cells is not enough when a total is shown
beside them: 8 participants, 6 men and "<5" women gives away 2 women. So further cells are hidden
(secondary suppression, as "≥5") until no hidden cell can be worked out from what is shown. Zeros
are shown: an empty group reveals no one.
"""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 5
SMALL = f"<{THRESHOLD}"
HIDDEN = f"≥{THRESHOLD}"
NOT_SHOWN = "–"


def _ranges(display: Sequence[str], values: Sequence[int], total: int) -> list[range]:
    result = []
    for shown, value in zip(display, values, strict=True):
        if shown == SMALL:
            result.append(range(1, THRESHOLD))
        elif shown == HIDDEN:
            result.append(range(THRESHOLD, total + 1))
        else:
            result.append(range(value, value + 1))
    return result


def _derivable(display: Sequence[str], values: Sequence[int], total: int) -> bool:
    """Whether some hidden cell takes the same value in every vector consistent with the
    display and the total.

    Each cell lies in an interval (its value, 1–4, or 5 to the total) and the cells sum to the
    total, so the values a hidden cell can take are its interval cut to the total less what the
    other cells can sum to: a range, worked out without a search (searching every vector took
    seconds for a year of months).
    """
    ranges = _ranges(display, values, total)
    hidden = [r for shown, r in zip(display, ranges, strict=True) if shown in (SMALL, HIDDEN)]
    if not hidden:
        return False
    low = sum(r.start for r in ranges)
    high = sum(r.stop - 1 for r in ranges)
    if not low <= total <= high:
        return True  # no vector fits the total: hide more rather than trust the display
    for cell in hidden:
        least = max(cell.start, total - (high - (cell.stop - 1)))
        most = min(cell.stop - 1, total - (low - cell.start))
        if least >= most:
            return True
    return False


def protect(values: Sequence[int], total: int | None = None) -> tuple[list[str], str]:
    """Display strings for `values` and their `total` (their sum unless given).

    Returns the cells and the total as text: exact numbers, "<5" or "≥5". A small total is
    "<5" with no cell shown ("–"). In the rare case that hiding cells cannot protect them (two
    cells of 4 and nothing else) the total is hidden as "≥5", and nothing can be derived.
    """
    total = sum(values) if total is None else total
    if 0 < total < THRESHOLD:
        # Fewer than five people in all: no breakdown at all (four cells of "<5" summing to
        # "<5" would mean one person each).
        return [NOT_SHOWN] * len(values), SMALL
    display = [SMALL if 0 < v < THRESHOLD else str(v) for v in values]
    while _derivable(display, values, total):
        visible = [
            i for i, shown in enumerate(display) if shown not in (SMALL, HIDDEN) and values[i] > 0
        ]
        if not visible:
            return display, HIDDEN
        smallest = min(visible, key=lambda i: values[i])
        display[smallest] = SMALL if values[smallest] < THRESHOLD else HIDDEN
    return display, str(total)
