"""REST endpoints of employer contacts (`employer-contacts`) and of the services agreed with
employers (`employer-agreements`): list, read, record."""

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

from polku.core.api_auth import HasActiveMembership
from polku.core.api_support import IdFilter, StrictCharField, UuidFilter
from polku.employers.api import common
from polku.employers.models import (
    Employer,
    EmployerAgreement,
    EmployerInteraction,
    EmployerPerson,
    EmployerServiceKind,
    InteractionKind,
    InteractionPurpose,
)
from polku.employers.selectors import contacts as selectors
from polku.employers.services import contacts as services
from polku.employers.services import register as register_services

JSON_ONLY = [JSONParser]
PERMISSIONS = [HasActiveMembership, common.RegisterAccess]


def _employer_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField[Employer]:
    return serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.all(), pk_field=serializers.UUIDField(), **kwargs
    )


OUTCOME_HELP = (
    "What came of it: jobs found, next steps. Do not name the client or give their health or "
    "personal details: this note is visible to every organisation."
)


class InteractionSerializer(serializers.ModelSerializer[EmployerInteraction]):
    specialist_name = serializers.SerializerMethodField(help_text="Who made the contact.")

    class Meta:
        model = EmployerInteraction
        fields = [
            "id",
            "employer",
            "date",
            "kind",
            "purpose",
            "person",
            "outcome",
            "specialist",
            "specialist_name",
            "organisation",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs: ClassVar[dict[str, Any]] = {"outcome": {"help_text": OUTCOME_HELP}}

    def get_specialist_name(self, interaction: EmployerInteraction) -> str:
        return interaction.specialist.user.display_name()


@extend_schema_field({"type": "integer", "nullable": True, "description": "A contact person id."})
class PersonField(serializers.PrimaryKeyRelatedField[EmployerPerson]):
    pass


class InteractionInputSerializer(serializers.Serializer[EmployerInteraction]):
    employer = _employer_field()
    date = serializers.DateField(help_text="The day of the contact; not in the future.")
    kind = serializers.ChoiceField(choices=InteractionKind.choices, default=InteractionKind.VISIT)
    purpose = serializers.ChoiceField(
        choices=InteractionPurpose.choices, default=InteractionPurpose.JOB_DEVELOPMENT
    )
    person = PersonField(
        queryset=EmployerPerson.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="A contact person of the employer who was met.",
    )
    outcome = StrictCharField(
        max_length=services.OUTCOME_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=OUTCOME_HELP,
    )


class InteractionFilter(django_filters.FilterSet):
    employer = UuidFilter(method="noop", help_text="Only contacts with this employer.")
    specialist = IdFilter(method="noop", help_text="Only contacts by this membership.")
    date_from = django_filters.DateFilter(method="noop", help_text="On or after this day.")
    date_to = django_filters.DateFilter(method="noop", help_text="On or before this day.")
    kind = django_filters.ChoiceFilter(method="noop", choices=InteractionKind.choices)
    purpose = django_filters.ChoiceFilter(method="noop", choices=InteractionPurpose.choices)

    class Meta:
        model = EmployerInteraction
        fields: ClassVar[list[str]] = []

    def noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset


class InteractionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[EmployerInteraction],
):
    """Contacts of specialists with employers, newest first. A contact is recorded as the
    acting membership's own (specialist and organisation), on a day not in the future."""

    serializer_class = InteractionSerializer
    filterset_class = InteractionFilter
    permission_classes = PERMISSIONS
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[EmployerInteraction]:
        if getattr(self, "swagger_fake_view", False):
            return EmployerInteraction.objects.none()
        viewer = common.viewer(self.request)
        if self.action != "list":
            return selectors.interactions_visible_to(viewer)
        data = common.filter_values(InteractionFilter, self.request)
        return selectors.interactions_visible_to(
            viewer,
            employer=data.get("employer"),
            specialist=data.get("specialist"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            kind=data.get("kind") or "",
            purpose=data.get("purpose") or "",
        )

    @extend_schema(request=InteractionInputSerializer, responses={201: InteractionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = InteractionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interaction = services.interaction_record(
            actor=common.viewer(request), **serializer.validated_data
        )
        interaction = self.get_queryset().get(pk=interaction.pk)
        return Response(self.get_serializer(interaction).data, status=status.HTTP_201_CREATED)


class AgreementSerializer(serializers.ModelSerializer[EmployerAgreement]):
    class Meta:
        model = EmployerAgreement
        fields = [
            "id",
            "employer",
            "kind",
            "start_date",
            "end_date",
            "description",
            "organisation",
            "agreed_by",
            "created_at",
        ]
        read_only_fields = fields


class AgreementInputSerializer(serializers.Serializer[EmployerAgreement]):
    employer = _employer_field()
    kind = serializers.ChoiceField(choices=EmployerServiceKind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Empty: until further notice. Not before the start date.",
    )
    description = StrictCharField(
        max_length=register_services.NOTES_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
    )


class AgreementFilter(django_filters.FilterSet):
    employer = UuidFilter(method="noop", help_text="Only this employer's services.")
    kind = django_filters.ChoiceFilter(method="noop", choices=EmployerServiceKind.choices)

    class Meta:
        model = EmployerAgreement
        fields: ClassVar[list[str]] = []

    def noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset


class AgreementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[EmployerAgreement],
):
    """Services agreed with employers for a period (recruitment help, job tailoring, wage
    subsidy advice …), latest start first; recorded for the acting membership's organisation."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    permission_classes = PERMISSIONS
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[EmployerAgreement]:
        if getattr(self, "swagger_fake_view", False):
            return EmployerAgreement.objects.none()
        viewer = common.viewer(self.request)
        if self.action != "list":
            return selectors.agreements_visible_to(viewer)
        data = common.filter_values(AgreementFilter, self.request)
        return selectors.agreements_visible_to(
            viewer, employer=data.get("employer"), kind=data.get("kind") or ""
        )

    @extend_schema(request=AgreementInputSerializer, responses={201: AgreementSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AgreementInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = register_services.agreement_create(
            actor=common.viewer(request), **serializer.validated_data
        )
        return Response(self.get_serializer(agreement).data, status=status.HTTP_201_CREATED)


def register(router: BaseRouter) -> None:
    router.register("employer-contacts", InteractionViewSet, basename="employer-contact")
    router.register("employer-agreements", AgreementViewSet, basename="employer-agreement")
