"""Reading one row's cells as values: yes/no, choices, dates, numbers; each problem reported
at its line and column as the file names it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from polku.core.models import Country
from polku.employers.importer.columns import MAX_ERRORS
from polku.employers.importer.reading import Row, RowError, Source

TRUE_WORDS = {"true", "yes", "1", "x", "kyllä", "k", "ja", "j"}
FALSE_WORDS = {"false", "no", "0", "ei", "e", "nej", "n"}
COUNTRIES = {
    "fi": Country.FINLAND,
    "finland": Country.FINLAND,
    "suomi": Country.FINLAND,
    "se": Country.SWEDEN,
    "sweden": Country.SWEDEN,
    "sverige": Country.SWEDEN,
    "ruotsi": Country.SWEDEN,
}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y")


def choice_names(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    """A choice's code or its label in any of the three languages, case-insensitively."""
    names = {value.casefold(): value for value, _label in choices}
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            names |= {str(label).casefold(): value for value, label in choices}
    return names


def text_of(value: Any) -> str:
    return "" if value is None else str(value)


class RowValues:
    """Reads cells of the source's rows, collecting errors."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.errors: list[RowError] = list(source.errors)
        self.more_errors = source.more_errors  # found after MAX_ERRORS were kept

    def error(self, row: Row, column: str, message: str) -> None:
        if len(self.errors) >= MAX_ERRORS:
            self.more_errors += 1
            return
        headers = self.source.sheets[row.table].headers
        self.errors.append(RowError(row.sheet, row.line, headers.get(column, column), message))

    def given(self, row: Row, column: str) -> str | None:
        """The cell's text, or None when the column is absent or the cell empty."""
        value = row.values.get(column, "").strip()
        return value or None

    def boolean(self, row: Row, column: str, default: bool) -> bool:
        value = self.given(row, column)
        if value is None:
            return default
        if value.casefold() in TRUE_WORDS:
            return True
        if value.casefold() in FALSE_WORDS:
            return False
        self.error(row, column, _("Give yes or no."))
        return default

    def choice(self, row: Row, column: str, names: Mapping[str, str], default: str) -> str:
        value = self.given(row, column)
        if value is None:
            return default
        found = names.get(value.casefold())
        if found is None:
            codes = sorted(set(names.values()))
            self.error(
                row,
                column,
                _("Unknown value %(value)s; give one of: %(choices)s.")
                % {"value": value[:60], "choices": ", ".join(codes)},
            )
            return default
        return found

    def date(self, row: Row, column: str, default: dt.date | None) -> dt.date | None:
        value = self.given(row, column)
        if value is None:
            return default
        for pattern in DATE_FORMATS:
            try:
                return dt.datetime.strptime(value[:10], pattern).date()  # noqa: DTZ007 - a civil date
            except ValueError:
                continue
        self.error(row, column, _("Give a date as YYYY-MM-DD or D.M.YYYY."))
        return default

    def decimal(self, row: Row, column: str, default: Decimal | None) -> Decimal | None:
        value = self.given(row, column)
        if value is None:
            return default
        try:
            number = Decimal(value.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or len(value) > 12:  # noqa: PLR2004
            self.error(row, column, _("Give a number."))
            return default
        return number

    def integer(self, row: Row, column: str, default: int) -> int:
        value = self.given(row, column)
        if value is None:
            return default
        if not re.fullmatch(r"[0-9]{1,6}", value):
            self.error(row, column, _("Give a whole number, 1 or more."))
            return default
        return int(value)

    def messages(self, row: Row, error: ValidationError, columns: dict[str, str]) -> None:
        """A service's validation errors, reported at the columns their fields came from."""
        for name, messages in error.message_dict.items():
            for message in messages:
                self.error(row, columns.get(name, name), message)
