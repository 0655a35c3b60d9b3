"""The demo's evaluation data: consistent with the rules the evaluation services keep and with
the IPS placements, so that the dashboard, the ESF+ report, the follow-up list and the
comparison pages show something true (../shared/domain/ESF_INDICATORS.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from auditlog.context import disable_auditlog
from django.db.models import Count, F, Model, Q

from polku.clients.models import EndReason, Episode, Programme
from polku.core.models import Organisation, OrganisationKind, Sector
from polku.demo import generator
from polku.demo.generator import SeedResult
from polku.evaluation.models import (
    EMPLOYED_STATUSES,
    SENSITIVE_FIELDS,
    ComparisonGroup,
    ComparisonMember,
    ComparisonRun,
    EntryData,
    LabourMarketStatus,
    Outcome,
    OutcomePoint,
    OutcomeStatus,
    ProgrammeCost,
    ProgrammeTarget,
    SensitiveAnswer,
    TargetMeasure,
)
from polku.ips.fidelity.indicators.base import add_months
from polku.ips.models import IpsCase, JobPlacement

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)
CLIENTS = 350
EMPLOYED = {str(status) for status in EMPLOYED_STATUSES}

# The evaluation app's demo tables, children first.
EVALUATION_MODELS: list[type[Model]] = [
    ComparisonRun,
    ComparisonMember,
    ComparisonGroup,
    Outcome,
    EntryData,
    ProgrammeCost,
    ProgrammeTarget,
]


def wipe_evaluation() -> None:
    """Empty the tables demo/evaluation.py fills, so that a test can seed again. Entry data,
    outcomes and comparison groups protect the episodes and programmes they belong to, so this
    runs before those are deleted. Without the change audit, as the other demo wipes."""
    with disable_auditlog():
        for model in EVALUATION_MODELS:
            model._default_manager.all().delete()


@pytest.fixture
def seeded() -> SeedResult:
    return generator.seed(clients=CLIENTS, seed=2026, today=TODAY)


def test_every_episode_has_one_entry_data_row_mostly_unemployed(seeded: SeedResult) -> None:
    episodes = Episode.objects.count()
    assert EntryData.objects.count() == episodes
    assert not Episode.objects.filter(entry_data__isnull=True).exists()
    statuses = Counter(EntryData.objects.values_list("labour_market_status", flat=True))
    assert set(statuses) == set(LabourMarketStatus.values)
    assert 0.75 <= statuses[LabourMarketStatus.UNEMPLOYED] / episodes <= 0.95
    for entry in EntryData.objects.select_related("episode")[:50]:
        assert entry.recorded_by_id == entry.episode.recorded_by_id
        entry.full_clean()


def test_education_spread_is_that_of_long_term_unemployed_people(seeded: SeedResult) -> None:
    levels = list(EntryData.objects.values_list("isced_level", flat=True))
    known = [level for level in levels if level is not None]
    low = sum(1 for level in known if level <= 2) / len(known)
    middle = sum(1 for level in known if 3 <= level <= 4) / len(known)
    tertiary = sum(1 for level in known if level >= 5) / len(known)
    assert 0.25 <= low <= 0.45
    assert 0.35 <= middle <= 0.55
    assert 0.10 <= tertiary <= 0.25
    assert 0 < len(levels) - len(known) < 0.15 * len(levels)
    rural = EntryData.objects.filter(rural_area=True).count()
    assert rural < 0.05 * len(levels)


def test_sensitive_answers_only_with_consent_and_some_declined(seeded: SeedResult) -> None:
    total = EntryData.objects.count()
    consented = EntryData.objects.filter(sensitive_consent=True)
    assert 0.5 <= consented.count() / total <= 0.7
    without = EntryData.objects.filter(sensitive_consent=False)
    for field in SENSITIVE_FIELDS:
        assert not without.exclude(**{field: SensitiveAnswer.NOT_ASKED}).exists()
        answers = Counter(consented.values_list(field, flat=True))
        assert answers[SensitiveAnswer.NOT_ASKED] == 0
        assert answers[SensitiveAnswer.DECLINED] >= 1
        assert answers[SensitiveAnswer.YES] >= 1


def test_every_ended_episode_has_one_recorded_exit_outcome_within_four_weeks(
    seeded: SeedResult,
) -> None:
    ended = Episode.objects.filter(end_date__isnull=False, end_date__lte=TODAY)
    exits = Outcome.objects.filter(point=OutcomePoint.EXIT).select_related("episode")
    assert exits.count() == ended.count()
    assert set(exits.values_list("episode_id", flat=True)) == set(
        ended.values_list("pk", flat=True)
    )
    for outcome in exits:
        assert outcome.is_recorded
        assert outcome.due_on == outcome.episode.end_date
        assert outcome.observed_on is not None
        # ESF+ immediate results: the situation within the 28 days after leaving.
        assert 0 <= (outcome.observed_on - outcome.due_on).days <= 28
        assert outcome.observed_on <= TODAY
    assert not Outcome.objects.filter(episode__end_date__isnull=True).exists()


def test_no_one_is_in_work_at_exit_without_a_job(seeded: SeedResult) -> None:
    """With an IPS case, in work at exit exactly when a placement covers the day of leaving;
    without one, only when the episode ended in a job."""
    with_case = set(IpsCase.objects.values_list("episode_id", flat=True))
    jobs: dict[object, list[tuple[dt.date, dt.date | None]]] = {}
    for episode_id, start, end in JobPlacement.objects.values_list(
        "case__episode_id", "start_date", "end_date"
    ):
        jobs.setdefault(episode_id, []).append((start, end))
    checked_ips = 0
    for outcome in Outcome.objects.filter(point=OutcomePoint.EXIT).select_related("episode"):
        episode = outcome.episode
        assert episode.end_date is not None
        day = episode.end_date
        in_work = outcome.status in EMPLOYED
        if episode.pk in with_case:
            checked_ips += 1
            covered = any(s <= day and (e is None or e >= day) for s, e in jobs.get(episode.pk, []))
            assert in_work == covered
        elif in_work:
            assert episode.end_reason in {EndReason.EMPLOYED, EndReason.SUBSIDISED_EMPLOYMENT}
        if outcome.status == OutcomeStatus.EDUCATION:
            assert outcome.in_education
    assert checked_ips >= 10


def test_follow_ups_exist_only_when_due_and_some_are_not_recorded_yet(seeded: SeedResult) -> None:
    for point, months in ((OutcomePoint.MONTH_6, 6), (OutcomePoint.MONTH_12, 12)):
        due_episodes = {
            episode.pk
            for episode in Episode.objects.filter(end_date__isnull=False)
            if add_months(episode.end_date, months) <= TODAY  # type: ignore[arg-type]
        }
        rows = Outcome.objects.filter(point=point).select_related("episode")
        assert {row.episode_id for row in rows} == due_episodes
        for row in rows:
            assert row.due_on == add_months(row.episode.end_date, months)  # type: ignore[arg-type]
            assert row.due_on <= TODAY
            if row.is_recorded:
                assert row.observed_on is not None
                assert row.due_on <= row.observed_on <= TODAY
    follow_ups = Outcome.objects.exclude(point=OutcomePoint.EXIT)
    unrecorded = follow_ups.filter(status="").count()
    assert 0 < unrecorded < follow_ups.count() / 2
    # Improved situation (EECR06) only for those employed at entry.
    assert not (
        Outcome.objects.filter(improved_situation__isnull=False)
        .exclude(episode__entry_data__labour_market_status=LabourMarketStatus.EMPLOYED)
        .exists()
    )
    sources = Counter(Outcome.objects.exclude(status="").values_list("source", flat=True))
    assert len(sources) == 3


def test_the_ips_pilot_has_its_targets_and_about_100_000_euros_of_costs_a_month(
    seeded: SeedResult,
) -> None:
    pilot = Programme.objects.get(code="ips-pilot")
    targets = dict(ProgrammeTarget.objects.filter(programme=pilot).values_list("measure", "value"))
    assert targets == {
        TargetMeasure.PARTICIPANTS: Decimal(350),
        TargetMeasure.WORK_OR_TRAINING_AT_EXIT: Decimal(50),
        TargetMeasure.HIRING_EMPLOYERS: Decimal(60),
    }
    costs = list(ProgrammeCost.objects.filter(programme=pilot).order_by("month"))
    assert pilot.start_date is not None
    assert costs[0].month == pilot.start_date.replace(day=1)
    assert costs[-1].month == TODAY.replace(day=1)
    assert [c.month for c in costs] == [add_months(costs[0].month, i) for i in range(len(costs))]
    for cost in costs:
        low, high = (60_000, 80_000) if cost.month.month == 7 else (90_000, 110_000)
        assert low <= cost.amount <= high
    yearly = sum(c.amount for c in costs[-12:])
    assert Decimal(1_000_000) <= yearly <= Decimal(1_300_000)


def test_a_private_and_a_public_provider_both_run_episodes(seeded: SeedResult) -> None:
    by_sector = Counter(Episode.objects.values_list("organisation__sector", flat=True))
    assert by_sector[Sector.PUBLIC] > 0
    assert by_sector[Sector.PRIVATE] > 0
    assert by_sector[Sector.THIRD_SECTOR] > 0
    assert Organisation.objects.get(name_en="Kela (Social Insurance Institution)").sector == (
        Sector.PUBLIC
    )
    # The outcome-based trial is run by the provider that registered the client.
    trial = Episode.objects.filter(
        programme__code="outcome-trial", recorded_by__kind=OrganisationKind.SERVICE_PROVIDER
    )
    assert trial.exists()
    assert not trial.exclude(organisation=F("recorded_by")).exists()


def test_the_comparison_group_looks_like_the_participants_with_somewhat_less_work(
    seeded: SeedResult,
) -> None:
    group = ComparisonGroup.objects.get()
    assert group.programme.code == "ips-pilot"
    assert group.imported_by is not None
    assert group.imported_by.username == "evaluator"
    members = ComparisonMember.objects.filter(group=group)
    assert members.count() == 1500
    assert members.values("row_id").distinct().count() == 1500
    for member in members[:100]:
        member.full_clean()
        assert member.reference_date <= TODAY
        if member.days_to_job is not None:
            assert member.days_to_job <= member.days_followed
        if member.employed_12m:
            assert member.days_to_job is not None
    men = members.filter(gender="man").count() / 1500
    assert 0.5 <= men <= 0.65
    followed_a_year = members.filter(employed_12m__isnull=False)
    comparison_rate = followed_a_year.filter(employed_12m=True).count() / followed_a_year.count()
    assert 0.15 <= comparison_rate <= 0.45
    pilot_6m = Outcome.objects.filter(
        point=OutcomePoint.MONTH_6, episode__programme__code="ips-pilot"
    ).exclude(status="")
    pilot_rate = pilot_6m.filter(status__in=EMPLOYED).count() / pilot_6m.count()
    assert comparison_rate < pilot_rate


def test_the_same_seed_gives_the_same_evaluation_data() -> None:
    # Imported here: test_seed_ips's wipe imports wipe_evaluation from this module.
    from tests.demo.test_seed_ips import _wipe

    def fingerprint() -> tuple[list[Any], list[Any]]:
        outcomes = list(
            Outcome.objects.order_by(
                "episode__client__reference", "episode__start_date", "point"
            ).values_list("episode__client__reference", "point", "status", "due_on", "source")
        )
        entry = list(
            EntryData.objects.order_by(
                "episode__client__reference", "episode__start_date"
            ).values_list("labour_market_status", "isced_level", "sensitive_consent", "disability")
        )
        return outcomes, entry

    generator.seed(clients=60, seed=11, today=TODAY)
    first = fingerprint()
    assert first[0]
    _wipe()  # with the evaluation rows (wipe_evaluation)
    generator.seed(clients=60, seed=11, today=TODAY)
    assert fingerprint() == first
    duplicated = Outcome.objects.values("episode", "point").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicated.exists()
    assert not Outcome.objects.filter(~Q(status="") & Q(observed_on__isnull=True)).exists()
