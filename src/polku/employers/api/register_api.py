"""REST endpoints of the register: `employers` (with their workplaces and people, read-only),
`employer-workplaces` and `employer-people`."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import Count, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.core.api_auth import HasActiveMembership
from polku.core.api_support import BooleanFilter, StrictCharField, StrictEmailField, UuidFilter
from polku.core.classifications import industries
from polku.core.models import Country
from polku.employers.api import common
from polku.employers.forms.common import industry_label
from polku.employers.models import Employer, EmployerLocation, EmployerPerson, SizeClass
from polku.employers.permissions import can_read
from polku.employers.selectors import register as selectors
from polku.employers.services import register as services

JSON_ONLY = [JSONParser]
PERMISSIONS = [HasActiveMembership, common.RegisterAccess]


def _industry_choices() -> list[tuple[str, str]]:
    return [(code, section.labels["en"]) for code, section in industries().items()]


# --- Serializers -------------------------------------------------------------------------------


class WorkplaceSerializer(serializers.ModelSerializer[EmployerLocation]):
    class Meta:
        model = EmployerLocation
        fields = ["id", "employer", "name", "street_address", "postal_code", "municipality"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer[EmployerPerson]):
    # Plain strings: an empty value is "not given", which format email would refuse.
    email = serializers.CharField(read_only=True, help_text="E-mail address; empty if none.")

    class Meta:
        model = EmployerPerson
        fields = ["id", "employer", "name", "title", "phone", "email", "is_primary"]
        read_only_fields = fields


class EmployerSerializer(serializers.ModelSerializer[Employer]):
    industry_label = serializers.SerializerMethodField(
        help_text="The industry section's name in the request's language."
    )
    website = serializers.CharField(read_only=True, help_text="Web address; empty if none.")
    size_class = serializers.ChoiceField(
        choices=SizeClass.choices, allow_blank=True, read_only=True, help_text="Empty if not known."
    )
    industry = serializers.CharField(
        read_only=True, help_text="NACE Rev. 2 / TOL 2008 section letter; empty if not known."
    )
    workplaces = WorkplaceSerializer(source="locations", many=True, read_only=True)
    people = PersonSerializer(many=True, read_only=True)
    placement_count = serializers.SerializerMethodField(
        help_text="Placements of programme clients with this employer (a count only), as a "
        'string: digits when 0 or 5 or more, "<5" for 1 to 4.',
    )

    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "country",
            "business_id",
            "industry",
            "industry_label",
            "size_class",
            "is_social_enterprise",
            "website",
            "notes",
            "is_active",
            "registered_by",
            "created_at",
            "updated_at",
            "workplaces",
            "people",
            "placement_count",
        ]
        read_only_fields = fields

    def get_industry_label(self, employer: Employer) -> str:
        return industry_label(employer.industry) if employer.industry else ""

    def get_placement_count(self, employer: Employer) -> str:
        # Annotated by the viewset's queryset.
        return selectors.placements_shown(getattr(employer, "placement_count"))  # noqa: B009


class EmployerInputSerializer(serializers.Serializer[Employer]):
    name = StrictCharField(max_length=services.NAME_MAX_LENGTH)
    country = serializers.ChoiceField(choices=Country.choices, default=Country.FINLAND)
    business_id = StrictCharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="Finnish Business ID (Y-tunnus, e.g. 0112038-9) or, with country SE, a "
        "Swedish organisation number (e.g. 556036-0793). Stored normalised; one already in "
        "the register is refused, naming the employer that has it.",
    )
    industry = serializers.ChoiceField(
        choices=_industry_choices(),
        required=False,
        allow_blank=True,
        default="",
        help_text="NACE Rev. 2 / TOL 2008 section letter.",
    )
    size_class = serializers.ChoiceField(
        choices=SizeClass.choices, required=False, allow_blank=True, default=""
    )
    is_social_enterprise = serializers.BooleanField(required=False, default=False)
    website = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    notes = StrictCharField(
        max_length=services.NOTES_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    is_active = serializers.BooleanField(required=False, default=True)


class WorkplaceInputSerializer(serializers.Serializer[EmployerLocation]):
    employer = serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.all(), pk_field=serializers.UUIDField()
    )
    name = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    street_address = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    postal_code = StrictCharField(max_length=10, required=False, allow_blank=True, default="")
    municipality = StrictCharField(max_length=100)


class WorkplaceUpdateSerializer(serializers.Serializer[EmployerLocation]):
    """The values to change; those left out keep their value."""

    name = StrictCharField(max_length=200, required=False, allow_blank=True)
    street_address = StrictCharField(max_length=200, required=False, allow_blank=True)
    postal_code = StrictCharField(max_length=10, required=False, allow_blank=True)
    municipality = StrictCharField(max_length=100, required=False)


class PersonInputSerializer(serializers.Serializer[EmployerPerson]):
    employer = serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.all(), pk_field=serializers.UUIDField()
    )
    name = StrictCharField(max_length=200)
    title = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    phone = StrictCharField(max_length=40, required=False, allow_blank=True, default="")
    email = StrictEmailField(required=False, allow_blank=True, default="")
    is_primary = serializers.BooleanField(
        required=False, default=False, help_text="Marking one person unmarks the others."
    )


class PersonUpdateSerializer(serializers.Serializer[EmployerPerson]):
    """The values to change; those left out keep their value."""

    name = StrictCharField(max_length=200, required=False)
    title = StrictCharField(max_length=200, required=False, allow_blank=True)
    phone = StrictCharField(max_length=40, required=False, allow_blank=True)
    email = StrictEmailField(required=False, allow_blank=True)
    is_primary = serializers.BooleanField(required=False)


# --- Filters -----------------------------------------------------------------------------------


class EmployerFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="noop", max_length=100, help_text="Words in the name, or a Business ID."
    )
    industry = django_filters.ChoiceFilter(
        method="noop", choices=_industry_choices(), help_text="NACE section letter."
    )
    size_class = django_filters.ChoiceFilter(method="noop", choices=SizeClass.choices)
    social_enterprise = BooleanFilter(method="noop", help_text="true or false.")
    municipality = django_filters.CharFilter(
        method="noop", max_length=100, help_text="Employers with a workplace there."
    )
    active = BooleanFilter(
        method="noop", help_text="true: active employers only; false: inactive; absent: all."
    )

    class Meta:
        model = Employer
        fields: ClassVar[list[str]] = []

    def noop(self, queryset: QuerySet[Employer], name: str, value: Any) -> QuerySet[Employer]:
        # The selector applies the filters (the same code path as the list page).
        return queryset


class EmployerPartFilter(django_filters.FilterSet):
    employer = UuidFilter(field_name="employer", help_text="Only this employer's rows.")

    class Meta:
        model = EmployerLocation
        fields: ClassVar[list[str]] = []


class EmployerPersonFilter(EmployerPartFilter):
    class Meta:
        model = EmployerPerson
        fields: ClassVar[list[str]] = []


# --- Viewsets ----------------------------------------------------------------------------------


class EmployerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Employer],
):
    """Employers of the register, by name, each with its workplaces and contact persons.

    Every role that works with clients and programme staff read; employment specialists and
    employer liaisons add and change (403 for others). PATCH changes the fields given.
    """

    serializer_class = EmployerSerializer
    filterset_class = EmployerFilter
    permission_classes = PERMISSIONS
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Employer]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return Employer.objects.none()
        viewer = common.viewer(self.request)
        filters = selectors.EmployerFilters(active=None)
        if self.action == "list":
            data = common.filter_values(EmployerFilter, self.request)
            filters = selectors.EmployerFilters(
                text=data.get("search") or "",
                industry=data.get("industry") or "",
                size_class=data.get("size_class") or "",
                social_enterprise=data.get("social_enterprise"),
                municipality=data.get("municipality") or "",
                active=data.get("active"),
            )
        return (
            selectors.employers_visible_to(viewer, filters=filters)
            .annotate(placement_count=Count("placements", distinct=True))
            .prefetch_related(
                Prefetch("people", queryset=EmployerPerson.objects.order_by("-is_primary", "name"))
            )
        )

    def _saved(self, employer: Employer, *, status_code: int) -> Response:
        employer = self.get_queryset().get(pk=employer.pk)
        return Response(self.get_serializer(employer).data, status=status_code)

    @extend_schema(request=EmployerInputSerializer, responses={201: EmployerSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = EmployerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employer = services.employer_save(actor=common.viewer(request), **serializer.validated_data)
        return self._saved(employer, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=EmployerInputSerializer(partial=True), responses=EmployerSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        employer = self.get_object()
        serializer = EmployerInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {
            name: getattr(employer, name) for name in EmployerInputSerializer._declared_fields
        } | dict(serializer.validated_data)
        employer = services.employer_save(actor=common.viewer(request), employer=employer, **values)
        return self._saved(employer, status_code=status.HTTP_200_OK)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


class _PartViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Any],
):
    """Shared by workplaces and people: rows of one employer, written through the services."""

    permission_classes = PERMISSIONS
    lookup_value_converter = "int"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "post", "patch", "head", "options"]
    model: ClassVar[type[EmployerLocation] | type[EmployerPerson]]
    input_serializer: ClassVar[type[serializers.Serializer[Any]]]
    update_serializer: ClassVar[type[serializers.Serializer[Any]]]

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        if not can_read(common.viewer(self.request)):
            return self.model._default_manager.none()
        return self.model._default_manager.select_related("employer").order_by("employer", "pk")

    def save(self, **values: Any) -> Any:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = self.save(**serializer.validated_data)
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        current = self.get_object()
        serializer = self.update_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {name: getattr(current, name) for name in self.update_serializer._declared_fields}
        saved = self.save(
            employer=current.employer, current=current, **(values | serializer.validated_data)
        )
        return Response(self.get_serializer(saved).data)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


class WorkplaceViewSet(_PartViewSet):
    """Workplaces of employers (a shop, a depot, an office). PATCH changes the fields given."""

    serializer_class = WorkplaceSerializer
    filterset_class = EmployerPartFilter
    model = EmployerLocation
    input_serializer = WorkplaceInputSerializer
    update_serializer = WorkplaceUpdateSerializer

    def save(self, *, current: EmployerLocation | None = None, **values: Any) -> EmployerLocation:
        return services.location_save(actor=common.viewer(self.request), location=current, **values)

    @extend_schema(request=WorkplaceInputSerializer, responses={201: WorkplaceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    @extend_schema(request=WorkplaceUpdateSerializer, responses=WorkplaceSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().partial_update(request, *args, **kwargs)


class PersonViewSet(_PartViewSet):
    """Contact persons at employers. PATCH changes the fields given."""

    serializer_class = PersonSerializer
    filterset_class = EmployerPersonFilter
    model = EmployerPerson
    input_serializer = PersonInputSerializer
    update_serializer = PersonUpdateSerializer

    def save(self, *, current: EmployerPerson | None = None, **values: Any) -> EmployerPerson:
        return services.person_save(actor=common.viewer(self.request), person=current, **values)

    @extend_schema(request=PersonInputSerializer, responses={201: PersonSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    @extend_schema(request=PersonUpdateSerializer, responses=PersonSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().partial_update(request, *args, **kwargs)


def register(router: BaseRouter) -> None:
    router.register("employers", EmployerViewSet, basename="employer")
    router.register("employer-workplaces", WorkplaceViewSet, basename="employer-workplace")
    router.register("employer-people", PersonViewSet, basename="employer-person")
