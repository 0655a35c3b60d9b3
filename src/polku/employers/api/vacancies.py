"""REST endpoints of vacancies (`vacancies`): list with filters, read, add, change."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.core.api_auth import HasActiveMembership
from polku.core.api_support import StrictCharField, UuidFilter
from polku.employers.api import common
from polku.employers.forms.common import occupation_label
from polku.employers.models import (
    Employer,
    EmployerLocation,
    Vacancy,
    VacancyStatus,
    WorkingTime,
)
from polku.employers.selectors import vacancies as selectors
from polku.employers.services import vacancies as services

JSON_ONLY = [JSONParser]
PERMISSIONS = [HasActiveMembership, common.RegisterAccess]


class VacancySerializer(serializers.ModelSerializer[Vacancy]):
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    occupation = serializers.SerializerMethodField(
        help_text="The ISCO-08 group's code and name in the request's language."
    )
    languages = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="ISO 639-1 codes."
    )

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "employer",
            "employer_name",
            "title",
            "isco_code",
            "occupation",
            "description",
            "requirements",
            "languages",
            "working_time",
            "hours_per_week",
            "location",
            "positions",
            "start_date",
            "deadline",
            "status",
            "adjustments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_occupation(self, vacancy: Vacancy) -> str:
        return occupation_label(vacancy.isco_code)


@extend_schema_field({"type": "integer", "nullable": True, "description": "A workplace id."})
class WorkplaceField(serializers.PrimaryKeyRelatedField[EmployerLocation]):
    pass


def _fields(*, partial: bool) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """The input fields; in a PATCH every one is optional and has no default."""

    def opt(**kwargs: Any) -> dict[str, Any]:
        if partial:
            kwargs.pop("default", None)
            return {**kwargs, "required": False}
        return kwargs

    return {
        "title": StrictCharField(max_length=200, **opt()),
        "isco_code": StrictCharField(
            max_length=4,
            help_text="An ISCO-08 group code of the shipped classification (1–3 digits).",
            **opt(),
        ),
        "description": StrictCharField(
            max_length=services.TEXT_MAX_LENGTH, allow_blank=True, **opt(required=False, default="")
        ),
        "requirements": StrictCharField(
            max_length=services.TEXT_MAX_LENGTH, allow_blank=True, **opt(required=False, default="")
        ),
        "languages": serializers.ListField(
            child=StrictCharField(max_length=3),
            max_length=20,
            help_text='ISO 639-1 codes of the languages needed, e.g. ["fi", "en"].',
            **opt(required=False, default=list),
        ),
        "working_time": serializers.ChoiceField(
            choices=WorkingTime.choices, **opt(required=False, default=WorkingTime.EITHER)
        ),
        "hours_per_week": serializers.DecimalField(
            max_digits=4,
            decimal_places=1,
            min_value=1,
            max_value=60,
            allow_null=True,
            **opt(required=False, default=None),
        ),
        "location": WorkplaceField(
            queryset=EmployerLocation.objects.all(),
            allow_null=True,
            help_text="One of the employer's workplaces.",
            **opt(required=False, default=None),
        ),
        "positions": serializers.IntegerField(
            min_value=1, max_value=services.MAX_POSITIONS, **opt(required=False, default=1)
        ),
        "start_date": serializers.DateField(
            allow_null=True, help_text="When the work starts.", **opt(required=False, default=None)
        ),
        "deadline": serializers.DateField(
            allow_null=True,
            help_text="The application deadline.",
            **opt(required=False, default=None),
        ),
        "status": serializers.ChoiceField(
            choices=VacancyStatus.choices, **opt(required=False, default=VacancyStatus.OPEN)
        ),
        "adjustments": StrictCharField(
            max_length=services.TEXT_MAX_LENGTH,
            allow_blank=True,
            help_text="Hours, tasks or workplace the employer is willing to adjust.",
            **opt(required=False, default=""),
        ),
    }


class VacancyInputSerializer(serializers.Serializer[Vacancy]):
    employer = serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.all(), pk_field=serializers.UUIDField()
    )

    def get_fields(self) -> dict[str, Any]:
        return {**super().get_fields(), **_fields(partial=False)}


class VacancyUpdateSerializer(serializers.Serializer[Vacancy]):
    """The values to change; those left out keep their value. The employer stays."""

    def get_fields(self) -> dict[str, Any]:
        return _fields(partial=True)


class IscoPrefixField(forms.RegexField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(regex=re.compile(r"^[0-9]{1,3}$"), **kwargs)


class IscoFilter(django_filters.CharFilter):
    field_class = IscoPrefixField


class VacancyFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        method="noop",
        choices=[*VacancyStatus.choices, ("all", "All")],
        help_text="Default: open. `all` for every status.",
    )
    isco = IscoFilter(
        method="noop",
        help_text="An ISCO-08 code prefix: 5 service and sales work, 52 sales workers, 522 …",
    )
    employer = UuidFilter(method="noop", help_text="Only this employer's vacancies.")
    open_on = django_filters.DateFilter(
        method="noop",
        help_text="Open vacancies whose application deadline has not passed on this day.",
    )
    municipality = django_filters.CharFilter(
        method="noop", max_length=100, help_text="The workplace's municipality."
    )
    working_time = django_filters.ChoiceFilter(
        method="noop",
        choices=WorkingTime.choices,
        help_text="full_time and part_time include vacancies open to either.",
    )
    language = django_filters.CharFilter(
        method="noop", max_length=2, help_text="An ISO 639-1 code the vacancy needs."
    )

    class Meta:
        model = Vacancy
        fields: ClassVar[list[str]] = []

    def noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset


class VacancyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Vacancy],
):
    """Vacancies of the register's employers, nearest deadline first (open ones unless
    `status` says otherwise). PATCH changes the fields given."""

    serializer_class = VacancySerializer
    filterset_class = VacancyFilter
    permission_classes = PERMISSIONS
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Vacancy]:
        if getattr(self, "swagger_fake_view", False):
            return Vacancy.objects.none()
        viewer = common.viewer(self.request)
        filters = selectors.VacancyFilters(status="all")
        if self.action == "list":
            data = common.filter_values(VacancyFilter, self.request)
            filters = selectors.VacancyFilters(
                status=data.get("status") or VacancyStatus.OPEN,
                isco=data.get("isco") or "",
                municipality=data.get("municipality") or "",
                working_time=data.get("working_time") or "",
                language=data.get("language") or "",
                employer=data.get("employer"),
                open_on=data.get("open_on"),
            )
        return selectors.vacancies_visible_to(viewer, filters=filters)

    def _saved(self, vacancy: Vacancy, *, status_code: int) -> Response:
        return Response(self.get_serializer(vacancy).data, status=status_code)

    @extend_schema(request=VacancyInputSerializer, responses={201: VacancySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = VacancyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vacancy = services.vacancy_save(actor=common.viewer(request), **serializer.validated_data)
        return self._saved(vacancy, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=VacancyUpdateSerializer, responses=VacancySerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        vacancy = self.get_object()
        serializer = VacancyUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {name: getattr(vacancy, name) for name in _fields(partial=True)}
        vacancy = services.vacancy_save(
            actor=common.viewer(request),
            employer=vacancy.employer,
            vacancy=vacancy,
            **(values | dict(serializer.validated_data)),
        )
        return self._saved(vacancy, status_code=status.HTTP_200_OK)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


def register(router: BaseRouter) -> None:
    router.register("vacancies", VacancyViewSet, basename="vacancy")
