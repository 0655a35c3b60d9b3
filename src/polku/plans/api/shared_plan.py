"""REST endpoints of the shared plan: `plans` (with `agree`, `close` and the read-only
`revisions`), `goals`, `actions` and `plan-reviews` (with `hold`).

Querysets come from the same selectors as the pages, so a member sees through the API exactly
the goals and actions the user interface shows them; every response is written to the
read-access log for the rows it carries. Writes go through the services.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.clients.models import Episode
from polku.clients.selectors import clients_visible_to, episodes_visible_to
from polku.core.api_support import StrictCharField, UuidFilter
from polku.core.categories import DataCategory
from polku.core.models import Membership, Organisation
from polku.core.roles import CLIENT_WORK_ROLES
from polku.plans.api import common
from polku.plans.domains import LifeDomain
from polku.plans.models import (
    Action,
    ActionStatus,
    AgreementMethod,
    Goal,
    GoalStatus,
    Plan,
    PlanReview,
    PlanRevision,
    PlanStatus,
)
from polku.plans.selectors import shared_plan as selectors
from polku.plans.services import shared_plan as services

C = DataCategory
JSON_ONLY = [JSONParser]
TEXT = services.TEXT_MAX_LENGTH
# Revisions whose change word names the plan itself: shown to whoever reads the plan.
PLAN_CHANGES = {
    services.Change.CREATED,
    services.Change.REVIEW_ADDED,
    services.Change.REVIEW_HELD,
    services.Change.AGREED,
    services.Change.CLOSED,
}


class _VisibleField(serializers.PrimaryKeyRelatedField[Any]):
    """A record the acting membership may read, by its UUID; others do not exist."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=serializers.UUIDField(), **kwargs)

    def visible(self, viewer: Membership) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.visible(common.viewer(self.context["request"]))


class VisibleEpisodeField(_VisibleField):
    def visible(self, viewer: Membership) -> QuerySet[Episode]:
        return (
            episodes_visible_to(viewer)
            .filter(client__in=clients_visible_to(viewer).values("pk"))
            .select_related("client")
        )


class VisiblePlanField(_VisibleField):
    def visible(self, viewer: Membership) -> QuerySet[Plan]:
        return selectors.plans_for_api(viewer).select_related("client", "episode")


class VisibleGoalField(_VisibleField):
    def visible(self, viewer: Membership) -> QuerySet[Goal]:
        return selectors.goals_for_api(viewer).select_related("client", "plan__client")


class ProfessionalField(serializers.PrimaryKeyRelatedField[Membership]):
    """A membership, active today, of a professional who works with clients."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=serializers.IntegerField(min_value=1), **kwargs)

    def get_queryset(self) -> QuerySet[Membership]:
        # Built per request: `active()` compares with today's date.
        return Membership.objects.active().filter(role__in=CLIENT_WORK_ROLES)


class PlanSerializer(serializers.ModelSerializer[Plan]):
    episode = VisibleEpisodeField(help_text="The open programme episode the plan is for.")
    status = serializers.ChoiceField(choices=PlanStatus.choices, read_only=True)
    participants: serializers.PrimaryKeyRelatedField[Membership] = (
        serializers.PrimaryKeyRelatedField(
            many=True, read_only=True, help_text="Care-team members at the agreement meeting."
        )
    )
    agreement_method = serializers.ChoiceField(
        choices=AgreementMethod.choices,
        allow_blank=True,
        read_only=True,
        help_text="How the client agreed; empty while they have not.",
    )

    class Meta:
        model = Plan
        fields = [
            "id",
            "client",
            "episode",
            "status",
            "revision",
            "agreed_on",
            "participants",
            "participants_other",
            "client_agreed",
            "agreement_method",
            "agreement_note",
            "recorded_by",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [f for f in fields if f != "episode"]


class PlanAgreeSerializer(serializers.Serializer[Plan]):
    agreed_on = serializers.DateField(help_text="The day of the meeting that agreed the plan.")
    participants = ProfessionalField(
        many=True,
        required=False,
        help_text="Memberships of care-team members who took part.",
    )
    participants_other = StrictCharField(
        max_length=300, required=False, allow_blank=True, help_text="Others present, by name."
    )
    client_agreed = serializers.BooleanField(default=False)
    agreement_method = serializers.ChoiceField(
        choices=AgreementMethod.choices,
        required=False,
        allow_blank=True,
        help_text="Required when client_agreed is true.",
    )
    note = StrictCharField(max_length=TEXT, required=False, allow_blank=True)


class RevisionSerializer(serializers.ModelSerializer[PlanRevision]):
    change = serializers.SerializerMethodField(
        help_text="What the revision changed (created, goal_added, agreed, ...); null when it "
        "changed only goals or actions the acting membership may not read."
    )
    snapshot = serializers.SerializerMethodField(
        help_text="The plan after the change: `plan` (agreement and reviews), and the `goals` "
        "and `actions` the acting membership may read today, each with its category."
    )

    class Meta:
        model = PlanRevision
        fields = ["number", "change", "changed_by", "recorded_by", "created_at", "snapshot"]
        read_only_fields = fields

    def get_change(self, revision: PlanRevision) -> str | None:
        shown: set[int] = self.context["changes_shown"]
        return revision.change if revision.pk in shown else None

    def get_snapshot(self, revision: PlanRevision) -> dict[str, Any]:
        return selectors.visible_snapshot(revision.snapshot, self.context["visible"])


class ClientScopedFilter(django_filters.FilterSet):
    client = UuidFilter(field_name="client", help_text="Only this client's rows.")


class PlanFilter(ClientScopedFilter):
    episode = UuidFilter(field_name="episode")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = Plan
        fields: ClassVar[list[str]] = []


class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Plan],
):
    """Shared plans the acting membership may read (employment data). Goals and actions are
    their own resources (`goals`, `actions`), each scoped by its category."""

    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY

    def get_queryset(self) -> QuerySet[Plan]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return Plan.objects.none()
        return selectors.plans_for_api(common.viewer(self.request)).select_related("client")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        common.log_reads(request, ((p.client_id, C.EMPLOYMENT) for p in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _detail(self, plan: Plan, *, status_code: int = 200) -> Response:
        plan = self.get_queryset().get(pk=plan.pk)
        common.log_reads(self.request, [(plan.client_id, C.EMPLOYMENT)])
        return Response(self.get_serializer(plan).data, status=status_code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start the shared plan of an open episode (a draft)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_create(
            actor=common.viewer(request), episode=serializer.validated_data["episode"]
        )
        return self._detail(plan, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=PlanAgreeSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def agree(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record the meeting where the plan was agreed: date, participants and the client's
        agreement."""
        plan = self.get_object()
        serializer = PlanAgreeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_agree(
            actor=common.viewer(request), plan=plan, **serializer.validated_data
        )
        return self._detail(plan)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Close the plan; it is kept with its history but no longer changes."""
        plan = services.plan_close(actor=common.viewer(request), plan=self.get_object())
        return self._detail(plan)

    @extend_schema(request=None, responses=RevisionSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def revisions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Every revision of the plan, oldest first, with the goals and actions the acting
        membership may read today."""
        plan = self.get_object()
        viewer = common.viewer(request)
        revisions = list(
            selectors.revisions_visible_to(viewer, few=True).filter(plan=plan).order_by("number")
        )
        visible = selectors.visibility(viewer, plan.client)
        views = selectors.revision_views(revisions, visible)
        shown = {
            v.revision.pk for v in views if v.item_changes or v.revision.change in PLAN_CHANGES
        }
        reads: set[tuple[Any, str]] = {(plan.client_id, C.EMPLOYMENT)}
        for revision in revisions:
            snap = selectors.visible_snapshot(revision.snapshot, visible)
            reads |= {(plan.client_id, item["category"]) for item in snap["goals"]}
            reads |= {(plan.client_id, item["category"]) for item in snap["actions"]}
        common.log_reads(request, sorted(reads, key=str))
        context = self.get_serializer_context() | {"visible": visible, "changes_shown": shown}
        return Response(RevisionSerializer(revisions, many=True, context=context).data)


class GoalSerializer(serializers.ModelSerializer[Goal]):
    plan = VisiblePlanField(help_text="The plan the goal belongs to.")
    domain = serializers.ChoiceField(
        choices=LifeDomain.choices, help_text="The life domain; it decides the data category."
    )
    category = serializers.CharField(read_only=True, help_text="From the life domain.")
    client_words = StrictCharField(max_length=TEXT, help_text="The goal in the client's words.")
    target = StrictCharField(max_length=300, help_text="How everyone will know it is reached.")
    target_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=GoalStatus.choices, default=GoalStatus.OPEN)

    class Meta:
        model = Goal
        fields = [
            "id",
            "plan",
            "client",
            "domain",
            "category",
            "client_words",
            "target",
            "target_date",
            "status",
            "recorded_by",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "client",
            "category",
            "recorded_by",
            "created_by",
            "created_at",
            "updated_at",
        ]


class GoalUpdateSerializer(serializers.Serializer[Goal]):
    client_words = StrictCharField(max_length=TEXT, required=False)
    target = StrictCharField(max_length=300, required=False)
    target_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=GoalStatus.choices, required=False)


class PlanScopedFilter(ClientScopedFilter):
    plan = UuidFilter(field_name="plan", help_text="Only this plan's rows.")


class GoalFilter(PlanScopedFilter):
    domain = django_filters.ChoiceFilter(choices=LifeDomain.choices)

    class Meta:
        model = Goal
        fields: ClassVar[list[str]] = []


Row = TypeVar("Row", Goal, Action)


class _RowViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Row],
):
    """Per-row-category records: each row read is logged with its own category."""

    lookup_value_converter = "uuid"
    parser_classes = JSON_ONLY
    http_method_names = ["get", "post", "patch", "head", "options"]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        common.log_reads(request, ((row.client_id, row.category) for row in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        common.log_reads(request, [(row.client_id, row.category)])
        return Response(self.get_serializer(row).data)

    def _saved(self, row: Row, *, status_code: int = 200) -> Response:
        row = self.get_queryset().get(pk=row.pk)
        common.log_reads(self.request, [(row.client_id, row.category)])
        return Response(self.get_serializer(row).data, status=status_code)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


class GoalViewSet(_RowViewSet[Goal]):
    """Goals of shared plans the acting membership may read, each by its own data category
    (its life domain's). The domain of a goal does not change."""

    serializer_class = GoalSerializer
    filterset_class = GoalFilter

    def get_queryset(self) -> QuerySet[Goal]:
        if getattr(self, "swagger_fake_view", False):
            return Goal.objects.none()
        return selectors.goals_for_api(common.viewer(self.request)).select_related("client", "plan")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        goal = services.goal_add(actor=common.viewer(request), **serializer.validated_data)
        return self._saved(goal, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=GoalUpdateSerializer, responses=GoalSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        goal = self.get_object()
        serializer = GoalUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values: dict[str, Any] = {
            "client_words": goal.client_words,
            "target": goal.target,
            "target_date": goal.target_date,
            "status": goal.status,
        } | dict(serializer.validated_data)
        goal = services.goal_update(actor=common.viewer(request), goal=goal, **values)
        return self._saved(goal)


class ActionSerializer(serializers.ModelSerializer[Action]):
    goal = VisibleGoalField(help_text="The goal the action works towards.")
    category = serializers.CharField(read_only=True, help_text="The goal's data category.")
    title = StrictCharField(max_length=200)
    description = StrictCharField(max_length=TEXT, required=False, allow_blank=True)
    responsible_organisation: serializers.PrimaryKeyRelatedField[Organisation] = (
        serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    )
    responsible = ProfessionalField(
        required=False,
        allow_null=True,
        help_text="A membership of the responsible organisation; null for nobody named yet.",
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    completed_on = serializers.DateField(
        required=False, allow_null=True, help_text="For a done action; today when not given."
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "goal",
            "client",
            "category",
            "title",
            "description",
            "responsible_organisation",
            "responsible",
            "start_date",
            "due_date",
            "status",
            "completed_on",
            "recorded_by",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "client",
            "category",
            "recorded_by",
            "created_by",
            "created_at",
            "updated_at",
        ]


class ActionUpdateSerializer(serializers.Serializer[Action]):
    title = StrictCharField(max_length=200, required=False)
    description = StrictCharField(max_length=TEXT, required=False, allow_blank=True)
    responsible_organisation: serializers.PrimaryKeyRelatedField[Organisation] = (
        serializers.PrimaryKeyRelatedField(
            queryset=Organisation.objects.filter(is_active=True), required=False
        )
    )
    responsible = ProfessionalField(required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    completed_on = serializers.DateField(required=False, allow_null=True)


class ActionFilter(ClientScopedFilter):
    plan = UuidFilter(field_name="goal__plan", help_text="Only this plan's rows.")
    goal = UuidFilter(field_name="goal")
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)

    class Meta:
        model = Action
        fields: ClassVar[list[str]] = []


class ActionViewSet(_RowViewSet[Action]):
    """Actions of shared plans the acting membership may read, each by its goal's category."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self) -> QuerySet[Action]:
        if getattr(self, "swagger_fake_view", False):
            return Action.objects.none()
        return selectors.actions_for_api(common.viewer(self.request)).select_related(
            "client", "goal__plan", "goal__client"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = services.action_add(actor=common.viewer(request), **serializer.validated_data)
        return self._saved(new, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ActionUpdateSerializer, responses=ActionSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        current = self.get_object()
        serializer = ActionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        names = (
            "title",
            "description",
            "responsible_organisation",
            "responsible",
            "start_date",
            "due_date",
            "status",
            "completed_on",
        )
        values = {n: getattr(current, n) for n in names} | dict(serializer.validated_data)
        updated = services.action_update(actor=common.viewer(request), action=current, **values)
        return self._saved(updated)


class PlanReviewSerializer(serializers.ModelSerializer[PlanReview]):
    plan = VisiblePlanField(help_text="The plan to review.")
    due_on = serializers.DateField(help_text="The review date.")
    note = StrictCharField(max_length=TEXT, required=False, allow_blank=True)

    class Meta:
        model = PlanReview
        fields = ["id", "plan", "client", "due_on", "held_on", "note", "recorded_by", "created_at"]
        read_only_fields = ["id", "client", "held_on", "recorded_by", "created_at"]


class ReviewHoldSerializer(serializers.Serializer[PlanReview]):
    held_on = serializers.DateField(
        required=False, allow_null=True, help_text="The day it was held; today when not given."
    )
    note = StrictCharField(max_length=TEXT, required=False, allow_blank=True)


class PlanReviewFilter(PlanScopedFilter):
    class Meta:
        model = PlanReview
        fields: ClassVar[list[str]] = []


class PlanReviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[PlanReview],
):
    """Review dates of the plans the acting membership may read."""

    serializer_class = PlanReviewSerializer
    filterset_class = PlanReviewFilter
    lookup_value_converter = "int"
    parser_classes = JSON_ONLY

    def get_queryset(self) -> QuerySet[PlanReview]:
        if getattr(self, "swagger_fake_view", False):
            return PlanReview.objects.none()
        return selectors.reviews_for_api(common.viewer(self.request)).select_related("plan__client")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        common.log_reads(request, ((r.client_id, C.EMPLOYMENT) for r in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _detail(self, review: PlanReview, *, status_code: int = 200) -> Response:
        review = self.get_queryset().get(pk=review.pk)
        common.log_reads(self.request, [(review.client_id, C.EMPLOYMENT)])
        return Response(self.get_serializer(review).data, status=status_code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_add(actor=common.viewer(request), **serializer.validated_data)
        return self._detail(review, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewHoldSerializer, responses=PlanReviewSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record that the review was held (today unless `held_on`)."""
        review = self.get_object()
        serializer = ReviewHoldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_hold(
            actor=common.viewer(request), review=review, **serializer.validated_data
        )
        return self._detail(review)


def register(router: BaseRouter) -> None:
    """Add this area's viewsets to the API router."""
    router.register("plans", PlanViewSet, basename="plan")
    router.register("goals", GoalViewSet, basename="goal")
    router.register("actions", ActionViewSet, basename="action")
    router.register("plan-reviews", PlanReviewViewSet, basename="plan-review")
