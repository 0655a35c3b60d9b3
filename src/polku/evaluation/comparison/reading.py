"""Reading and checking a comparison group file (CSV) row by row.

Every problem is reported where it is, as "Line N, column C: message" (`RowError`, shared with
the employer import), with line numbers as a spreadsheet shows them; nothing is written here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from polku.clients.models import Gender
from polku.employers.importer.reading import RowError
from polku.employers.importer.values import choice_names
from polku.evaluation.comparison import columns as c

# The Finnish and Swedish words a register extract may use, besides the codes and the labels
# of `Gender` in the three languages.
GENDER_WORDS = {
    "nainen": Gender.WOMAN,
    "kvinna": Gender.WOMAN,
    "mies": Gender.MAN,
    "man": Gender.MAN,
}
# A Finnish henkilötunnus (DDMMYY, century sign, individual number, control character) or a
# Swedish personnummer with its separator: a row id of this shape is an identity code, which a
# comparison group must never hold. Plain digits are not refused: many registers number rows so.
IDENTITY_CODE_SHAPES = (
    re.compile(r"[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]", re.IGNORECASE),
    re.compile(r"([0-9]{2})?[0-9]{6}[-+][0-9]{4}"),
)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
EARLIEST_DATE = dt.date(1950, 1, 1)


@dataclass(frozen=True)
class MemberRow:
    """One checked row, ready to be stored as a `ComparisonMember`."""

    line: int
    row_id: str
    reference_date: dt.date
    gender: str
    age: int
    months_unemployed: int
    isced_level: int | None
    months_employed_before: int | None
    months_employed_after: int | None
    employed_6m: bool | None
    employed_12m: bool | None
    days_to_job: int | None
    days_followed: int


@dataclass
class Checked:
    """The rows of a file that passed, and every problem found (the first MAX_ERRORS kept)."""

    rows: list[MemberRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0

    def add(self, line: int | None, column: str, message: str) -> None:
        # A file of faulty rows must not build a report of a million lines.
        if len(self.errors) < c.MAX_ERRORS:
            self.errors.append(RowError("", line, column, message))
        else:
            self.more_errors += 1


def check(data: bytes, *, today: dt.date) -> Checked:
    """Read `data` (UTF-8 CSV, `,` or `;`, an optional byte order mark) and check every row.

    Returns the rows that passed and every error; the file is good only when there are none.
    `today` bounds the dates: nothing may lie in the future.
    """
    checked = Checked()
    text = _text(checked, data)
    if text is None:
        return checked
    if not text.strip():
        checked.add(None, "", _("The file is empty."))
        return checked
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [cell.strip().casefold() for cell in next(reader, [])]
    except csv.Error:
        checked.add(1, "", _unreadable())
        return checked
    positions = _positions(checked, header)
    if positions is None:
        return checked
    rows = _RowChecker(checked, today)
    counted = 0
    for line, cells in _lines(checked, reader):
        if not any(cell.strip() for cell in cells):
            continue
        # Every row with values counts against the limit, a faulty one too, so that a file of
        # faulty rows is read no further than a good one.
        counted += 1
        if counted > c.MAX_ROWS:
            message = _("Too many rows: at most %(count)d.") % {"count": c.MAX_ROWS}
            checked.add(line, "", message)
            break
        if any(cell.strip() for cell in cells[len(positions) :]):
            checked.add(line, "", _("The row has more values than the header has columns."))
            continue
        values = {name: cell.strip() for name, cell in zip(positions, cells, strict=False)}
        rows.check(line, values)
    if not checked.rows and not checked.errors:
        checked.add(None, "", _("The file has no rows."))
    return checked


def _text(checked: Checked, data: bytes) -> str | None:
    if len(data) > c.MAX_FILE_BYTES:
        message = _("The file is too large (at most %(size)d MB).") % {
            "size": c.MAX_FILE_BYTES // (1024 * 1024)
        }
        checked.add(None, "", message)
        return None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        checked.add(line, "", _("The file contains a NUL character."))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        checked.add(line, "", _("The file is not UTF-8 text."))
        return None


def _unreadable() -> str:
    return _("The row cannot be read as CSV: check its quotation marks.")


def _positions(checked: Checked, header: list[str]) -> list[str] | None:
    """The column of each position, or None when the header has problems (reported)."""
    while header and not header[-1]:
        header.pop()
    problems = len(checked.errors)
    seen: set[str] = set()
    for written in header:
        if written not in c.COLUMN_NAMES:
            message = _("Unknown column. The columns are: %(columns)s.") % {
                "columns": ", ".join(c.COLUMN_NAMES)
            }
            checked.add(1, written[:60], message)
        elif written in seen:
            checked.add(1, written, _("The column appears twice."))
        seen.add(written)
    for name in c.COLUMN_NAMES:
        if name in c.REQUIRED and name not in seen:
            checked.add(1, name, _("The column is missing."))
    return None if len(checked.errors) > problems else header


def _lines(checked: Checked, reader: Any) -> Iterator[tuple[int, list[str]]]:
    """The rows with the line each starts on (a quoted value may span lines)."""
    line = reader.line_num + 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error:
        checked.add(line, "", _unreadable())


class _RowChecker:
    """Checks rows one at a time, remembering row ids to find duplicates."""

    def __init__(self, checked: Checked, today: dt.date) -> None:
        self.checked = checked
        self.today = today
        self.seen: dict[str, int] = {}  # row id -> the line it was first on
        self.genders = choice_names(Gender.choices) | GENDER_WORDS
        # The row being checked: its line, its values by column, and its errors so far.
        self.line = 0
        self.values: dict[str, str] = {}
        self.row_errors = 0

    def error(self, column: str, message: str) -> None:
        self.checked.add(self.line, column, message)
        self.row_errors += 1

    def check(self, line: int, values: dict[str, str]) -> None:
        self.line, self.values, self.row_errors = line, values, 0
        row_id = self.row_id()
        reference_date = self.date("reference_date")
        gender = self.gender()
        age = self.number("age", c.AGE_MIN, c.AGE_MAX)
        months_unemployed = self.number("months_unemployed", 0, c.MONTHS_UNEMPLOYED_MAX)
        isced = self.optional_number("isced_level", 0, c.ISCED_MAX)
        before = self.optional_number("months_employed_before", 0, c.MONTHS_IN_YEAR)
        after = self.optional_number("months_employed_after", 0, c.MONTHS_IN_YEAR)
        employed_6m = self.flag("employed_6m")
        employed_12m = self.flag("employed_12m")
        days_to_job = self.optional_number("days_to_job", 0, c.DAYS_MAX)
        days_followed = self.number("days_followed", 0, c.DAYS_MAX)
        if days_to_job is not None and days_followed is not None and days_to_job > days_followed:
            self.error(
                "days_to_job",
                _("The first job cannot come after the end of follow-up (days_followed)."),
            )
        if (
            reference_date is not None
            and days_followed is not None
            and reference_date + dt.timedelta(days=days_followed) > self.today
        ):
            self.error("days_followed", _("The follow-up would end after today."))
        if self.row_errors:
            return
        # Without errors every required value was read.
        assert row_id is not None
        assert reference_date is not None
        assert gender is not None
        assert age is not None
        assert months_unemployed is not None
        assert days_followed is not None
        self.checked.rows.append(
            MemberRow(
                line=line,
                row_id=row_id,
                reference_date=reference_date,
                gender=gender,
                age=age,
                months_unemployed=months_unemployed,
                isced_level=isced,
                months_employed_before=before,
                months_employed_after=after,
                employed_6m=employed_6m,
                employed_12m=employed_12m,
                days_to_job=days_to_job,
                days_followed=days_followed,
            )
        )

    def given(self, column: str) -> str | None:
        value = self.values.get(column, "")
        if value:
            return value
        if column in c.REQUIRED:
            self.error(column, _("A value is required."))
        return None

    def row_id(self) -> str | None:
        value = self.given("row_id")
        if value is None:
            return None
        if len(value) > c.MAX_ROW_ID:
            message = _("At most %(count)d characters.") % {"count": c.MAX_ROW_ID}
            self.error("row_id", message)
            return None
        if any(shape.fullmatch(value.replace(" ", "")) for shape in IDENTITY_CODE_SHAPES):
            self.error(
                "row_id",
                _(
                    "This looks like a personal identity code. Use the register's "
                    "pseudonymous row id instead."
                ),
            )
            return None
        first = self.seen.setdefault(value, self.line)
        if first != self.line:
            message = _("The same row id is already on line %(line)d.") % {"line": first}
            self.error("row_id", message)
            return None
        return value

    def date(self, column: str) -> dt.date | None:
        value = self.given(column)
        if value is None:
            return None
        try:
            if not ISO_DATE.fullmatch(value):
                raise ValueError(value)
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.error(column, _("Give a date as YYYY-MM-DD."))
            return None
        if day > self.today:
            self.error(column, _("The date is in the future."))
            return None
        if day < EARLIEST_DATE:
            message = _("Give a date in %(year)d or later.") % {"year": EARLIEST_DATE.year}
            self.error(column, message)
            return None
        return day

    def gender(self) -> str | None:
        value = self.given("gender")
        if value is None:
            return None
        found = self.genders.get(value.casefold())
        if found is None:
            message = _("Unknown value; give one of: %(choices)s.") % {
                "choices": ", ".join(Gender.values)
            }
            self.error("gender", message)
        return found

    def number(self, column: str, low: int, high: int) -> int | None:
        value = self.given(column)
        return None if value is None else self._in_range(column, value, low, high)

    def optional_number(self, column: str, low: int, high: int) -> int | None:
        value = self.values.get(column, "")
        return None if not value else self._in_range(column, value, low, high)

    def _in_range(self, column: str, value: str, low: int, high: int) -> int | None:
        number = int(value) if WHOLE_NUMBER.fullmatch(value) else None
        if number is None or not low <= number <= high:
            message = _("Give a whole number from %(low)d to %(high)d.") % {
                "low": low,
                "high": high,
            }
            self.error(column, message)
            return None
        return number

    def flag(self, column: str) -> bool | None:
        value = self.values.get(column, "")
        if not value:
            return None
        if value in ("0", "1"):
            return value == "1"
        self.error(column, _("Give 1 (yes) or 0 (no), or leave the cell empty."))
        return None
