"""A hand-built programme with known entries, exits, outcomes and jobs, and its known answers.

- 10 women enter in January 2025 and all leave on 30 June 2025: five employed (each with a
  job from 1 May 2025), five job seeking.
- 10 men enter, five in February and five in March 2025; the February five leave on 31 July
  2025, employed (jobs from 1 June 2025); the March five are still taking part.
- 2 participants of gender "other" enter in January 2025: a group of fewer than five, left
  out of every figure.
- Jobs go to four employers: the women's to A, A, B, C, C; the men's to D. A job that began
  before entry, one 29 days after the exit, and one of a client outside the programme are
  not counted.
Everyone is born on 17 May 1980: 44 at entry, age band 30–54, and served by the programme's own
organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from polku.clients.models import Client, EndReason, Episode, Gender, Programme
from polku.employers.models import Employer
from polku.evaluation.models import OutcomePoint, OutcomeStatus, TargetMeasure
from tests import factories as f
from tests.evaluation.factories import OutcomeFactory, ProgrammeTargetFactory

AS_OF = dt.date(2026, 6, 30)
BORN = dt.date(1980, 5, 17)


@dataclass
class Scenario:
    programme: Programme
    employers: dict[str, Employer]


def _participant(
    programme: Programme,
    gender: str,
    start: dt.date,
    end: dt.date | None = None,
    status: str | None = None,
) -> Episode:
    # Everyone at the programme's own organisation: one provider, as the leave-out step counts
    # providers too (`cohort.leave_out_small_groups`).
    client: Client = f.ClientFactory(
        gender=gender, date_of_birth=BORN, recorded_by=programme.organisation
    )
    episode: Episode = f.EpisodeFactory(
        client=client,
        programme=programme,
        start_date=start,
        end_date=end,
        end_reason=EndReason.OTHER if end else "",
    )
    if status is not None:
        OutcomeFactory(episode=episode, point=OutcomePoint.EXIT, status=status, due_on=end)
    return episode


def _job(episode: Episode, employer: Employer, start: dt.date) -> None:
    # Jobs recorded outside an IPS case (the case is optional): the dashboard counts them all.
    f.JobPlacementFactory(
        client=episode.client,
        case=None,
        recorded_by=episode.recorded_by,
        specialist=f.MembershipFactory(role="employment_specialist"),
        employer=employer,
        start_date=start,
    )


def build(*, targets: bool = True) -> Scenario:
    programme = f.ProgrammeFactory(code="pilot", name="Pilot", target_participants=350)
    employers: dict[str, Employer] = {
        name: f.EmployerFactory(name=f"Employer {name}") for name in "ABCDE"
    }
    women_left = dt.date(2025, 6, 30)
    for index in range(10):
        employed = index < 5
        episode = _participant(
            programme,
            Gender.WOMAN,
            dt.date(2025, 1, 10 + index),
            women_left,
            OutcomeStatus.EMPLOYED_FULL_TIME if employed else OutcomeStatus.JOB_SEEKING,
        )
        if employed:
            _job(episode, employers["AABCC"[index]], dt.date(2025, 5, 1))
        elif index == 5:
            # Before entry, and 29 days after the exit: neither counts.
            _job(episode, employers["E"], dt.date(2024, 12, 1))
            _job(episode, employers["E"], women_left + dt.timedelta(days=29))
    for index in range(5):
        episode = _participant(
            programme,
            Gender.MAN,
            dt.date(2025, 2, 3 + index),
            dt.date(2025, 7, 31),
            OutcomeStatus.SUBSIDISED,
        )
        _job(episode, employers["D"], dt.date(2025, 6, 1))
        _participant(programme, Gender.MAN, dt.date(2025, 3, 3 + index))
    for index in range(2):
        _participant(programme, Gender.OTHER, dt.date(2025, 1, 20 + index))
    # Someone in another programme who found a job at E.
    other = f.EpisodeFactory(start_date=dt.date(2025, 1, 1))
    _job(other, employers["E"], dt.date(2025, 2, 1))
    if targets:
        ProgrammeTargetFactory(
            programme=programme, measure=TargetMeasure.PARTICIPANTS, value=Decimal(40)
        )
        ProgrammeTargetFactory(
            programme=programme,
            measure=TargetMeasure.WORK_OR_TRAINING_AT_EXIT,
            value=Decimal(50),
        )
        ProgrammeTargetFactory(
            programme=programme, measure=TargetMeasure.HIRING_EMPLOYERS, value=Decimal(8)
        )
    return Scenario(programme, employers)
