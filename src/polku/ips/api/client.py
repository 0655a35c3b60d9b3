"""REST endpoints of IPS work with the client, and the specialists' own time.

`ips-cases` (`POST …/end/`), `career-profiles` (a create is a new version), `benefits-counselling`,
`job-search-plans`, `job-search-activities`, `placements` (`PATCH` corrects the job's details,
`POST …/end/`, `POST …/end-follow-along/`), `follow-along-supports` and `time-entries` (the
caller's own).

The querysets are the pages' selectors: each record is read as its model's category (employment
data; benefits counselling as benefits data) under the access policy, so a caller sees through the
API exactly what the client's "Job coaching" tab shows them. Every response that carries records
is written to the read-access log, one row per client and category; writes go through the
services, whose refusals are problem documents (403, or 400 with the fields).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import django_filters
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.clients.models import Episode
from polku.clients.selectors import episodes_visible_to
from polku.core.api_support import (
    MAX_ID,
    BooleanFilter,
    IdFilter,
    StrictCharField,
    UuidFilter,
)
from polku.core.models import Membership, PersonalDataModel
from polku.employers.models import Employer, Vacancy
from polku.ips.models import (
    ActivityKind,
    BenefitsCounselling,
    CareerProfile,
    CaseEndReason,
    Disclosure,
    FollowAlongSupport,
    HoursPreference,
    IpsCase,
    JobPlacement,
    JobSearchActivity,
    JobSearchPlan,
    PlacementEndReason,
    SupportMode,
    SupportWith,
    TimeActivity,
    TimeEntry,
)
from polku.ips.selectors import cases as case_selectors
from polku.ips.selectors import counselling as counselling_selectors
from polku.ips.selectors import job_search as job_search_selectors
from polku.ips.selectors import placements as placement_selectors
from polku.ips.selectors import profiles as profile_selectors
from polku.ips.services import cases as case_services
from polku.ips.services import counselling as counselling_services
from polku.ips.services import job_search as job_search_services
from polku.ips.services import placements as placement_services
from polku.ips.services import profiles as profile_services
from polku.ips.services import time as time_services
from polku.ips.services.common import TEXT_MAX_LENGTH
from polku.ips.services.counselling import BENEFIT_ROLES, BenefitTopic
from polku.ips.services.placements import (
    COMPETITIVE_MIN_HOURLY_WAGE,
    JOB_TITLE_MAX_LENGTH,
    MAX_HOURLY_WAGE,
    MAX_HOURS,
    MIN_HOURS,
)
from polku.ips.services.profiles import PLACES_MAX_LENGTH
from polku.plans.api import common

JSON_ONLY = [JSONParser]
RECORD_FIELDS = ["recorded_by", "created_by", "created_at"]
ISCO_HELP = 'ISCO-08 group codes of 1–3 digits (major, sub-major or minor group), e.g. "522".'


def _text(max_length: int = TEXT_MAX_LENGTH, **kwargs: Any) -> StrictCharField:
    return StrictCharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


def _isco_list(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=4),
        required=False,
        default=list,
        max_length=50,
        help_text=f"{help_text} {ISCO_HELP}",
    )


class _UuidRelated(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=serializers.UUIDField(), **kwargs)


class VisibleEpisodeField(_UuidRelated):
    """A programme episode the acting membership may read; others do not exist."""

    def get_queryset(self) -> QuerySet[Episode]:
        return episodes_visible_to(common.viewer(self.context["request"]))


class VisiblePlacementField(_UuidRelated):
    """A placement the acting membership may read; others do not exist."""

    def get_queryset(self) -> QuerySet[JobPlacement]:
        return placement_selectors.placements_visible_to(common.viewer(self.context["request"]))


class _MembershipField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A membership id: a whole number the database can hold (else 400, never a 500). Every id
    refused, unknown or not, answers `refused`, so the answer does not tell which memberships
    exist."""

    refused: ClassVar[Promise]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"does_not_exist": self.refused})
        super().__init__(pk_field=serializers.IntegerField(min_value=1, max_value=MAX_ID), **kwargs)


@extend_schema_field({"type": "integer", "description": "A membership id."})
class SpecialistField(_MembershipField):
    """An active employment specialist of the acting organisation."""

    refused = case_services.SPECIALIST_REFUSED

    def get_queryset(self) -> QuerySet[Membership]:
        return case_services.specialists_of(common.viewer(self.context["request"]))


@extend_schema_field({"type": "integer", "description": "A membership id."})
class CounsellorField(_MembershipField):
    """A membership active today whose role reads benefits data; the service checks that it is
    the acting membership or on the client's care team."""

    refused = counselling_services.COUNSELLOR_REFUSED

    def get_queryset(self) -> QuerySet[Membership]:
        return Membership.objects.active().filter(role__in=BENEFIT_ROLES)


# --- Serializers -------------------------------------------------------------------------------


class IpsCaseSerializer(serializers.ModelSerializer[IpsCase]):
    client = common.VisibleClientField()
    episode = VisibleEpisodeField(help_text="An open programme episode of the client.")
    specialist = SpecialistField(
        help_text="An active employment specialist of the acting organisation; joins the "
        "client's care team if not on it."
    )
    start_date = serializers.DateField(
        help_text="The entry date: on or after the episode's start, not in the future."
    )
    end_reason = serializers.ChoiceField(
        choices=CaseEndReason.choices,
        allow_blank=True,
        read_only=True,
        help_text="Why the case ended; empty while it is open.",
    )

    class Meta:
        model = IpsCase
        fields = [
            "id",
            "client",
            "episode",
            "specialist",
            "start_date",
            "end_date",
            "end_reason",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["id", "end_date", *RECORD_FIELDS]


class CaseEndSerializer(serializers.Serializer[IpsCase]):
    end_date = serializers.DateField(help_text="Not before the entry date, not in the future.")
    end_reason = serializers.ChoiceField(choices=CaseEndReason.choices)


class CareerProfileSerializer(serializers.ModelSerializer[CareerProfile]):
    client = common.VisibleClientField()
    work_history = _text()
    education = _text()
    preferred_occupations = _isco_list("Occupations the client would like to work in.")
    preferred_hours = serializers.ChoiceField(
        choices=HoursPreference.choices, default=HoursPreference.EITHER
    )
    preferred_places = _text(PLACES_MAX_LENGTH)
    strengths = _text()
    barriers = _text()
    support_needs = _text()
    disclosure = serializers.ChoiceField(
        choices=Disclosure.choices,
        default=Disclosure.UNDECIDED,
        help_text="The client's informed choice about telling employers of a condition.",
    )
    disclosure_notes = _text()

    class Meta:
        model = CareerProfile
        fields = [
            "id",
            "client",
            "work_history",
            "education",
            "preferred_occupations",
            "preferred_hours",
            "preferred_places",
            "strengths",
            "barriers",
            "support_needs",
            "disclosure",
            "disclosure_notes",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["id", *RECORD_FIELDS]


class BenefitsCounsellingSerializer(serializers.ModelSerializer[BenefitsCounselling]):
    client = common.VisibleClientField()
    date = serializers.DateField(help_text="When the counselling was given; not in the future.")
    counsellor = CounsellorField(
        required=False,
        help_text="Who gave it: the acting membership (the default) or an active member of the "
        "client's care team whose role reads benefits data.",
    )
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=BenefitTopic.choices),
        min_length=1,
        max_length=len(BenefitTopic.choices),
        help_text="What was covered; at least one.",
    )
    calculation_made = serializers.BooleanField(
        default=False, help_text="Whether a work-incentive calculation was made."
    )
    notes = _text()

    class Meta:
        model = BenefitsCounselling
        fields = [
            "id",
            "client",
            "date",
            "counsellor",
            "topics",
            "calculation_made",
            "notes",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["id", *RECORD_FIELDS]


class JobSearchPlanSerializer(serializers.ModelSerializer[JobSearchPlan]):
    client = common.VisibleClientField()
    agreed_on = serializers.DateField(help_text="Not in the future.")
    goal = StrictCharField(max_length=TEXT_MAX_LENGTH)
    target_occupations = _isco_list("Occupations the search aims at.")
    steps = _text()
    review_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="On or after agreed_on."
    )

    class Meta:
        model = JobSearchPlan
        fields = [
            "id",
            "client",
            "agreed_on",
            "goal",
            "target_occupations",
            "steps",
            "review_on",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["id", *RECORD_FIELDS]


class JobSearchActivitySerializer(serializers.ModelSerializer[JobSearchActivity]):
    client = common.VisibleClientField()
    date = serializers.DateField(help_text="Not in the future.")
    kind = serializers.ChoiceField(
        choices=ActivityKind.choices,
        help_text="employer_meeting, interview and work_trial are face-to-face contacts with "
        "an employer (rapid job search: the first within 30 days of entry).",
    )
    employer = _UuidRelated(
        queryset=Employer.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="An active employer of the register; required for contacts with an "
        "employer. Taken from the vacancy when left out.",
    )
    vacancy = _UuidRelated(
        queryset=Vacancy.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="An open vacancy of the employer.",
    )
    specialist_present = serializers.BooleanField(default=False)
    notes = _text()

    class Meta:
        model = JobSearchActivity
        fields = [
            "id",
            "client",
            "date",
            "kind",
            "employer",
            "vacancy",
            "specialist_present",
            "notes",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["id", *RECORD_FIELDS]


class JobPlacementSerializer(serializers.ModelSerializer[JobPlacement]):
    client = common.VisibleClientField(
        help_text="The client; the job is recorded in their open IPS case."
    )
    employer = _UuidRelated(
        queryset=Employer.objects.all(), help_text="An active employer of the register."
    )
    vacancy = _UuidRelated(
        queryset=Vacancy.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="An open or filled vacancy of the employer, if the job was one (not a draft, "
        "not closed).",
    )
    job_title = StrictCharField(max_length=JOB_TITLE_MAX_LENGTH)
    isco_code = StrictCharField(max_length=4, help_text=ISCO_HELP)
    competitive = serializers.BooleanField(
        help_text="Required, no default: open to anyone, paid at least the minimum or "
        "collectively agreed wage, and not set aside for people with disabilities."
    )
    subsidised = serializers.BooleanField(
        default=False, help_text="The employer gets a pay subsidy."
    )
    start_date = serializers.DateField(
        help_text="Not before the client's entry to IPS (the open case's start), at most a "
        "year ahead."
    )
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=MIN_HOURS, max_value=MAX_HOURS
    )
    hourly_wage = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_HOURLY_WAGE,
        required=False,
        allow_null=True,
        default=None,
        help_text=f"Euros per hour; for a competitive job at least {COMPETITIVE_MIN_HOURLY_WAGE}.",
    )
    end_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="For a job that has already ended: not before the start, not in the future; "
        "with end_reason.",
    )
    end_reason = serializers.ChoiceField(
        choices=PlacementEndReason.choices, required=False, allow_blank=True, default=""
    )

    class Meta:
        model = JobPlacement
        fields = [
            "id",
            "client",
            "case",
            "employer",
            "vacancy",
            "specialist",
            "job_title",
            "isco_code",
            "competitive",
            "subsidised",
            "start_date",
            "end_date",
            "end_reason",
            "hours_per_week",
            "hourly_wage",
            "follow_along_ended_on",
            *RECORD_FIELDS,
        ]
        read_only_fields = [
            "id",
            "case",
            "specialist",
            "follow_along_ended_on",
            *RECORD_FIELDS,
        ]


class JobPlacementUpdateSerializer(serializers.Serializer[JobPlacement]):
    """The job's details to correct; those left out keep their value. The rules are those of a
    new job, except that the employer and the vacancy the job already names may stay though no
    longer active or open, and the start stays before any follow-along support recorded."""

    employer = _UuidRelated(
        queryset=Employer.objects.all(),
        required=False,
        help_text="An active employer of the register, or the one the job names.",
    )
    vacancy = _UuidRelated(
        queryset=Vacancy.objects.all(),
        required=False,
        allow_null=True,
        help_text="An open or filled vacancy of the employer, the one the job names, or null.",
    )
    job_title = StrictCharField(max_length=JOB_TITLE_MAX_LENGTH, required=False)
    isco_code = StrictCharField(max_length=4, required=False, help_text=ISCO_HELP)
    competitive = serializers.BooleanField(required=False)
    subsidised = serializers.BooleanField(required=False)
    start_date = serializers.DateField(
        required=False,
        help_text="Not before the client's entry to IPS, at most a year ahead, and not after "
        "a follow-along support recorded.",
    )
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=MIN_HOURS, max_value=MAX_HOURS, required=False
    )
    hourly_wage = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_HOURLY_WAGE,
        required=False,
        allow_null=True,
        help_text=f"Euros per hour; for a competitive job at least {COMPETITIVE_MIN_HOURLY_WAGE}.",
    )
    end_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Not before the start, not in the future; with end_reason, or null with an "
        "empty end_reason.",
    )
    end_reason = serializers.ChoiceField(
        choices=PlacementEndReason.choices, required=False, allow_blank=True
    )


class PlacementEndSerializer(serializers.Serializer[JobPlacement]):
    end_date = serializers.DateField(help_text="Not before the start, not in the future.")
    end_reason = serializers.ChoiceField(choices=PlacementEndReason.choices)


class FollowAlongEndSerializer(serializers.Serializer[JobPlacement]):
    ended_on = serializers.DateField(
        help_text="Not before the job's start or the last support, not in the future."
    )
    client_chose = serializers.BooleanField(
        help_text="Must be true: follow-along support is time-unlimited and ends only by the "
        "client's choice."
    )


class FollowAlongSupportSerializer(serializers.ModelSerializer[FollowAlongSupport]):
    placement = VisiblePlacementField(help_text="The job the support is about.")
    date = serializers.DateField(help_text="On or after the job's start, not in the future.")
    with_whom = serializers.ChoiceField(choices=SupportWith.choices)
    mode = serializers.ChoiceField(choices=SupportMode.choices)
    content = StrictCharField(max_length=TEXT_MAX_LENGTH)

    class Meta:
        model = FollowAlongSupport
        fields = [
            "id",
            "placement",
            "client",
            "date",
            "with_whom",
            "mode",
            "specialist",
            "content",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["id", "client", "specialist", *RECORD_FIELDS]


class TimeEntrySerializer(serializers.ModelSerializer[TimeEntry]):
    date = serializers.DateField(help_text="Not in the future, at most a year back.")
    activity = serializers.ChoiceField(choices=TimeActivity.choices)
    minutes = serializers.IntegerField(
        min_value=time_services.MIN_MINUTES,
        max_value=time_services.MINUTES_PER_DAY,
        help_text="5–1440; a day's entries together at most 24 hours.",
    )
    in_community = serializers.BooleanField(
        default=False, help_text="Spent outside the office, in the community."
    )

    class Meta:
        model = TimeEntry
        fields = ["id", "date", "activity", "minutes", "in_community", "created_at"]
        read_only_fields = ["id", "created_at"]


# --- Filters -----------------------------------------------------------------------------------


def _client_filter(
    record: type[Model], **extra: django_filters.Filter
) -> type[django_filters.FilterSet]:
    """A filter set with `client` (and `extra`) for one client-record model."""
    meta = type("Meta", (), {"model": record, "fields": []})
    attrs: dict[str, Any] = {
        "client": UuidFilter(field_name="client", help_text="Only this client's rows."),
        **extra,
        "Meta": meta,
    }
    return type(f"{record.__name__}Filter", (django_filters.FilterSet,), attrs)


def _open_filter(what: str) -> BooleanFilter:
    return BooleanFilter(
        field_name="end_date", lookup_expr="isnull", help_text=f"true: only {what} not ended."
    )


class TimeEntryFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    activity = django_filters.ChoiceFilter(choices=TimeActivity.choices)

    class Meta:
        model = TimeEntry
        fields: ClassVar[list[str]] = []


# --- Viewsets ----------------------------------------------------------------------------------


class _ClientRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Any],
):
    """Shared by the client-record endpoints: list, read and create, each response logged."""

    model: ClassVar[type[PersonalDataModel]]
    ordering: ClassVar[tuple[str, ...]] = ("-created_at",)
    related: ClassVar[tuple[str, ...]] = ()
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "post", "head", "options"]

    def visible(self, viewer: Membership) -> QuerySet[Any]:
        raise NotImplementedError

    def write(self, viewer: Membership, values: dict[str, Any]) -> PersonalDataModel:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return self.model._default_manager.none()
        return (
            self.visible(common.viewer(self.request))
            .select_related(*self.related)
            .order_by(*self.ordering, "pk")
        )

    def _respond(self, record: Any, *, status_code: int = status.HTTP_200_OK) -> Response:
        common.log_reads(self.request, [(record.client_id, record.record_category)])
        return Response(self.get_serializer(record).data, status=status_code)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        common.log_reads(request, ((row.client_id, row.record_category) for row in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._respond(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = self.write(common.viewer(request), dict(serializer.validated_data))
        return self._respond(record, status_code=status.HTTP_201_CREATED)


class IpsCaseViewSet(_ClientRecordViewSet):
    """IPS cases the acting membership may read (employment data), the newest entry first.

    POST opens a case (one open case per client); `end` ends it (the recording organisation).
    """

    model = IpsCase
    serializer_class = IpsCaseSerializer
    filterset_class = _client_filter(
        IpsCase,
        open=_open_filter("cases"),
        specialist=IdFilter(
            field_name="specialist", help_text="Only this specialist's (membership id) cases."
        ),
    )
    ordering = ("-start_date", "-created_at")

    def visible(self, viewer: Membership) -> QuerySet[IpsCase]:
        return case_selectors.cases_visible_to(viewer)

    def write(self, viewer: Membership, values: dict[str, Any]) -> IpsCase:
        return case_services.case_start(actor=viewer, **values)

    @extend_schema(request=CaseEndSerializer, responses=IpsCaseSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """End the open case with a date and a reason."""
        case = self.get_object()
        serializer = CaseEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_services.case_end(
            actor=common.viewer(request), case=case, **serializer.validated_data
        )
        return self._respond(case)


class CareerProfileViewSet(_ClientRecordViewSet):
    """Career profile versions the acting membership may read, the newest first.

    POST saves a new version: versions are never changed, the newest is current.
    """

    model = CareerProfile
    serializer_class = CareerProfileSerializer
    filterset_class = _client_filter(CareerProfile)

    def visible(self, viewer: Membership) -> QuerySet[CareerProfile]:
        return profile_selectors.profiles_visible_to(viewer)

    def write(self, viewer: Membership, values: dict[str, Any]) -> CareerProfile:
        return profile_services.profile_save(actor=viewer, **values)


class BenefitsCounsellingViewSet(_ClientRecordViewSet):
    """Benefits counselling records the acting membership may read: benefits data, so never
    for a role that does not read it (an employer liaison, a health professional)."""

    model = BenefitsCounselling
    serializer_class = BenefitsCounsellingSerializer
    filterset_class = _client_filter(BenefitsCounselling)
    ordering = ("-date", "-created_at")

    def visible(self, viewer: Membership) -> QuerySet[BenefitsCounselling]:
        return counselling_selectors.counselling_visible_to(viewer)

    def write(self, viewer: Membership, values: dict[str, Any]) -> BenefitsCounselling:
        return counselling_services.counselling_record(actor=viewer, **values)


class JobSearchPlanViewSet(_ClientRecordViewSet):
    """Job search plans the acting membership may read; the newest of a client is current."""

    model = JobSearchPlan
    serializer_class = JobSearchPlanSerializer
    filterset_class = _client_filter(JobSearchPlan)
    ordering = ("-agreed_on", "-created_at")

    def visible(self, viewer: Membership) -> QuerySet[JobSearchPlan]:
        return job_search_selectors.plans_visible_to(viewer)

    def write(self, viewer: Membership, values: dict[str, Any]) -> JobSearchPlan:
        return job_search_services.plan_create(actor=viewer, **values)


class JobSearchActivityViewSet(_ClientRecordViewSet):
    """Job-search activities the acting membership may read, newest first."""

    model = JobSearchActivity
    serializer_class = JobSearchActivitySerializer
    filterset_class = _client_filter(
        JobSearchActivity, kind=django_filters.ChoiceFilter(choices=ActivityKind.choices)
    )
    ordering = ("-date", "-created_at")

    def visible(self, viewer: Membership) -> QuerySet[JobSearchActivity]:
        return job_search_selectors.activities_visible_to(viewer)

    def write(self, viewer: Membership, values: dict[str, Any]) -> JobSearchActivity:
        return job_search_services.activity_record(actor=viewer, **values)


class JobPlacementViewSet(mixins.UpdateModelMixin, _ClientRecordViewSet):
    """Job placements the acting membership may read, the newest start first.

    POST records a job in the client's open IPS case; PATCH corrects a job's details (the
    recording organisation; 403 for another's); `end` records that the job ended;
    `end-follow-along` that the client chose to end the follow-along support.
    """

    model = JobPlacement
    serializer_class = JobPlacementSerializer
    filterset_class = _client_filter(JobPlacement, open=_open_filter("jobs"))
    ordering = ("-start_date", "-created_at")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def visible(self, viewer: Membership) -> QuerySet[JobPlacement]:
        return placement_selectors.placements_visible_to(viewer)

    def write(self, viewer: Membership, values: dict[str, Any]) -> JobPlacement:
        return placement_services.placement_record(actor=viewer, **values)

    @extend_schema(request=JobPlacementUpdateSerializer, responses=JobPlacementSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Correct the job's details; the values left out keep theirs."""
        placement = self.get_object()
        serializer = JobPlacementUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values: dict[str, Any] = {
            "employer": placement.employer,
            "vacancy": placement.vacancy,
            "job_title": placement.job_title,
            "isco_code": placement.isco_code,
            "competitive": placement.competitive,
            "subsidised": placement.subsidised,
            "start_date": placement.start_date,
            "hours_per_week": placement.hours_per_week,
            "hourly_wage": placement.hourly_wage,
            "end_date": placement.end_date,
            "end_reason": placement.end_reason,
        } | dict(serializer.validated_data)
        placement = placement_services.placement_update(
            actor=common.viewer(request), placement=placement, **values
        )
        return self._respond(placement)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=PlacementEndSerializer, responses=JobPlacementSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record that the job ended (follow-along support goes on)."""
        placement = self.get_object()
        serializer = PlacementEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        placement = placement_services.placement_end(
            actor=common.viewer(request), placement=placement, **serializer.validated_data
        )
        return self._respond(placement)

    @extend_schema(request=FollowAlongEndSerializer, responses=JobPlacementSerializer)
    @action(detail=True, methods=["post"], url_path="end-follow-along")
    def end_follow_along(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record that the client chose to end the follow-along support of the job."""
        placement = self.get_object()
        serializer = FollowAlongEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        placement = placement_services.follow_along_end(
            actor=common.viewer(request), placement=placement, **serializer.validated_data
        )
        return self._respond(placement)


class FollowAlongSupportViewSet(_ClientRecordViewSet):
    """Follow-along supports the acting membership may read, newest first."""

    model = FollowAlongSupport
    serializer_class = FollowAlongSupportSerializer
    filterset_class = _client_filter(
        FollowAlongSupport,
        placement=UuidFilter(field_name="placement", help_text="Only this job's supports."),
    )
    ordering = ("-date", "-created_at")

    def visible(self, viewer: Membership) -> QuerySet[FollowAlongSupport]:
        return placement_selectors.supports_visible_to(viewer)

    def write(self, viewer: Membership, values: dict[str, Any]) -> FollowAlongSupport:
        return placement_services.support_record(actor=viewer, **values)


class TimeEntryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[TimeEntry],
):
    """The acting membership's own time entries, newest first (staff data, not client data).

    Only employment specialists record time (403 for others); nobody reads another's entries.
    """

    serializer_class = TimeEntrySerializer
    filterset_class = TimeEntryFilter
    lookup_value_converter = "int"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[TimeEntry]:
        if getattr(self, "swagger_fake_view", False):
            return TimeEntry.objects.none()
        return TimeEntry.objects.filter(membership=common.viewer(self.request)).order_by(
            "-date", "-created_at", "-pk"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = time_services.time_entry_record(
            actor=common.viewer(request), **serializer.validated_data
        )
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)


def register(router: BaseRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register("ips-cases", IpsCaseViewSet, basename="ips-case")
    router.register("career-profiles", CareerProfileViewSet, basename="career-profile")
    router.register(
        "benefits-counselling", BenefitsCounsellingViewSet, basename="benefits-counselling"
    )
    router.register("job-search-plans", JobSearchPlanViewSet, basename="job-search-plan")
    router.register(
        "job-search-activities", JobSearchActivityViewSet, basename="job-search-activity"
    )
    router.register("placements", JobPlacementViewSet, basename="placement")
    router.register(
        "follow-along-supports", FollowAlongSupportViewSet, basename="follow-along-support"
    )
    router.register("time-entries", TimeEntryViewSet, basename="time-entry")
