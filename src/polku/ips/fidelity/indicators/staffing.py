"""Staffing (IPS-25 items 1–3), and item 24, community-based services, which the same time
records of the specialists inform."""

from __future__ import annotations

from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.core.models import Membership
from polku.ips.fidelity.indicators.base import (
    CASELOAD_ANCHORS,
    COMMUNITY_ANCHORS,
    GENERALIST_ANCHORS,
    STAFF_ANCHORS,
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
    CASELOAD_LIMIT,
    CareerProfile,
    FollowAlongSupport,
    JobSearchActivity,
    TimeActivity,
    TimeEntry,
)


def caseload_size(scope: Scope) -> Indicator:
    """Item 1: open cases per specialist on the period's last day, over the specialists who
    have any; suggested by the mean (5 = at most 20)."""
    per_specialist = dict(
        scope.open_at_end()
        .values("specialist_id")
        .annotate(n=Count("pk"))
        .values_list("specialist_id", "n")
    )
    counts = list(per_specialist.values())
    mean = Fraction(sum(counts), len(counts)) if counts else None
    over = sorted((n, pk) for pk, n in per_specialist.items() if n > CASELOAD_LIMIT)
    people = {
        m.pk: m.user.display_name()
        for m in Membership.objects.filter(pk__in=[pk for _n, pk in over]).select_related("user")
    }
    notes = tuple(
        str(
            _("%(name)s has %(count)d open cases, more than the IPS limit of %(limit)d.")
            % {"name": people[pk], "count": n, "limit": CASELOAD_LIMIT}
        )
        for n, pk in sorted(over, key=lambda pair: (-pair[0], pair[1]))
    )
    return Indicator(
        item=1,
        key="caseload_size",
        values=(
            Measure(
                "mean",
                _("Mean open cases per specialist"),
                as_float(mean),
                Unit.MEAN,
                basis=("open_cases",),
            ),
            Measure(
                "max",
                _("Largest caseload"),
                max(counts) if counts else None,
                Unit.COUNT,
                people=True,
                basis=("open_cases",),
            ),
        ),
        counts=(
            count_measure(
                "specialists", _("Specialists with open cases"), len(counts), people=False
            ),
            count_measure("open_cases", _("Open cases at the end of the period"), sum(counts)),
            count_measure(
                "over_limit",
                _("Specialists with more than 20 open cases"),
                len(over),
                people=False,
            ),
        ),
        suggested=suggest(mean, CASELOAD_ANCHORS, at_most),
        how=_(
            "Open cases on the last day of the period per employment specialist who has any; "
            "suggested by the mean (5 = at most 20)."
        ),
        notes=notes,
    )


def _time_entries(scope: Scope) -> QuerySet[TimeEntry]:
    return TimeEntry.objects.filter(
        membership_id__in=scope.specialist_ids, date__gte=scope.start, date__lte=scope.end
    )


def employment_staff(scope: Scope) -> Indicator:
    """Item 2: the share of the specialists' recorded minutes spent on employment services
    (anything but "duties other than employment services")."""
    totals = _time_entries(scope).aggregate(
        minutes_n=Sum("minutes"),
        other_n=Sum("minutes", filter=Q(activity=TimeActivity.OTHER_DUTIES)),
        people_n=Count("membership_id", distinct=True),
    )
    minutes = totals["minutes_n"] or 0
    employment = minutes - (totals["other_n"] or 0)
    share = fraction_of(employment, minutes)
    return Indicator(
        item=2,
        key="employment_staff",
        values=(
            share_measure("share", _("Share of time on employment services"), share, basis=()),
        ),
        counts=(
            # Staff time, not clients: shown as it is.
            count_measure("minutes", _("Minutes recorded"), minutes, people=False),
            count_measure(
                "employment_minutes",
                _("Minutes on employment services"),
                employment,
                people=False,
            ),
            count_measure(
                "specialists",
                _("Specialists who recorded time"),
                totals["people_n"],
                people=False,
            ),
        ),
        suggested=suggest(share, STAFF_ANCHORS),
        how=_(
            "Share of the minutes the specialists recorded in the period that were not duties "
            "other than employment services; no suggestion without time records."
        ),
    )


PHASES: tuple[tuple[str, str | Promise], ...] = (
    ("engagement", _("Engagement: a case started or open")),
    ("assessment", _("Assessment: a career profile version")),
    ("job_search", _("Job search: a job-search activity")),
    ("placement", _("Job placement: a placement")),
    ("follow_along", _("Follow-along: a follow-along support")),
)


def _own_case(scope: Scope, specialist: str) -> Exists:
    """The row's client has a case of the scope with the specialist in column `specialist`."""
    return Exists(
        scope.cases().filter(client_id=OuterRef("client_id"), specialist_id=OuterRef(specialist))
    )


def vocational_generalists(scope: Scope) -> Indicator:
    """Item 3: which specialists recorded each phase of the service for their own cases in the
    period; suggested by the share who recorded all five."""
    specialists = set(scope.specialist_ids)
    ids = scope.specialist_ids
    did: dict[str, set[int]] = {
        "engagement": specialists,
        "assessment": set(
            CareerProfile.objects.filter(scope.in_window("created_at"), created_by_id__in=ids)
            .filter(_own_case(scope, "created_by_id"))
            .values_list("created_by_id", flat=True)
        ),
        "job_search": set(
            JobSearchActivity.objects.filter(
                date__gte=scope.start, date__lte=scope.end, created_by_id__in=ids
            )
            .filter(_own_case(scope, "created_by_id"))
            .values_list("created_by_id", flat=True)
        ),
        "placement": set(
            scope.placements().filter(specialist_id__in=ids).values_list("specialist_id", flat=True)
        ),
        "follow_along": set(
            FollowAlongSupport.objects.filter(
                date__gte=scope.start,
                date__lte=scope.end,
                specialist_id__in=ids,
                placement__case__in=scope.cases(),
            ).values_list("specialist_id", flat=True)
        ),
    }
    everything = set.intersection(*did.values()) if specialists else set()
    share_all = fraction_of(len(everything), len(specialists))
    return Indicator(
        item=3,
        key="vocational_generalists",
        values=(
            # Shares of the staff, not of clients: shown as they are.
            share_measure(
                "all_phases",
                _("Share of specialists who recorded every phase"),
                share_all,
                basis=(),
            ),
            *(
                share_measure(key, label, fraction_of(len(did[key]), len(specialists)), basis=())
                for key, label in PHASES
            ),
        ),
        counts=(
            count_measure("specialists", _("Specialists"), len(specialists), people=False),
            count_measure(
                "all_phases_specialists",
                _("Specialists who recorded every phase"),
                len(everything),
                people=False,
            ),
        ),
        suggested=suggest(share_all, GENERALIST_ANCHORS),
        how=_(
            "For each phase, the share of the programme's specialists who recorded it for their "
            "own cases in the period; suggested by the share who recorded all five."
        ),
    )


def community_based(scope: Scope) -> Indicator:
    """Item 24: the share of the specialists' recorded minutes spent outside the office."""
    totals = _time_entries(scope).aggregate(
        minutes_n=Sum("minutes"), outside_n=Sum("minutes", filter=Q(in_community=True))
    )
    minutes = totals["minutes_n"] or 0
    outside = totals["outside_n"] or 0
    share = fraction_of(outside, minutes)
    return Indicator(
        item=24,
        key="community_based",
        values=(share_measure("share", _("Share of time outside the office"), share, basis=()),),
        counts=(
            # Staff time, not clients: shown as it is.
            count_measure("minutes", _("Minutes recorded"), minutes, people=False),
            count_measure(
                "outside_minutes", _("Minutes outside the office"), outside, people=False
            ),
        ),
        suggested=suggest(share, COMMUNITY_ANCHORS),
        how=_(
            "Share of the minutes the specialists recorded in the period that were spent "
            "outside the office; no suggestion without time records."
        ),
    )
