"""REST endpoints of the kernel: organisations (no personal data)."""

from __future__ import annotations

import django_filters
from rest_framework import serializers, viewsets

from polku.core.api_support import BooleanFilter
from polku.core.models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "name_fi",
            "name_sv",
            "name_en",
            "kind",
            "business_id",
            "country",
            "municipality",
            "is_active",
        ]
        read_only_fields = fields


class OrganisationFilter(django_filters.FilterSet):
    is_active = BooleanFilter()

    class Meta:
        model = Organisation
        fields = ["kind", "is_active"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Organisations taking part in the shared work."""

    serializer_class = OrganisationSerializer
    lookup_value_converter = "int"
    queryset = Organisation.objects.order_by("pk")
    filterset_class = OrganisationFilter
