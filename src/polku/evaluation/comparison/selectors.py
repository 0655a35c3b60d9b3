"""Reads of the comparison area, for programme managers and evaluators only.

Comparison groups are pseudonymous register rows, and the figures here are aggregates: counts
by gender with disclosure control (`core.disclosure`) and means of groups of at least five.
No row names a client, so nothing is written to the read-access log (as
`ips.outcomes.selectors`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from polku.core import disclosure
from polku.core.models import Membership
from polku.evaluation import cohort
from polku.evaluation.comparison import access, results
from polku.evaluation.comparison.frames import TREATED, WOMAN, both_sides
from polku.evaluation.comparison.parameters import COVARIATES
from polku.evaluation.models import ComparisonGroup, ComparisonRun, RunStatus
from polku.ips.outcomes.selectors import GENDER_GROUPS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def comparison_groups(viewer: Membership) -> QuerySet[ComparisonGroup]:
    """The groups of the programmes of the viewer's own organisation (`access`), newest first,
    with their `size` and their latest run's `latest_status` and `latest_requested_at` (None
    without runs).

    Raises PermissionDenied unless the viewer is a programme manager or an evaluator.
    """
    if not cohort.can_evaluate(viewer):
        raise PermissionDenied
    latest = ComparisonRun.objects.filter(group=OuterRef("pk")).order_by("-requested_at", "-pk")
    return (
        ComparisonGroup.objects.filter(programme__in=access.comparison_programmes(viewer))
        .select_related("programme", "imported_by")
        .annotate(
            size=Count("members"),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_requested_at=Subquery(latest.values("requested_at")[:1]),
        )
        .order_by("-imported_at", "-pk")
    )


def comparison_group(viewer: Membership, pk: int) -> ComparisonGroup:
    """One group of `comparison_groups`; Http404 when there is none the viewer may see."""
    group = comparison_groups(viewer).filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def group_runs(group: ComparisonGroup) -> list[ComparisonRun]:
    """The group's runs, newest first (a group has few: one at a time)."""
    return list(group.runs.select_related("requested_by").order_by("-requested_at", "-pk")[:50])


def latest_finished(runs: list[ComparisonRun]) -> ComparisonRun | None:
    return next((run for run in runs if run.status == RunStatus.DONE), None)


def pending(runs: list[ComparisonRun]) -> ComparisonRun | None:
    return next((run for run in runs if run.status in (RunStatus.QUEUED, RunStatus.RUNNING)), None)


@dataclass(frozen=True)
class GenderLine:
    key: str
    label: StrOrPromise
    members: str  # counts as they may be published ("12", "<5", "≥5")
    participants: str


@dataclass(frozen=True)
class CovariateLine:
    """A covariate's mean on each side; None where fewer than five have it known. For gender,
    the share of women (0–1)."""

    key: str
    label: StrOrPromise
    members: float | None
    participants: float | None
    share: bool

    def _text(self, value: float | None) -> str:
        return results.percent(value) if self.share else results.number(value, 1)

    @property
    def members_text(self) -> str:
        return self._text(self.members)

    @property
    def participants_text(self) -> str:
        return self._text(self.participants)


@dataclass(frozen=True)
class GroupSummary:
    members: str
    participants: str
    genders: tuple[GenderLine, ...]
    covariates: tuple[CovariateLine, ...]


def _counts(values: list[int]) -> tuple[list[str], str]:
    return disclosure.protect(values)


def _mean(column: pd.Series) -> float | None:
    known = column.dropna()
    if len(known) < disclosure.THRESHOLD:
        return None
    return float(known.mean())


def group_summary(viewer: Membership, group: ComparisonGroup) -> GroupSummary:
    """The group beside the programme's participants: how many, by gender, and the means of
    the covariates. Raises PermissionDenied unless the viewer may evaluate."""
    frame = both_sides(viewer, group)
    sides = {1: frame[frame[TREATED] == 1], 0: frame[frame[TREATED] == 0]}
    member_counts, members_total = _counts(
        [int((sides[0]["gender"] == g).sum()) for g, _label in GENDER_GROUPS]
    )
    participant_counts, participants_total = _counts(
        [int((sides[1]["gender"] == g).sum()) for g, _label in GENDER_GROUPS]
    )
    genders = tuple(
        GenderLine(key, label, shown_members, shown_participants)
        for (key, label), shown_members, shown_participants in zip(
            GENDER_GROUPS, member_counts, participant_counts, strict=True
        )
    )
    # The share of women is shown only where the count of women is (IPS outcomes' rule: a
    # share needs its numerator shown), else it would give away a suppressed count.
    women_shown = {0: member_counts[0].isdigit(), 1: participant_counts[0].isdigit()}
    covariates = tuple(
        CovariateLine(
            key,
            _("Share of women") if key == "gender" else label,
            members=_side_mean(sides[0], key, women_shown[0]),
            participants=_side_mean(sides[1], key, women_shown[1]),
            share=key == "gender",
        )
        for key, label in COVARIATES.items()
    )
    return GroupSummary(members_total, participants_total, genders, covariates)


def _side_mean(side: pd.DataFrame, key: str, women_shown: bool) -> float | None:
    if key == "gender":
        return _mean(side[WOMAN]) if women_shown else None
    return _mean(side[key])
