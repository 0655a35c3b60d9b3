"""Definitions of the comparison figures (being written)."""

from __future__ import annotations

from polku.evaluation.definitions.base import Definition

SECTION_KEY = "comparison"
SECTION_TITLE = "comparison"
DEFINITIONS: tuple[Definition, ...] = ()
