"""The schema test's records and operations for the fidelity API (tests/api/test_schema.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from polku.core.roles import Role
from polku.ips.fidelity.indicators import default_period
from polku.ips.fidelity.services import fidelity_review_create
from tests import factories

# "METHOD /api/v1/path/" of every operation this part of the API publishes.
OPERATIONS: set[str] = {
    "GET /api/v1/fidelity-indicators/",
    "GET /api/v1/fidelity-reviews/",
    "POST /api/v1/fidelity-reviews/",
    "GET /api/v1/fidelity-reviews/{id}/",
    "POST /api/v1/fidelity-reviews/{id}/scores/",
    "POST /api/v1/fidelity-reviews/{id}/complete/",
}


def build(base: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Records for generated requests to name: (path ids by resource, body values by field).

    `base` holds the shared world: org_a, org_b, coordinator (the token's membership, A),
    specialist (A, on the client's care team), partner (B), programme, client (A's, with an
    open episode), episode.

    An IPS case of a client of its own in the programme, so that the programme has IPS cases,
    and a draft review of it opened by A's programme manager. The token's coordinator reads
    reviews and indicators (IPS programme staff) but does not review: every write answers the
    documented 403.
    """
    today = timezone.localdate()
    client = factories.ClientFactory(recorded_by=base["org_a"])
    episode = factories.EpisodeFactory(
        client=client, programme=base["programme"], start_date=today - dt.timedelta(days=120)
    )
    factories.IpsCaseFactory(episode=episode, specialist=base["specialist"])
    manager = factories.MembershipFactory(organisation=base["org_a"], role=Role.PROGRAMME_MANAGER)
    # Whole months: the six before this one and this one so far.
    start, end = default_period(today)
    review = fidelity_review_create(
        actor=manager,
        programme=base["programme"],
        review_date=today,
        period_start=start,
        period_end=end,
        reviewers="Reviewer One, Reviewer Two",
    )
    return (
        {"fidelity-reviews": [str(review.pk)]},
        {
            "review_date": [str(today)],
            "period_start": [str(start)],
            "period_end": [str(end)],
            "reviewers": ["Reviewer One"],
            "scores": [[{"item": 1, "score": 4, "evidence": "Caseloads of 15–18"}]],
        },
    )
