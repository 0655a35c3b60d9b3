"""Organisation (IPS-25 items 4, 5, 9 and 10): integration with the care team, zero exclusion,
the agency's focus on competitive work."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from polku.clients.models import CareTeamMember
from polku.core.models import Membership
from polku.ips.fidelity.indicators.base import (
    EXCLUSION_ANCHORS,
    TEAM_ANCHORS,
    Indicator,
    Scope,
    at_most,
    count_measure,
    fraction_of,
    share_measure,
    suggest,
)
from polku.ips.fidelity.indicators.jobs import competitive_measures
from polku.plans.models import (
    Attendance,
    DeclineReason,
    Encounter,
    EncounterKind,
    Referral,
    ServiceKind,
)


def team_assignment(scope: Scope) -> Indicator:
    """Item 4: the share of cases open at the end whose client's care team then included a
    professional of another organisation than the specialist's (the treatment team the
    specialist is integrated with)."""
    end_of_period = scope.window_end
    other_organisation = CareTeamMember.objects.filter(
        Q(removed_at__isnull=True) | Q(removed_at__gte=end_of_period),
        client_id=OuterRef("client_id"),
        added_at__lt=end_of_period,
    ).exclude(membership__organisation_id=OuterRef("specialist__organisation_id"))
    totals = (
        scope.open_at_end()
        .annotate(integrated=Exists(other_organisation))
        .aggregate(n=Count("pk"), integrated_n=Count("pk", filter=Q(integrated=True)))
    )
    share = fraction_of(totals["integrated_n"], totals["n"])
    return Indicator(
        item=4,
        key="team_assignment",
        values=(
            share_measure(
                "share",
                _("Share of open cases with a multi-organisation care team"),
                share,
                basis=("integrated", "open_cases"),
            ),
        ),
        counts=(
            count_measure("open_cases", _("Open cases at the end of the period"), totals["n"]),
            count_measure(
                "integrated",
                _("Of which with a professional of another organisation"),
                totals["integrated_n"],
            ),
        ),
        suggested=suggest(share, TEAM_ANCHORS),
        how=_(
            "Share of the cases open on the last day of the period whose client's care team "
            "then included a professional from another organisation than the specialist's."
        ),
    )


def team_contact(scope: Scope) -> Indicator:
    """Item 5: the share of cases with an attended network meeting in the period that the
    case's specialist took part in."""
    meeting = Encounter.objects.filter(
        scope.in_window("started_at"),
        client_id=OuterRef("client_id"),
        participants=OuterRef("specialist_id"),
        kind=EncounterKind.NETWORK_MEETING,
        attendance=Attendance.ATTENDED,
    )
    totals = (
        scope.cases()
        .annotate(met=Exists(meeting))
        .aggregate(n=Count("pk"), met_n=Count("pk", filter=Q(met=True)))
    )
    share = fraction_of(totals["met_n"], totals["n"])
    return Indicator(
        item=5,
        key="team_contact",
        values=(
            share_measure(
                "share",
                _("Share of cases with a network meeting the specialist attended"),
                share,
                basis=("with_meeting", "cases"),
            ),
        ),
        counts=(
            count_measure("cases", _("Cases in the period"), totals["n"]),
            count_measure("with_meeting", _("Of which with such a meeting"), totals["met_n"]),
        ),
        suggested=suggest(share, TEAM_ANCHORS),
        how=_(
            "Share of the period's cases with an attended network meeting in the period in "
            "which the case's specialist took part."
        ),
    )


SCREENING_REASONS = (DeclineReason.NOT_READY, DeclineReason.NOT_ELIGIBLE)


def zero_exclusion(scope: Scope) -> Indicator:
    """Item 9: of the referrals to job coaching that the programme's organisations answered in
    the period, the share declined because the client was judged not ready or not eligible.

    The programme's organisations are the programme's own and those of its specialists: the
    receivers of referrals to the service (referrals come before a case exists).
    """
    organisations = {scope.programme.organisation_id} | set(
        Membership.objects.filter(pk__in=scope.specialist_ids).values_list(
            "organisation_id", flat=True
        )
    )
    totals = Referral.objects.filter(
        scope.in_window("decided_at"),
        service__kind=ServiceKind.JOB_COACHING,
        receiving_organisation_id__in=organisations,
    ).aggregate(
        n=Count("pk"),
        screened_n=Count("pk", filter=Q(decline_reason__in=SCREENING_REASONS)),
    )
    share = fraction_of(totals["screened_n"], totals["n"])
    return Indicator(
        item=9,
        key="zero_exclusion",
        values=(
            share_measure(
                "share",
                _("Share declined as not ready or not eligible"),
                share,
                basis=("screened_out", "answered"),
            ),
        ),
        counts=(
            count_measure("answered", _("Referrals to job coaching answered"), totals["n"]),
            count_measure(
                "screened_out", _("Declined as not ready or not eligible"), totals["screened_n"]
            ),
        ),
        suggested=suggest(share, EXCLUSION_ANCHORS, at_most),
        how=_(
            "Of the referrals to job coaching that the programme's organisations accepted or "
            "declined in the period, the share declined because the client was judged not "
            "ready for work or not eligible; no suggestion without referrals."
        ),
    )


def agency_focus(scope: Scope, placements: dict[str, int]) -> Indicator:
    """Item 10 (informs only): the share of the period's placements that are competitive."""
    values, counts = competitive_measures(placements)
    return Indicator(
        item=10,
        key="agency_focus",
        values=values,
        counts=counts,
        suggested=None,
        suggests=False,
        how=_(
            "The share of competitive jobs among the placements started in the period informs "
            "the reviewers; the item is scored from interviews and documents."
        ),
    )
