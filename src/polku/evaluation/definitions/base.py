"""The shape of a definition; the areas' modules list theirs (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Definition:
    key: str  # unique across areas; the anchor on the definitions page, e.g. "EECO02"
    title: StrOrPromise
    text: StrOrPromise  # what the figure counts, and how
    records: StrOrPromise  # which records produce it (tables, fields, dates)
    source: StrOrPromise = ""  # the rule it follows (regulation, act, domain file)


@dataclass(frozen=True)
class Section:
    key: str
    title: StrOrPromise
    definitions: tuple[Definition, ...]
