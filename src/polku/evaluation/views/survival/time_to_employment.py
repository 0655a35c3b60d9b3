"""Time from entry to the first job: Kaplan–Meier curves by group and a Cox model, as they may
be published.

The participants are `cohort.participant_frame`'s: one row per person and programme, the time
from the first entry to the first job (a placement starting on or after entry and at the
latest 28 days after the exit), censored at an exit without a job or at the end of follow-up.
Follow-up ends on the last day of the previous month and the period of entry is whole months
(`ips.outcomes.periods`), so that two pages cannot be compared to single out one entrant.
Disclosure control is `groups`' (groups of 1–4 left out, estimates for ten or more); a curve is
drawn only while at least five people are still followed, so its tail never describes fewer.
The counts of people who found a job and of people censored are protected against the group's
size (`disclosure.protect`): 1–4 as "<5", and the other then hidden too.

Times are in months of 365.25 / 12 days, which is what a manager reads; the curve is drawn as
the share who found work, 1 − S(t).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Gender, Programme
from polku.core import disclosure
from polku.core.models import Membership, Sector
from polku.evaluation import cohort
from polku.evaluation.estimators.errors import EstimationError
from polku.evaluation.estimators.survival import KmCurve, cox, kaplan_meier
from polku.evaluation.views.survival import groups
from polku.evaluation.views.survival.groups import LeftOut
from polku.ips.outcomes.periods import Month
from polku.ips.outcomes.selectors import AGE_BANDS, GENDER_GROUPS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DAYS_PER_MONTH = 365.25 / 12
MONTHS = "months_to_job"
MILESTONES = (3, 6, 12)
# The curves' table lists every month up to this many (or the end of the longest curve).
TABLE_MONTHS = 24

NONE = "none"
BY_CHOICES: tuple[tuple[str, StrOrPromise], ...] = (
    (groups.GENDER, _("Gender")),
    (groups.AGE_BAND, _("Age band at entry")),
    (groups.PROVIDER, _("Provider")),
    (groups.SECTOR, _("Provider sector")),
    (groups.PROGRAMME, _("Programme")),
    (NONE, _("No comparison")),
)


@dataclass(frozen=True)
class Share:
    """The share who had found work by `months` months, with its 95 % interval; None where
    fewer than five people were still followed then, or the group has no estimates."""

    months: int
    value: float | None
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class CurvePoint:
    """A step of the curve: from `months` on, `share` had found work (lower–upper, 95 %),
    `at_risk` people still followed and without a job just before it."""

    months: float
    share: float
    lower: float
    upper: float
    at_risk: int


@dataclass(frozen=True)
class CurveLine:
    """All participants (`key` "all") or one group. Without an estimate (`estimated` False:
    fewer than ten people, or hidden so that a smaller group cannot be worked out) only the
    number of people is shown. `jobs` and `censored` are counts as they may be published
    (`disclosure.protect` against `people`: "<5", "≥5" or digits)."""

    key: str
    label: StrOrPromise
    people: int
    estimated: bool
    jobs: str | None
    censored: str | None
    median: float | None  # months; None when not reached or not estimated
    median_lower: float | None
    median_upper: float | None  # None with a median: the interval's upper end is not reached
    shares: tuple[Share, ...]
    points: tuple[CurvePoint, ...]

    @property
    def median_reached(self) -> bool:
        return self.median is not None

    def share_at(self, months: float) -> float | None:
        """The share who had found work by `months`; None beyond the drawn curve."""
        if not self.points or months > self.points[-1].months:
            return None
        return _point_at(self.points, months).share


@dataclass(frozen=True)
class CoxLine:
    key: str
    label: StrOrPromise
    hazard_ratio: float
    lower: float
    upper: float
    p_value: float


@dataclass(frozen=True)
class CoxTable:
    """The Cox model's hazard ratios, or why it could not be estimated (`error`). `jobs` is
    a count as it may be published (protected with those who found none against `people`)."""

    people: int
    jobs: str
    lines: tuple[CoxLine, ...]
    concordance: float | None
    error: str | None

    @property
    def people_shown(self) -> str:
        """The people in the model as a count as it may be published ("<5" for 1–4)."""
        return disclosure.protect([], self.people)[1]


@dataclass(frozen=True)
class TimeToEmploymentReport:
    programme: Programme | None  # None: all programmes
    entered_from: Month | None
    entered_to: Month | None
    follow_up_end: dt.date
    by: str
    total: CurveLine
    groups: tuple[CurveLine, ...]
    left_out: tuple[LeftOut, ...]
    cox: CoxTable | None  # None when too few people for any figure

    @property
    def is_empty(self) -> bool:
        return self.total.people == 0 and not self.left_out

    @property
    def is_too_small(self) -> bool:
        """Fewer than five people: every figure would describe a few recognisable people."""
        return 0 < self.total.people < groups.THRESHOLD

    @property
    def is_all_left_out(self) -> bool:
        return self.total.people == 0 and bool(self.left_out)

    @property
    def shows_figures(self) -> bool:
        return self.total.people >= groups.THRESHOLD

    @property
    def left_out_note(self) -> str | None:
        return groups.left_out_note(self.left_out)

    @property
    def drawn(self) -> tuple[CurveLine, ...]:
        """The curves drawn: each group's with an estimate, or all participants' when the page
        compares nothing or no group has one."""
        lines = tuple(line for line in self.groups if line.estimated and line.points)
        if lines:
            return lines
        return (self.total,) if self.total.estimated and self.total.points else ()


def _point_at(points: Sequence[CurvePoint], months: float) -> CurvePoint:
    """The step in force at `months` (the first point starts at 0)."""
    found = points[0]
    for point in points:
        if point.months > months:
            break
        found = point
    return found


def _followed_until(durations: pd.Series) -> float:
    """The last time at which at least five people were still followed (the fifth-longest
    duration): the curve is cut there, so its tail never describes fewer than five."""
    ordered = sorted(durations.tolist(), reverse=True)
    return float(ordered[groups.THRESHOLD - 1]) if len(ordered) >= groups.THRESHOLD else 0.0


def _curve_points(curve: KmCurve, until: float) -> tuple[CurvePoint, ...]:
    points = [
        CurvePoint(
            months=p.time,
            share=1 - p.survival,
            lower=1 - p.upper,
            upper=1 - p.lower,
            at_risk=p.at_risk,
        )
        for p in curve.points
        if p.time <= until
    ]
    if not points or points[0].months > 0:
        points.insert(0, CurvePoint(0.0, 0.0, 0.0, 0.0, curve.n))
    if points[-1].months < until:
        last = points[-1]
        at_risk = last.at_risk
        points.append(CurvePoint(until, last.share, last.lower, last.upper, at_risk))
    return tuple(points)


def _shares(points: Sequence[CurvePoint]) -> tuple[Share, ...]:
    result = []
    for months in MILESTONES:
        if points and months <= points[-1].months:
            point = _point_at(points, months)
            result.append(Share(months, point.share, point.lower, point.upper))
        else:
            result.append(Share(months, None, None, None))
    return tuple(result)


def _line(key: str, label: StrOrPromise, frame: pd.DataFrame, *, estimated: bool) -> CurveLine:
    people = len(frame)
    if not estimated:
        empty = tuple(Share(m, None, None, None) for m in MILESTONES)
        return CurveLine(key, label, people, False, None, None, None, None, None, empty, ())
    (curve,) = kaplan_meier(frame, duration=MONTHS, event="job_found")
    points = _curve_points(curve, _followed_until(frame[MONTHS]))
    median = curve.median
    if median is not None and median > points[-1].months:
        median = None  # reached only in the tail that is not shown
    (jobs, censored), _people = disclosure.protect([curve.events, curve.censored], people)
    return CurveLine(
        key=key,
        label=label,
        people=people,
        estimated=True,
        jobs=jobs,
        censored=censored,
        median=median,
        median_lower=curve.median_lower if median is not None else None,
        median_upper=curve.median_upper if median is not None else None,
        shares=_shares(points),
        points=points,
    )


def _group_labels(frame: pd.DataFrame, by: str) -> list[tuple[str, StrOrPromise]]:
    if by == groups.PROGRAMME:
        names = dict(zip(frame["programme"], frame["programme_name"], strict=True))
        return groups.labels(by, names)
    return groups.labels(by, values=frame[by].astype(str).tolist())


# Cox covariates: the categories are compared with a reference category (the largest group
# in ESF+ terms: women, 30–54, public providers); the two numbers per unit a reader can use.
_CATEGORICAL: tuple[tuple[str, str, Sequence[tuple[str, StrOrPromise]]], ...] = (
    (groups.GENDER, Gender.WOMAN, GENDER_GROUPS),
    (groups.AGE_BAND, "30_54", [(key, label) for key, label, _lo, _hi in AGE_BANDS]),
    (groups.SECTOR, Sector.PUBLIC, groups.SECTOR_GROUPS),
)
_NUMERIC: tuple[tuple[str, float, StrOrPromise], ...] = (
    ("months_unemployed", 12.0, _("Each year unemployed before entry")),
    ("isced_level", 1.0, _("Each ISCED level of education higher")),
)


def _too_few() -> str:
    return gettext("Fewer than %(minimum)s people have every characteristic the model needs.") % {
        "minimum": groups.ESTIMATE_MINIMUM
    }


def _cox_table(frame: pd.DataFrame) -> CoxTable:
    """Hazard ratios of finding work for gender, age band, provider sector, time unemployed
    and education. People without a known education level or time unemployed are left out of
    the model (its n says how many are in it)."""
    data = frame.dropna(subset=[column for column, _scale, _label in _NUMERIC])
    if data.empty:  # no one has every characteristic: nothing to fit (nor a reference group)
        return CoxTable(0, "0", (), None, _too_few())
    model = pd.DataFrame({MONTHS: data[MONTHS], "job_found": data["job_found"]})
    names: dict[str, StrOrPromise] = {}
    for column, reference, choices in _CATEGORICAL:
        present = set(data[column].astype(str))
        base = reference if reference in present else data[column].astype(str).mode().iat[0]
        base_label = dict(choices).get(base, base)
        for key, label in choices:
            if key == base or key not in present:
                continue
            name = f"{column}__{key}"
            model[name] = (data[column].astype(str) == key).astype(float)
            names[name] = gettext("%(group)s (compared with %(reference)s)") % {
                "group": label,
                "reference": str(base_label).lower(),
            }
    for column, scale, label in _NUMERIC:
        if data[column].nunique() > 1:
            model[column] = data[column].astype(float) / scale
            names[column] = label
    people, found = len(model), int(model["job_found"].sum())
    jobs = disclosure.protect([found, people - found], people)[0][0]
    if not names:
        return CoxTable(
            people,
            jobs,
            (),
            None,
            gettext("Everyone in the model shares every characteristic: nothing to compare."),
        )
    if people < groups.ESTIMATE_MINIMUM:
        return CoxTable(
            people,
            jobs,
            (),
            None,
            _too_few(),
        )
    try:
        result = cox(model, duration=MONTHS, event="job_found", covariates=list(names))
    except EstimationError as error:
        return CoxTable(people, jobs, (), None, str(error))
    lines = tuple(
        CoxLine(
            term.name,
            names.get(term.name, term.name),
            term.hazard_ratio,
            term.lower,
            term.upper,
            term.p_value,
        )
        for term in result.terms
        if all(math.isfinite(v) for v in (term.hazard_ratio, term.lower, term.upper))
    )
    return CoxTable(
        result.n,
        disclosure.protect([result.events, result.n - result.events], result.n)[0][0],
        lines,
        result.concordance,
        None,
    )


def time_to_employment_report(
    viewer: Membership,
    *,
    programme: Programme | None,
    entered_from: Month | None = None,
    entered_to: Month | None = None,
    by: str = groups.GENDER,
    follow_up_end: dt.date,
) -> TimeToEmploymentReport:
    """Kaplan–Meier curves of time to the first job for the participants of `programme` (all
    the viewer may evaluate when None) entering in the months from `entered_from` to
    `entered_to`, one per group of `by` (a column of BY_CHOICES, or NONE), followed up to
    `follow_up_end`; and a Cox model of the same people.

    Raises PermissionDenied unless the viewer may evaluate (`cohort.participant_frame`).
    Aggregates only (see the module docstring); nothing is written to the read-access log.
    """
    programmes = [programme] if programme else list(cohort.evaluation_programmes(viewer))
    frame = cohort.participant_frame(
        viewer,
        programmes=programmes,
        entry_from=entered_from.first_day if entered_from else None,
        entry_to=entered_to.last_day if entered_to else None,
        as_of=follow_up_end,
    )
    frame[MONTHS] = frame["days_to_job"].astype(float).clip(lower=0) / DAYS_PER_MONTH
    frame["job_found"] = frame["job_found"].astype(int)
    kept, left_out = cohort.leave_out_small_groups(frame)
    shows = len(kept) >= groups.THRESHOLD
    total = _line(
        "all",
        _("All participants"),
        kept,
        estimated=shows and len(kept) >= groups.ESTIMATE_MINIMUM,
    )
    lines: list[CurveLine] = []
    if shows and by != NONE:
        present = [
            (key, label) for key, label in _group_labels(kept, by) if (kept[by] == key).any()
        ]
        sizes = {key: int((kept[by] == key).sum()) for key, _label in present}
        with_estimates = groups.estimable(sizes)
        lines = [
            _line(key, label, kept[kept[by] == key], estimated=key in with_estimates)
            for key, label in present
        ]
    return TimeToEmploymentReport(
        programme=programme,
        entered_from=entered_from,
        entered_to=entered_to,
        follow_up_end=follow_up_end,
        by=by,
        total=total,
        groups=tuple(lines),
        left_out=left_out,
        cox=_cox_table(kept) if shows else None,
    )


def months_table(report: TimeToEmploymentReport) -> list[tuple[int, list[float | None]]]:
    """The drawn curves month by month, as the chart's text alternative: (month, the share
    who had found work by then in each drawn curve, None beyond its end)."""
    drawn = report.drawn
    if not drawn:
        return []
    last = min(TABLE_MONTHS, math.floor(max(line.points[-1].months for line in drawn)))
    return [(month, [line.share_at(month) for line in drawn]) for month in range(1, last + 1)]
