"""REST endpoints: `GET /api/v1/time-to-employment/?programme=<code>&from=YYYY-MM&to=YYYY-MM
&by=gender` (Kaplan–Meier curves and the Cox model) and `GET /api/v1/provider-comparison/
?programme=&from=&to=` (outcome rates by provider sector and provider, and the sectors adjusted
for case mix).

The pages' figures as JSON (`evaluation.views.survival`), for programme managers and
evaluators, others 403. Aggregates only, with the pages' disclosure control: groups of 1–4
people in any breakdown (and months of entry with 1–4 entrants) are left out of every figure
and named in `left_out` (never their size); counts of 1–4 are "<5"; estimates are given only
for groups of at least ten; curves end where fewer than five are still followed. Not written
to the read-access log: nothing in it identifies a person.
Periods are whole calendar months and follow-up ends with the last whole month.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.clients.models import Programme
from polku.core.api_auth import acting_membership
from polku.evaluation import cohort
from polku.evaluation.views.survival import groups
from polku.evaluation.views.survival.pages import follow_up_end
from polku.evaluation.views.survival.provider_comparison import OUTCOMES, provider_report
from polku.evaluation.views.survival.time_to_employment import (
    BY_CHOICES,
    time_to_employment_report,
)
from polku.ips.api.outcomes import MonthField
from polku.ips.outcomes.periods import MONTH_PATTERN

MONTH = (
    'A calendar month, "YYYY-MM" (for example "2024-03"). Periods of entry are whole months: '
    "a day is refused, so that two periods cannot be compared to single out one person."
)
COUNT = (
    'A count as it may be published: digits, "<5" for 1–4, "≥5" where a count is hidden so '
    'that a "<5" cannot be worked out from a total, or "–" where it is not shown at all.'
)
LEFT_OUT = (
    "Groups of 1–4 people — in gender, age band, provider, provider sector, programme or "
    'calendar month of entry ("entry_month", key "YYYY-MM") — left out of every figure, so that '
    "no figure can be worked out for them, nor for a month by comparing two periods. The same "
    "groups are left out of the dashboard. Their size is not given. Empty when none is."
)


class LeftOutSerializer(serializers.Serializer[groups.LeftOut]):
    breakdown = serializers.ChoiceField(
        choices=list(groups.BREAKDOWNS),
        help_text="The breakdown the group belongs to (a column of the participant data).",
    )
    key = serializers.CharField(help_text="The group's key.")
    name = serializers.CharField(source="label", help_text="The group's name, translated.")


class CurvePointSerializer(serializers.Serializer[Any]):
    months = serializers.FloatField(help_text="Months since entry (30.44 days each).")
    share = serializers.FloatField(
        help_text="Estimated share who had found a first job by then: 1 − S(t), 0–1."
    )
    lower = serializers.FloatField(help_text="Lower end of the 95 % confidence band.")
    upper = serializers.FloatField(help_text="Upper end of the 95 % confidence band.")
    at_risk = serializers.IntegerField(
        help_text="People still followed and without a job just before this time (5 or more)."
    )


class ShareSerializer(serializers.Serializer[Any]):
    months = serializers.IntegerField(help_text="3, 6 or 12 months after entry.")
    value = serializers.FloatField(
        allow_null=True,
        help_text="Share in work by then; null where fewer than five were followed that long.",
    )
    lower = serializers.FloatField(allow_null=True)
    upper = serializers.FloatField(allow_null=True)


class CurveSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(
        help_text='"all", or the group\'s key in the breakdown chosen with `by`.'
    )
    name = serializers.CharField(source="label", help_text="The group's name, translated.")
    people = serializers.IntegerField(help_text="Participants in the group (5 or more).")
    estimated = serializers.BooleanField(
        help_text=(
            "Whether the group's estimates are given: false for a group of fewer than ten, or "
            "one whose figures would give a smaller group's away; then every figure below is "
            "null or empty."
        )
    )
    jobs = serializers.CharField(
        allow_null=True, help_text=f"People who found a first job. {COUNT} Null: not estimated."
    )
    censored = serializers.CharField(
        allow_null=True,
        help_text=(
            "People who left without a job or were still searching at the end of follow-up. "
            f"{COUNT} Null: not estimated."
        ),
    )
    median = serializers.FloatField(
        allow_null=True,
        help_text="Median months to the first job; null when not reached (or not estimated).",
    )
    median_lower = serializers.FloatField(allow_null=True)
    median_upper = serializers.FloatField(
        allow_null=True, help_text="Null with a median: the interval's upper end is not reached."
    )
    shares = ShareSerializer(many=True)
    points = CurvePointSerializer(
        many=True,
        help_text="The curve's steps, from 0 to where fewer than five are still followed.",
    )


class CoxLineSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(
        help_text=(
            '"gender__man", "age_band__18_29", "provider_sector__private", … (compared with '
            'women, age 30–54 and public providers), "months_unemployed" (per year) or '
            '"isced_level" (per level).'
        )
    )
    name = serializers.CharField(source="label", help_text="The term, translated.")
    hazard_ratio = serializers.FloatField(help_text="Above 1: people find work sooner.")
    lower = serializers.FloatField()
    upper = serializers.FloatField()
    p_value = serializers.FloatField()


class CoxSerializer(serializers.Serializer[Any]):
    people = serializers.CharField(
        source="people_shown", help_text=f"People in the model (complete cases). {COUNT}"
    )
    jobs = serializers.CharField(help_text=f"People in the model who found a first job. {COUNT}")
    lines = CoxLineSerializer(many=True)
    concordance = serializers.FloatField(allow_null=True, help_text="Harrell's C.")
    error = serializers.CharField(
        allow_null=True, help_text="Why the model could not be estimated; null when it was."
    )


class TimeToEmploymentSerializer(serializers.Serializer[Any]):
    programme = serializers.CharField(
        source="programme.code", allow_null=True, help_text="The programme's code; null: all."
    )
    entered_from = MonthField(allow_null=True, help_text=MONTH)
    entered_to = MonthField(allow_null=True, help_text=MONTH)
    followed_up_to = serializers.DateField(
        source="follow_up_end", help_text="The end of follow-up: the last day of last month."
    )
    by = serializers.CharField(help_text="The breakdown compared.")
    total = CurveSerializer(help_text="All participants counted.")
    groups = CurveSerializer(many=True, help_text="One per group of `by` with participants.")
    cox = CoxSerializer(allow_null=True, help_text="Null when fewer than five people.")
    left_out = LeftOutSerializer(many=True, help_text=LEFT_OUT)
    left_out_note = serializers.CharField(allow_null=True)


class RateSerializer(serializers.Serializer[Any]):
    successes = serializers.IntegerField()
    n = serializers.IntegerField()
    rate = serializers.FloatField()
    lower = serializers.FloatField(help_text="95 % Wilson interval.")
    upper = serializers.FloatField()


class RateCellSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=[key for key, _label in OUTCOMES])
    people = serializers.CharField(help_text=f"People with the outcome recorded. {COUNT}")
    rate = RateSerializer(
        allow_null=True, help_text="Null where fewer than ten have the outcome recorded."
    )


class ProviderLineSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text='"all", a sector, or a provider\'s name.')
    name = serializers.CharField(source="label")
    people = serializers.CharField(help_text=COUNT)
    cells = RateCellSerializer(many=True)


class AdjustedLineSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="The sector.")
    name = serializers.CharField(source="label")
    observed = RateSerializer()
    adjusted = serializers.FloatField(help_text="The rate with the whole cohort's case mix.")
    adjusted_lower = serializers.FloatField()
    adjusted_upper = serializers.FloatField()
    odds_ratio = serializers.FloatField(
        allow_null=True, help_text="Against public providers; null for them."
    )
    odds_ratio_lower = serializers.FloatField(allow_null=True)
    odds_ratio_upper = serializers.FloatField(allow_null=True)


class AdjustedTableSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=[key for key, _label in OUTCOMES])
    name = serializers.CharField(source="label")
    people = serializers.CharField(
        source="people_shown", help_text=f"People in the model (complete cases). {COUNT}"
    )
    lines = AdjustedLineSerializer(many=True)
    error = serializers.CharField(
        allow_null=True, help_text="Why there is no adjusted comparison; null when there is."
    )


class ProviderComparisonSerializer(serializers.Serializer[Any]):
    programme = serializers.CharField(source="programme.code", allow_null=True)
    entered_from = MonthField(allow_null=True, help_text=MONTH)
    entered_to = MonthField(allow_null=True, help_text=MONTH)
    followed_up_to = serializers.DateField(source="follow_up_end")
    people = serializers.IntegerField(help_text="Participants counted (without `left_out`).")
    total = ProviderLineSerializer()
    by_sector = ProviderLineSerializer(many=True)
    by_provider = ProviderLineSerializer(many=True)
    adjusted = AdjustedTableSerializer(many=True)
    left_out = LeftOutSerializer(many=True, help_text=LEFT_OUT)
    left_out_note = serializers.CharField(allow_null=True)


class PeriodQuerySerializer(serializers.Serializer[dict[str, Any]]):
    programme: serializers.SlugRelatedField[Programme] = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Programme.objects.all(),
        required=False,
        allow_null=True,
        help_text="The programme's code; omitted: every programme.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" and "to" are the parameters' names; Python cannot declare them as attributes.
        self.fields["from"] = MonthField(required=False, help_text=MONTH)
        self.fields["to"] = MonthField(required=False, help_text=MONTH)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        # An empty parameter is the same as an omitted one (as the page's form sends them).
        cleaned = {key: value for key, value in data.items() if value != ""}
        result: dict[str, Any] = super().to_internal_value(cleaned)
        return result

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"to": [_("The end of the period must not be before its start.")]}
            )
        return attrs


class TimeToEmploymentQuerySerializer(PeriodQuerySerializer):
    by = serializers.ChoiceField(
        choices=[key for key, _label in BY_CHOICES],
        required=False,
        default=groups.GENDER,
        help_text="What to compare by: one curve per group; none: all participants only.",
    )


class _OneReportSchema(AutoSchema):
    """The report is one document, not a list of them, though it answers at the list route."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


def _period_parameters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "programme", str, description="The programme's code; omitted: every programme."
        ),
        OpenApiParameter(
            "from",
            str,
            pattern=MONTH_PATTERN,
            description=f"First month of entry; omitted: from the start. {MONTH}",
        ),
        OpenApiParameter(
            "to",
            str,
            pattern=MONTH_PATTERN,
            description=f"Last month of entry; omitted: to the end of follow-up. {MONTH}",
        ),
    ]


def _evaluator(request: Request) -> Any:
    membership = acting_membership(request)
    if membership is None or not cohort.can_evaluate(membership):
        raise PermissionDenied
    return membership


class TimeToEmploymentViewSet(viewsets.ViewSet):
    """Time from entry to the first job: Kaplan–Meier curves by group with 95 % bands, medians
    and shares in work by 3, 6 and 12 months, and a Cox model. Aggregates only."""

    schema = _OneReportSchema()

    @extend_schema(
        parameters=[
            *_period_parameters(),
            OpenApiParameter(
                "by",
                str,
                enum=[key for key, _label in BY_CHOICES],
                description="What to compare by (default gender); none: all participants only.",
            ),
        ],
        responses=TimeToEmploymentSerializer,
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        viewer = _evaluator(request)
        query = TimeToEmploymentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        report = time_to_employment_report(
            viewer,
            programme=data.get("programme"),
            entered_from=data.get("from"),
            entered_to=data.get("to"),
            by=data.get("by") or groups.GENDER,
            follow_up_end=follow_up_end(),
        )
        return Response(TimeToEmploymentSerializer(report).data)


class ProviderComparisonViewSet(viewsets.ViewSet):
    """Outcome rates by provider sector and by provider with 95 % Wilson intervals, and the
    sectors compared with public providers after adjusting for case mix. Aggregates only."""

    schema = _OneReportSchema()

    @extend_schema(parameters=_period_parameters(), responses=ProviderComparisonSerializer)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        viewer = _evaluator(request)
        query = PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        report = provider_report(
            viewer,
            programme=data.get("programme"),
            entered_from=data.get("from"),
            entered_to=data.get("to"),
            follow_up_end=follow_up_end(),
        )
        return Response(ProviderComparisonSerializer(report).data)


def register(router: BaseRouter) -> None:
    router.register("time-to-employment", TimeToEmploymentViewSet, basename="time-to-employment")
    router.register(
        "provider-comparison", ProviderComparisonViewSet, basename="provider-comparison"
    )
