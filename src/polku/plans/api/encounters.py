"""REST endpoints of encounters (`encounters`): list by client, read, record, correct.

The queryset comes from the same selector as the pages: each encounter is readable as its own
category, so a member sees through the API exactly the encounters the encounters tab shows
them. Every response is written to the read-access log for the rows it carries; writes go
through the services.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.core.api_support import StrictCharField, UuidFilter
from polku.core.categories import DataCategory
from polku.core.models import Membership, Organisation
from polku.core.roles import CLIENT_WORK_ROLES
from polku.plans.api import common
from polku.plans.models import Attendance, Encounter, EncounterKind
from polku.plans.selectors import encounters as selectors
from polku.plans.services import encounters as services

JSON_ONLY = [JSONParser]
FIELDS = (
    "kind",
    "category",
    "started_at",
    "duration_minutes",
    "attendance",
    "participants",
    "organisations",
    "notes",
)


@extend_schema_field({"type": "integer", "description": "A membership id."})
class ProfessionalField(serializers.PrimaryKeyRelatedField[Membership]):
    """A membership active today of someone who works with clients."""

    def get_queryset(self) -> QuerySet[Membership]:
        # Per request: `active()` compares with today's date.
        return Membership.objects.active().filter(role__in=CLIENT_WORK_ROLES)


class EncounterSerializer(serializers.ModelSerializer[Encounter]):
    client = common.VisibleClientField()
    kind = serializers.ChoiceField(choices=EncounterKind.choices)
    category = serializers.ChoiceField(
        choices=DataCategory.choices,
        help_text="The data category of what was discussed: it decides who may read the "
        "encounter, its notes included. Must be one the acting membership's role may read.",
    )
    started_at = serializers.DateTimeField(
        help_text="When the encounter started. At most a day ahead, unless the attendance is "
        "cancelled (then at most a year ahead)."
    )
    duration_minutes = serializers.IntegerField(
        min_value=1, max_value=services.MAX_DURATION_MINUTES
    )
    attendance = serializers.ChoiceField(choices=Attendance.choices, default=Attendance.ATTENDED)
    participants = ProfessionalField(
        many=True,
        required=False,
        help_text="Memberships of the professionals present (active, working with clients).",
    )
    organisations: serializers.PrimaryKeyRelatedField[Organisation] = (
        serializers.PrimaryKeyRelatedField(
            many=True,
            required=False,
            queryset=Organisation.objects.filter(is_active=True),
            help_text="Organisations present. The recording organisation and those of the "
            "professionals present are always added; a network meeting needs at least two.",
        )
    )
    notes = StrictCharField(
        max_length=services.NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )

    class Meta:
        model = Encounter
        fields = [
            "id",
            "client",
            *FIELDS,
            "recorded_by",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["id", "recorded_by", "created_by", "created_at"]


class EncounterUpdateSerializer(serializers.Serializer[Encounter]):
    """The values to correct; those left out keep their value."""

    kind = serializers.ChoiceField(choices=EncounterKind.choices, required=False)
    category = serializers.ChoiceField(choices=DataCategory.choices, required=False)
    started_at = serializers.DateTimeField(required=False)
    duration_minutes = serializers.IntegerField(
        min_value=1, max_value=services.MAX_DURATION_MINUTES, required=False
    )
    attendance = serializers.ChoiceField(choices=Attendance.choices, required=False)
    participants = ProfessionalField(many=True, required=False)
    organisations: serializers.PrimaryKeyRelatedField[Organisation] = (
        serializers.PrimaryKeyRelatedField(
            many=True, required=False, queryset=Organisation.objects.filter(is_active=True)
        )
    )
    notes = StrictCharField(max_length=services.NOTES_MAX_LENGTH, required=False, allow_blank=True)


class EncounterFilter(django_filters.FilterSet):
    client = UuidFilter(field_name="client", help_text="Only this client's rows.")
    kind = django_filters.ChoiceFilter(choices=EncounterKind.choices)

    class Meta:
        model = Encounter
        fields: ClassVar[list[str]] = []


class EncounterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Encounter],
):
    """Encounters the acting membership may read, each by its own data category, newest first.

    PATCH corrects an encounter the acting organisation recorded (403 for another
    organisation's). Listing logs one read of each encounter's category per row sent.
    """

    serializer_class = EncounterSerializer
    filterset_class = EncounterFilter
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Encounter]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return Encounter.objects.none()
        return (
            selectors.encounters_visible_to(common.viewer(self.request))
            .prefetch_related("participants", "organisations")
            .order_by("-started_at", "-pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        common.log_reads(request, ((e.client_id, e.category) for e in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        encounter = self.get_object()
        common.log_reads(request, [(encounter.client_id, encounter.category)])
        return Response(self.get_serializer(encounter).data)

    def _saved(self, encounter: Encounter, *, status_code: int) -> Response:
        encounter = self.get_queryset().get(pk=encounter.pk)
        common.log_reads(self.request, [(encounter.client_id, encounter.category)])
        return Response(self.get_serializer(encounter).data, status=status_code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        encounter = services.encounter_record(
            actor=common.viewer(request), **serializer.validated_data
        )
        return self._saved(encounter, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=EncounterUpdateSerializer, responses=EncounterSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        encounter = self.get_object()
        serializer = EncounterUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values: dict[str, Any] = {
            "kind": encounter.kind,
            "category": encounter.category,
            "started_at": encounter.started_at,
            "duration_minutes": encounter.duration_minutes,
            "attendance": encounter.attendance,
            "participants": list(encounter.participants.all()),
            "organisations": list(encounter.organisations.all()),
            "notes": encounter.notes,
        } | dict(serializer.validated_data)
        encounter = services.encounter_update(
            actor=common.viewer(request), encounter=encounter, **values
        )
        return self._saved(encounter, status_code=status.HTTP_200_OK)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


def register(router: BaseRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register("encounters", EncounterViewSet, basename="encounter")
