"""Job development and jobs (IPS-25 items 17 and 19–23): employer contacts, the diversity and
competitiveness of the jobs, follow-along support."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from polku.employers.models import EmployerInteraction, InteractionKind, InteractionPurpose
from polku.ips.fidelity.indicators.base import (
    COMPETITIVE_ANCHORS,
    DAYS_PER_WEEK,
    DIVERSITY_ANCHORS,
    EMPLOYER_CONTACT_ANCHORS,
    FOLLOW_ALONG_GRACE_DAYS,
    FOLLOW_ALONG_YEAR_MONTHS,
    MIN_YEAR_OLD_PLACEMENTS,
    SERVICE_ANCHORS,
    Indicator,
    Measure,
    Scope,
    Unit,
    add_months,
    as_float,
    count_measure,
    fraction_of,
    share_measure,
    suggest,
)
from polku.ips.models import FollowAlongSupport, JobPlacement


def employer_contacts(scope: Scope) -> Indicator:
    """Item 17: face-to-face job-development visits to employers by the programme's
    specialists in the period, per specialist per week (weeks = days of the period / 7); all
    employer contacts per specialist per week beside it. Suggested by the visits (5 = six or
    more)."""
    totals = EmployerInteraction.objects.filter(
        specialist_id__in=scope.specialist_ids, date__gte=scope.start, date__lte=scope.end
    ).aggregate(
        n=Count("pk"),
        visits_n=Count(
            "pk",
            filter=Q(kind=InteractionKind.VISIT, purpose=InteractionPurpose.JOB_DEVELOPMENT),
        ),
    )
    specialists = len(scope.specialist_ids)
    specialist_weeks = Fraction(specialists * scope.days, DAYS_PER_WEEK)
    rate = totals["visits_n"] / specialist_weeks if specialists else None
    all_rate = totals["n"] / specialist_weeks if specialists else None
    return Indicator(
        item=17,
        key="employer_contacts",
        values=(
            Measure(
                "visits_per_week",
                _("Face-to-face job development contacts per specialist per week"),
                as_float(rate),
                Unit.PER_WEEK,
            ),
            Measure(
                "contacts_per_week",
                _("All employer contacts per specialist per week"),
                as_float(all_rate),
                Unit.PER_WEEK,
            ),
        ),
        counts=(
            # Staff and employer contacts, not clients: shown as they are.
            count_measure("specialists", _("Specialists"), specialists, people=False),
            count_measure(
                "visits",
                _("Face-to-face job development contacts"),
                totals["visits_n"],
                people=False,
            ),
            count_measure("contacts", _("All employer contacts"), totals["n"], people=False),
        ),
        suggested=suggest(rate, EMPLOYER_CONTACT_ANCHORS),
        how=_(
            "Face-to-face job development visits to employers by the programme's specialists in "
            "the period, divided by the number of specialists and the weeks of the period "
            "(days / 7)."
        ),
    )


def job_diversity(scope: Scope, placements: dict[str, int]) -> Indicator:
    """Item 19: distinct ISCO-08 codes among the period's placements / placements."""
    share = fraction_of(placements["occupations_n"], placements["n"])
    return Indicator(
        item=19,
        key="job_diversity",
        values=(
            share_measure(
                "share",
                _("Distinct occupations per placement"),
                share,
                basis=("occupations", "placements"),
            ),
        ),
        counts=(
            count_measure("placements", _("Placements started in the period"), placements["n"]),
            # Occupations, not people; but at most the placements, so hidden with them.
            count_measure(
                "occupations",
                _("Distinct occupations (ISCO-08)"),
                placements["occupations_n"],
                people=False,
                basis=("placements",),
            ),
        ),
        suggested=suggest(share, DIVERSITY_ANCHORS),
        how=_(
            "The number of distinct ISCO-08 occupation codes among the placements started in "
            "the period, divided by the number of placements."
        ),
    )


def employer_diversity(scope: Scope, placements: dict[str, int]) -> Indicator:
    """Item 20: distinct employers among the period's placements / placements."""
    share = fraction_of(placements["employers_n"], placements["n"])
    return Indicator(
        item=20,
        key="employer_diversity",
        values=(
            share_measure(
                "share",
                _("Distinct employers per placement"),
                share,
                basis=("employers", "placements"),
            ),
        ),
        counts=(
            count_measure("placements", _("Placements started in the period"), placements["n"]),
            # Employers, not people; but at most the placements, so hidden with them.
            count_measure(
                "employers",
                _("Distinct employers"),
                placements["employers_n"],
                people=False,
                basis=("placements",),
            ),
        ),
        suggested=suggest(share, DIVERSITY_ANCHORS),
        how=_(
            "The number of distinct employers among the placements started in the period, "
            "divided by the number of placements."
        ),
    )


def competitive_measures(
    placements: dict[str, int],
) -> tuple[tuple[Measure, ...], tuple[Measure, ...]]:
    """The share of competitive placements and its counts: item 21 scores them, item 10 only
    shows them to the reviewers."""
    share = fraction_of(placements["competitive_n"], placements["n"])
    values = (
        share_measure(
            "share",
            _("Share of placements that are competitive"),
            share,
            basis=("competitive", "placements"),
        ),
    )
    counts = (
        count_measure("placements", _("Placements started in the period"), placements["n"]),
        count_measure("competitive", _("Competitive placements"), placements["competitive_n"]),
    )
    return values, counts


def competitive_jobs(scope: Scope, placements: dict[str, int]) -> Indicator:
    """Item 21: competitive placements / placements started in the period (5 = 95 % or more)."""
    values, counts = competitive_measures(placements)
    share = fraction_of(placements["competitive_n"], placements["n"])
    return Indicator(
        item=21,
        key="competitive_jobs",
        values=values,
        counts=counts,
        suggested=suggest(share, COMPETITIVE_ANCHORS),
        how=_(
            "Share of the placements started in the period that are competitive: open to anyone "
            "and paid at least the minimum or collectively agreed wage."
        ),
    )


def individualised_follow_along(scope: Scope) -> Indicator:
    """Item 22: of the period's placements that started at least 14 days before its end, the
    share with at least one follow-along support by the end."""
    supported = Exists(
        FollowAlongSupport.objects.filter(placement_id=OuterRef("pk"), date__lte=scope.end)
    )
    totals = (
        scope.placements()
        .filter(start_date__lte=scope.end - dt.timedelta(days=FOLLOW_ALONG_GRACE_DAYS))
        .annotate(supported=supported)
        .aggregate(n=Count("pk"), supported_n=Count("pk", filter=Q(supported=True)))
    )
    share = fraction_of(totals["supported_n"], totals["n"])
    return Indicator(
        item=22,
        key="individualised_follow_along",
        values=(
            share_measure(
                "share",
                _("Share of placements with follow-along support"),
                share,
                basis=("supported", "placements"),
            ),
        ),
        counts=(
            count_measure(
                "placements",
                _("Placements started in the period, at least 14 days before its end"),
                totals["n"],
            ),
            count_measure(
                "supported", _("Of which with follow-along support"), totals["supported_n"]
            ),
        ),
        suggested=suggest(share, SERVICE_ANCHORS),
        how=_(
            "Of the placements started in the period at least 14 days before its end, the share "
            "with at least one follow-along support recorded."
        ),
    )


def time_unlimited_follow_along(scope: Scope) -> Indicator:
    """Item 23, over all placements of the period's cases started by its end (not only those
    starting in it: a year of support needs older jobs).

    The first share: placements whose follow-along the service has not ended
    (`follow_along_ended_on` empty or after the period). The second, suggested from when at least
    five placements started 12 months or more before the period's end: of those, the share that
    had a support 12 months or more after the start, or whose follow-along was ended (by the
    client's choice, the only way it ends) 12 months or more after the start.
    """
    last_support = Subquery(
        FollowAlongSupport.objects.filter(placement_id=OuterRef("pk"), date__lte=scope.end)
        .order_by("-date")
        .values("date")[:1]
    )
    rows = list(
        JobPlacement.objects.filter(case__in=scope.cases(), start_date__lte=scope.end)
        .annotate(last_support=last_support)
        .values_list("start_date", "follow_along_ended_on", "last_support")
    )
    ongoing = sum(1 for _s, ended, _l in rows if ended is None or ended > scope.end)
    year_ago = add_months(scope.end, -FOLLOW_ALONG_YEAR_MONTHS)
    year_old = [row for row in rows if row[0] <= year_ago]

    def lasted_a_year(start: dt.date, ended: dt.date | None, last: dt.date | None) -> bool:
        after_a_year = add_months(start, FOLLOW_ALONG_YEAR_MONTHS)
        return (last is not None and last >= after_a_year) or (
            ended is not None and after_a_year <= ended <= scope.end
        )

    lasting = sum(1 for row in year_old if lasted_a_year(*row))
    share_ongoing = fraction_of(ongoing, len(rows))
    share_year = fraction_of(lasting, len(year_old))
    enough = len(year_old) >= MIN_YEAR_OLD_PLACEMENTS
    return Indicator(
        item=23,
        key="time_unlimited_follow_along",
        values=(
            share_measure(
                "ongoing",
                _("Share of placements whose follow-along has not been ended"),
                share_ongoing,
                basis=("ongoing_follow_along", "placements"),
            ),
            share_measure(
                "beyond_a_year",
                _("Share of year-old placements supported for a year or more"),
                share_year,
                basis=("supported_a_year", "year_old"),
            ),
        ),
        counts=(
            count_measure("placements", _("Placements of the period's cases"), len(rows)),
            count_measure(
                "ongoing_follow_along", _("Of which with follow-along not ended"), ongoing
            ),
            count_measure(
                "year_old", _("Placements started at least 12 months before the end"), len(year_old)
            ),
            count_measure(
                "supported_a_year", _("Of which supported for 12 months or more"), lasting
            ),
        ),
        suggested=suggest(share_year, SERVICE_ANCHORS) if enough else None,
        suggested_by="beyond_a_year",
        how=_(
            "Of the placements of the period's cases started at least 12 months before its end, "
            "the share with support 12 months or more after the start or ended later by the "
            "client's choice; suggested only when there are at least five such placements."
        ),
    )
