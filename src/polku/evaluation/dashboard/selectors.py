"""The programme dashboard: every figure of one programme and period, as it may be shown.

Reads through `polku.evaluation.cohort.participant_frame` (pseudonymised, evaluation roles
only), one query for the employers who hired participants, and the other apps' own report
functions for referral timeliness, IPS fidelity and savings. Aggregates only: nothing is
written to the read-access log (see the package docstring).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Episode, Programme
from polku.core import disclosure
from polku.core.models import Membership
from polku.evaluation import cohort
from polku.evaluation.cohort import LeftOut
from polku.evaluation.dashboard import figures
from polku.evaluation.estimators import EstimationError, kaplan_meier
from polku.evaluation.models import PERCENT_MEASURES, ProgrammeTarget, TargetMeasure
from polku.evaluation.savings.selectors import SavingsSummary, savings_summary
from polku.ips.fidelity.selectors import ReviewLine, latest_completed_by_programme
from polku.ips.models import JobPlacement
from polku.ips.outcomes import periods
from polku.ips.outcomes.periods import Month
from polku.ips.outcomes.selectors import (
    GENDER_GROUPS,
    NOT_SHOWN,
    THRESHOLD,
    Figure,
)
from polku.plans.selectors import referral_report

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

M = TargetMeasure


@dataclass(frozen=True)
class TargetLine:
    """A target measure with its actual: `actual` is a count as shown, or for a percentage
    measure the count in it of `of` people; `progress` is the actual over the target (0–1 and
    beyond), None where either is not shown."""

    measure: str
    label: StrOrPromise
    definition: str  # the key of its definition
    target: Decimal | None
    actual: Figure  # count, and for percentage measures the share of `of`
    of: str | None
    progress: float | None

    @property
    def is_percent(self) -> bool:
        return self.measure in PERCENT_MEASURES


@dataclass(frozen=True)
class MedianLine:
    """Time from entry to the first job of one gender (Kaplan–Meier median, days, with its 95 %
    confidence interval). `shown` is False when fewer than five of them found a job: the
    median would then be one of a few people's own waits."""

    label: StrOrPromise
    participants: int
    shown: bool
    median: float | None  # None: fewer than half had found a job by the end of follow-up
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class Dashboard:
    programme: Programme
    first: Month | None
    last: Month | None
    as_of: dt.date
    participants: str
    left_out: tuple[LeftOut, ...]
    targets: tuple[TargetLine, ...]
    flows: figures.Flows
    distribution: figures.Distribution
    referrals: referral_report.ReportLine
    referral_period: tuple[dt.date, dt.date]
    fidelity: ReviewLine | None
    medians: tuple[MedianLine, ...]
    medians_error: str | None
    savings: SavingsSummary

    @property
    def is_empty(self) -> bool:
        return self.participants == "0" and not self.left_out

    @property
    def is_too_small(self) -> bool:
        """Fewer than five participants (or all in small groups): no figure about them."""
        return self.participants == disclosure.SMALL or (
            self.participants == "0" and bool(self.left_out)
        )

    @property
    def left_out_note(self) -> str | None:
        """The sentence naming the groups left out (`cohort.left_out_groups`: never their
        sizes), in the active language; None if none."""
        if not self.left_out:
            return None
        return gettext(
            "Groups of fewer than %(threshold)s participants — here: %(groups)s — are left out "
            "of every figure about the participants."
        ) % {"threshold": THRESHOLD, "groups": cohort.left_out_groups(self.left_out)}


def follow_up_end() -> dt.date:
    """The last day of the previous month: figures change once a month, never by the day
    (`polku.ips.outcomes.periods`)."""
    return periods.follow_up_end(timezone.localdate())


def _targets(programme: Programme) -> dict[str, Decimal]:
    targets = {str(t.measure): t.value for t in ProgrammeTarget.objects.filter(programme=programme)}
    # The programme's own target, set when it was registered, until one is set here.
    if M.PARTICIPANTS not in targets and programme.target_participants:
        targets[str(M.PARTICIPANTS)] = Decimal(programme.target_participants)
    return targets


def hiring_employers(
    programme: Programme,
    *,
    entry_from: dt.date | None,
    entry_to: dt.date | None,
    as_of: dt.date,
) -> tuple[int, int]:
    """(employers, people): the distinct employers of the jobs the programme's participants
    (first entry in the period) started from their entry to 28 days after their final exit
    (`cohort.AFTER_EXIT_DAYS`, as a job found in the programme), and the people who held
    those jobs. Two queries: the programme's episodes and their clients' placements."""
    episodes = pd.DataFrame.from_records(
        list(
            Episode.objects.filter(programme=programme, start_date__lte=as_of).values_list(
                "client_id", "start_date", "end_date"
            )
        ),
        columns=["client_id", "start_date", "end_date"],
    )
    if episodes.empty:
        return 0, 0
    for column in ("start_date", "end_date"):
        episodes[column] = pd.to_datetime(episodes[column])
    episodes.loc[episodes["end_date"] > pd.Timestamp(as_of), "end_date"] = pd.NaT
    grouped = episodes.groupby("client_id")
    people = pd.DataFrame(
        {
            "entry": grouped["start_date"].min(),
            "exit": grouped["end_date"]
            .max()
            .where(~grouped["end_date"].apply(lambda ends: ends.isna().any())),
        }
    )
    if entry_from is not None:
        people = people[people["entry"] >= pd.Timestamp(entry_from)]
    if entry_to is not None:
        people = people[people["entry"] <= pd.Timestamp(entry_to)]
    jobs = pd.DataFrame.from_records(
        list(
            JobPlacement.objects.filter(
                client__episodes__programme=programme, start_date__lte=as_of
            )
            .values_list("client_id", "employer_id", "start_date")
            .distinct()
        ),
        columns=["client_id", "employer_id", "start_date"],
    )
    jobs["start_date"] = pd.to_datetime(jobs["start_date"])
    jobs = jobs.merge(people, left_on="client_id", right_index=True, how="inner")
    latest = jobs["exit"] + pd.Timedelta(days=cohort.AFTER_EXIT_DAYS)
    counted = jobs[
        (jobs["start_date"] >= jobs["entry"])
        & (jobs["exit"].isna() | (jobs["start_date"] <= latest))
    ]
    return int(counted["employer_id"].nunique()), int(counted["client_id"].nunique())


def _progress(actual: float, shown: bool, target: Decimal | None) -> float | None:
    if not shown or target is None or target <= 0:
        return None
    return actual / float(target)


def target_lines(
    targets: dict[str, Decimal],
    *,
    participants: int,
    participants_shown: str,
    distribution: figures.Distribution,
    employers: int,
    employers_people: int,
) -> tuple[TargetLine, ...]:
    """The four target measures against their actuals. Percentage measures compare the share
    (0–1) with the target percentage; counts compare the count. Employers are not people, so
    their count is shown exactly once their jobs were held by at least five people (as the IPS
    outcomes' jobs per employer)."""
    left = distribution.total.left
    employed = distribution.cell("employed")
    together = distribution.work_or_training
    employers_shown = str(employers) if employers_people >= THRESHOLD else NOT_SHOWN

    def percent(measure: str, figure: Figure, label: StrOrPromise, key: str) -> TargetLine:
        target = targets.get(measure)
        progress = (
            None
            if figure.share is None or target is None or target <= 0
            else figure.share * 100 / float(target)
        )
        return TargetLine(measure, label, key, target, figure, left, progress)

    return (
        TargetLine(
            str(M.PARTICIPANTS),
            M.PARTICIPANTS.label,
            "dashboard-participants",
            targets.get(str(M.PARTICIPANTS)),
            Figure(participants_shown, None),
            None,
            _progress(
                participants,
                participants_shown.isdigit(),
                targets.get(str(M.PARTICIPANTS)),
            ),
        ),
        percent(
            str(M.WORK_OR_TRAINING_AT_EXIT),
            together,
            _("In work or training at exit"),
            "dashboard-work-or-training",
        ),
        TargetLine(
            str(M.HIRING_EMPLOYERS),
            M.HIRING_EMPLOYERS.label,
            "dashboard-hiring-employers",
            targets.get(str(M.HIRING_EMPLOYERS)),
            Figure(employers_shown, None),
            None,
            _progress(employers, employers_shown.isdigit(), targets.get(str(M.HIRING_EMPLOYERS))),
        ),
        percent(
            str(M.EMPLOYED_AT_EXIT), employed, _("Employed at exit"), "dashboard-employed-at-exit"
        ),
    )


def medians(frame: pd.DataFrame) -> tuple[tuple[MedianLine, ...], str | None]:
    """The Kaplan–Meier median time from entry to the first job, by gender, over `frame`
    (small groups already left out, so every group has at least five). The message of an
    `EstimationError` instead when the data cannot support the estimate."""
    if frame.empty:
        return (), None
    labels = dict(GENDER_GROUPS)
    try:
        curves = kaplan_meier(frame, duration="days_to_job", event="job_found", group="gender")
    except EstimationError as error:
        return (), str(error)
    order = {str(value): index for index, (value, _label) in enumerate(GENDER_GROUPS)}
    lines = [
        MedianLine(
            labels.get(curve.group, curve.group),
            curve.n,
            curve.events >= THRESHOLD,
            curve.median,
            curve.median_lower,
            curve.median_upper,
        )
        for curve in sorted(curves, key=lambda c: order.get(c.group, len(order)))
        if curve.n >= THRESHOLD
    ]
    return tuple(lines), None


def referral_timeliness(
    first: Month | None, last: Month | None, as_of: dt.date
) -> tuple[referral_report.ReportLine, tuple[dt.date, dt.date]]:
    """Timeliness of every referral sent in the period (the report cannot be limited to one
    programme's participants): its total line, and the period it covers."""
    date_from, date_to = referral_report.period(
        first.first_day if first else None, last.last_day if last else as_of
    )
    report = referral_report.referral_report(date_from=date_from, date_to=date_to)
    return report.total, (date_from, date_to)


def dashboard(
    viewer: Membership,
    *,
    programme: Programme,
    first: Month | None = None,
    last: Month | None = None,
    as_of: dt.date | None = None,
) -> Dashboard:
    """Every figure of `programme` for the participants entering in the months from `first` to
    `last` (open-ended when None), followed up to `as_of` (default: the end of the last whole
    month). Raises PermissionDenied unless the viewer may evaluate (`cohort.can_evaluate`)."""
    as_of = as_of or follow_up_end()
    entry_from = first.first_day if first else None
    entry_to = min(last.last_day, as_of) if last else None
    frame = cohort.participant_frame(
        viewer, programmes=[programme], entry_from=entry_from, entry_to=entry_to, as_of=as_of
    )
    # The leave-out step of every page built on the frame (the time-to-employment and
    # provider pages too): gender, age band, provider, sector, programme and month of entry.
    kept, left_out = cohort.leave_out_small_groups(frame)
    participants = len(kept)
    participants_shown = disclosure.protect([], participants)[1]
    distribution = figures.distribution(kept)
    employers, employers_people = hiring_employers(
        programme, entry_from=entry_from, entry_to=entry_to, as_of=as_of
    )
    too_small = participants < THRESHOLD
    km, km_error = medians(kept) if not too_small else ((), None)
    referrals, referral_period = referral_timeliness(first, last, as_of)
    return Dashboard(
        programme=programme,
        first=first,
        last=last,
        as_of=as_of,
        participants=participants_shown,
        left_out=left_out,
        targets=target_lines(
            _targets(programme),
            participants=participants,
            participants_shown=participants_shown,
            distribution=distribution,
            employers=employers,
            employers_people=employers_people,
        ),
        flows=figures.flows(kept, first=first, last=Month.of(as_of)),
        distribution=distribution,
        referrals=referrals,
        referral_period=referral_period,
        fidelity=latest_completed_by_programme([programme]).get(programme.pk),
        medians=km,
        medians_error=km_error,
        savings=savings_summary(
            viewer, programme=programme, entry_from=entry_from, entry_to=entry_to, as_of=as_of
        ),
    )
