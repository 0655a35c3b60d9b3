"""Reading an evaluator's CSV file, with errors that name the line and the column.

Files come from registers and spreadsheets: UTF-8 with or without a byte-order mark, comma or
semicolon separated (a Finnish or Swedish Excel writes semicolons and decimal commas).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import pandas as pd
from django.utils.translation import gettext, ngettext

# A number with a decimal comma: "12,5", "-0,25". A comma with three digits after it and no other
# separator ("1,250") is read as a decimal too: files that use commas for thousands are refused
# by `float` anyway when they also hold a decimal point.
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")


class CsvDataError(ValueError):
    """The file cannot be used; the message names the line (1 = the header) and the column."""

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def read_csv(
    file: str | Path | IO[bytes] | IO[str],
    *,
    columns: Sequence[str],
    numeric: Sequence[str],
    optional: Sequence[str] = (),
) -> pd.DataFrame:
    """The listed columns of a CSV file, numbers parsed; anything unusable refused by line.

    Parameters
    ----------
    file
        A path, or an open file (bytes or text).
    columns
        The columns wanted; the header must have each (extra columns are ignored).
    numeric
        Those of `columns` that must hold numbers (decimal point or decimal comma).
    optional
        Those of `columns` that may be empty (missing: NaN for numbers, "" for text). Every
        other wanted column needs a value on every line.

    Returns
    -------
    pandas.DataFrame
        The wanted columns in the order asked, numbers as floats, text stripped. The index is the
        line number in the file, so a later check can name the line too.

    Raises
    ------
    CsvDataError
        Not UTF-8 text, no header, a wanted column missing (the message lists those there), a
        line with the wrong number of fields, an empty value where one is needed, a value that
        is not a number in a numeric column.
    """
    text = _text(file)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        raise CsvDataError(gettext("The file is empty."), line=1)
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    positions: dict[str, int] = {}
    records: dict[int, list[object]] = {}
    wanted = list(dict.fromkeys(columns))
    numbers, may_be_empty = set(numeric), set(optional)
    try:
        for fields in reader:
            line = reader.line_num
            if not any(field.strip() for field in fields):
                continue
            if header is None:
                header = [field.strip() for field in fields]
                positions = _positions(header, wanted)
                continue
            if len(fields) != len(header):
                raise CsvDataError(
                    ngettext(
                        "Line %(line)d has %(found)d field; the header has %(expected)d.",
                        "Line %(line)d has %(found)d fields; the header has %(expected)d.",
                        len(fields),
                    )
                    % {"line": line, "found": len(fields), "expected": len(header)},
                    line=line,
                )
            records[line] = [
                _value(
                    fields[positions[name]].strip(),
                    name,
                    line,
                    name in numbers,
                    name in may_be_empty,
                )
                for name in wanted
            ]
    except csv.Error as error:
        raise CsvDataError(
            gettext("Line %(line)d is not valid CSV (check the quotation marks).")
            % {"line": reader.line_num},
            line=reader.line_num,
        ) from error
    frame = pd.DataFrame.from_dict(records, orient="index", columns=wanted)
    frame.index.name = "line"
    for name in wanted:
        if name in numbers:
            frame[name] = frame[name].astype(float)
    return frame


def _text(file: str | Path | IO[bytes] | IO[str]) -> str:
    if isinstance(file, str | Path):
        raw: bytes | str = Path(file).read_bytes()
    else:
        raw = file.read()
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CsvDataError(
            gettext("Line %(line)d is not UTF-8 text. Save the file as CSV UTF-8.")
            % {"line": line},
            line=line,
        ) from error


def _positions(header: list[str], wanted: list[str]) -> dict[str, int]:
    for name in wanted:
        if name not in header:
            raise CsvDataError(
                gettext("The file has no column “%(column)s”. Its columns are: %(columns)s.")
                % {"column": name, "columns": ", ".join(header)},
                line=1,
                column=name,
            )
    return {name: header.index(name) for name in wanted}


def _value(text: str, column: str, line: int, is_number: bool, may_be_empty: bool) -> object:
    if not text:
        if may_be_empty:
            return math.nan if is_number else ""
        raise CsvDataError(
            gettext("Line %(line)d, column “%(column)s”: a value is needed.")
            % {"line": line, "column": column},
            line=line,
            column=column,
        )
    if not is_number:
        return text
    candidate = text.replace(",", ".") if _DECIMAL_COMMA.match(text) else text
    try:
        number = float(candidate)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):  # "nan" and "inf" parse as floats but are not data
        raise CsvDataError(
            gettext("Line %(line)d, column “%(column)s”: the value is not a number.")
            % {"line": line, "column": column},
            line=line,
            column=column,
        )
    return number
