"""REST endpoints of the joint assessment: rounds (`assessments`) and domain entries
(`assessment-entries`).

Querysets come from the same selectors as the pages, so a member sees through the API exactly
the rounds and domains the user interface shows them; every response is written to the
read-access log for the rows it carries. Writes go through the services.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.core.api_support import StrictCharField, UuidFilter
from polku.core.categories import DataCategory
from polku.plans.api import common
from polku.plans.domains import LifeDomain, Need
from polku.plans.models import Assessment, AssessmentStatus, DomainEntry
from polku.plans.selectors import assessments as selectors
from polku.plans.services import assessments as services

C = DataCategory
JSON_ONLY = [JSONParser]


class VisibleAssessmentField(serializers.PrimaryKeyRelatedField[Assessment]):
    """A round the acting membership may read; others do not exist."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=serializers.UUIDField(), **kwargs)

    def get_queryset(self) -> QuerySet[Assessment]:
        return selectors.assessments_for_api(common.viewer(self.context["request"])).select_related(
            "client"
        )


class NeedField(serializers.ChoiceField):
    """The need as the whole number the schema documents: "2" or true is not a need."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "0 no need, 1 some, 2 clear, 3 urgent need for support.")
        super().__init__(choices=Need.choices, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class DomainEntrySerializer(serializers.ModelSerializer[DomainEntry]):
    assessment = VisibleAssessmentField(help_text="The round (assessment version) assessed.")
    domain = serializers.ChoiceField(choices=LifeDomain.choices)
    category = serializers.CharField(
        read_only=True, help_text="The data category of the entry, from its life domain."
    )
    need = NeedField()
    strengths = StrictCharField(
        max_length=services.TEXT_MAX_LENGTH, required=False, allow_blank=True
    )
    barriers = StrictCharField(
        max_length=services.TEXT_MAX_LENGTH, required=False, allow_blank=True
    )
    notes = StrictCharField(max_length=services.TEXT_MAX_LENGTH, required=False, allow_blank=True)
    author = serializers.SerializerMethodField(
        help_text="Name of the professional who recorded the entry; empty if unknown."
    )

    class Meta:
        model = DomainEntry
        fields = [
            "id",
            "assessment",
            "client",
            "domain",
            "category",
            "need",
            "strengths",
            "barriers",
            "notes",
            "recorded_by",
            "created_by",
            "author",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "client",
            "category",
            "recorded_by",
            "created_by",
            "author",
            "created_at",
            "updated_at",
        ]
        # One entry per round and domain is the service's rule: posting a domain again corrects
        # the organisation's own entry, and another organisation's entry is refused there.
        validators: ClassVar[list[Any]] = []

    def get_author(self, entry: DomainEntry) -> str:
        return entry.created_by.user.display_name() if entry.created_by else ""


class DomainEntryUpdateSerializer(serializers.Serializer[DomainEntry]):
    need = NeedField(required=False)
    strengths = StrictCharField(
        max_length=services.TEXT_MAX_LENGTH, required=False, allow_blank=True
    )
    barriers = StrictCharField(
        max_length=services.TEXT_MAX_LENGTH, required=False, allow_blank=True
    )
    notes = StrictCharField(max_length=services.TEXT_MAX_LENGTH, required=False, allow_blank=True)


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    client = common.VisibleClientField()
    assessed_on = serializers.DateField(
        required=False, help_text="The day of the assessment; today when not given."
    )
    status = serializers.ChoiceField(choices=AssessmentStatus.choices, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "client",
            "version",
            "assessed_on",
            "status",
            "completed_at",
            "completed_by",
            "recorded_by",
            "created_by",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "version",
            "status",
            "completed_at",
            "completed_by",
            "recorded_by",
            "created_by",
            "created_at",
        ]


class AssessmentDetailSerializer(AssessmentSerializer):
    entries = serializers.SerializerMethodField(
        help_text="The round's domain entries the acting membership may read; other domains "
        "are left out."
    )

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "entries"]
        read_only_fields = [*AssessmentSerializer.Meta.read_only_fields, "entries"]

    @extend_schema_field(DomainEntrySerializer(many=True))
    def get_entries(self, assessment: Assessment) -> list[dict[str, Any]]:
        entries = self.context.get("entries", [])
        return list(DomainEntrySerializer(entries, many=True, context=self.context).data)


class ClientScopedFilter(django_filters.FilterSet):
    client = UuidFilter(field_name="client", help_text="Only this client's rows.")


class AssessmentFilter(ClientScopedFilter):
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices)

    class Meta:
        model = Assessment
        fields: ClassVar[list[str]] = []


class DomainEntryFilter(ClientScopedFilter):
    assessment = UuidFilter(field_name="assessment")
    domain = django_filters.ChoiceFilter(choices=LifeDomain.choices)

    class Meta:
        model = DomainEntry
        fields: ClassVar[list[str]] = []


class AssessmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Assessment],
):
    """Rounds of the joint assessment the acting membership may read (employment data).

    A round's detail carries the entries the acting membership may read; domains it may not see
    are absent. Listing logs one employment read per round sent.
    """

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY

    def get_queryset(self) -> QuerySet[Assessment]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return Assessment.objects.none()
        return selectors.assessments_for_api(common.viewer(self.request)).select_related("client")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        common.log_reads(request, ((a.client_id, C.EMPLOYMENT) for a in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _detail(self, assessment: Assessment, *, status_code: int = 200) -> Response:
        """The round with its visible entries, each read logged."""
        entries = selectors.in_domain_order(
            selectors.entries_visible_to(common.viewer(self.request), few=True).filter(
                assessment=assessment
            )
        )
        reads: list[tuple[Any, str]] = [(assessment.client_id, C.EMPLOYMENT)]
        reads += [(e.client_id, e.category) for e in entries]
        common.log_reads(self.request, reads)
        context = self.get_serializer_context() | {"entries": entries}
        return Response(
            AssessmentDetailSerializer(assessment, context=context).data, status=status_code
        )

    @extend_schema(responses=AssessmentDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object())

    @extend_schema(request=AssessmentSerializer, responses={201: AssessmentDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start the client's next round; refused while another round is open."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assessment = services.assessment_start(
            actor=common.viewer(request),
            client=data["client"],
            assessed_on=data.get("assessed_on") or timezone.localdate(),
        )
        return self._detail(assessment, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AssessmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Complete the round: its entries can no longer be changed."""
        assessment = services.assessment_complete(
            actor=common.viewer(request), assessment=self.get_object()
        )
        return self._detail(assessment)


class DomainEntryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[DomainEntry],
):
    """Domain entries the acting membership may read, each by its own data category.

    POST records the acting organisation's assessment of a domain in an open round (201), or
    corrects the entry it recorded earlier for that domain (200). PATCH corrects an entry; an
    entry another organisation recorded cannot be changed (403).
    """

    serializer_class = DomainEntrySerializer
    filterset_class = DomainEntryFilter
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[DomainEntry]:
        if getattr(self, "swagger_fake_view", False):
            return DomainEntry.objects.none()
        return selectors.entries_for_api(common.viewer(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        common.log_reads(request, ((e.client_id, e.category) for e in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        common.log_reads(request, [(entry.client_id, entry.category)])
        return Response(self.get_serializer(entry).data)

    def _saved(self, entry: DomainEntry, *, status_code: int) -> Response:
        entry = self.get_queryset().get(pk=entry.pk)
        common.log_reads(self.request, [(entry.client_id, entry.category)])
        return Response(self.get_serializer(entry).data, status=status_code)

    @extend_schema(
        request=DomainEntrySerializer,
        responses={201: DomainEntrySerializer, 200: DomainEntrySerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        existed = DomainEntry.objects.filter(
            assessment=data["assessment"], domain=data["domain"]
        ).exists()
        entry = services.entry_save(actor=common.viewer(request), **data)
        return self._saved(
            entry, status_code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    @extend_schema(request=DomainEntryUpdateSerializer, responses=DomainEntrySerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        if entry.recorded_by_id != common.viewer(request).organisation_id:
            raise PermissionDenied
        serializer = DomainEntryUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values: dict[str, Any] = {
            "need": entry.need,
            "strengths": entry.strengths,
            "barriers": entry.barriers,
            "notes": entry.notes,
        } | dict(serializer.validated_data)
        entry = services.entry_save(
            actor=common.viewer(request),
            assessment=entry.assessment,
            domain=entry.domain,
            **values,
        )
        return self._saved(entry, status_code=status.HTTP_200_OK)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


def register(router: BaseRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register("assessments", AssessmentViewSet, basename="assessment")
    router.register("assessment-entries", DomainEntryViewSet, basename="assessment-entry")
