"""What every published figure means and which records produce it.

Each area keeps its own definitions in a module here (`esf`, `dashboard`, `survival`,
`comparison`, `savings`); the definitions page lists them all, and every figure on the
evaluation pages links to its entry (`link(key)`), so a reader can trace a number to its
definition.
"""

from __future__ import annotations

from django.urls import reverse

from polku.evaluation.definitions import comparison, dashboard, esf, savings, survival
from polku.evaluation.definitions.base import Definition, Section

__all__ = ["Definition", "Section", "link", "sections"]


def sections() -> list[Section]:
    found = [
        Section(m.SECTION_KEY, m.SECTION_TITLE, m.DEFINITIONS)
        for m in (esf, dashboard, survival, comparison, savings)
    ]
    return [section for section in found if section.definitions]


def link(key: str) -> str:
    """The definitions page's anchor for `key`."""
    return f"{reverse('evaluation:definitions')}#{key}"
