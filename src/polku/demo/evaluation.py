"""Demo data of the evaluation app: ESF+ entry data, outcomes at exit and follow-up, the IPS
pilot's targets and costs, provider sectors, and a synthetic comparison group.

generator.py calls `create` once, after every client, episode and IPS placement is in the
database. Everything is read back in a few queries and written with bulk inserts, so the cost
grows with the number of rows, not with queries per client (100 000 clients: seconds).

The rows keep the rules the evaluation services enforce (../shared/domain/ESF_INDICATORS.md):
one entry data row per episode; sensitive characteristics only with the participant's consent
("declined" is an answer of its own); an exit outcome for every ended episode, observed within
the 28 days after leaving; a 6- and a 12-month follow-up row only once it has fallen due, some
of them still unrecorded so the key workers' list of due follow-ups has something to show.
Outcomes agree with the IPS placements: whoever had a placement on the day they left is in
work at exit, and a participant with an IPS case is in work at exit only with a placement then.
Its own random generator, seeded from `--seed`, leaves every other demo row as it was.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone

from polku.clients.models import EndReason, Episode, Gender, Programme
from polku.core.models import Membership, Organisation, Sector
from polku.core.roles import Role
from polku.demo.plans import _insert
from polku.evaluation.models import (
    ComparisonGroup,
    ComparisonMember,
    EntryData,
    LabourMarketStatus,
    Outcome,
    OutcomePoint,
    OutcomeSource,
    OutcomeStatus,
    ProgrammeCost,
    ProgrammeTarget,
    SensitiveAnswer,
    TargetMeasure,
)
from polku.ips.fidelity.indicators.base import add_months
from polku.ips.models import IpsCase, JobPlacement

T = TypeVar("T")
# A row of column values by attname, inserted with `plans._insert` (one executemany a batch).
Row = dict[str, Any]
S = OutcomeStatus
BATCH = 2000
IPS_PROGRAMME = "ips-pilot"
# Who runs each demo organisation (data.py): the City of Helsinki's services and Kela are
# public; the companies private; the association third-sector. The outcome-based trial is run
# by the two providers, so the provider comparison sets them against the public programmes, as
# Helsinki's 2019 trial did (../shared/domain/OUTCOME_CONTRACTS.md).
SECTORS = {
    "ips": Sector.PRIVATE,
    "provider_a": Sector.PRIVATE,
    "provider_b": Sector.THIRD_SECTOR,
    "social_enterprise": Sector.PRIVATE,
}
TRIAL_PROGRAMME = "outcome-trial"
TRIAL_PROVIDERS = ("provider_a", "provider_b")

# The Helsinki IPS pilot's targets (../shared/domain/ESF_INDICATORS.md, programme-specific);
# the other two programmes get targets of the same kind for the dashboard to show.
TARGETS: dict[str, list[tuple[str, int]]] = {
    IPS_PROGRAMME: [
        (TargetMeasure.PARTICIPANTS, 350),
        (TargetMeasure.WORK_OR_TRAINING_AT_EXIT, 50),
        (TargetMeasure.HIRING_EMPLOYERS, 60),
    ],
    "rehab-to-work": [
        (TargetMeasure.PARTICIPANTS, 200),
        (TargetMeasure.WORK_OR_TRAINING_AT_EXIT, 30),
    ],
    TRIAL_PROGRAMME: [
        (TargetMeasure.PARTICIPANTS, 600),
        (TargetMeasure.EMPLOYED_AT_EXIT, 35),
    ],
}
# Euros a month at the default 350 clients: a €1.2 M a year pilot is about €100 000 a month
# (the issue); costs grow with the number of clients so the cost per participant stays the same.
MONTHLY_COST = {IPS_PROGRAMME: 100_000, "rehab-to-work": 45_000, TRIAL_PROGRAMME: 60_000}
DEFAULT_CLIENTS = 350
# Staff are on holiday in July: fewer purchased services that month.
JULY_FACTOR = 0.7

LABOUR_MARKET = {
    IPS_PROGRAMME: [("unemployed", 90), ("inactive", 7), ("employed", 3)],
    "rehab-to-work": [("unemployed", 70), ("inactive", 28), ("employed", 2)],
    # The trial took only people with 300+ days on labour market subsidy: all but a few
    # registered unemployed.
    TRIAL_PROGRAMME: [("unemployed", 97), ("inactive", 2), ("employed", 1)],
}
# Long-term unemployed in Helsinki: many with basic education only, most with a vocational
# upper-secondary qualification, a minority with a degree; a few unknown.
ISCED: list[tuple[int | None, int]] = [
    (1, 3),
    (2, 30),
    (3, 40),
    (4, 4),
    (5, 4),
    (6, 8),
    (7, 5),
    (8, 0),
    (None, 6),
]
SENSITIVE_CONSENT_SHARE = 0.6
DECLINED_SHARE = 0.05  # of each question, among those who agreed to answer
FOLLOW_UP_POINTS = ((OutcomePoint.MONTH_6, 6), (OutcomePoint.MONTH_12, 12))
# ESF+ immediate results: the situation within the 4 weeks after leaving.
EXIT_WINDOW_DAYS = 28
FULL_TIME_HOURS = 30  # Statistics Finland: 30 hours a week or more is full-time
# Of the follow-ups that fell due in the last RECENT_DAYS, fewer are recorded yet.
RECENT_DAYS = 45
RECORDED_SHARE, RECENT_RECORDED_SHARE = 0.85, 0.4
COMPARISON_SIZE = 1500
# Of the comparison group members who found work, most were still in it later; the others'
# job lasted about three months.
KEEPS_WORK_SHARE = 0.75
SHORT_JOB_DAYS = 90


@dataclass
class EvaluationCounts:
    entry_data: int = 0
    outcomes: int = 0
    unrecorded_follow_ups: int = 0
    targets: int = 0
    costs: int = 0
    comparison_members: int = 0
    moved_to_providers: int = 0

    def summary(self) -> str:
        return (
            f"{self.entry_data} ESF+ entry data rows, {self.outcomes} outcomes "
            f"({self.unrecorded_follow_ups} follow-ups due), {self.targets} targets, "
            f"{self.costs} monthly costs, {self.comparison_members} comparison group members, "
            f"{self.moved_to_providers} trial episodes run by providers"
        )


@dataclass(frozen=True)
class _Episode:
    id: uuid.UUID
    programme: str
    recorded_by_id: int
    created_by_id: int | None
    start: dt.date
    end: dt.date | None
    end_reason: str
    language: str


@dataclass(frozen=True)
class _Job:
    start: dt.date
    end: dt.date | None
    subsidised: bool
    hours: Decimal | None

    def on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


def _weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    return rng.choices([v for v, _ in options], weights=[w for _, w in options])[0]


def _bulk(model: type[Model], rows: Sequence[Model]) -> None:
    model._default_manager.bulk_create(rows, batch_size=BATCH)


def create(
    *,
    seed: int,
    today: dt.date,
    orgs: dict[str, Organisation],
    programmes: dict[str, Programme],
    clients: int,
) -> EvaluationCounts:
    """Add the evaluation rows for the demo network already in the database (see the module
    docstring). Returns what it added."""
    rng = random.Random(f"polku-demo-evaluation:{seed}")
    counts = EvaluationCounts()
    counts.moved_to_providers = _providers(orgs, programmes)
    episodes = _episodes()
    with_case, jobs = _jobs()
    generator = _Generator(rng=rng, today=today, with_case=with_case, jobs=jobs)
    entry_rows: list[Row] = []
    outcome_rows: list[Row] = []
    for episode in episodes:
        entry = generator.entry_data(episode)
        entry_rows.append(entry)
        outcome_rows.extend(generator.outcomes(episode, entry))
    # Dicts and one executemany per batch, not models and bulk_create: at 100 000 clients
    # bulk_create's per-row work took most of this module's time (as in demo/plans.py).
    _insert(EntryData, entry_rows)
    _insert(Outcome, outcome_rows)
    counts.entry_data, counts.outcomes = len(entry_rows), len(outcome_rows)
    counts.unrecorded_follow_ups = sum(1 for row in outcome_rows if not row["status"])
    counts.targets = _targets(programmes)
    counts.costs = _costs(rng, today, programmes, clients)
    counts.comparison_members = _comparison_group(rng, today, programmes[IPS_PROGRAMME])
    return counts


def _providers(orgs: dict[str, Organisation], programmes: dict[str, Programme]) -> int:
    """Give the organisations their sectors and the outcome-based trial's episodes to the
    provider that runs them (the one that registered the client); returns how many moved."""
    for key, sector in SECTORS.items():
        Organisation.objects.filter(pk=orgs[key].pk).update(sector=sector)
    moved = 0
    for key in TRIAL_PROVIDERS:
        moved += Episode.objects.filter(
            programme=programmes[TRIAL_PROGRAMME], recorded_by=orgs[key]
        ).update(organisation=orgs[key])
    return moved


def _episodes() -> list[_Episode]:
    rows = Episode.objects.order_by("id").values_list(
        "id",
        "programme__code",
        "recorded_by_id",
        "created_by_id",
        "start_date",
        "end_date",
        "end_reason",
        "client__preferred_language",
    )
    return [_Episode(*row) for row in rows]


def _jobs() -> tuple[set[uuid.UUID], dict[uuid.UUID, list[_Job]]]:
    """The episodes with an IPS case, and each such episode's placements."""
    with_case = set(IpsCase.objects.values_list("episode_id", flat=True))
    jobs: dict[uuid.UUID, list[_Job]] = {}
    placements = JobPlacement.objects.order_by("start_date", "id").values_list(
        "case__episode_id", "start_date", "end_date", "subsidised", "hours_per_week"
    )
    for episode_id, start, end, subsidised, hours in placements:
        jobs.setdefault(episode_id, []).append(_Job(start, end, subsidised, hours))
    return with_case, jobs


class _Generator:
    def __init__(
        self,
        *,
        rng: random.Random,
        today: dt.date,
        with_case: set[uuid.UUID],
        jobs: dict[uuid.UUID, list[_Job]],
    ) -> None:
        self.rng, self.today, self.with_case, self.jobs = rng, today, with_case, jobs

    def _chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _moment(self, day: dt.date) -> dt.datetime:
        """Office hours in Helsinki on `day`, in UTC."""
        return dt.datetime(
            day.year, day.month, day.day, 6 + self.rng.randint(0, 8), 0, tzinfo=dt.UTC
        )

    def _day(self, start: dt.date, days: int) -> dt.date:
        """A day in the `days` after `start`, never after today."""
        return min(start + dt.timedelta(days=self.rng.randint(0, days)), self.today)

    # --- at entry ---

    def entry_data(self, episode: _Episode) -> Row:
        rng = self.rng
        status = _weighted(rng, LABOUR_MARKET[episode.programme])
        consent = self._chance(SENSITIVE_CONSENT_SHARE)
        entry: Row = {
            "id": self._uuid(),
            "episode_id": episode.id,
            "labour_market_status": status,
            "isced_level": self._isced(episode.language),
            "rural_area": self._rural(),
            "months_employed_before": self._months_employed_before(status),
            "sensitive_consent": consent,
            "recorded_by_id": episode.recorded_by_id,
            "created_by_id": episode.created_by_id,
            "created_at": self._moment(episode.start),
        }
        # Without consent every sensitive answer stays "not asked" (the field default).
        if consent:
            entry.update(self._sensitive(episode.language))
        return entry

    def _isced(self, language: str) -> int | None:
        level = _weighted(self.rng, ISCED)
        # A degree from abroad is often not yet recognised or recorded.
        if language not in {"fi", "sv"} and self._chance(0.15):
            return None
        return level

    def _rural(self) -> bool | None:
        roll = self.rng.random()
        # Helsinki, Espoo and Vantaa are urban; a few live in their rural outskirts.
        return True if roll < 0.015 else (None if roll < 0.065 else False)  # noqa: PLR2004

    def _months_employed_before(self, status: str) -> int | None:
        rng = self.rng
        if self._chance(0.05):
            return None
        if status == LabourMarketStatus.EMPLOYED:
            return rng.randint(3, 12)
        # Over 12 months unemployed: at most short jobs that did not break the spell.
        return _weighted(rng, [(0, 82), (1, 12), (2, 5), (3, 1)])

    def _sensitive(self, language: str) -> Row:
        newcomer = language not in {"fi", "sv"}
        # Chances of "yes": disability is common among IPS participants (mental health);
        # background follows the language the client uses.
        chances = {
            "disability": 0.25,
            "third_country_national": 0.55 if newcomer else 0.01,
            "foreign_background": 0.85 if newcomer else 0.04,
            "minority": 0.05,
            "homeless": 0.08,
        }
        answers: Row = {}
        for field, chance in chances.items():
            if self._chance(DECLINED_SHARE):
                answers[field] = SensitiveAnswer.DECLINED
            else:
                answers[field] = SensitiveAnswer.YES if self._chance(chance) else SensitiveAnswer.NO
        return answers

    # --- at exit and after ---

    def outcomes(self, episode: _Episode, entry: Row) -> list[Row]:
        if episode.end is None or episode.end > self.today:
            return []
        employed_at_entry = entry["labour_market_status"] == LabourMarketStatus.EMPLOYED
        status = self._exit_status(episode)
        rows = [self._exit(episode, status)]
        for point, months in FOLLOW_UP_POINTS:
            due = add_months(episode.end, months)
            if due > self.today:
                break
            status = self._later_status(status)
            rows.append(self._follow_up(episode, point, due, status, employed_at_entry))
        return rows

    def _exit_status(self, episode: _Episode) -> str:
        assert episode.end is not None
        job = next((j for j in self.jobs.get(episode.id, []) if j.on(episode.end)), None)
        if job is not None:
            if job.subsidised:
                return S.SUBSIDISED
            full = job.hours is not None and job.hours >= FULL_TIME_HOURS
            return S.EMPLOYED_FULL_TIME if full else S.EMPLOYED_PART_TIME
        # An IPS participant's job is a placement: without one at exit, not in work then.
        in_ips = episode.id in self.with_case
        reason = episode.end_reason
        if reason == EndReason.EMPLOYED and not in_ips:
            return _weighted(
                self.rng,
                [(S.EMPLOYED_FULL_TIME, 55), (S.EMPLOYED_PART_TIME, 35), (S.SELF_EMPLOYED, 10)],
            )
        if reason == EndReason.SUBSIDISED_EMPLOYMENT and not in_ips:
            return S.SUBSIDISED
        return _weighted(self.rng, EXIT_WITHOUT_WORK.get(reason, EXIT_WITHOUT_WORK[""]))

    def _later_status(self, before: str) -> str:
        """The situation at the next follow-up: work mostly lasts; some find work later."""
        rng = self.rng
        if before in WORK and self._chance(0.8):
            return before
        if before not in WORK and self._chance(0.18):
            return _weighted(
                rng, [(S.EMPLOYED_FULL_TIME, 45), (S.EMPLOYED_PART_TIME, 40), (S.SUBSIDISED, 15)]
            )
        if before == S.EDUCATION and self._chance(0.7):
            return before
        return _weighted(rng, AFTER_WITHOUT_WORK)

    def _exit(self, episode: _Episode, status: str) -> Row:
        assert episode.end is not None
        observed = self._day(episode.end, EXIT_WINDOW_DAYS)
        source = _weighted(
            self.rng,
            [
                (OutcomeSource.PROVIDER, 70),
                (OutcomeSource.SELF_REPORT, 25),
                (OutcomeSource.REGISTER, 5),
            ],
        )
        education = status == S.EDUCATION or (status in WORK and self._chance(0.03))
        qualification = self._chance(0.35 if status == S.EDUCATION else 0.03)
        return self._recorded(
            episode,
            OutcomePoint.EXIT,
            due=episode.end,
            observed=observed,
            status=status,
            source=source,
            in_education=education,
            gained_qualification=qualification,
            improved=None,
        )

    def _follow_up(
        self, episode: _Episode, point: str, due: dt.date, status: str, employed_at_entry: bool
    ) -> Row:
        recent = (self.today - due).days <= RECENT_DAYS
        if not self._chance(RECENT_RECORDED_SHARE if recent else RECORDED_SHARE):
            # Created empty by the scheduler on the day it fell due; not answered yet.
            return {
                "id": self._uuid(),
                "episode_id": episode.id,
                "point": point,
                "due_on": due,
                **NOT_RECORDED,
                "recorded_by_id": episode.recorded_by_id,
                "created_at": self._moment(due),
            }
        source = _weighted(
            self.rng,
            [
                (OutcomeSource.REGISTER, 45),
                (OutcomeSource.SELF_REPORT, 35),
                (OutcomeSource.PROVIDER, 20),
            ],
        )
        # ESF+ EECR06 applies only to those employed at entry.
        improved = self._chance(0.55) if employed_at_entry and status in WORK else None
        return self._recorded(
            episode,
            point,
            due=due,
            observed=self._day(due, 30),
            status=status,
            source=source,
            in_education=status == S.EDUCATION,
            gained_qualification=status == S.EDUCATION and self._chance(0.2),
            improved=improved,
        )

    def _recorded(
        self,
        episode: _Episode,
        point: str,
        *,
        due: dt.date,
        observed: dt.date,
        status: str,
        source: str,
        in_education: bool,
        gained_qualification: bool,
        improved: bool | None,
    ) -> Row:
        recorded_at = self._moment(self._day(observed, 7))
        return {
            "id": self._uuid(),
            "episode_id": episode.id,
            "point": point,
            "due_on": due,
            "status": status,
            "observed_on": observed,
            "in_education": in_education,
            "gained_qualification": gained_qualification,
            "improved_situation": improved,
            "source": source,
            "recorded_at": recorded_at,
            "recorded_by_member_id": episode.created_by_id,
            "recorded_by_id": episode.recorded_by_id,
            "created_by_id": episode.created_by_id,
            "created_at": recorded_at,
        }


# The columns of a follow-up row the scheduler created and nobody has answered yet.
NOT_RECORDED: Row = {
    "status": "",
    "observed_on": None,
    "in_education": False,
    "gained_qualification": False,
    "improved_situation": None,
    "source": "",
    "recorded_at": None,
    "recorded_by_member_id": None,
    "created_by_id": None,
}
WORK = frozenset({S.EMPLOYED_FULL_TIME, S.EMPLOYED_PART_TIME, S.SELF_EMPLOYED, S.SUBSIDISED})
# The situation at exit of those not in work then, by the episode's end reason ("" any other).
EXIT_WITHOUT_WORK: dict[str, list[tuple[str, int]]] = {
    EndReason.EMPLOYED: [(S.JOB_SEEKING, 1)],
    EndReason.SUBSIDISED_EMPLOYMENT: [(S.JOB_SEEKING, 1)],
    EndReason.EDUCATION: [(S.EDUCATION, 1)],
    EndReason.OTHER_SERVICE: [(S.JOB_SEEKING, 60), (S.REHABILITATION, 40)],
    EndReason.REHABILITATION: [(S.REHABILITATION, 70), (S.PENSION_OR_SICK_LEAVE, 30)],
    EndReason.MOVED: [(S.UNKNOWN, 70), (S.JOB_SEEKING, 30)],
    EndReason.DROPPED_OUT: [
        (S.UNKNOWN, 40),
        (S.JOB_SEEKING, 30),
        (S.OUTSIDE_LABOUR_FORCE, 20),
        (S.PENSION_OR_SICK_LEAVE, 10),
    ],
    EndReason.PROGRAMME_ENDED: [(S.JOB_SEEKING, 70), (S.EDUCATION, 10), (S.UNKNOWN, 20)],
    "": [(S.JOB_SEEKING, 60), (S.UNKNOWN, 40)],
}
AFTER_WITHOUT_WORK: list[tuple[str, int]] = [
    (S.JOB_SEEKING, 55),
    (S.REHABILITATION, 12),
    (S.EDUCATION, 8),
    (S.PENSION_OR_SICK_LEAVE, 7),
    (S.OUTSIDE_LABOUR_FORCE, 6),
    (S.UNKNOWN, 12),
]


# --- The programmes' targets and costs --------------------------------------------------------


def _targets(programmes: dict[str, Programme]) -> int:
    rows: list[Model] = [
        ProgrammeTarget(programme=programmes[code], measure=measure, value=Decimal(value))
        for code, targets in TARGETS.items()
        for measure, value in targets
    ]
    _bulk(ProgrammeTarget, rows)
    return len(rows)


def _costs(
    rng: random.Random, today: dt.date, programmes: dict[str, Programme], clients: int
) -> int:
    """One cost row a month for each programme, from its start to this month, ±8 %."""
    scale = max(1.0, clients / DEFAULT_CLIENTS)
    rows: list[Model] = []
    for code, monthly in MONTHLY_COST.items():
        programme = programmes[code]
        month = (programme.start_date or today).replace(day=1)
        while month <= today:
            amount = monthly * scale * rng.uniform(0.92, 1.08)
            if month.month == 7:  # noqa: PLR2004
                amount *= JULY_FACTOR
            rows.append(
                ProgrammeCost(
                    programme=programme,
                    month=month,
                    amount=Decimal(round(amount, 2)).quantize(Decimal("0.01")),
                )
            )
            month = add_months(month, 1)
    _bulk(ProgrammeCost, rows)
    return len(rows)


# --- The comparison group ---------------------------------------------------------------------


def _comparison_group(rng: random.Random, today: dt.date, programme: Programme) -> int:
    """About 1 500 long-term unemployed people of the same region who did not take part: the
    same covariates as the participants, drawn a little older and longer out of work, and
    employment after the reference date somewhat lower than the IPS participants'."""
    evaluator = (
        Membership.objects.filter(role=Role.EVALUATOR, user__username="evaluator")
        .select_related("user")
        .first()
    )
    group = ComparisonGroup.objects.create(
        name="Vertailuryhmä: pitkäaikaistyöttömät Helsingissä (synteettinen)",
        programme=programme,
        source="Synteettinen demoaineisto rekisteriotteen muodossa, ei oikeita henkilöitä",
        imported_at=timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=30), dt.time(10))
        ),
        imported_by=evaluator.user if evaluator else None,
        file_name="vertailuryhma-demo.csv",
    )
    first = programme.start_date or today - dt.timedelta(days=730)
    members: list[Model] = []
    for index in range(COMPARISON_SIZE):
        reference = first + dt.timedelta(days=rng.randint(0, max((today - first).days - 30, 0)))
        members.append(_member(rng, today, group, index, reference))
    _bulk(ComparisonMember, members)
    return len(members)


def _member(
    rng: random.Random, today: dt.date, group: ComparisonGroup, index: int, reference: dt.date
) -> ComparisonMember:
    gender = _weighted(
        rng, [(Gender.MAN, 58), (Gender.WOMAN, 40), (Gender.OTHER, 1), (Gender.NOT_DISCLOSED, 1)]
    )
    age = min(64, rng.randint(31, 63) + rng.choice([0, 0, 1, 2]))
    months_unemployed = min(240, 12 + int(rng.lognormvariate(3.15, 0.7)))
    isced = _weighted(rng, ISCED)
    before = _weighted(rng, [(0, 84), (1, 11), (2, 4), (3, 1), (None, 5)])
    # The chance of finding work within a year: lower when older, longer out of work and with
    # less education (the usual register findings), about a third on average.
    logit = (
        -0.55
        - 0.03 * (age - 45)
        - 0.012 * (months_unemployed - 35)
        + 0.2 * ((isced if isced is not None else 3) - 3)
        + 0.3 * (before or 0)
    )
    finds_work = rng.random() < 1 / (1 + math.exp(-logit))
    followed = min((today - reference).days, 730)
    days_to_job = rng.randint(20, 365) if finds_work else None
    if days_to_job is not None and days_to_job > followed:
        days_to_job = None
    keeps = rng.random() < KEEPS_WORK_SHARE

    def employed_at(day: int) -> bool | None:
        if followed < day:
            return None
        return (
            days_to_job is not None
            and days_to_job <= day
            and (keeps or day - days_to_job < SHORT_JOB_DAYS)
        )

    after = None
    if followed >= 365:  # noqa: PLR2004
        after = 0 if days_to_job is None else min(12, math.ceil((365 - days_to_job) / 30.4))
        if not keeps and after:
            after = min(after, 3)
    return ComparisonMember(
        group=group,
        row_id=f"V{index + 1:05d}",
        reference_date=reference,
        gender=gender,
        age=age,
        months_unemployed=months_unemployed,
        isced_level=isced,
        months_employed_before=before,
        months_employed_after=after,
        employed_6m=employed_at(182),
        employed_12m=employed_at(365),
        days_to_job=days_to_job,
        days_followed=followed,
    )
