"""Definitions of the survival figures (being written)."""

from __future__ import annotations

from polku.evaluation.definitions.base import Definition

SECTION_KEY = "survival"
SECTION_TITLE = "survival"
DEFINITIONS: tuple[Definition, ...] = ()
