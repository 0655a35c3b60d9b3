"""A hand-built cohort whose Kaplan–Meier figures are known, shared by the page, API and
browser tests.

Twenty-two people entered the "Work path" programme on 2025-01-01 at the City's employment
services (public); follow-up ends on 2026-06-30 (545 days after entry); a month is 30.4375 days.

- Ten women: first jobs on days 30, 61, 91, 122, 152 and 183; two left without a job on day 200;
  two are still searching. The curve falls by a tenth at each job, reaching half on day 152:
  median 152 / 30.4375 = 4.99 months. In work by 3 months (91.3 days): 3 of 10; by 6 months
  (182.6 days): 5 of 10. Only four women are followed beyond day 183, so the women's curve
  ends there (6.01 months) and their 12-month share is not shown.
- Ten men: first jobs on days 61, 122, 183 and 244; six still searching. Never half: median not
  reached; by 3 months 1 of 10, by 6 months 2 of 10, by 12 months 4 of 10.
- Two people of gender "other", one with a job: a group of fewer than five, left out of every
  figure.

All twenty (without the two): jobs on days 30, 61 (2), 91, 122 (2), 152, 183 (2), censored 2 on
day 200, a job on day 244: S = .95, .85, .80, .70, .65, .55, then .55 × 8/9 = .489 on day 244,
so the median is 244 / 30.4375 = 8.02 months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from polku.clients.models import EndReason, Episode, Gender, Programme
from polku.core.models import Organisation, Sector
from polku.evaluation.models import OutcomePoint, OutcomeStatus
from tests import factories as f
from tests.evaluation.factories import EntryDataFactory, OutcomeFactory

ENTRY = dt.date(2025, 1, 1)
FOLLOW_UP_END = dt.date(2026, 6, 30)
DAYS_PER_MONTH = 30.4375
EXIT = ENTRY + dt.timedelta(days=180)  # the provider trial's leavers

WOMEN_JOB_DAYS = (30, 61, 91, 122, 152, 183)
MEN_JOB_DAYS = (61, 122, 183, 244)


def person(
    programme: Programme,
    provider: Organisation,
    *,
    gender: str,
    job_day: int | None = None,
    exit_day: int | None = None,
    isced: int = 3,
    born: dt.date = dt.date(1980, 5, 17),
    entry: dt.date = ENTRY,
    months_unemployed: int = 24,
) -> None:
    """One participant: entry on `entry` with `provider`, a first job `job_day` days after
    entry, an exit `exit_day` days after entry (None: still taking part)."""
    client = f.ClientFactory(gender=gender, date_of_birth=born, recorded_by=provider)
    episode = f.EpisodeFactory(
        client=client,
        programme=programme,
        organisation=provider,
        start_date=entry,
        end_date=entry + dt.timedelta(days=exit_day) if exit_day is not None else None,
        end_reason=EndReason.OTHER if exit_day is not None else "",
        months_unemployed=months_unemployed,
    )
    EntryDataFactory(episode=episode, isced_level=isced)
    if job_day is not None:
        f.JobPlacementFactory(
            client=client,
            case=f.IpsCaseFactory(episode=episode),
            start_date=entry + dt.timedelta(days=job_day),
        )


def work_path() -> Programme:
    """The scenario of the module docstring."""
    provider = f.OrganisationFactory(name="City employment services", sector=Sector.PUBLIC)
    programme = f.ProgrammeFactory(code="work-path", name="Work path", organisation=provider)
    for index, day in enumerate(WOMEN_JOB_DAYS):
        person(programme, provider, gender=Gender.WOMAN, job_day=day, isced=3 + index % 2 * 2)
    for _ in range(2):
        person(programme, provider, gender=Gender.WOMAN, exit_day=200, isced=3)
    for _ in range(2):
        person(programme, provider, gender=Gender.WOMAN, isced=5)
    for index, day in enumerate(MEN_JOB_DAYS):
        person(programme, provider, gender=Gender.MAN, job_day=day, isced=3 + index % 2 * 2)
    for index in range(6):
        person(programme, provider, gender=Gender.MAN, isced=3 + index % 2 * 2)
    person(programme, provider, gender=Gender.OTHER, job_day=45)
    person(programme, provider, gender=Gender.OTHER)
    return programme


def provider_trial() -> Programme:
    """Public against private providers, as in Helsinki's 2019 trial; every participant left on
    day 180 with the situation at exit recorded.

    - City employment services (public), 15 people: 6 employed at exit (a job from day 100),
      3 in training, 6 job seeking; 8 followed up 6 months after exit, 3 of them employed.
    - Provider Oy (private), 15 people: 9 employed at exit, 1 in training, 5 job seeking; 12
      followed up at 6 months, 6 of them employed.
    - Association ry (third sector), 3 people: a provider, and a sector, of fewer than five,
      left out of every figure.

    Half of each provider's people are women; education levels 3 and 5 alternate in pairs,
    so that education does not repeat gender.
    """
    public = f.OrganisationFactory(name="City employment services", sector=Sector.PUBLIC)
    private = f.OrganisationFactory(name="Provider Oy", sector=Sector.PRIVATE)
    third = f.OrganisationFactory(name="Association ry", sector=Sector.THIRD_SECTOR)
    programme = f.ProgrammeFactory(
        code="provider-trial", name="Provider trial", organisation=public
    )
    employed, training, seeking = (
        OutcomeStatus.EMPLOYED_FULL_TIME,
        OutcomeStatus.EDUCATION,
        OutcomeStatus.JOB_SEEKING,
    )
    plans: tuple[tuple[Any, Sequence[str], Sequence[str]], ...] = (
        (public, [employed] * 6 + [training] * 3 + [seeking] * 6, [employed] * 3 + [seeking] * 5),
        (private, [employed] * 9 + [training] + [seeking] * 5, [employed] * 6 + [seeking] * 6),
        (third, [employed, seeking, seeking], []),
    )
    for provider, at_exit, at_6_months in plans:
        for index, status in enumerate(at_exit):
            episode = _leaver(
                programme,
                provider,
                gender=Gender.WOMAN if index % 2 else Gender.MAN,
                isced=3 + index // 2 % 2 * 2,
                job=status == employed,
            )
            OutcomeFactory(episode=episode, point=OutcomePoint.EXIT, status=status)
            if index < len(at_6_months):
                OutcomeFactory(
                    episode=episode,
                    point=OutcomePoint.MONTH_6,
                    due_on=EXIT + dt.timedelta(days=183),
                    status=at_6_months[index],
                )
    return programme


def _leaver(
    programme: Programme, provider: Organisation, *, gender: str, isced: int, job: bool
) -> Episode:
    client = f.ClientFactory(gender=gender, recorded_by=provider)
    episode = f.EpisodeFactory(
        client=client,
        programme=programme,
        organisation=provider,
        start_date=ENTRY,
        end_date=EXIT,
        end_reason=EndReason.OTHER,
    )
    EntryDataFactory(episode=episode, isced_level=isced)
    if job:
        f.JobPlacementFactory(
            client=client,
            case=f.IpsCaseFactory(episode=episode),
            start_date=ENTRY + dt.timedelta(days=100),
        )
    return episode
