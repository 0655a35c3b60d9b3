"""Reading an import file: a CSV text (`;` or `,`) or an XLSX workbook, into rows of text by
column, with every problem of the file's shape reported by line."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from polku.employers.importer.columns import (
    COLUMNS,
    HEADERS,
    MAX_COLUMNS,
    MAX_ERRORS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_MEMBERS,
    SHEET_NAMES,
    TABLE_LABELS,
    Table,
    header_key,
)


@dataclass(frozen=True)
class RowError:
    """One problem in the file: where it is (sheet, line, column as written) and what is wrong."""

    sheet: str
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = {"sheet": self.sheet, "line": self.line, "column": self.column}
        message = self.message
        if self.line is None:
            if self.sheet:
                return _("Sheet %(sheet)s: %(message)s") % {**where, "message": message}
            return message
        if self.sheet and self.column:
            text = _("Sheet %(sheet)s, line %(line)d, column %(column)s: %(message)s")
        elif self.sheet:
            text = _("Sheet %(sheet)s, line %(line)d: %(message)s")
        elif self.column:
            text = _("Line %(line)d, column %(column)s: %(message)s")
        else:
            text = _("Line %(line)d: %(message)s")
        return text % {**where, "message": message}


@dataclass
class Row:
    """One record as read: where it is, and its values as text by canonical column."""

    table: Table
    sheet: str
    line: int
    values: dict[str, str]


@dataclass
class Sheet:
    table: Table
    name: str  # "" for a CSV file
    headers: dict[str, str]  # canonical column -> the header as written
    rows: list[Row] = field(default_factory=list)


@dataclass
class Source:
    sheets: dict[Table, Sheet] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0  # errors found after MAX_ERRORS were kept: counted only
    ignored: list[str] = field(default_factory=list)  # worksheets of neither table

    def add_error(self, error: RowError) -> None:
        """Keep a row's error, or only count it once MAX_ERRORS are kept: a file of faulty
        rows must not build a report of a million lines."""
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.more_errors += 1


def read(data: bytes, filename: str = "") -> Source:
    """Read an upload: an XLSX workbook (a zip) or a CSV text file."""
    source = Source()
    if len(data) > MAX_FILE_BYTES:
        source.errors.append(
            RowError(
                "",
                None,
                "",
                _("The file is too large (at most %(size)d MB).")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)},
            )
        )
    elif data[:4] == b"PK\x03\x04":
        _read_xlsx(source, data)
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        source.errors.append(RowError("", None, "", _("The XLSX file cannot be read.")))
    else:
        _read_csv(source, data)
    if not source.sheets and not source.errors:
        source.errors.append(RowError("", None, "", _("The file has no employers or vacancies.")))
    return source


def _table_of(header: list[str], sheet_name: str) -> Table | None:
    """Which table a sheet holds: by its name, else by its columns (a title makes vacancies)."""
    by_name = SHEET_NAMES.get(sheet_name.strip().casefold())
    if by_name:
        return by_name
    keys = {header_key(written) for written in header}
    vacancy_columns = {HEADERS["vacancies"].get(key) for key in keys}
    if vacancy_columns & {"title", "employer_business_id"}:
        return "vacancies"
    if "name" in {HEADERS["employers"].get(key) for key in keys}:
        return "employers"
    return None


def _unknown_table() -> str:
    return _(
        "Cannot tell whether this holds employers or vacancies: employers need a name column, "
        "vacancies a title column."
    )


def _positions(
    source: Source, name: str, table: Table, header: list[str]
) -> tuple[list[str | None], dict[str, str]] | None:
    """The canonical column of each position and the header as written for each column, or
    None when the header has problems (reported)."""
    known = HEADERS[table]
    headers: dict[str, str] = {}
    positions: list[str | None] = []
    problems: list[RowError] = []
    for written in header:
        canonical = known.get(header_key(written)) if written else None
        if written and canonical is None:
            columns = ", ".join(c.name for c in COLUMNS[table])
            message = _("Unknown column. The columns are: %(columns)s.") % {"columns": columns}
            problems.append(RowError(name, 1, written[:60], message))
        elif canonical in headers:
            problems.append(RowError(name, 1, written[:60], _("The column appears twice.")))
        elif canonical is not None:
            headers[canonical] = written
        positions.append(canonical)
    problems.extend(
        RowError(name, 1, column.name, _("The column is missing."))
        for column in COLUMNS[table]
        if column.required and column.name not in headers
    )
    source.errors.extend(problems)
    return None if problems else (positions, headers)


def _add_sheet(
    source: Source,
    name: str,
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    *,
    optional: bool = False,
) -> None:
    """Check the header and take the rows of one table (a CSV file or a worksheet).

    `optional`: a worksheet that is neither employers nor vacancies (instructions, say) is
    left aside rather than refused.
    """
    header = [cell.strip() for cell in header]
    while header and not header[-1]:
        header.pop()
    table = _table_of(header, name) if header else None
    if table is None and optional:
        source.ignored.append(name)
        return
    if table is None:
        message = _unknown_table() if header else _("The header row (line 1) is empty.")
        source.errors.append(RowError(name, 1, "", message))
        return
    if table in source.sheets:
        message = _("Another sheet holds %(table)s too.") % {"table": TABLE_LABELS[table]}
        source.errors.append(RowError(name, None, "", message))
        return
    found = _positions(source, name, table, header)
    if found is None:
        return
    positions, headers = found
    sheet = Sheet(table, name, headers)
    source.sheets[table] = sheet
    counted = 0
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        # Every row with values counts against the limit, a faulty one too, so that a file of
        # faulty rows is read no further than a good one.
        counted += 1
        if counted > MAX_ROWS:
            message = _("Too many rows: at most %(count)d per table.") % {"count": MAX_ROWS}
            source.errors.append(RowError(name, line, "", message))
            return
        if any("\x00" in cell for cell in cells):
            source.add_error(RowError(name, line, "", _("The row contains a NUL character.")))
            continue
        if any(cell.strip() for cell in cells[len(positions) :]):
            message = _("The row has more values than the header has columns.")
            source.add_error(RowError(name, line, "", message))
            continue
        values = {
            canonical: cell
            for canonical, cell in zip(positions, cells, strict=False)
            if canonical is not None
        }
        sheet.rows.append(Row(table, name, line, values))


def _read_csv(source: Source, data: bytes) -> None:
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        source.errors.append(RowError("", line, "", _("The file contains a NUL character.")))
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        source.errors.append(RowError("", line, "", _("The file is not UTF-8 text.")))
        return
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, [])
    except csv.Error:
        source.errors.append(RowError("", 1, "", _unreadable_csv()))
        return
    if len(header) > MAX_COLUMNS:
        source.errors.append(RowError("", 1, "", _("The file has too many columns.")))
        return

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = reader.line_num + 1
        try:
            for cells in reader:
                yield line, cells
                line = reader.line_num + 1
        except csv.Error:
            source.errors.append(RowError("", line, "", _unreadable_csv()))

    _add_sheet(source, "", header, rows())


def _unreadable_csv() -> str:
    return _("The row cannot be read as CSV: check its quotation marks.")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(source: Source, data: bytes) -> None:
    # openpyxl (untyped) is imported only when a workbook arrives: most imports are CSV.
    load_workbook = importlib.import_module("openpyxl").load_workbook
    InvalidFileException = importlib.import_module(  # noqa: N806 - an exception class
        "openpyxl.utils.exceptions"
    ).InvalidFileException

    unreadable = RowError("", None, "", _("The XLSX file cannot be read."))
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        source.errors.append(unreadable)
        return
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        source.errors.append(RowError("", None, "", _("The XLSX file is too large unpacked.")))
        return
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        source.errors.append(unreadable)
        return
    try:
        for worksheet in workbook.worksheets:
            name = str(worksheet.title)
            cells = worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            try:
                header = [_cell_text(v) for v in next(cells, ())]
            except (ValueError, KeyError, TypeError):
                source.errors.append(unreadable)
                return
            if not any(h.strip() for h in header):
                continue  # an empty sheet (or one with notes below an empty first row)

            def rows(cells: Any = cells) -> Iterator[tuple[int, list[str]]]:
                for line, values in enumerate(cells, start=2):
                    yield line, [_cell_text(v) for v in values]

            _add_sheet(source, name, header, rows(), optional=True)
        if not source.sheets and not source.errors:
            for name in source.ignored:
                source.errors.append(RowError(name, 1, "", _unknown_table()))
            source.ignored = []
    except (ValueError, KeyError, TypeError, zipfile.BadZipFile, OSError):
        source.errors.append(unreadable)
    finally:
        workbook.close()
