"""REST endpoints: the service catalogue, read-only, and its HSDS JSON export.

Not personal data: every active membership reads the whole catalogue and nothing is written to
the read-access log. Changes go through the pages or an HSDS import.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.core.api_auth import acting_membership
from polku.core.api_support import BooleanFilter, IdFilter
from polku.plans import hsds
from polku.plans.models import Location, Service, ServiceKind
from polku.plans.selectors import catalogue as selectors


class LocationSerializer(serializers.ModelSerializer[Location]):
    class Meta:
        model = Location
        fields = [
            "id",
            "hsds_id",
            "organisation",
            "name",
            "address",
            "postal_code",
            "city",
            "country",
            "latitude",
            "longitude",
            "accessibility",
            "is_virtual",
        ]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer[Service]):
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, help_text="In the request's language."
    )
    main_category = serializers.CharField(
        read_only=True,
        help_text="The most sensitive data category a referral to this service carries.",
    )
    languages = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="ISO 639-1 codes."
    )
    referral_categories = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Data categories a referral carries besides identity and contact.",
    )
    locations = serializers.SerializerMethodField(help_text="Ids of the locations.")
    # Plain strings: an empty value is "not given", which format email/uri would refuse.
    email = serializers.CharField(read_only=True, help_text="E-mail address; empty if none.")
    url = serializers.CharField(read_only=True, help_text="Web address; empty if none.")

    class Meta:
        model = Service
        fields = [
            "id",
            "hsds_id",
            "organisation",
            "organisation_name",
            "name",
            "name_fi",
            "name_sv",
            "name_en",
            "description",
            "eligibility",
            "kind",
            "status",
            "languages",
            "email",
            "phone",
            "url",
            "schedule",
            "fees",
            "expected_response_days",
            "referral_categories",
            "main_category",
            "accepts_referrals",
            "locations",
            "updated_at",
        ]
        read_only_fields = fields

    def get_locations(self, service: Service) -> list[int]:
        return sorted(link.location_id for link in service.at_locations.all())


class ServiceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(method="noop", choices=ServiceKind.choices)
    language = django_filters.CharFilter(
        method="noop", max_length=3, help_text="An ISO 639-1 code the service is offered in."
    )
    organisation = IdFilter(method="noop", help_text="The providing organisation.")
    q = django_filters.CharFilter(
        method="noop", max_length=100, help_text="Words in the name, description or eligibility."
    )
    active = BooleanFilter(
        method="noop", help_text="true (default): active services; false: inactive ones."
    )

    class Meta:
        model = Service
        fields: ClassVar[list[str]] = []

    def noop(self, queryset: QuerySet[Service], name: str, value: Any) -> QuerySet[Service]:
        # The selector applies the filters (the same code path as the catalogue page).
        return queryset


class ServiceViewSet(viewsets.ReadOnlyModelViewSet[Service]):
    """Services of the catalogue (active ones unless `active=false`)."""

    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Service]:
        if getattr(self, "swagger_fake_view", False):
            return Service.objects.none()
        viewer = acting_membership(self.request)
        if self.action != "list":
            return selectors.services_visible_to(
                viewer, filters=selectors.ServiceFilters(active=None)
            ).prefetch_related("at_locations")
        filterset = ServiceFilter(self.request.query_params, queryset=Service.objects.none())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        data = filterset.form.cleaned_data
        filters = selectors.ServiceFilters(
            kind=data.get("kind") or "",
            language=data.get("language") or "",
            organisation=data.get("organisation"),
            text=data.get("q") or "",
            active=True if data.get("active") is None else data["active"],
        )
        return selectors.services_visible_to(viewer, filters=filters).prefetch_related(
            "at_locations"
        )


class LocationFilter(django_filters.FilterSet):
    organisation = IdFilter(method="noop", help_text="The organisation the location belongs to.")
    q = django_filters.CharFilter(
        method="noop", max_length=100, help_text="Words in the name, address or city."
    )

    class Meta:
        model = Location
        fields: ClassVar[list[str]] = []

    def noop(self, queryset: QuerySet[Location], name: str, value: Any) -> QuerySet[Location]:
        return queryset


class LocationViewSet(viewsets.ReadOnlyModelViewSet[Location]):
    """Locations of the catalogue."""

    serializer_class = LocationSerializer
    filterset_class = LocationFilter
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Location]:
        if getattr(self, "swagger_fake_view", False):
            return Location.objects.none()
        viewer = acting_membership(self.request)
        filterset = LocationFilter(self.request.query_params, queryset=Location.objects.none())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        data = filterset.form.cleaned_data
        return selectors.locations_visible_to(
            viewer, organisation=data.get("organisation"), text=data.get("q") or ""
        )


class CatalogueViewSet(viewsets.ViewSet):
    """The whole catalogue in Open Referral HSDS form."""

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description=(
            "The catalogue as HSDS 3.0 JSON: organizations, locations, and services nesting "
            "their organization, languages, phones and service_at_locations. Polku's own "
            "fields are polku_ keys. Importable as it is."
        ),
    )
    @action(detail=False, methods=["get"], url_path="hsds")
    def hsds_export(self, request: Request) -> Response:
        return Response(json.loads(hsds.export_json()))


def register(router: BaseRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register("services", ServiceViewSet, basename="service")
    router.register("locations", LocationViewSet, basename="location")
    router.register("catalogue", CatalogueViewSet, basename="catalogue")
