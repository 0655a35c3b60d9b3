"""The schema test's records and operations for the ips API (tests/api/test_schema.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from polku.ips.models import (
    BenefitsCounselling,
    CareerProfile,
    FollowAlongSupport,
    IpsCase,
    JobPlacement,
    JobSearchActivity,
    JobSearchPlan,
    TimeEntry,
)
from tests import factories

# "METHOD /api/v1/path/" of every operation this part of the API publishes.
OPERATIONS: set[str] = {
    "GET /api/v1/ips-cases/",
    "POST /api/v1/ips-cases/",
    "GET /api/v1/ips-cases/{id}/",
    "POST /api/v1/ips-cases/{id}/end/",
    "GET /api/v1/career-profiles/",
    "POST /api/v1/career-profiles/",
    "GET /api/v1/career-profiles/{id}/",
    "GET /api/v1/benefits-counselling/",
    "POST /api/v1/benefits-counselling/",
    "GET /api/v1/benefits-counselling/{id}/",
    "GET /api/v1/job-search-plans/",
    "POST /api/v1/job-search-plans/",
    "GET /api/v1/job-search-plans/{id}/",
    "GET /api/v1/job-search-activities/",
    "POST /api/v1/job-search-activities/",
    "GET /api/v1/job-search-activities/{id}/",
    "GET /api/v1/placements/",
    "POST /api/v1/placements/",
    "GET /api/v1/placements/{id}/",
    "PATCH /api/v1/placements/{id}/",
    "POST /api/v1/placements/{id}/end/",
    "POST /api/v1/placements/{id}/end-follow-along/",
    "GET /api/v1/follow-along-supports/",
    "POST /api/v1/follow-along-supports/",
    "GET /api/v1/follow-along-supports/{id}/",
    "GET /api/v1/time-entries/",
    "POST /api/v1/time-entries/",
    "GET /api/v1/time-entries/{id}/",
}


def build(base: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Records for generated requests to name: (path ids by resource, body values by field).

    `base` holds the shared world: org_a, org_b, coordinator (the token's membership, A),
    specialist (A, on the client's care team), partner (B), programme, client (A's, with an
    open episode), episode.

    A client of A of its own (the base client stays free for the other apps' cases) with an
    open IPS case of A's specialist, and one record of every IPS resource about them; the
    coordinator reads and writes them as an organisation-wide role of A.
    """
    org_a, specialist, programme = base["org_a"], base["specialist"], base["programme"]
    today = timezone.localdate()
    client = factories.ClientFactory(recorded_by=org_a)
    episode = factories.EpisodeFactory(
        client=client, programme=programme, start_date=today - dt.timedelta(days=90)
    )
    factories.CareTeamMemberFactory(client=client, membership=specialist, is_key_worker=True)
    record = {"client": client, "recorded_by": org_a, "created_by": specialist}
    case = IpsCase.objects.create(
        **record, episode=episode, specialist=specialist, start_date=episode.start_date
    )
    employer = factories.EmployerFactory(registered_by=org_a)
    vacancy = factories.VacancyFactory(employer=employer)
    profile = CareerProfile.objects.create(**record, preferred_occupations=["522"])
    counselling = BenefitsCounselling.objects.create(
        **record, date=today, counsellor=specialist, topics=["earnings_adjustment"]
    )
    plan = JobSearchPlan.objects.create(**record, agreed_on=today, goal="A job in a shop")
    activity = JobSearchActivity.objects.create(
        **record, date=today, kind="employer_meeting", employer=employer
    )
    placement = JobPlacement.objects.create(
        **record,
        case=case,
        employer=employer,
        specialist=specialist,
        job_title="Myyjä",
        isco_code="522",
        competitive=True,
        start_date=today - dt.timedelta(days=30),
        hours_per_week=Decimal("25"),
    )
    support = FollowAlongSupport.objects.create(
        **record,
        placement=placement,
        date=today,
        with_whom="client",
        mode="phone",
        specialist=specialist,
        content="Check-in",
    )
    entry = TimeEntry.objects.create(
        membership=specialist, date=today, activity="job_development", minutes=60
    )
    return (
        {
            "ips-cases": [str(case.pk)],
            "career-profiles": [str(profile.pk)],
            "benefits-counselling": [str(counselling.pk)],
            "job-search-plans": [str(plan.pk)],
            "job-search-activities": [str(activity.pk)],
            "placements": [str(placement.pk)],
            "follow-along-supports": [str(support.pk)],
            "time-entries": [entry.pk],
        },
        {
            "client": [str(client.pk)],
            "episode": [str(episode.pk)],
            "specialist": [specialist.pk],
            "counsellor": [specialist.pk],
            "employer": [str(employer.pk)],
            "vacancy": [str(vacancy.pk), None],
            "placement": [str(placement.pk)],
            "isco_code": ["522", "93"],
            "preferred_occupations": [["522", "911"]],
            "target_occupations": [["933"]],
            "topics": [["taxation"]],
            "date": [str(today)],
            "ended_on": [str(today)],
            "client_chose": [True],
        },
    )
