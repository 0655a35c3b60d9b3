"""Factories for the evaluation app's records (the shared ones live in tests/factories.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from polku.evaluation.models import (
    EntryData,
    LabourMarketStatus,
    Outcome,
    OutcomePoint,
    OutcomeSource,
    OutcomeStatus,
    ProgrammeCost,
    ProgrammeTarget,
    TargetMeasure,
)
from tests.factories import EpisodeFactory, ProgrammeFactory


class EntryDataFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntryData

    episode = factory.SubFactory(EpisodeFactory)
    recorded_by = factory.SelfAttribute("episode.recorded_by")
    labour_market_status = LabourMarketStatus.UNEMPLOYED
    isced_level = 3


class OutcomeFactory(factory.django.DjangoModelFactory):
    """A recorded outcome at exit; the episode is ended the day before `due_on` by default
    only if the caller passes an ended episode (the factory does not end episodes)."""

    class Meta:
        model = Outcome

    episode = factory.SubFactory(EpisodeFactory)
    recorded_by = factory.SelfAttribute("episode.recorded_by")
    point = OutcomePoint.EXIT
    due_on = factory.LazyAttribute(lambda o: o.episode.end_date or o.episode.start_date)
    status = OutcomeStatus.EMPLOYED_FULL_TIME
    observed_on = factory.LazyAttribute(lambda o: o.due_on)
    source = OutcomeSource.PROVIDER


class ProgrammeTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeTarget

    programme = factory.SubFactory(ProgrammeFactory)
    measure = TargetMeasure.PARTICIPANTS
    value = Decimal(350)


class ProgrammeCostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeCost

    programme = factory.SubFactory(ProgrammeFactory)
    month = dt.date(2026, 1, 1)
    amount = Decimal("10000.00")
