"""Reads for the IPS programme pages: programmes with IPS cases, fidelity reviews with their
totals and bands, and the reviews-over-time chart.

Nothing here is client data: counts of cases per programme and reviews of a service. No
access-log entries are written (as for the referral timeliness report).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import formats
from django.utils.translation import gettext as _

from polku.clients.models import Programme
from polku.ips.fidelity.bands import MAX_TOTAL, MIN_TOTAL, THRESHOLDS, Band, band_for
from polku.ips.fidelity.items import ITEMS
from polku.ips.models import FidelityReview, IpsCase, ReviewStatus
from polku.reports.charts import Series, line_chart


@dataclass(frozen=True)
class ReviewLine:
    """A review with its progress: items scored, and the total and band once all are."""

    review: FidelityReview
    scored: int
    total: int | None
    band: Band | None

    @property
    def is_completed(self) -> bool:
        return self.review.status == ReviewStatus.COMPLETED


def programmes_with_cases() -> QuerySet[Programme]:
    """Programmes that have IPS cases, with `open_cases` (cases open today) annotated."""
    return (
        Programme.objects.filter(Exists(IpsCase.objects.filter(episode__programme=OuterRef("pk"))))
        .annotate(
            open_cases=Count(
                "episodes__ips_cases", filter=Q(episodes__ips_cases__end_date__isnull=True)
            )
        )
        .select_related("organisation")
        .order_by("name", "pk")
    )


def programme_get(pk: int) -> Programme:
    """A programme that has IPS cases; Programme.DoesNotExist for any other."""
    return programmes_with_cases().get(pk=pk)


def reviews_with_totals() -> QuerySet[FidelityReview]:
    """Every review, newest first, with `scored` (items scored) and `score_sum` annotated."""
    return (
        FidelityReview.objects.annotate(
            scored=Count("scores", filter=Q(scores__score__isnull=False)),
            score_sum=Sum("scores__score"),
        )
        .select_related("programme", "organisation")
        .order_by("-review_date", "-created_at", "pk")
    )


def _lines(reviews: QuerySet[FidelityReview]) -> list[ReviewLine]:
    lines = []
    for review in reviews:
        scored: int = getattr(review, "scored")  # noqa: B009 - annotation
        complete = scored == len(ITEMS)
        total: int | None = getattr(review, "score_sum") if complete else None  # noqa: B009
        lines.append(
            ReviewLine(
                review=review,
                scored=scored,
                total=total,
                band=band_for(total) if total is not None else None,
            )
        )
    return lines


def reviews_of(programme: Programme) -> list[ReviewLine]:
    """The programme's reviews, newest first."""
    return _lines(reviews_with_totals().filter(programme=programme))


def review_line(review_id: uuid.UUID) -> ReviewLine:
    """One review with its totals; FidelityReview.DoesNotExist when there is none."""
    lines = _lines(reviews_with_totals().filter(pk=review_id))
    if not lines:
        raise FidelityReview.DoesNotExist
    return lines[0]


def latest_completed(lines: list[ReviewLine]) -> ReviewLine | None:
    """The most recent completed review among `lines` (newest first)."""
    return next((line for line in lines if line.is_completed and line.total is not None), None)


def latest_completed_by_programme(programmes: list[Programme]) -> dict[int, ReviewLine]:
    """Each programme's most recent completed review, by programme id, in one query: the
    completed reviews of all of them, newest first (a programme has a few a year)."""
    lines = _lines(
        reviews_with_totals().filter(
            programme__in=[p.pk for p in programmes], status=ReviewStatus.COMPLETED
        )
    )
    latest: dict[int, ReviewLine] = {}
    for line in lines:
        if line.total is not None:
            latest.setdefault(line.review.programme_id, line)
    return latest


# The mean length of a month in days (365.25 / 12), for "months since the first review".
DAYS_PER_MONTH = 30.4375


def _months_between(first: dt.date, day: dt.date) -> float:
    return (day - first).days / DAYS_PER_MONTH


def history_chart(lines: list[ReviewLine]) -> str | None:
    """The completed reviews' totals over time (months since the first one) as inline SVG,
    with the bands' lower limits as flat reference lines; None when no review is completed.
    The page shows the same numbers in a table (reports.charts: WCAG 1.1.1)."""
    completed = sorted(
        (line for line in lines if line.is_completed and line.total is not None),
        key=lambda line: line.review.review_date,
    )
    if not completed:
        return None
    origin = completed[0].review.review_date
    points = [
        (_months_between(origin, line.review.review_date), float(line.total or 0))
        for line in completed
    ]
    first, last = points[0][0] - 1, points[-1][0] + 1
    thresholds = [
        Series(
            _("%(band)s from %(total)d") % {"band": band.label, "total": lowest},
            [(first, float(lowest)), (last, float(lowest))],
        )
        for lowest, band in THRESHOLDS
        if band != Band.NOT_IPS
    ]
    description = "; ".join(
        _("%(date)s: %(total)d, %(band)s")
        % {
            "date": formats.date_format(line.review.review_date, "SHORT_DATE_FORMAT"),
            "total": line.total or 0,
            "band": line.band.label if line.band else "",
        }
        for line in completed
    )
    return line_chart(
        [Series(str(_("Total score")), points), *thresholds],
        title=str(_("Fidelity reviews over time")),
        description=description,
        x_label=str(_("Months since the first review")),
        y_label=str(_("Total score (25–125)")),
        y_limits=(MIN_TOTAL, MAX_TOTAL),
        integer_x=True,
    )
