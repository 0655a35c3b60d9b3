"""The schema test's records and operations for the outcomes API (tests/api/test_schema.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from polku.clients.models import Gender
from tests.factories import ClientFactory, EpisodeFactory, IpsCaseFactory, JobPlacementFactory

# "METHOD /api/v1/path/" of every operation this part of the API publishes.
OPERATIONS: set[str] = {"GET /api/v1/ips-outcomes/"}


def build(base: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Records for generated requests to name: (path ids by resource, body values by field).

    `base` holds the shared world: org_a, org_b, coordinator (the token's membership, A),
    specialist (A, on the client's care team), partner (B), programme, client (A's, with an
    open episode), episode.

    Twelve IPS cases in the programme, entered a year ago: five women and five men, three of
    each with a job (one not competitive), and two of gender "other", left out of every figure
    as a group of fewer than five — so that a request naming the programme gets figures, some
    of them suppressed, and a `left_out` group. The endpoint takes only query parameters, which
    the schema test generates; the coordinator's token may read it (coordinators are IPS
    programme staff).
    """
    entry = timezone.localdate() - dt.timedelta(days=365)
    genders = [Gender.WOMAN] * 5 + [Gender.MAN] * 5 + [Gender.OTHER] * 2
    for index, gender in enumerate(genders):
        client = ClientFactory(recorded_by=base["org_a"], gender=gender)
        episode = EpisodeFactory(client=client, programme=base["programme"], start_date=entry)
        case = IpsCaseFactory(episode=episode, start_date=entry, specialist=base["specialist"])
        if index % 5 < 3:
            JobPlacementFactory(
                case=case,
                start_date=entry + dt.timedelta(days=40 * (index % 5 + 1)),
                competitive=index % 5 != 0,
            )
    return {}, {}
