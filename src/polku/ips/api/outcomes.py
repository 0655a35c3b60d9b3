"""REST endpoint: `GET /api/v1/ips-outcomes/?programme=<pk>&entered_from=&entered_to=`, the
period of entry as months "YYYY-MM".

The outcomes page's figures as one JSON document (`ips.outcomes.selectors.outcomes_report`):
aggregates only, for IPS programme staff (`roles.IPS_PROGRAMME_ROLES`), others 403. Counts are
strings as they may be published — "12", "<5" (1–4), "≥5" (hidden so that a "<5" cannot be
worked out from a total) or "–" (not shown) — and shares, means and medians are null where the
group is too small. A gender or age band of 1–4 cases is left out of every figure and named in
`left_out` (never its size). Not written to the read-access log: nothing in it identifies a
client.

The period of entry is whole calendar months and follow-up ends with the last whole month
(`ips.outcomes.periods`): a day-granular period could be differenced to single out one person.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.clients.models import Programme
from polku.core import roles
from polku.core.api_auth import acting_membership
from polku.ips.outcomes import selectors
from polku.ips.outcomes.periods import MONTH_PATTERN, Month

COUNT = (
    'A count as it may be published: digits, "<5" for 1–4, "≥5" where a count is hidden so '
    'that a "<5" cannot be worked out from a total, or "–" where it is not shown at all.'
)
SHARE = "A share 0–1; null where the group is under five or its count is not shown."
MONTH = (
    'A calendar month, "YYYY-MM" (for example "2024-03"). Periods of entry are whole months: '
    "a day is refused, so that two periods cannot be compared to single out one person."
)


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2024-03"})
class MonthField(serializers.Field[Month, str, str, Any]):
    """A calendar month as "YYYY-MM", both ways."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2024-03.")}

    def to_internal_value(self, data: Any) -> Month:
        try:
            return Month.parse(data if isinstance(data, str) else "")
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value: Month) -> str:
        return str(value)


def _count(help_text: str = COUNT, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(help_text=help_text, **kwargs)


class IpsOutcomeFigureSerializer(serializers.Serializer[selectors.Figure]):
    count = _count()
    share = serializers.FloatField(allow_null=True, help_text=SHARE)


class IpsOutcomeMonthSerializer(serializers.Serializer[selectors.MonthLine]):
    month = serializers.IntegerField(help_text="Months since entry, 1–18.")
    followed_up = _count(
        f"Cases followed up for at least this many calendar months. {COUNT}", source="followed"
    )
    competitive = IpsOutcomeFigureSerializer(
        help_text="Of them, cases whose first competitive job started by then."
    )
    any_job = IpsOutcomeFigureSerializer(
        help_text="Of them, cases whose first job, competitive or not, started by then."
    )


class IpsOutcomeGroupSerializer(serializers.Serializer[selectors.GroupLine]):
    key = serializers.CharField(
        help_text=(
            '"all"; a gender (woman, man, other, not_disclosed); or an age band at entry '
            "(under_18, 18_29, 30_54, 55_plus). A group in `left_out` has no line."
        )
    )
    name = serializers.CharField(
        source="label", help_text="The group's name in the language asked for."
    )
    cases = _count()
    competitive = IpsOutcomeFigureSerializer(
        help_text=(
            "Cases with a competitive job started at any time from entry to the end of follow-up."
        )
    )
    any_job = IpsOutcomeFigureSerializer(
        help_text="Cases with any job started at any time from entry to the end of follow-up."
    )
    months = IpsOutcomeMonthSerializer(many=True, help_text="Months 1–18 since entry.")


class IpsOutcomeTenureSerializer(serializers.Serializer[selectors.TenureFigures]):
    people = _count()
    jobs = _count(f"Competitive jobs started since entry. {COUNT}")
    ended = _count(f"Of them, jobs whose last day is before the end of follow-up. {COUNT}")
    median_weeks_ended = serializers.FloatField(
        allow_null=True,
        help_text="Median length of the ended jobs in weeks (short: long jobs are still on).",
    )
    still_working = IpsOutcomeFigureSerializer(
        source="ongoing",
        help_text="Jobs going on at the end of follow-up, and their share of all jobs.",
    )
    started_13_weeks_ago = _count(
        f"Jobs that started at least 13 weeks (91 days) before the end of follow-up. {COUNT}",
        source="started_early",
    )
    lasted_13_weeks = IpsOutcomeFigureSerializer(
        source="lasted", help_text="Of those, jobs that lasted 13 weeks or more, and their share."
    )


class IpsOutcomeHoursSerializer(serializers.Serializer[selectors.HoursFigures]):
    people = _count()
    jobs = _count(f"Competitive jobs started since entry. {COUNT}")
    mean_hours_per_week = serializers.FloatField(
        allow_null=True, help_text="Mean of the jobs' agreed weekly hours."
    )
    window_start = serializers.DateField(help_text="First day of the last twelve months.")
    window_end = serializers.DateField(
        help_text="Last day of the last twelve months: the end of follow-up."
    )
    working_people = _count(f"People who worked in the last twelve months. {COUNT}")
    total_hours = serializers.FloatField(
        allow_null=True,
        help_text="Hours worked in the last twelve months: weekly hours × weeks in the window.",
    )
    mean_per_working_person = serializers.FloatField(allow_null=True)


class IpsOutcomeEmployersSerializer(serializers.Serializer[selectors.EmployerFigures]):
    people = _count()
    jobs = _count(f"Jobs, competitive or not, started since entry. {COUNT}")
    employers = _count(f"Different employers. {COUNT}")
    with_one = _count(f"Employers with one job. {COUNT}")
    with_two = _count(f"Employers with two jobs. {COUNT}")
    with_three_or_more = _count(f"Employers with three or more jobs. {COUNT}", source="with_many")
    mean_per_employer = serializers.FloatField(allow_null=True)


class IpsOutcomeLeftOutSerializer(serializers.Serializer[selectors.LeftOut]):
    breakdown = serializers.ChoiceField(
        choices=[selectors.GENDER, selectors.AGE_BAND],
        help_text='"gender" or "age_band": the breakdown the group belongs to.',
    )
    key = serializers.CharField(help_text="The group's key, as in `by_gender` or `by_age_band`.")
    name = serializers.CharField(
        source="label", help_text="The group's name in the language asked for."
    )


class IpsOutcomesSerializer(serializers.Serializer[selectors.OutcomesReport]):
    programme = serializers.IntegerField(source="programme.pk")
    entered_from = MonthField(
        allow_null=True, help_text="First month of entry, as asked; null: from the start."
    )
    entered_to = MonthField(
        allow_null=True, help_text="Last month of entry, as asked; null: to the end of follow-up."
    )
    followed_up_to = serializers.DateField(
        source="today",
        help_text=(
            "The end of follow-up: the last day of the previous calendar month, so that the "
            "figures change once a month, not from one day to the next."
        ),
    )
    cases = _count(
        "Cases counted: the cohort without the groups in `left_out`; a client with several "
        f"cases counts once per case. {COUNT}"
    )
    people = _count(f"Different clients in the cohort. {COUNT}")
    total = IpsOutcomeGroupSerializer()
    by_gender = IpsOutcomeGroupSerializer(many=True)
    by_age_band = IpsOutcomeGroupSerializer(many=True)
    tenure = IpsOutcomeTenureSerializer(help_text="Competitive jobs.")
    hours = IpsOutcomeHoursSerializer(help_text="Competitive jobs.")
    employers = IpsOutcomeEmployersSerializer(help_text="All jobs, competitive or not.")
    left_out = IpsOutcomeLeftOutSerializer(
        many=True,
        help_text=(
            "The genders and age bands of 1–4 cases, left out of every figure above (totals, "
            "months, breakdowns and jobs included), so that no figure can be worked out from "
            "the others. Their size is not given. Empty when none is."
        ),
    )
    left_out_note = serializers.CharField(
        allow_null=True,
        help_text=(
            "One sentence naming the groups left out, in the language asked for, as the page "
            "and the PDF show it; null when none is."
        ),
    )


class IpsOutcomesQuerySerializer(serializers.Serializer[dict[str, Any]]):
    programme: serializers.PrimaryKeyRelatedField[Programme] = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), help_text="The programme whose IPS cases are counted."
    )
    entered_from = MonthField(
        required=False, help_text="Cases entering in this month or later (YYYY-MM)."
    )
    entered_to = MonthField(
        required=False, help_text="Cases entering in this month or earlier (YYYY-MM)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("entered_from"), attrs.get("entered_to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"entered_to": [_("The end of the period must not be before its start.")]}
            )
        return attrs


class _OneReportSchema(AutoSchema):
    """The report is one document, not a list of them, though it answers at the list route."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class IpsOutcomesViewSet(viewsets.ViewSet):
    """IPS outcomes of a programme's cases: employment since entry and by month since entry,
    by gender and age band, job tenure, hours worked and jobs per employer. Aggregates only,
    small counts suppressed."""

    schema = _OneReportSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "programme", int, required=True, description="The programme (its id)."
            ),
            OpenApiParameter(
                "entered_from",
                str,
                pattern=MONTH_PATTERN,
                description=f"First month of entry; omitted or empty: from the start. {MONTH}",
            ),
            OpenApiParameter(
                "entered_to",
                str,
                pattern=MONTH_PATTERN,
                description=(
                    f"Last month of entry; omitted or empty: to the end of follow-up. {MONTH}"
                ),
            ),
        ],
        responses=IpsOutcomesSerializer,
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership = acting_membership(request)
        if membership is None or membership.role not in roles.IPS_PROGRAMME_ROLES:
            raise PermissionDenied
        query = IpsOutcomesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = selectors.outcomes_report(
            query.validated_data["programme"],
            entered_from=query.validated_data.get("entered_from"),
            entered_to=query.validated_data.get("entered_to"),
        )
        return Response(IpsOutcomesSerializer(report).data)


def register(router: BaseRouter) -> None:
    router.register("ips-outcomes", IpsOutcomesViewSet, basename="ips-outcomes")
