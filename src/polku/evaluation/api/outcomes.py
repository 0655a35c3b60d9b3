"""REST endpoints of participants' outcomes and ESF+ entry data.

`outcomes`: the outcome rows (at exit, 6 and 12 months after exit) of the episodes the acting
membership may read; `?client=<uuid>&due=true` lists a client's rows still to record. PATCH
records or corrects one (the rows themselves are created by the scheduler, never by a client).
`entry-data/{episode id}`: GET the episode's entry data, PUT to record or correct it.

The querysets are the pages' selectors, so a caller sees through the API exactly what the
client's "Outcomes" tab shows them: the entry data's health and social answers are null, and
named in `hidden_fields`, where the policy does not let the caller read that category. Every
response carrying records is written to the read-access log; writes go through the services,
whose refusals are problem documents (403, or 400 with the fields).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.clients.models import Episode
from polku.clients.selectors import episodes_visible_to
from polku.core.api_support import BooleanFilter, UuidFilter
from polku.evaluation.models import (
    SENSITIVE_FIELDS,
    EntryData,
    IscedLevel,
    LabourMarketStatus,
    Outcome,
    OutcomePoint,
    OutcomeSource,
    OutcomeStatus,
    SensitiveAnswer,
)
from polku.evaluation.selectors import outcomes as selectors
from polku.evaluation.services import entry as entry_services
from polku.evaluation.services import outcomes as outcome_services
from polku.plans.api import common

JSON_ONLY = [JSONParser]

# --- Outcomes ----------------------------------------------------------------------------------


class OutcomeSerializer(serializers.ModelSerializer[Outcome]):
    client = serializers.UUIDField(source="episode.client_id", read_only=True)
    episode = serializers.UUIDField(source="episode_id", read_only=True)
    status = serializers.ChoiceField(
        choices=OutcomeStatus.choices,
        allow_blank=True,
        read_only=True,
        help_text="The participant's situation; empty until recorded.",
    )
    # A declared field, popped from the class by DRF's metaclass; mypy sees Field.source.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=OutcomeSource.choices,
        allow_blank=True,
        read_only=True,
        help_text="Where the information came from; empty until recorded.",
    )

    class Meta:
        model = Outcome
        fields = [
            "id",
            "client",
            "episode",
            "point",
            "due_on",
            "status",
            "observed_on",
            "source",
            "in_education",
            "gained_qualification",
            "improved_situation",
            "recorded_at",
            "recorded_by_member",
            "recorded_by",
        ]
        read_only_fields = fields


class OutcomeRecordSerializer(serializers.Serializer[Outcome]):
    status = serializers.ChoiceField(choices=OutcomeStatus.choices)
    observed_on = serializers.DateField(
        help_text="The day the situation applies to. At exit: within 28 days after leaving "
        "(ESF+). A follow-up: not before the exit, from 30 days before it falls due. Never in "
        "the future."
    )
    source = serializers.ChoiceField(choices=OutcomeSource.choices)  # type: ignore[assignment]
    in_education = serializers.BooleanField()
    gained_qualification = serializers.BooleanField()
    improved_situation = serializers.BooleanField(
        allow_null=True,
        help_text="ESF+ EECR06, only for participants employed at entry (else null): a better "
        "job; true only with an employed status.",
    )


class OutcomeFilter(django_filters.FilterSet):
    client = UuidFilter(field_name="episode__client", help_text="Only this client's outcomes.")
    episode = UuidFilter(field_name="episode", help_text="Only this episode's outcomes.")
    point = django_filters.ChoiceFilter(choices=OutcomePoint.choices)
    due = BooleanFilter(
        method="filter_due",
        help_text="true: only outcomes not yet recorded whose due date has come; false: the "
        "others.",
    )

    class Meta:
        model = Outcome
        fields: list[str] = []

    def filter_due(self, queryset: QuerySet[Outcome], name: str, value: bool) -> QuerySet[Outcome]:
        condition = Q(status="", due_on__lte=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class OutcomeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Outcome],
):
    """Outcomes the acting membership may read (employment data), the earliest due first.

    PATCH records the situation, or corrects it; the values left out keep theirs. Who may: the
    people who may work on the client, in a role that reads employment data.
    """

    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Outcome]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return Outcome.objects.none()
        return (
            selectors.outcomes_visible_to(common.viewer(self.request))
            .select_related("episode__client")
            .order_by("due_on", "point", "pk")
        )

    def _respond(self, outcome: Outcome) -> Response:
        common.log_reads(self.request, [(outcome.episode.client_id, Outcome.record_category)])
        return Response(self.get_serializer(outcome).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        common.log_reads(request, ((row.episode.client_id, row.record_category) for row in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._respond(self.get_object())

    @extend_schema(request=OutcomeRecordSerializer, responses=OutcomeSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record or correct the outcome."""
        outcome = self.get_object()
        serializer = OutcomeRecordSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values: dict[str, Any] = {
            "status": outcome.status,
            "observed_on": outcome.observed_on,
            "source": outcome.source,
            "in_education": outcome.in_education,
            "gained_qualification": outcome.gained_qualification,
            "improved_situation": outcome.improved_situation,
        } | dict(serializer.validated_data)
        outcome = outcome_services.outcome_record(
            actor=common.viewer(request), outcome=outcome, **values
        )
        return self._respond(outcome)


# --- Entry data --------------------------------------------------------------------------------


def _answer(**kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=SensitiveAnswer.choices, allow_null=True, **kwargs)


class EntryDataSerializer(serializers.ModelSerializer[EntryData]):
    client = serializers.UUIDField(source="episode.client_id", read_only=True)
    episode = serializers.UUIDField(source="episode_id", read_only=True)
    disability = _answer(read_only=True)
    third_country_national = _answer(read_only=True)
    foreign_background = _answer(read_only=True)
    minority = _answer(read_only=True)
    homeless = _answer(read_only=True)
    isced_level = serializers.ChoiceField(
        choices=IscedLevel.choices,
        allow_null=True,
        read_only=True,
        help_text="Null when not known, or not readable to you (see hidden_fields).",
    )
    hidden_fields = serializers.SerializerMethodField(
        help_text="Fields shown as null because your role or the client's consents do not let "
        "you read their category (health, social, education)."
    )

    class Meta:
        model = EntryData
        fields = [
            "client",
            "episode",
            "labour_market_status",
            "isced_level",
            "rural_area",
            "months_employed_before",
            "sensitive_consent",
            *SENSITIVE_FIELDS,
            "hidden_fields",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_hidden_fields(self, entry: EntryData) -> list[str]:
        return sorted(self.context.get("hidden", ()))

    def to_representation(self, instance: EntryData) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        for name in self.context.get("hidden", ()):
            if name in data:
                data[name] = None
        return data


class EntryDataWriteSerializer(serializers.Serializer[EntryData]):
    labour_market_status = serializers.ChoiceField(choices=LabourMarketStatus.choices)
    isced_level = serializers.ChoiceField(
        choices=IscedLevel.choices,
        allow_null=True,
        required=False,
        default=None,
        help_text="Null: not known. Give it only if you may read the client's education data.",
    )
    rural_area = serializers.BooleanField(allow_null=True, required=False, default=None)
    months_employed_before = serializers.IntegerField(
        min_value=0, max_value=12, allow_null=True, required=False, default=None
    )
    sensitive_consent = serializers.BooleanField(
        help_text="The participant agreed to answer the sensitive questions. False erases every "
        "answer."
    )
    disability = _answer(required=False, default=None, help_text="Health data. Null: unchanged.")
    third_country_national = _answer(required=False, default=None, help_text="Null: unchanged.")
    foreign_background = _answer(required=False, default=None, help_text="Null: unchanged.")
    minority = _answer(required=False, default=None, help_text="Social data. Null: unchanged.")
    homeless = _answer(required=False, default=None, help_text="Social data. Null: unchanged.")


class EntryDataViewSet(viewsets.GenericViewSet[Episode]):
    """The ESF+ entry data of a programme episode the acting membership may read; the path id is
    the episode's. GET answers 404 while none is recorded; PUT records or corrects it."""

    # The path names an episode; the response is its entry data (documents the schema).
    serializer_class = EntryDataSerializer  # type: ignore[assignment]
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "put", "head", "options"]
    pagination_class = None

    def get_queryset(self) -> QuerySet[Episode]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return Episode.objects.none()
        return episodes_visible_to(common.viewer(self.request), few=True).select_related("client")

    def _respond(self, episode: Episode) -> Response:
        viewer = common.viewer(self.request)
        entry = selectors.entry_data_visible_to(viewer, few=True).filter(episode=episode).first()
        if entry is None:
            raise Http404
        readable = selectors.readable_categories(viewer, episode)
        common.log_reads(
            self.request,
            [
                (episode.client_id, cat)
                for cat in sorted(selectors.shown_categories(entry, readable))
            ],
        )
        context = self.get_serializer_context() | {"hidden": selectors.hidden_fields(readable)}
        return Response(EntryDataSerializer(entry, context=context).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._respond(self.get_object())

    @extend_schema(request=EntryDataWriteSerializer, responses=EntryDataSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record or correct the episode's entry data (the whole record)."""
        episode = self.get_object()
        serializer = EntryDataWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry_services.entry_data_save(
            actor=common.viewer(request), episode=episode, **serializer.validated_data
        )
        return self._respond(episode)


def register(router: BaseRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register("outcomes", OutcomeViewSet, basename="outcome")
    router.register("entry-data", EntryDataViewSet, basename="entry-data")
