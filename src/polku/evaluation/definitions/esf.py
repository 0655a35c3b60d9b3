"""Definitions of the esf figures (being written)."""

from __future__ import annotations

from polku.evaluation.definitions.base import Definition

SECTION_KEY = "esf"
SECTION_TITLE = "esf"
DEFINITIONS: tuple[Definition, ...] = ()
