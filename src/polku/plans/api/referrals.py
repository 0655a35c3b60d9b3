"""REST endpoints: referrals (`referrals`) and the timeliness report (`referral-report`).

The querysets are the pages' selectors: the sending side reads a referral for the service, the
receiving organisation for referrals (through the consent it was sent under). Every response
that carries referrals is written to the read-access log, per row, with that purpose. Sending
goes through `services.referral_send`: without consent for what the referral carries the answer
is a 400 problem with code `missing_consent` naming the categories and the organisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.core import roles
from polku.core.api_support import BooleanFilter, StrictCharField, UuidFilter
from polku.core.categories import DataCategory
from polku.core.models import AccessAction
from polku.plans.api import common
from polku.plans.models import (
    Action,
    DeclineReason,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Service,
)
from polku.plans.selectors import referral_report as report_selectors
from polku.plans.selectors import referrals as selectors
from polku.plans.selectors import shared_plan as shared_plan_selectors
from polku.plans.services import referrals as services

JSON_ONLY = [JSONParser]
REPORT_ROLES = roles.CLIENT_WORK_ROLES | {roles.Role.PROGRAMME_MANAGER, roles.Role.EVALUATOR}


class VisibleActionField(serializers.PrimaryKeyRelatedField[Action]):
    """A plan action the acting membership may read: by its own category, under a goal and
    a plan it may read (the plan page's rule); others do not exist."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=serializers.UUIDField(), **kwargs)

    def get_queryset(self) -> QuerySet[Action]:
        return shared_plan_selectors.actions_visible_to(common.viewer(self.context["request"]))


class ReferralEventSerializer(serializers.ModelSerializer[ReferralEvent]):
    class Meta:
        model = ReferralEvent
        fields = ["status", "at", "by", "organisation"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    carried_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices),
        read_only=True,
        help_text="The data categories the referral shares with the receiving organisation.",
    )
    category = serializers.ChoiceField(
        choices=DataCategory.choices,
        read_only=True,
        help_text="The most sensitive category carried: the referral is readable as this one.",
    )
    sending_organisation = serializers.IntegerField(source="recorded_by_id", read_only=True)
    due_on = serializers.SerializerMethodField(
        help_text="The last day on which the first contact is on time."
    )
    decline_reason = serializers.ChoiceField(
        choices=DeclineReason.choices,
        allow_blank=True,
        read_only=True,
        help_text="Why the receiving organisation declined; empty unless declined.",
    )
    days_to_first_contact = serializers.SerializerMethodField(
        help_text="Days from sending to the first contact; null until it is recorded."
    )
    is_overdue = serializers.SerializerMethodField(
        help_text="Open, no first contact, and past the expected response time."
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "client",
            "service",
            "sending_organisation",
            "receiving_organisation",
            "action",
            "category",
            "carried_categories",
            "message",
            "status",
            "expected_response_days",
            "sent_at",
            "received_at",
            "decided_at",
            "first_contact_on",
            "closed_at",
            "decline_reason",
            "decline_note",
            "created_by",
            "handler",
            "due_on",
            "days_to_first_contact",
            "is_overdue",
        ]
        read_only_fields = fields

    def get_due_on(self, referral: Referral) -> dt.date:
        return selectors.due_on(referral.sent_at, referral.expected_response_days)

    def get_days_to_first_contact(self, referral: Referral) -> int | None:
        return selectors.days_between(referral.sent_at, referral.first_contact_on)

    def get_is_overdue(self, referral: Referral) -> bool:
        return selectors.is_overdue(referral, timezone.localdate())


class ReferralDetailSerializer(ReferralSerializer):
    events = ReferralEventSerializer(many=True, read_only=True)

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "events"]
        read_only_fields = fields


class ReferralCreateSerializer(serializers.Serializer[Referral]):
    client = common.VisibleClientField(help_text="The client referred.")
    service: serializers.PrimaryKeyRelatedField[Service] = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.select_related("organisation"),
        help_text="A service of another organisation that takes referrals.",
    )
    message = StrictCharField(
        max_length=services.MESSAGE_MAX_LENGTH,
        help_text="Why the client is referred; the receiving organisation reads it.",
    )
    action = VisibleActionField(
        required=False, allow_null=True, help_text="The plan action the referral carries out."
    )


class ReferralTransitionSerializer(serializers.Serializer[Referral]):
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    decline_reason = serializers.ChoiceField(
        choices=DeclineReason.choices,
        required=False,
        allow_blank=True,
        help_text="Required when declining.",
    )
    decline_note = StrictCharField(max_length=2000, required=False, allow_blank=True)
    first_contact_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Required when recording the first contact: from the sending day to today.",
    )


class ReferralFilter(django_filters.FilterSet):
    client = UuidFilter(field_name="client")
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)
    inbox = BooleanFilter(
        method="filter_inbox",
        help_text="true: only referrals sent to the acting membership's organisation.",
    )

    class Meta:
        model = Referral
        fields: ClassVar[list[str]] = []

    def filter_inbox(
        self, queryset: QuerySet[Referral], name: str, value: bool | None
    ) -> QuerySet[Referral]:
        if value is None:
            return queryset
        received = selectors.received_side(common.viewer(self.request)).values("pk")
        return queryset.filter(pk__in=received) if value else queryset.exclude(pk__in=received)


def _log(request: Request, referrals: Sequence[Referral]) -> None:
    selectors.log_referrals(common.viewer(request), referrals, action=AccessAction.API)


class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Referral],
):
    """Referrals the acting membership may read, from the sending or the receiving side.

    POST sends a referral (the client's consent for referrals must cover what it carries);
    `transition` answers or cancels one.
    """

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY

    def get_queryset(self) -> QuerySet[Referral]:
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        return selectors.referrals_visible_to(common.viewer(self.request))

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "retrieve":
            return ReferralDetailSerializer
        return ReferralSerializer

    def _detail(self, referral: Referral, *, status_code: int = 200) -> Response:
        _log(self.request, [referral])
        data = ReferralDetailSerializer(referral, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        _log(request, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=ReferralDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        referral = self.get_object()
        _log(request, [referral])
        return Response(ReferralDetailSerializer(referral).data)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ReferralCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = services.referral_send(
            actor=common.viewer(request),
            client=data["client"],
            service=data["service"],
            message=data["message"],
            action=data.get("action"),
        )
        return self._detail(referral, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralTransitionSerializer, responses=ReferralDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Move the referral on: received, accepted, declined (with a reason), first_contact
        (with its date) or completed by the receiving organisation; cancelled by the sender."""
        referral = self.get_object()
        serializer = ReferralTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}
        referral = services.referral_transition(
            actor=common.viewer(request), referral=referral, **data
        )
        return self._detail(referral)


class ReportQuerySerializer(serializers.Serializer[dict[str, Any]]):
    date_from = serializers.DateField(
        required=False, help_text="First day of sending (default: a year before date_to)."
    )
    date_to = serializers.DateField(
        required=False, help_text="Last day of sending (default: today)."
    )


class TimelinessSerializer(serializers.Serializer[report_selectors.Timeliness]):
    n = serializers.IntegerField()
    contacted = serializers.IntegerField()
    taken_on = serializers.IntegerField()
    waiting = serializers.IntegerField()
    declined = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    p90_days = serializers.IntegerField(
        allow_null=True, help_text="90th percentile, nearest rank: an observed number of days."
    )
    share_within_target = serializers.FloatField(allow_null=True)
    share_declined = serializers.FloatField(allow_null=True)


class ReportLineSerializer(serializers.Serializer[report_selectors.ReportLine]):
    name = serializers.CharField(source="label", help_text="The service or organisation.")
    organisation = serializers.CharField()
    n = serializers.CharField(help_text='The count as it may be published: "12", "<5" or "≥5".')
    stats = TimelinessSerializer(
        allow_null=True, help_text="null where the count is suppressed (fewer than five)."
    )


class ReportSerializer(serializers.Serializer[report_selectors.Report]):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    services = ReportLineSerializer(many=True)
    organisations = ReportLineSerializer(many=True)
    total = ReportLineSerializer()


class _OneReportSchema(AutoSchema):
    """The report is one document, not a list of them, though it answers at the list route."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class ReferralReportViewSet(viewsets.ViewSet):
    """Timeliness of referrals per service and receiving organisation: aggregates only, counts
    under five suppressed."""

    schema = _OneReportSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", dt.date, description="First day of sending."),
            OpenApiParameter("date_to", dt.date, description="Last day of sending."),
        ],
        responses=ReportSerializer,
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if common.viewer(request).role not in REPORT_ROLES:
            raise PermissionDenied
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        date_from, date_to = report_selectors.period(
            query.validated_data.get("date_from"), query.validated_data.get("date_to")
        )
        report = report_selectors.referral_report(date_from=date_from, date_to=date_to)
        return Response(ReportSerializer(report).data)


def register(router: BaseRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register("referrals", ReferralViewSet, basename="referral")
    router.register("referral-report", ReferralReportViewSet, basename="referral-report")
