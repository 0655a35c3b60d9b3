"""The schema test's records and operations for the savings API (tests/api/test_schema.py)."""

from __future__ import annotations

from typing import Any

# "METHOD /api/v1/path/" of every operation this part of the API publishes.
OPERATIONS: set[str] = {"GET /api/v1/savings/"}


def build(base: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Nothing to add: the endpoint takes only query parameters, which the schema test
    generates, and the world's token acts as a coordinator, whom it answers 403 (documented);
    the savings rule sets it names are loaded by migration evaluation.0002."""
    del base
    return {}, {}
