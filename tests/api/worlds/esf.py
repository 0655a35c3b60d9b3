"""The schema test's records and operations for the ESF+ report API (tests/api/test_schema.py)."""

from __future__ import annotations

from typing import Any

from tests.evaluation.esf import scenario

# "METHOD /api/v1/path/" of every operation this part of the API publishes.
OPERATIONS: set[str] = {"GET /api/v1/esf-report/"}


def build(base: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Records for generated requests to name: (path ids by resource, body values by field).

    The hand-built ESF+ programme of the report's own tests (`tests.evaluation.esf.scenario`):
    participants of every gender entering and leaving in 2025, outcomes at exit and six months
    later, and employer services. The endpoint takes only query parameters, which the schema test
    generates; the world's coordinator token is refused (403, a documented answer), as only
    programme managers and evaluators read the report.
    """
    del base
    scenario.build()
    return {}, {}
