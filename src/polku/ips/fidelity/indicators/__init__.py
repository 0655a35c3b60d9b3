"""Fidelity indicators computed from the data, each naming the IPS-25 item it informs.

The anchors are those of the IPS-25 scale (Becker et al., *Supported Employment Fidelity Review
Manual*, 4th ed., 2019; ../shared/domain/IPS.md). A computation covers one programme and one
period [start, end] (both days included):

- its cases are the programme's `IpsCase`s (through the episode) active in the period: started
  on or before the end and not ended before the start; a client with two such cases counts
  twice;
- its specialists are those cases' specialists;
- its placements are those cases' `JobPlacement`s starting in the period, unless an indicator
  says otherwise.

Every query is set-based: a handful of aggregate or annotated queries per indicator, whatever the
number of clients. The results are aggregates over the programme's staff, cases and
placements; no client is named. They are exact: wherever they are shown (page, API, PDF, XLSX)
they go through `fidelity.published`, which hides counts of 1–4 people and what rests on them,
and the forms, the API and the review service accept only periods of whole months
(`services.period_errors`). Shares are exact fractions until shown, so a share that meets
an anchor exactly (9 of 10 against "90 %") scores as the manual says, never a float's rounding
below it.
"""

from __future__ import annotations

import datetime as dt

from polku.clients.models import Programme
from polku.ips.fidelity.indicators.base import (
    CASELOAD_ANCHORS,
    COMMUNITY_ANCHORS,
    COMPETITIVE_ANCHORS,
    DIVERSITY_ANCHORS,
    EMPLOYER_CONTACT_ANCHORS,
    EXCLUSION_ANCHORS,
    GENERALIST_ANCHORS,
    MAX_PERIOD_MONTHS,
    MIN_PERIOD_MONTHS,
    RAPID_SEARCH_ANCHORS,
    SERVICE_ANCHORS,
    STAFF_ANCHORS,
    TEAM_ANCHORS,
    Anchors,
    FidelityIndicators,
    Indicator,
    Measure,
    Scope,
    Unit,
    add_months,
    at_least,
    at_most,
    default_period,
    last_day_of_month,
    placement_figures,
)
from polku.ips.fidelity.indicators.client_work import (
    disclosure_decided,
    individualised_search,
    ongoing_assessment,
    outreach,
    rapid_job_search,
    work_incentives,
)
from polku.ips.fidelity.indicators.jobs import (
    competitive_jobs,
    employer_contacts,
    employer_diversity,
    individualised_follow_along,
    job_diversity,
    time_unlimited_follow_along,
)
from polku.ips.fidelity.indicators.organisation import (
    agency_focus,
    team_assignment,
    team_contact,
    zero_exclusion,
)
from polku.ips.fidelity.indicators.staffing import (
    caseload_size,
    community_based,
    employment_staff,
    vocational_generalists,
)

__all__ = [
    "CASELOAD_ANCHORS",
    "COMMUNITY_ANCHORS",
    "COMPETITIVE_ANCHORS",
    "DIVERSITY_ANCHORS",
    "EMPLOYER_CONTACT_ANCHORS",
    "EXCLUSION_ANCHORS",
    "GENERALIST_ANCHORS",
    "MAX_PERIOD_MONTHS",
    "MIN_PERIOD_MONTHS",
    "RAPID_SEARCH_ANCHORS",
    "SERVICE_ANCHORS",
    "STAFF_ANCHORS",
    "TEAM_ANCHORS",
    "Anchors",
    "FidelityIndicators",
    "Indicator",
    "Measure",
    "Scope",
    "Unit",
    "add_months",
    "at_least",
    "at_most",
    "compute",
    "default_period",
    "last_day_of_month",
]


def compute(programme: Programme, start: dt.date, end: dt.date) -> FidelityIndicators:
    """Every computed indicator of `programme` over [start, end].

    Reads no client's identity and returns aggregates only, so it writes nothing to the access
    log (like the referral timeliness report). Raises ValueError when `end` precedes `start`.
    """
    if end < start:
        msg = "the period ends before it starts"
        raise ValueError(msg)
    scope = Scope(programme, start, end)
    placements = placement_figures(scope)
    indicators = (
        caseload_size(scope),
        employment_staff(scope),
        vocational_generalists(scope),
        team_assignment(scope),
        team_contact(scope),
        zero_exclusion(scope),
        agency_focus(scope, placements),
        work_incentives(scope),
        disclosure_decided(scope),
        ongoing_assessment(scope),
        rapid_job_search(scope),
        individualised_search(scope),
        employer_contacts(scope),
        job_diversity(scope, placements),
        employer_diversity(scope, placements),
        competitive_jobs(scope, placements),
        individualised_follow_along(scope),
        time_unlimited_follow_along(scope),
        community_based(scope),
        outreach(scope),
    )
    return FidelityIndicators(
        programme=programme,
        start=start,
        end=end,
        cases=scope.cases().count(),
        specialists=len(scope.specialist_ids),
        placements=placements["n"],
        indicators=indicators,
    )
