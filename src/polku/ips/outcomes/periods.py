"""Whole calendar months: the only periods the outcomes report is cut by.

Published aggregates can be differenced: had the period of entry been chosen to the day, the
cohorts of days 1–5 and 1–6 would differ by the one person who entered on day 6, and their
figures would tell that person's outcome, however well each report suppresses its own small
counts. So the period of entry is a range of whole months ("YYYY-MM" in the page's month inputs
and in the API), and follow-up ends on the last day of the previous month (`follow_up_end`):
every denominator — the cohort, and the cases followed up for m months — is then a set of whole
entry months, and the figures change once a month, not from one day to the next.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

# "YYYY-MM", as `<input type="month">` submits it.
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
_MONTH = re.compile(MONTH_PATTERN)
MONTHS_IN_YEAR = 12


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; ordered in time."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (dt.MINYEAR <= self.year <= dt.MAXYEAR and 1 <= self.month <= MONTHS_IN_YEAR):
            raise ValueError("no such month")

    @classmethod
    def parse(cls, text: str) -> Month:
        """The month "YYYY-MM" names; ValueError for anything else (a day included)."""
        if not _MONTH.fullmatch(text) or text.startswith("0000"):
            raise ValueError("not a month as YYYY-MM")
        return cls(int(text[:4]), int(text[5:]))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def follow_up_end(today: dt.date) -> dt.date:
    """The last day of the month before `today`'s: follow-up ends with the last whole month."""
    return today.replace(day=1) - dt.timedelta(days=1)
