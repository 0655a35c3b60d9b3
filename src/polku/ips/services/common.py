"""Checks shared by the IPS services. Each adds a message to `errors` (field → message) rather
than raising, so a service reports every problem of a submission at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polku.core.classifications import occupations

TEXT_MAX_LENGTH = 10000
Errors = dict[str, str]


def short_date(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def not_in_future(day: dt.date | None, field: str, errors: Errors) -> None:
    if day is not None and day > timezone.localdate():
        errors.setdefault(field, _("The date cannot be in the future."))


def end_after_start(
    end: dt.date | None, start: dt.date, errors: Errors, field: str = "end_date"
) -> None:
    """An end date on or after `start` and not in the future (clients.episode_end's words)."""
    if end is None:
        return
    if end < start:
        errors.setdefault(
            field,
            _("The end date is before the start date (%(date)s).") % {"date": short_date(start)},
        )
    elif end > timezone.localdate():
        errors.setdefault(field, _("The end date cannot be in the future."))


def isco_codes(codes: Iterable[str], field: str, errors: Errors) -> list[str]:
    """`codes` as ISCO-08 group codes of the shipped classification, each once, in order."""
    cleaned = list(dict.fromkeys(str(code).strip() for code in codes))
    unknown = [code for code in cleaned if code not in occupations()]
    if unknown:
        errors.setdefault(
            field,
            _("%(code)s is not an ISCO-08 occupation group code.") % {"code": unknown[0]},
        )
    return cleaned


def text(value: str, field: str, errors: Errors, *, max_length: int = TEXT_MAX_LENGTH) -> str:
    value = value.strip()
    if len(value) > max_length:
        errors.setdefault(field, _("Keep the text under %(max)d characters.") % {"max": max_length})
    return value


def required_text(value: str, field: str, errors: Errors, message: str) -> str:
    value = text(value, field, errors)
    if not value:
        errors.setdefault(field, message)
    return value


def choice(value: str, choices: Iterable[str], field: str, errors: Errors, message: str) -> None:
    if value not in set(choices):
        errors.setdefault(field, message)
