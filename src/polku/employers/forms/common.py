"""Choices the employer forms share: industries and occupations labelled in the user's
language, and yes/no filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from polku.core.classifications import industries, occupations

Choices = list[tuple[str, str]]
GroupedChoices = list[tuple[str, Choices]]


def _language() -> str:
    return get_language() or "en"


def industry_label(code: str) -> str:
    """ "G – Wholesale and retail trade …" in the user's language; "" for no code."""
    section = industries().get(code)
    return f"{code} – {section.label(_language())}" if section else code


def occupation_label(code: str) -> str:
    group = occupations().get(code)
    return f"{code} – {group.label(_language())}" if group else code


def industry_choices() -> Choices:
    return [(code, industry_label(code)) for code in industries()]


SUB_MAJOR, MINOR = 2, 3  # ISCO-08 levels by the number of digits


def occupation_groups(*, current: str = "") -> GroupedChoices:
    """ISCO-08 minor groups (three digits) under their sub-major group, for a vacancy's
    occupation; `current`, if it is a code of another level, is offered too."""
    groups: GroupedChoices = []
    codes = sorted(occupations())
    for code in (c for c in codes if len(c) == SUB_MAJOR):
        minors = [(c, occupation_label(c)) for c in codes if len(c) == MINOR and c.startswith(code)]
        if current and current.startswith(code) and len(current) < MINOR:
            minors.insert(0, (current, occupation_label(current)))
        groups.append((occupation_label(code), minors))
    if current and len(current) == 1 and current in occupations():
        groups.insert(0, (occupation_label(current), [(current, occupation_label(current))]))
    return groups


def occupation_filter_groups() -> GroupedChoices:
    """ISCO-08 major groups, each followed by its sub-major groups, for filtering by prefix."""
    by_code = occupations()
    groups: GroupedChoices = []
    for major in sorted(code for code in by_code if len(code) == 1):
        options = [(major, _("%(group)s (all)") % {"group": occupation_label(major)})]
        options += [
            (code, occupation_label(code))
            for code in sorted(by_code)
            if len(code) == SUB_MAJOR and code.startswith(major)
        ]
        groups.append((occupation_label(major), options))
    return groups


YES_NO_ANY: list[tuple[str, Any]] = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
