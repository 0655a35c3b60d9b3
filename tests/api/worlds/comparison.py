"""The schema test's records and operations for the comparison API (tests/api/test_schema.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from polku.clients.models import Gender
from polku.evaluation.models import ComparisonGroup, ComparisonMember, ComparisonRun, RunStatus

# "METHOD /api/v1/path/" of every operation this part of the API publishes.
OPERATIONS: set[str] = {
    "GET /api/v1/comparison-groups/",
    "GET /api/v1/comparison-groups/{id}/",
    "POST /api/v1/comparison-groups/{id}/runs/",
    "GET /api/v1/comparison-runs/{id}/",
}


def build(base: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Records for generated requests to name: (path ids by resource, body values by field).

    `base` holds the shared world: org_a, org_b, coordinator (the token's membership, A),
    specialist, partner, programme, client, episode.

    A comparison group of six in the programme and a finished run of it. Comparison groups are
    for programme managers and evaluators: the token's coordinator gets the documented 403 on
    every operation, whatever the request names.
    """
    group = ComparisonGroup.objects.create(
        name="Register extract", programme=base["programme"], source="Employment register"
    )
    ComparisonMember.objects.bulk_create(
        ComparisonMember(
            group=group,
            row_id=f"S{index}",
            reference_date=dt.date(2024, 1, 1),
            gender=Gender.WOMAN if index % 2 else Gender.MAN,
            age=30 + index,
            months_unemployed=12 + index,
            days_followed=400,
        )
        for index in range(6)
    )
    run = ComparisonRun.objects.create(
        group=group, status=RunStatus.FAILED, error="Too few participants with the data needed."
    )
    return (
        {"comparison-groups": [group.pk], "comparison-runs": [run.pk]},
        {"bootstrap": [100, 500], "caliper": [0.2, None]},
    )
