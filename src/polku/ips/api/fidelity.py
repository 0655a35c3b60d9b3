"""REST endpoints of IPS fidelity: reviews (`fidelity-reviews`) and the indicators computed
from the data (`fidelity-indicators`).

Aggregates and reviews of a service, no personal data: programme staff
(`roles.IPS_PROGRAMME_ROLES`) read them, programme managers and evaluators
(`roles.FIDELITY_REVIEWER_ROLES`) open, score and complete reviews; any other role gets 403.
Writes go through `ips.fidelity.services`, whose refusals are problem documents (400 by field,
403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.clients.models import Programme
from polku.core import roles
from polku.core.api_support import IdFilter, StrictCharField
from polku.ips.fidelity import indicators, published, services
from polku.ips.fidelity import selectors as fidelity_selectors
from polku.ips.fidelity.bands import Band, band_for
from polku.ips.fidelity.items import ITEMS, Section, item
from polku.ips.models import FidelityReview, FidelityScore
from polku.plans.api import common

JSON_ONLY = [JSONParser]


def _require(request: Request, allowed: frozenset[str]) -> None:
    if common.viewer(request).role not in allowed:
        raise PermissionDenied


class FidelityScoreSerializer(serializers.ModelSerializer[FidelityScore]):
    section = serializers.SerializerMethodField(help_text="The item's section of the scale.")
    title = serializers.SerializerMethodField(
        help_text="The item's title, in the caller's language."
    )
    suggested = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="What the data suggested when the review was opened (1–5); null when the "
        "data cannot say or the item is for the reviewers only.",
    )
    score = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The reviewers' score 1–5; null until scored."
    )

    class Meta:
        model = FidelityScore
        fields = ["item", "section", "title", "suggested", "score", "evidence"]
        read_only_fields = fields

    def get_section(self, obj: FidelityScore) -> Section:
        return item(obj.item).section

    def get_title(self, obj: FidelityScore) -> str:
        return str(item(obj.item).title)


class FidelityReviewSerializer(serializers.ModelSerializer[FidelityReview]):
    total = serializers.SerializerMethodField(
        help_text="The sum of the 25 scores (25–125) once every item is scored, else null."
    )
    band = serializers.SerializerMethodField(
        help_text="The band of the total (IPS-25): exemplary 115–125, good 100–114, fair "
        "74–99, not_ips 73 or less; null until every item is scored."
    )
    scored = serializers.SerializerMethodField(help_text="How many of the 25 items are scored.")
    scores = FidelityScoreSerializer(many=True, read_only=True)

    class Meta:
        model = FidelityReview
        fields = [
            "id",
            "programme",
            "review_date",
            "period_start",
            "period_end",
            "reviewers",
            "notes",
            "status",
            "scored",
            "total",
            "band",
            "organisation",
            "created_at",
            "completed_at",
            "scores",
        ]
        read_only_fields = fields

    def _total(self, obj: FidelityReview) -> int | None:
        complete = getattr(obj, "scored", 0) == len(ITEMS)
        return getattr(obj, "score_sum", None) if complete else None

    def get_scored(self, obj: FidelityReview) -> int:
        return int(getattr(obj, "scored", 0))

    def get_total(self, obj: FidelityReview) -> int | None:
        return self._total(obj)

    def get_band(self, obj: FidelityReview) -> Band | None:
        total = self._total(obj)
        return None if total is None else band_for(total)


class FidelityReviewCreateSerializer(serializers.Serializer[dict[str, Any]]):
    programme: serializers.PrimaryKeyRelatedField[Programme] = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), help_text="The programme reviewed."
    )
    review_date = serializers.DateField(help_text="The day of the review; not before period_end.")
    period_start = serializers.DateField(
        help_text="First day of the period whose data gives the suggestions: the first day of "
        "a month."
    )
    period_end = serializers.DateField(
        help_text="Last day of the period: the last day of a month, or today. The period lasts "
        "at least three months and at most three years."
    )
    reviewers = StrictCharField(
        max_length=services.REVIEWERS_MAX_LENGTH, help_text="The reviewers' names."
    )
    notes = StrictCharField(
        max_length=services.NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class ScoreInputSerializer(serializers.Serializer[dict[str, Any]]):
    item = serializers.IntegerField(min_value=1, max_value=25)
    score = serializers.IntegerField(
        min_value=1, max_value=5, allow_null=True, help_text="1–5, or null to clear the score."
    )
    evidence = StrictCharField(
        max_length=services.EVIDENCE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class ScoresSerializer(serializers.Serializer[dict[str, Any]]):
    scores = ScoreInputSerializer(
        many=True,
        help_text="The items to record; items left out keep their score and evidence.",
    )
    notes = StrictCharField(
        max_length=services.NOTES_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="The summary and recommendations; left out, they stay as they are.",
    )


class FidelityReviewFilter(django_filters.FilterSet):
    programme = IdFilter(field_name="programme", help_text="Only this programme's reviews.")

    class Meta:
        model = FidelityReview
        fields: ClassVar[list[str]] = []


class FidelityReviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[FidelityReview],
):
    """Fidelity reviews, newest first, each with its 25 item scores, total and band.

    POST opens a draft review whose items carry the data's suggestions and no scores;
    `POST …/scores/` records scores and evidence; `POST …/complete/` completes a review whose
    every item is scored (400 with code `unscored` otherwise). A completed review is read-only.
    Reading needs an IPS programme role; writing a programme manager's or evaluator's (403).
    """

    serializer_class = FidelityReviewSerializer
    filterset_class = FidelityReviewFilter
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY

    def get_queryset(self) -> QuerySet[FidelityReview]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return FidelityReview.objects.none()
        return fidelity_selectors.reviews_with_totals().prefetch_related("scores")

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        writing = self.action in {"create", "scores", "complete"}
        _require(request, roles.FIDELITY_REVIEWER_ROLES if writing else roles.IPS_PROGRAMME_ROLES)

    def _detail(self, review: FidelityReview, *, status_code: int = 200) -> Response:
        review = self.get_queryset().get(pk=review.pk)
        return Response(self.get_serializer(review).data, status=status_code)

    @extend_schema(
        request=FidelityReviewCreateSerializer, responses={201: FidelityReviewSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = FidelityReviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.fidelity_review_create(
            actor=common.viewer(request), **serializer.validated_data
        )
        return self._detail(review, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ScoresSerializer, responses=FidelityReviewSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record scores (1–5, or null) and evidence for the items given."""
        review = self.get_object()
        serializer = ScoresSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review = services.fidelity_scores_update(
            actor=common.viewer(request),
            review=review,
            scores=[
                services.ScoreInput(entry["item"], entry["score"], entry["evidence"])
                for entry in data["scores"]
            ],
            notes=data.get("notes"),
        )
        return self._detail(review)

    @extend_schema(request=None, responses=FidelityReviewSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Complete the review once all 25 items are scored."""
        review = services.fidelity_review_complete(
            actor=common.viewer(request), review=self.get_object()
        )
        return self._detail(review)


class IndicatorQuerySerializer(serializers.Serializer[dict[str, Any]]):
    programme = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="A programme with IPS cases."
    )
    start = serializers.DateField(
        required=False,
        help_text="First day of the period: the first day of a month (default: the first day of "
        "the month six months before the month of end).",
    )
    end = serializers.DateField(
        required=False,
        help_text="Last day of the period: the last day of a month, or today (the default). The "
        "period lasts at least three months and at most three years.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["programme"] = fidelity_selectors.programme_get(attrs["programme"])
        except Programme.DoesNotExist:
            raise ValidationError(
                {"programme": ["No programme with IPS cases has this id."]}
            ) from None
        end = attrs.get("end") or timezone.localdate()
        start = attrs.get("start") or indicators.default_period(end)[0]
        errors = services.period_errors(start, end, today=timezone.localdate())
        if errors:
            raise ValidationError(
                {"start" if k == "period_start" else "end": [v] for k, v in errors.items()}
            )
        return attrs | {"start": start, "end": end}


SUPPRESSED = (
    "true when the figure is withheld by disclosure control (value null): a count of 1–4 "
    'people (publish it as "<5"), or a share, mean or median, or a count bounded by one, that '
    "rests on a count of 1–4 people."
)


class MeasureSerializer(serializers.Serializer[published.ShownMeasure]):
    key = serializers.CharField(help_text="A stable name of the figure within the indicator.")
    name = serializers.CharField(
        source="label", help_text="What the figure is, in the caller's language."
    )
    value = serializers.FloatField(
        allow_null=True,
        help_text="Shares are fractions 0–1; null when nothing to divide by, or when suppressed.",
    )
    unit = serializers.ChoiceField(choices=indicators.Unit.choices)
    suppressed = serializers.BooleanField(help_text=SUPPRESSED)


class IndicatorSerializer(serializers.Serializer[published.ShownIndicator]):
    item = serializers.IntegerField(help_text="The IPS-25 item the indicator informs.")
    key = serializers.CharField()
    title = serializers.SerializerMethodField(help_text="The item's title.")
    values = MeasureSerializer(many=True)
    counts = MeasureSerializer(many=True, help_text="The numbers the values rest on.")
    suggested = serializers.IntegerField(
        allow_null=True, help_text="The score 1–5 the anchors give; null when the data cannot say."
    )
    rests_on_few = serializers.BooleanField(
        help_text="true when a suggestion is given but the figure it is made from is suppressed: "
        "it rests on fewer than five cases, placements or referrals."
    )
    suggests = serializers.BooleanField(
        help_text="false for items the figures only inform (10 and 25): never a suggestion."
    )
    how = serializers.CharField(help_text="How the figures are computed, in one sentence.")
    notes = serializers.ListField(child=serializers.CharField(), help_text="Warnings.")

    def get_title(self, obj: published.ShownIndicator) -> str:
        return str(item(obj.item).title)


class IndicatorsSerializer(serializers.Serializer[published.ShownIndicators]):
    programme = serializers.IntegerField(source="programme.pk")
    start = serializers.DateField()
    end = serializers.DateField()
    cases = serializers.IntegerField(
        source="cases_value",
        allow_null=True,
        help_text="IPS cases of the programme active in the period; null when 1–4 "
        "(cases_suppressed).",
    )
    cases_suppressed = serializers.BooleanField(help_text="true when there are 1–4 cases.")
    specialists = serializers.IntegerField(help_text="Their employment specialists.")
    placements = serializers.IntegerField(
        source="placements_value",
        allow_null=True,
        help_text="Placements of those cases started in it; null when 1–4 (placements_suppressed).",
    )
    placements_suppressed = serializers.BooleanField(
        help_text="true when there are 1–4 placements."
    )
    indicators = IndicatorSerializer(many=True)


class _OneDocumentSchema(AutoSchema):
    """The indicators are one document, not a list of them, though at the list route."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class FidelityIndicatorViewSet(viewsets.ViewSet):
    """The fidelity indicators computed from a programme's data over a period of whole months,
    each naming the IPS-25 item it informs, with the counts it rests on and a suggested score.
    Aggregates only; counts of 1–4 people and the figures resting on them are suppressed."""

    schema = _OneDocumentSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("programme", int, required=True, description="The programme."),
            OpenApiParameter(
                "start",
                dt.date,
                description="First day of the period: the first day of a month (default: six "
                "whole months before the month of end).",
            ),
            OpenApiParameter(
                "end",
                dt.date,
                description="Last day of the period: the last day of a month, or today (the "
                "default); at least three months after start, at most three years.",
            ),
        ],
        responses=IndicatorsSerializer,
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require(request, roles.IPS_PROGRAMME_ROLES)
        query = IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        result = indicators.compute(data["programme"], data["start"], data["end"])
        # Exact figures, published with disclosure control: counts of 1–4 people suppressed.
        return Response(IndicatorsSerializer(published.publish(result)).data)


def register(router: BaseRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register("fidelity-reviews", FidelityReviewViewSet, basename="fidelity-review")
    router.register("fidelity-indicators", FidelityIndicatorViewSet, basename="fidelity-indicator")
