"""Builders for the comparison tests: CSV files, groups with members, and a programme whose
participants have known outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
import pandas as pd
from django.utils import timezone

from polku.clients.models import Gender, Programme
from polku.evaluation.comparison.columns import COLUMN_NAMES
from polku.evaluation.models import ComparisonGroup, ComparisonMember
from tests import factories as f
from tests.evaluation.factories import EntryDataFactory

HEADER = ",".join(COLUMN_NAMES)
# Background jobs run as soon as they are queued, on both queues (runs go on "evaluation").
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "evaluation"],
    }
}


def row(**values: Any) -> dict[str, str]:
    """A valid row as text by column, with `values` replacing some."""
    base = {
        "row_id": "R1",
        "reference_date": "2024-03-01",
        "gender": "woman",
        "age": "34",
        "months_unemployed": "18",
        "isced_level": "3",
        "months_employed_before": "2",
        "months_employed_after": "5",
        "employed_6m": "1",
        "employed_12m": "0",
        "days_to_job": "120",
        "days_followed": "400",
    }
    return base | {name: str(value) for name, value in values.items()}


def csv_bytes(rows: list[dict[str, str]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    """A file of `rows` under the full header."""
    lines = [delimiter.join(COLUMN_NAMES)]
    lines += [delimiter.join(r.get(name, "") for name in COLUMN_NAMES) for r in rows]
    text = "\n".join(lines) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


def rows(count: int, **values: Any) -> list[dict[str, str]]:
    """`count` valid rows with ids R1…R<count>, alternating women and men."""
    return [
        row(row_id=f"R{i}", gender="woman" if i % 2 else "man", **values)
        for i in range(1, count + 1)
    ]


class ComparisonGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComparisonGroup

    name = factory.Sequence(lambda n: f"Register extract {n}")
    programme = factory.SubFactory(f.ProgrammeFactory)
    source = "Employment register, extract 2025-01"


class ComparisonMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComparisonMember

    group = factory.SubFactory(ComparisonGroupFactory)
    row_id = factory.Sequence(lambda n: f"M{n}")
    reference_date = dt.date(2024, 1, 1)
    gender = Gender.WOMAN
    age = 35
    months_unemployed = 24
    isced_level = 3
    months_employed_before = 1
    months_employed_after = 3
    employed_6m = False
    employed_12m = True
    days_to_job = 200
    days_followed = 500


def participants(
    programme: Programme, *, count: int = 10, months_after: int = 8, months_before: int = 1
) -> None:
    """`count` participants who entered two years ago, alternating women and men of ages 25,
    27, …, unemployed 12, 15, … months, with `months_before` months in work before entry (entry
    data) and a job from the start of month `12 - months_after` after entry that is still on:
    `months_after` of the 12 months after entry in work."""
    entry = timezone.localdate() - dt.timedelta(days=730)
    start = pd.Timestamp(entry) + pd.DateOffset(months=12 - months_after)
    for i in range(count):
        client = f.ClientFactory(
            gender=Gender.WOMAN if i % 2 == 0 else Gender.MAN,
            date_of_birth=dt.date(entry.year - 25 - 2 * i, 1, 1),
        )
        episode = f.EpisodeFactory(
            client=client, programme=programme, start_date=entry, months_unemployed=12 + 3 * i
        )
        EntryDataFactory(episode=episode, months_employed_before=months_before)
        case = f.IpsCaseFactory(episode=episode)
        f.JobPlacementFactory(case=case, start_date=start.date())


def members(group: ComparisonGroup, *, count: int = 10, months_after: int = 3) -> None:
    """`count` members like the participants of `participants` (same genders, ages and months
    unemployed) with `months_after` months in work after."""
    for i in range(count):
        ComparisonMemberFactory(
            group=group,
            gender=Gender.WOMAN if i % 2 == 0 else Gender.MAN,
            age=25 + 2 * i,
            months_unemployed=12 + 3 * i,
            months_employed_after=months_after,
        )
