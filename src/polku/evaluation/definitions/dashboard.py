"""Definitions of the dashboard figures (being written)."""

from __future__ import annotations

from polku.evaluation.definitions.base import Definition

SECTION_KEY = "dashboard"
SECTION_TITLE = "dashboard"
DEFINITIONS: tuple[Definition, ...] = ()
