"""Definitions of the savings figures (being written)."""

from __future__ import annotations

from polku.evaluation.definitions.base import Definition

SECTION_KEY = "savings"
SECTION_TITLE = "savings"
DEFINITIONS: tuple[Definition, ...] = ()
