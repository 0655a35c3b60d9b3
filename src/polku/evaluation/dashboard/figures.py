"""The dashboard's figures from the participant frame: pure functions, no database.

Each takes the frame of `polku.evaluation.cohort.participant_frame` with small groups already
left out (`cohort.leave_out_small_groups`) and returns the figures as they may be shown.
The definitions are in `polku.evaluation.definitions.dashboard`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from django.utils.translation import gettext_lazy as _

from polku.core import disclosure
from polku.evaluation.dashboard.protection import Line, protect_cells
from polku.evaluation.models import EMPLOYED_STATUSES, OutcomeStatus
from polku.ips.outcomes.periods import Month
from polku.ips.outcomes.selectors import (
    AGE_BANDS,
    ALWAYS_SHOWN_BANDS,
    GENDER_GROUPS,
    NOT_SHOWN,
    THRESHOLD,
    Figure,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = OutcomeStatus

# The situation at exit in the dashboard's groups (issue 6: employed, in education, job
# seeking, rehabilitation/pension/sick leave, outside the labour force, unknown, not yet
# recorded). Employed includes self-employment and subsidised jobs (ESF+ EECR04,
# ../shared/domain/ESF_INDICATORS.md).
NOT_RECORDED = "not_recorded"
STATUS_GROUPS: tuple[tuple[str, StrOrPromise, frozenset[str]], ...] = (
    ("employed", _("Employed"), frozenset(str(s) for s in EMPLOYED_STATUSES)),
    ("education", _("In education or training"), frozenset({str(S.EDUCATION)})),
    ("job_seeking", _("Job seeking"), frozenset({str(S.JOB_SEEKING)})),
    (
        "rehabilitation",
        _("Rehabilitation, pension or sick leave"),
        frozenset({str(S.REHABILITATION), str(S.PENSION_OR_SICK_LEAVE)}),
    ),
    ("outside", _("Outside the labour force"), frozenset({str(S.OUTSIDE_LABOUR_FORCE)})),
    ("unknown", _("Unknown"), frozenset({str(S.UNKNOWN)})),
    (NOT_RECORDED, _("Not yet recorded"), frozenset({""})),
)
STATUS_KEYS = tuple(key for key, _label, _statuses in STATUS_GROUPS)
# In work or training at exit: the first two groups, so the headline is a sum of the table's
# cells and disclosure control covers it (`distribution`).
WORK_OR_TRAINING = ("employed", "education")


def status_group(status: str) -> str:
    for key, _label, statuses in STATUS_GROUPS:
        if status in statuses:
            return key
    return "unknown"


def share(count: int, shown: str, of: int, of_shown: str) -> float | None:
    """count / of, where the count is shown and the denominator is shown and at least five."""
    if not (shown.isdigit() and of_shown.isdigit() and of >= THRESHOLD):
        return None
    return count / of


@dataclass(frozen=True)
class DistributionRow:
    """A group's participants who have left, and how many of them are in each status group."""

    key: str
    label: StrOrPromise
    left: str
    cells: tuple[Figure, ...]  # in the order of STATUS_GROUPS


@dataclass(frozen=True)
class Distribution:
    total: DistributionRow
    by_gender: tuple[DistributionRow, ...]
    by_age_band: tuple[DistributionRow, ...]
    work_or_training: Figure  # the employed and in-education cells of everyone, together
    protected: bool  # False: the counts could not be protected, so none are shown

    def cell(self, key: str) -> Figure:
        return self.total.cells[STATUS_KEYS.index(key)]


def _groups(frame: pd.DataFrame) -> list[tuple[str, str, StrOrPromise, pd.DataFrame]]:
    """(breakdown, key, label, rows) for each gender and age band shown as a row."""
    genders = [
        ("gender", str(value), label, frame[frame["gender"] == value])
        for value, label in GENDER_GROUPS
    ]
    bands = [
        ("age_band", key, label, frame[frame["age_band"] == key])
        for key, label, _low, _high in AGE_BANDS
    ]
    # Genders and bands with no one are still rows when always shown; a left-out group has
    # no rows in `frame` and is not shown at all (the page names it).
    return [g for g in genders if len(g[3])] + [
        b for b in bands if len(b[3]) or b[1] in ALWAYS_SHOWN_BANDS
    ]


def _counts(rows: pd.DataFrame) -> list[int]:
    found = rows["exit_status"].fillna("").map(status_group).value_counts()
    return [int(found.get(key, 0)) for key in STATUS_KEYS]


def distribution(frame: pd.DataFrame) -> Distribution:
    """The situation at exit of the participants who have left, for everyone and by gender and
    age band at entry, with every count protected against the sums the table shows: each row's
    statuses add up to the row's people who have left, and each column's genders (and age
    bands) add up to everyone's.

    In work or training is the employed and in-education counts of everyone together, shown
    only when both are: a sum beside a hidden part would give the part away.
    """
    left = frame[frame["exit_date"].notna()]
    groups = _groups(left)
    width = len(STATUS_KEYS) + 1  # the statuses, then the people who have left
    rows = [_counts(left)] + [_counts(rows) for _b, _k, _l, rows in groups]
    values = [count for row in rows for count in [*row, sum(row)]]
    lines = [
        Line((*((r * width + c, 1) for c in range(width - 1)), (r * width + width - 1, -1)), 0)
        for r in range(len(rows))
    ]
    for breakdown in ("gender", "age_band"):
        members = [i + 1 for i, group in enumerate(groups) if group[0] == breakdown]
        if members:
            lines += [
                Line((*((r * width + c, 1) for r in members), (c, -1)), 0) for c in range(width)
            ]
    display = protect_cells(values, lines)
    protected = display is not None
    shown = display or [NOT_SHOWN] * len(values)

    def row(r: int, key: str, label: StrOrPromise) -> DistributionRow:
        n, n_shown = values[r * width + width - 1], shown[r * width + width - 1]
        cells = tuple(
            Figure(
                shown[r * width + c], share(values[r * width + c], shown[r * width + c], n, n_shown)
            )
            for c in range(width - 1)
        )
        return DistributionRow(key, label, n_shown, cells)

    everyone = row(0, "all", _("All who have left"))
    lines_of = [row(i + 1, key, label) for i, (_b, key, label, _rows) in enumerate(groups)]
    parts = [STATUS_KEYS.index(key) for key in WORK_OR_TRAINING]
    n_together = sum(values[c] for c in parts)
    together_shown = str(n_together) if all(shown[c].isdigit() for c in parts) else NOT_SHOWN
    return Distribution(
        total=everyone,
        by_gender=tuple(r for r, g in zip(lines_of, groups, strict=True) if g[0] == "gender"),
        by_age_band=tuple(r for r, g in zip(lines_of, groups, strict=True) if g[0] == "age_band"),
        work_or_training=Figure(
            together_shown,
            share(n_together, together_shown, values[width - 1], everyone.left),
        ),
        protected=protected,
    )


@dataclass(frozen=True)
class MonthFlow:
    month: Month
    entered: str
    left: str


@dataclass(frozen=True)
class Flows:
    months: tuple[MonthFlow, ...]
    entered: str
    left: str
    entered_values: tuple[int | None, ...]  # the counts drawn: None where not shown
    left_values: tuple[int | None, ...]


def months_between(first: Month, last: Month) -> list[Month]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(Month(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)  # noqa: PLR2004
    return months


def _per_month(dates: pd.Series, months: Sequence[Month]) -> list[int]:
    # An empty frame's columns are plain objects, not dates.
    found = pd.to_datetime(dates.dropna()).dt.strftime("%Y-%m").value_counts().to_dict()
    return [int(found.get(str(month), 0)) for month in months]


def flows(frame: pd.DataFrame, *, first: Month | None, last: Month) -> Flows:
    """Entries and exits of the participants in each calendar month from `first` (default: the
    month of the earliest entry) to `last`. Each series is protected against its total
    (`disclosure.protect`), the participants and those who have left."""
    if first is None:
        entries = pd.to_datetime(frame["entry_date"].dropna())
        first = Month(entries.min().year, entries.min().month) if len(entries) else last
    months = months_between(first, last) if first <= last else []
    entered = _per_month(frame["entry_date"], months)
    left = _per_month(frame["exit_date"], months)
    entered_cells, entered_total = disclosure.protect(entered)
    left_cells, left_total = disclosure.protect(left)
    return Flows(
        months=tuple(
            MonthFlow(month, e, x)
            for month, e, x in zip(months, entered_cells, left_cells, strict=True)
        ),
        entered=entered_total,
        left=left_total,
        entered_values=tuple(
            v if s.isdigit() else None for v, s in zip(entered, entered_cells, strict=True)
        ),
        left_values=tuple(
            v if s.isdigit() else None for v, s in zip(left, left_cells, strict=True)
        ),
    )
