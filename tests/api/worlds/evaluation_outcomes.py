"""The schema test's records and operations for the evaluation outcomes API
(tests/api/test_schema.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from polku.clients.models import EndReason
from polku.evaluation.models import EntryData, LabourMarketStatus, Outcome, OutcomePoint
from tests import factories

# "METHOD /api/v1/path/" of every operation this part of the API publishes.
OPERATIONS: set[str] = {
    "GET /api/v1/outcomes/",
    "GET /api/v1/outcomes/{id}/",
    "PATCH /api/v1/outcomes/{id}/",
    "GET /api/v1/entry-data/{id}/",
    "PUT /api/v1/entry-data/{id}/",
}


def build(base: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Records for generated requests to name: (path ids by resource, body values by field).

    `base` holds the shared world: org_a, org_b, coordinator (the token's membership, A),
    specialist (A, on the client's care team), partner (B), programme, client (A's, with an
    open episode), episode.

    A client of A whose episode ended five days ago, with its exit row still to record and its
    entry data; the coordinator (an organisation-wide role of A) reads and records both. The
    entry-data path ids are episode ids: that episode's and the base client's open one, whose
    entry data a PUT creates. `observed_on` is offered as the exit day, which the exit rule
    accepts.
    """
    org_a, programme = base["org_a"], base["programme"]
    exit_day = timezone.localdate() - dt.timedelta(days=5)
    client = factories.ClientFactory(recorded_by=org_a)
    episode = factories.EpisodeFactory(
        client=client,
        programme=programme,
        start_date=exit_day - dt.timedelta(days=200),
        end_date=exit_day,
        end_reason=EndReason.EMPLOYED,
    )
    outcome = Outcome.objects.create(
        episode=episode, point=OutcomePoint.EXIT, due_on=exit_day, recorded_by=org_a
    )
    EntryData.objects.create(
        episode=episode, recorded_by=org_a, labour_market_status=LabourMarketStatus.EMPLOYED
    )
    return (
        {
            "outcomes": [str(outcome.pk)],
            "entry-data": [str(episode.pk), str(base["episode"].pk)],
        },
        {"observed_on": [str(exit_day)]},
    )
