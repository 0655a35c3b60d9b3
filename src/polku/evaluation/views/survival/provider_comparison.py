"""Providers compared: outcome rates by provider sector and by provider organisation, with 95 %
Wilson intervals, and the sectors compared with public providers after adjusting for case mix.

As in Helsinki's 2019 outcome-based trial, which set public against private providers
(../shared/domain/OUTCOME_CONTRACTS.md). A provider is the organisation responsible for the
participant's last episode (`cohort.participant_frame`). Providers serve different people, so
raw rates mislead: the adjusted comparison (`estimators.rates.compare_groups`) fits a logistic
model of the outcome on the sector with gender, age, months unemployed and education level, and
gives each sector's rate as if it had served the whole cohort, with the odds ratio against
public providers.

Disclosure control is `groups`': groups of 1–4 left out, each outcome's number of people with
a recorded outcome protected as a count, and a rate shown only where that number is at least
ten (secondary suppression included) and neither the people with the outcome nor those without
it are 1–4, nor can be worked out as 1–4 from the other rates shown (`_rated`): a rate and its n
give both counts away.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.core import disclosure
from polku.core.models import Membership, Sector
from polku.evaluation import cohort
from polku.evaluation.estimators.errors import EstimationError
from polku.evaluation.estimators.rates import Rate, compare_groups, wilson
from polku.evaluation.views.survival import groups
from polku.evaluation.views.survival.groups import LeftOut
from polku.ips.outcomes.periods import Month

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The outcomes compared, each a 1/0 column of the participant frame (NaN: not recorded, left
# out of that outcome's denominator).
OUTCOMES: tuple[tuple[str, StrOrPromise], ...] = (
    ("employed_at_exit", _("Employed at exit")),
    ("work_or_training_at_exit", _("In work or training at exit")),
    ("employed_6m", _("Employed 6 months after exit")),
    ("job_found", _("Found a job (any time)")),
)
# The case mix the adjusted comparison accounts for.
COVARIATES = ("gender", "age", "months_unemployed", "isced_level")
REFERENCE = Sector.PUBLIC


@dataclass(frozen=True)
class RateCell:
    """One outcome of one group: the people with the outcome recorded (a count as it may be
    published) and the rate with its interval, None where not shown."""

    outcome: str
    people: str
    rate: Rate | None


@dataclass(frozen=True)
class ProviderLine:
    key: str
    label: StrOrPromise
    people: str
    cells: tuple[RateCell, ...]


@dataclass(frozen=True)
class AdjustedLine:
    key: str
    label: StrOrPromise
    observed: Rate
    adjusted: float
    adjusted_lower: float
    adjusted_upper: float
    odds_ratio: float | None  # None for the reference sector
    odds_ratio_lower: float | None
    odds_ratio_upper: float | None


@dataclass(frozen=True)
class AdjustedTable:
    """One outcome's case-mix-adjusted comparison of sectors, or why there is none."""

    outcome: str
    label: StrOrPromise
    people: int
    lines: tuple[AdjustedLine, ...]
    error: str | None

    @property
    def people_shown(self) -> str:
        """The people in the model as a count as it may be published ("<5" for 1–4)."""
        return disclosure.protect([], self.people)[1]


@dataclass(frozen=True)
class ProviderReport:
    programme: Programme | None
    entered_from: Month | None
    entered_to: Month | None
    follow_up_end: dt.date
    total: ProviderLine
    by_sector: tuple[ProviderLine, ...]
    by_provider: tuple[ProviderLine, ...]
    adjusted: tuple[AdjustedTable, ...]
    left_out: tuple[LeftOut, ...]
    people: int

    @property
    def is_empty(self) -> bool:
        return self.people == 0 and not self.left_out

    @property
    def is_too_small(self) -> bool:
        return 0 < self.people < groups.THRESHOLD

    @property
    def is_all_left_out(self) -> bool:
        return self.people == 0 and bool(self.left_out)

    @property
    def shows_figures(self) -> bool:
        return self.people >= groups.THRESHOLD

    @property
    def left_out_note(self) -> str | None:
        return groups.left_out_note(self.left_out)

    @property
    def outcome_labels(self) -> tuple[StrOrPromise, ...]:
        return tuple(label for _key, label in OUTCOMES)


def _recorded(frame: pd.DataFrame, outcome: str) -> pd.Series:
    return frame[outcome].notna()


def _lines(
    frame: pd.DataFrame, column: str, present: list[tuple[str, StrOrPromise]]
) -> tuple[ProviderLine, list[ProviderLine]]:
    """The line of all participants and of each group of `column`: every outcome's count of
    people with it recorded protected across the groups, rates where `groups.estimable`."""
    members = {key: frame[column].astype(str) == key for key, _label in present}
    people_cells, people_total = disclosure.protect(
        [int(mask.sum()) for mask in members.values()], len(frame)
    )
    cells: dict[str, list[RateCell]] = {key: [] for key, _label in present}
    total_cells = []
    for outcome, _label in OUTCOMES:
        recorded = _recorded(frame, outcome)
        sizes = {key: int((mask & recorded).sum()) for key, mask in members.items()}
        shown, total_shown = disclosure.protect(list(sizes.values()), int(recorded.sum()))
        countable = {key for key, text in zip(sizes, shown, strict=True) if text.isdigit()}
        rows = {key: frame[mask & recorded] for key, mask in members.items()}
        total_rated = _rated({"all": frame[recorded]}, {"all"}, outcome)
        with_rates = _rated(rows, groups.estimable(sizes) & countable, outcome)
        for (key, mask), text in zip(members.items(), shown, strict=True):
            cells[key].append(
                RateCell(
                    outcome,
                    text,
                    _rate(frame[mask & recorded], outcome) if key in with_rates else None,
                )
            )
        enough = (
            total_shown.isdigit()
            and int(recorded.sum()) >= groups.ESTIMATE_MINIMUM
            and bool(total_rated)
        )
        total_cells.append(
            RateCell(outcome, total_shown, _rate(frame[recorded], outcome) if enough else None)
        )
    total = ProviderLine("all", _("All participants"), people_total, tuple(total_cells))
    return total, [
        ProviderLine(key, label, text, tuple(cells[key]))
        for (key, label), text in zip(present, people_cells, strict=True)
    ]


def _rated(rows: dict[str, pd.DataFrame], candidates: set[str], outcome: str) -> set[str]:
    """Of `candidates`, the groups whose rate may be shown: a rate with its n gives away the
    people with the outcome and those without it, so both counts must be publishable as they
    stand. Each is protected with `disclosure.protect` across the groups with a rate, the
    groups without one together as one further count, against their sum (the rest and the
    total taken as known, which can only hide more); a group loses its rate when either of its
    counts would be hidden, and the others are checked again."""
    rated = set(candidates)
    while rated:
        order = sorted(rated)
        successes = {key: int(frame[outcome].sum()) for key, frame in rows.items()}
        failures = {key: len(frame) - successes[key] for key, frame in rows.items()}
        hidden: set[str] = set()
        for counts in (successes, failures):
            rest = sum(value for key, value in counts.items() if key not in rated)
            values = [counts[key] for key in order] + ([rest] if rest else [])
            cells, _total = disclosure.protect(values)
            hidden |= {key for key, text in zip(order, cells, strict=False) if not text.isdigit()}
        if not hidden:
            break
        rated -= hidden
    return rated


def _rate(rows: pd.DataFrame, outcome: str) -> Rate:
    return wilson(int(rows[outcome].sum()), len(rows))


def _not_comparable(data: pd.DataFrame, outcome: str, with_rates: set[str]) -> str | None:
    """Why the sectors cannot be compared on `outcome`, in words; None when they can."""
    names = dict(groups.SECTOR_GROUPS)
    present = set(data[groups.SECTOR].astype(str))
    if data.empty:
        return gettext("No participant has this outcome recorded.")
    if REFERENCE not in present:
        return gettext("No participants of public providers to compare with.")
    if len(present) < 2:  # noqa: PLR2004 - a comparison needs two sectors
        return gettext("Only one provider sector to compare.")
    if not (present & with_rates) - {REFERENCE}:  # nothing to set against public providers
        return gettext(
            "Too few people have this outcome recorded with each sector's providers: "
            "%(minimum)s are needed."
        ) % {"minimum": groups.ESTIMATE_MINIMUM}
    for key in sorted(present):
        values = data.loc[data[groups.SECTOR] == key, outcome]
        if values.min() == values.max():
            return gettext(
                "Among %(group)s everyone or no one had this outcome, so the adjustment "
                "cannot be estimated."
            ) % {"group": str(names.get(key, key)).lower()}
    return None


def _adjusted(
    frame: pd.DataFrame, outcome: str, label: StrOrPromise, with_rates: set[str]
) -> AdjustedTable:
    """The sectors' case-mix-adjusted comparison on `outcome`; lines only for the sectors whose
    rate may be shown (`with_rates`), the model fitted on every sector."""
    data = frame.dropna(subset=[outcome, *COVARIATES])
    reason = _not_comparable(data, outcome, with_rates)
    if reason is not None:
        return AdjustedTable(outcome, label, len(data), (), reason)
    # A characteristic everyone shares adjusts nothing (and the model could not estimate it).
    covariates = [column for column in COVARIATES if data[column].nunique() > 1]
    try:
        compared = compare_groups(
            data,
            group=groups.SECTOR,
            outcome=outcome,
            covariates=covariates,
            reference=REFERENCE,
        )
    except EstimationError as error:
        return AdjustedTable(outcome, label, len(data), (), str(error))
    names = dict(groups.SECTOR_GROUPS)
    lines = tuple(
        AdjustedLine(
            key=item.group,
            label=names.get(item.group, item.group),
            observed=item.observed,
            adjusted=item.adjusted,
            adjusted_lower=item.adjusted_lower,
            adjusted_upper=item.adjusted_upper,
            odds_ratio=_finite(item.odds_ratio),
            odds_ratio_lower=_finite(item.odds_ratio_lower),
            odds_ratio_upper=_finite(item.odds_ratio_upper),
        )
        for item in compared
        if item.group in with_rates
    )
    return AdjustedTable(outcome, label, len(data), lines, None)


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def provider_report(
    viewer: Membership,
    *,
    programme: Programme | None,
    entered_from: Month | None = None,
    entered_to: Month | None = None,
    follow_up_end: dt.date,
) -> ProviderReport:
    """The providers' outcome rates for the participants of `programme` (all the viewer may
    evaluate when None) entering in the months from `entered_from` to `entered_to`, followed
    up to `follow_up_end`: by sector, by provider, and the sectors adjusted for case mix.

    Raises PermissionDenied unless the viewer may evaluate. Aggregates only; not logged.
    """
    programmes = [programme] if programme else list(cohort.evaluation_programmes(viewer))
    frame = cohort.participant_frame(
        viewer,
        programmes=programmes,
        entry_from=entered_from.first_day if entered_from else None,
        entry_to=entered_to.last_day if entered_to else None,
        as_of=follow_up_end,
    )
    frame["job_found"] = frame["job_found"].astype(float)
    kept, left_out = cohort.leave_out_small_groups(frame)
    people = len(kept)
    sectors = [
        (key, label) for key, label in groups.SECTOR_GROUPS if (kept[groups.SECTOR] == key).any()
    ]
    providers = groups.labels(groups.PROVIDER, values=kept[groups.PROVIDER].astype(str).tolist())
    if people < groups.THRESHOLD:
        empty = ProviderLine("all", _("All participants"), disclosure.protect([], people)[1], ())
        return ProviderReport(
            programme, entered_from, entered_to, follow_up_end, empty, (), (), (), left_out, people
        )
    total, by_sector = _lines(kept, groups.SECTOR, sectors)
    _total, by_provider = _lines(kept, groups.PROVIDER, providers)
    adjusted = tuple(
        _adjusted(
            kept,
            outcome,
            label,
            {line.key for line in by_sector if line.cells[index].rate is not None},
        )
        for index, (outcome, label) in enumerate(OUTCOMES)
    )
    return ProviderReport(
        programme=programme,
        entered_from=entered_from,
        entered_to=entered_to,
        follow_up_end=follow_up_end,
        total=total,
        by_sector=tuple(by_sector),
        by_provider=tuple(by_provider),
        adjusted=adjusted,
        left_out=left_out,
        people=people,
    )
