"""Services with the client (IPS-25 items 12–16): work incentives planning, disclosure, ongoing
assessment, rapid and individualised job search; and item 25, outreach."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from polku.ips.fidelity.indicators.base import (
    RAPID_SEARCH_ANCHORS,
    RAPID_SEARCH_DAYS,
    SERVICE_ANCHORS,
    Indicator,
    Measure,
    Scope,
    Unit,
    as_float,
    at_most,
    count_measure,
    fraction_of,
    share_measure,
    suggest,
)
from polku.ips.models import (
    FACE_TO_FACE_KINDS,
    BenefitsCounselling,
    CareerProfile,
    CaseEndReason,
    Disclosure,
    JobPlacement,
    JobSearchActivity,
)


def work_incentives(scope: Scope) -> Indicator:
    """Item 12: the share of cases whose client has had benefits counselling by the period's
    end; beside it, of the cases with a placement starting in the period, the share counselled
    on or before the first such start. Suggested by the first share."""
    counselled_by_end = Exists(
        BenefitsCounselling.objects.filter(client_id=OuterRef("client_id"), date__lte=scope.end)
    )
    first_start = Subquery(
        JobPlacement.objects.filter(
            case_id=OuterRef("pk"), start_date__gte=scope.start, start_date__lte=scope.end
        )
        .order_by("start_date")
        .values("start_date")[:1]
    )
    totals = (
        scope.cases()
        .annotate(counselled=counselled_by_end, first_start=first_start)
        .annotate(
            before_job=Exists(
                BenefitsCounselling.objects.filter(
                    client_id=OuterRef("client_id"), date__lte=OuterRef("first_start")
                )
            )
        )
        .aggregate(
            n=Count("pk"),
            counselled_n=Count("pk", filter=Q(counselled=True)),
            placed_n=Count("pk", filter=Q(first_start__isnull=False)),
            before_n=Count("pk", filter=Q(first_start__isnull=False, before_job=True)),
        )
    )
    share = fraction_of(totals["counselled_n"], totals["n"])
    before = fraction_of(totals["before_n"], totals["placed_n"])
    return Indicator(
        item=12,
        key="work_incentives",
        values=(
            share_measure(
                "share",
                _("Share of cases with benefits counselling"),
                share,
                basis=("counselled", "cases"),
            ),
            share_measure(
                "before_job",
                _("Share of placed clients counselled before the job started"),
                before,
                basis=("counselled_before_job", "placed"),
            ),
        ),
        counts=(
            count_measure("cases", _("Cases in the period"), totals["n"]),
            count_measure("counselled", _("Of which counselled"), totals["counselled_n"]),
            count_measure("placed", _("Cases with a placement in the period"), totals["placed_n"]),
            count_measure(
                "counselled_before_job", _("Of which counselled before the job"), totals["before_n"]
            ),
        ),
        suggested=suggest(share, SERVICE_ANCHORS),
        how=_(
            "Share of the period's cases whose client had benefits counselling by the end of "
            "the period; the share counselled before the job started is shown beside it."
        ),
    )


def _profiles_by_client(scope: Scope) -> dict[Any, list[tuple[dt.date, Any]]]:
    """The career profile versions of the scope's clients made by the period's end: client id
    to (local date made, the version's values), oldest first. One query."""
    rows = (
        CareerProfile.objects.filter(
            client_id__in=scope.cases().values("client_id"), created_at__lt=scope.window_end
        )
        .order_by("client_id", "created_at", "pk")
        .values_list("client_id", "created_at", "disclosure", "preferred_occupations")
    )
    profiles: dict[Any, list[tuple[dt.date, Any]]] = defaultdict(list)
    for client_id, created_at, disclosure, occupations in rows:
        profiles[client_id].append((scope.local_date(created_at), (disclosure, occupations)))
    return profiles


def disclosure_decided(scope: Scope) -> Indicator:
    """Item 13: the share of cases whose client's latest career profile (by the period's end)
    records a disclosure decision, not "undecided". Cases without a profile count as
    undecided; no suggestion when no case has a profile."""
    case_clients = list(scope.cases().values_list("client_id", flat=True))
    profiles = _profiles_by_client(scope)
    with_profile = [c for c in case_clients if c in profiles]
    decided = [c for c in with_profile if profiles[c][-1][1][0] != Disclosure.UNDECIDED]
    share = fraction_of(len(decided), len(case_clients)) if with_profile else None
    return Indicator(
        item=13,
        key="disclosure",
        values=(
            share_measure(
                "share",
                _("Share of cases with a disclosure decision"),
                share,
                basis=("decided", "cases"),
            ),
        ),
        counts=(
            count_measure("cases", _("Cases in the period"), len(case_clients)),
            count_measure("with_profile", _("Of which with a career profile"), len(with_profile)),
            count_measure("decided", _("Of which with a decision recorded"), len(decided)),
        ),
        suggested=suggest(share, SERVICE_ANCHORS),
        how=_(
            "Share of the period's cases whose latest career profile records a disclosure "
            'preference other than "not decided yet"; no suggestion without profiles.'
        ),
    )


def ongoing_assessment(scope: Scope) -> Indicator:
    """Item 14: the share of cases whose client's career profile has at least two versions by
    the period's end, or a version made on or after a placement's start."""
    case_clients = list(scope.cases().values_list("client_id", flat=True))
    profiles = _profiles_by_client(scope)
    starts: dict[Any, list[dt.date]] = defaultdict(list)
    for client_id, start in JobPlacement.objects.filter(
        client_id__in=set(case_clients), start_date__lte=scope.end
    ).values_list("client_id", "start_date"):
        starts[client_id].append(start)

    def updated(client_id: Any) -> bool:
        versions = [made for made, _values in profiles.get(client_id, [])]
        if len(versions) >= 2:  # noqa: PLR2004 - "at least two versions"
            return True
        return any(made >= start for made in versions for start in starts.get(client_id, []))

    ongoing = [c for c in case_clients if updated(c)]
    share = fraction_of(len(ongoing), len(case_clients))
    return Indicator(
        item=14,
        key="ongoing_assessment",
        values=(
            share_measure(
                "share",
                _("Share of cases with an updated profile"),
                share,
                basis=("updated", "cases"),
            ),
        ),
        counts=(
            count_measure("cases", _("Cases in the period"), len(case_clients)),
            count_measure("updated", _("Of which with an updated profile"), len(ongoing)),
        ),
        suggested=suggest(share, SERVICE_ANCHORS),
        how=_(
            "Share of the period's cases whose career profile had at least two versions by the "
            "end of the period, or a version made after a job started."
        ),
    )


def rapid_job_search(scope: Scope) -> Indicator:
    """Item 15: for the cases entering the programme in the period, days from entry to the
    first face-to-face employer contact (on or after entry, by the period's end); mean and
    median over the cases with one, suggested by the mean (5 = at most 30 days). Cases still
    without one are counted, and how many of them have waited more than 30 days by the end."""
    first_contact = Subquery(
        JobSearchActivity.objects.filter(
            client_id=OuterRef("client_id"),
            kind__in=FACE_TO_FACE_KINDS,
            date__gte=OuterRef("start_date"),
            date__lte=scope.end,
        )
        .order_by("date")
        .values("date")[:1]
    )
    rows = list(
        scope.cases()
        .filter(start_date__gte=scope.start)
        .annotate(first_contact=first_contact)
        .values_list("start_date", "first_contact")
    )
    days = [(contact - entry).days for entry, contact in rows if contact is not None]
    waiting = [entry for entry, contact in rows if contact is None]
    overdue = [entry for entry in waiting if (scope.end - entry).days > RAPID_SEARCH_DAYS]
    mean = Fraction(sum(days), len(days)) if days else None
    median = statistics.median(days) if days else None
    within = sum(1 for d in days if d <= RAPID_SEARCH_DAYS)
    return Indicator(
        item=15,
        key="rapid_job_search",
        values=(
            Measure(
                "mean_days",
                _("Mean days to the first employer contact"),
                as_float(mean),
                Unit.DAYS,
                basis=("with_contact",),
            ),
            Measure(
                "median_days",
                _("Median days to the first employer contact"),
                None if median is None else float(median),
                Unit.DAYS,
                basis=("with_contact",),
            ),
        ),
        counts=(
            count_measure("entered", _("Cases entering in the period"), len(rows)),
            count_measure(
                "with_contact", _("Of which with a face-to-face employer contact"), len(days)
            ),
            count_measure("within_30_days", _("Of which within 30 days of entry"), within),
            count_measure("without_contact", _("Still without one"), len(waiting)),
            count_measure("overdue", _("Still without one after more than 30 days"), len(overdue)),
        ),
        suggested=suggest(mean, RAPID_SEARCH_ANCHORS, at_most),
        how=_(
            "For the cases entering in the period, days from entry to the first face-to-face "
            "contact with an employer (meeting, interview or workplace visit) by the end of the "
            "period; suggested by the mean (5 = at most 30 days)."
        ),
    )


def _same_field(code: str, preferences: Iterable[str]) -> bool:
    """Whether an ISCO-08 code shares its sub-major group (first two digits) with one of the
    preferred codes; a one-digit (major group) code on either side compares its one digit."""
    for preferred in preferences:
        length = min(2, len(code), len(str(preferred)))
        if length and code[:length] == str(preferred)[:length]:
            return True
    return False


def individualised_search(scope: Scope) -> Indicator:
    """Item 16: the share of the period's placements in an occupation that shares its
    sub-major group (first two ISCO digits) with one of the client's preferred occupations in
    the career profile current at the job's start (the latest version made on or before it).
    A placement without such a profile counts as not matching."""
    placements = list(scope.placements().values_list("client_id", "start_date", "isco_code"))
    profiles = _profiles_by_client(scope)
    matching = 0
    without_profile = 0
    for client_id, start, code in placements:
        current = [values for made, values in profiles.get(client_id, []) if made <= start]
        if not current:
            without_profile += 1
            continue
        if _same_field(code, current[-1][1] or []):
            matching += 1
    share = fraction_of(matching, len(placements))
    return Indicator(
        item=16,
        key="individualised_search",
        values=(
            share_measure(
                "share",
                _("Share of placements matching the client's preferences"),
                share,
                basis=("matching", "placements"),
            ),
        ),
        counts=(
            count_measure("placements", _("Placements started in the period"), len(placements)),
            count_measure("matching", _("Of which in a preferred occupational field"), matching),
            count_measure(
                "without_profile",
                _("Of which without a career profile at the start"),
                without_profile,
            ),
        ),
        suggested=suggest(share, SERVICE_ANCHORS),
        how=_(
            "Share of the placements started in the period whose occupation is in the same "
            "ISCO-08 sub-major group as one of the client's preferred occupations in the career "
            "profile current at the start of the job."
        ),
    )


def outreach(scope: Scope) -> Indicator:
    """Item 25 (informs only): of the cases that ended in the period, the share ended because
    the client could not be reached despite outreach."""
    totals = (
        scope.cases()
        .filter(end_date__gte=scope.start, end_date__lte=scope.end)
        .aggregate(
            n=Count("pk"),
            unreachable_n=Count("pk", filter=Q(end_reason=CaseEndReason.UNREACHABLE)),
        )
    )
    share = fraction_of(totals["unreachable_n"], totals["n"])
    return Indicator(
        item=25,
        key="outreach",
        values=(
            share_measure(
                "share",
                _("Share of ended cases ended as unreachable"),
                share,
                basis=("unreachable", "ended"),
            ),
        ),
        counts=(
            count_measure("ended", _("Cases ended in the period"), totals["n"]),
            count_measure(
                "unreachable",
                _("Of which the client could not be reached"),
                totals["unreachable_n"],
            ),
        ),
        suggested=None,
        suggests=False,
        how=_(
            "The share of the cases ended in the period because the client could not be "
            "reached informs the reviewers; the item is scored from interviews and records."
        ),
    )
