"""The schema test's records and operations for the fidelity API (tests/api/test_schema.py)."""

from __future__ import annotations

from typing import Any

# "METHOD /api/v1/path/" of every operation this part of the API publishes.
OPERATIONS: set[str] = set()


def build(base: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Records for generated requests to name: (path ids by resource, body values by field).

    `base` holds the shared world: org_a, org_b, coordinator (the token's membership, A),
    specialist (A, on the client's care team), partner (B), programme, client (A's, with an
    open episode), episode.
    """
    del base
    return {}, {}
