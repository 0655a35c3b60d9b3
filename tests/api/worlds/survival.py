"""The schema test's records and operations for the time-to-employment and provider-comparison
API (tests/api/test_schema.py)."""

from __future__ import annotations

from typing import Any

# "METHOD /api/v1/path/" of every operation this part of the API publishes.
OPERATIONS: set[str] = {
    "GET /api/v1/time-to-employment/",
    "GET /api/v1/provider-comparison/",
}


def build(base: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Records for generated requests to name: (path ids by resource, body values by field).

    None: both endpoints take only query parameters, which the schema test generates, and the
    token's coordinator may not evaluate, so every request answers the documented 403. The
    permission is checked before the parameters, so a refused caller learns nothing from
    which parameters were wrong. (Their figures are tested in tests/evaluation/survival.)
    """
    del base
    return {}, {}
