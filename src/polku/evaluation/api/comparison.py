"""REST endpoints of comparison groups: `comparison-groups` (list, detail, `POST …/runs/`) and
`comparison-runs/{id}/`.

For programme managers and evaluators (`cohort.EVALUATION_ROLES`); anyone else gets 403. Only
the groups of programmes run by the caller's own organisation exist for them (`comparison.access`):
others' are 404.
Aggregates only: counts are strings as they may be published ("12", "<5" for 1–4, "≥5" where a
count is hidden so that a "<5" cannot be worked out from a total, "–" where not shown), means
of fewer than five are null. Nothing identifies a client, so nothing is written to the
read-access log. A run is computed in the background: `POST …/runs/` answers 202 with the run
and its URL (`Location`), to be read until its status is `done` or `failed`. Groups are
imported on the page or with `polku comparison-import`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.clients.models import Programme
from polku.core.models import Membership
from polku.evaluation import cohort
from polku.evaluation.comparison import parameters, results, selectors
from polku.evaluation.comparison.services import run_request
from polku.evaluation.models import ComparisonGroup, ComparisonRun, RunStatus
from polku.plans.api import common

COUNT = (
    'A count as it may be published: digits, "<5" for 1–4, "≥5" where a count is hidden so '
    'that a "<5" cannot be worked out from a total, or "–" where it is not shown at all.'
)

HIDDEN_MEAN = (
    "For the share of women (woman) null where the count of women it stands for would not be shown."
)


def _evaluator(request: Request) -> Membership:
    viewer = common.viewer(request)
    if not cohort.can_evaluate(viewer):
        raise PermissionDenied
    return viewer


def _count(help_text: str = COUNT, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(help_text=help_text, **kwargs)


class BalanceSerializer(serializers.Serializer[results.BalanceLine]):
    covariate = serializers.CharField(
        help_text='The covariate: "woman" (gender as an indicator), age, months_unemployed, '
        "isced_level or months_employed_before."
    )
    name = serializers.CharField(
        source="label", help_text="The covariate's name in the language asked for."
    )
    mean_treated = serializers.FloatField(
        allow_null=True, help_text=f"Mean among all participants matched on. {HIDDEN_MEAN}"
    )
    mean_control_before = serializers.FloatField(
        allow_null=True, help_text=f"Mean in the comparison group. {HIDDEN_MEAN}"
    )
    smd_before = serializers.FloatField(
        allow_null=True,
        help_text=f"Standardised mean difference before matching. {HIDDEN_MEAN}",
    )
    mean_control_after = serializers.FloatField(
        allow_null=True,
        help_text="Mean among the matched comparison persons, weighted as matched; null also "
        f"where the effect is not shown. {HIDDEN_MEAN}",
    )
    smd_after = serializers.FloatField(
        allow_null=True,
        help_text=f"Standardised mean difference after matching; null as above. {HIDDEN_MEAN}",
    )
    unbalanced = serializers.BooleanField(help_text="|SMD| after matching above 0.1.")


class MatchingSerializer(serializers.Serializer[results.RunView]):
    att = serializers.FloatField(
        allow_null=True,
        help_text="Average effect on the matched participants: months, or a share difference "
        "(0–1) for employed_6m and employed_12m; null where fewer than five are matched on "
        "either side.",
    )
    lower = serializers.FloatField(allow_null=True, help_text="95 % bootstrap interval, lower.")
    upper = serializers.FloatField(allow_null=True, help_text="95 % bootstrap interval, upper.")
    sentence = serializers.CharField(help_text="The effect in words, in the language asked for.")
    bootstrap = serializers.IntegerField(
        allow_null=True, help_text="Bootstrap resamples that gave an estimate."
    )
    participants = _count(f"Participants of the programme. {COUNT}")
    members = _count(f"Members of the comparison group. {COUNT}")
    dropped_treated = _count(f"Participants left out for a missing value. {COUNT}")
    dropped_control = _count(f"Comparison persons left out for a missing value. {COUNT}")
    n_treated = _count(f"Participants in the matching. {COUNT}")
    n_control = _count(f"Comparison persons in the matching. {COUNT}")
    n_matched_treated = _count(f"Participants with a match. {COUNT}")
    n_matched_control = _count(f"Distinct comparison persons used as matches. {COUNT}")
    n_unmatched_treated = _count(f"Participants with no match within the caliper. {COUNT}")
    balance = BalanceSerializer(many=True, help_text="The covariate balance table.")

    def to_representation(self, instance: results.RunView) -> dict[str, Any]:
        psm = instance.psm
        return {
            **instance.estimates(),
            "sentence": instance.sentence(),
            "bootstrap": psm.get("bootstrap"),
            **instance.counts(),
            "balance": [
                {
                    "covariate": line.covariate,
                    "name": line.label,
                    "mean_treated": line.mean_treated,
                    "mean_control_before": line.mean_control_before,
                    "smd_before": line.smd_before,
                    "mean_control_after": line.mean_control_after,
                    "smd_after": line.smd_after,
                    "unbalanced": line.unbalanced,
                }
                for line in instance.balance()
            ],
        }


DID_FIELDS = (
    "estimate",
    "lower",
    "upper",
    "std_error",
    "p_value",
    "n_treated",
    "n_control",
    "treated_before",
    "treated_after",
    "control_before",
    "control_after",
)


class DidSerializer(serializers.Serializer[results.RunView]):
    estimate = serializers.FloatField(
        allow_null=True,
        help_text="Change in the participants' mean months in work (12 months before entry to "
        "12 after) less the comparison group's.",
    )
    lower = serializers.FloatField(allow_null=True, help_text="95 % interval, lower.")
    upper = serializers.FloatField(allow_null=True, help_text="95 % interval, upper.")
    std_error = serializers.FloatField(allow_null=True, help_text="Cluster-robust by person.")
    p_value = serializers.FloatField(allow_null=True)
    n_treated = _count(f"Participants with months in work before and after. {COUNT}")
    n_control = _count(f"Comparison persons with months in work before and after. {COUNT}")
    treated_before = serializers.FloatField(allow_null=True)
    treated_after = serializers.FloatField(allow_null=True)
    control_before = serializers.FloatField(allow_null=True)
    control_after = serializers.FloatField(allow_null=True)

    def to_representation(self, instance: results.RunView) -> dict[str, Any]:
        # The counts as the page shows them, hidden where they could be worked out (`results`).
        lines = instance.did_lines()
        shown = {**(instance.did or {}), "n_treated": lines["n_treated"]}
        shown["n_control"] = lines["n_control"]
        return {name: shown.get(name) for name in DID_FIELDS}


class RunParametersSerializer(serializers.Serializer[dict[str, Any]]):
    outcome = serializers.ChoiceField(
        choices=list(parameters.OUTCOMES),
        required=False,
        help_text="The outcome compared (default months_employed_after).",
    )
    covariates = serializers.ListField(
        child=serializers.ChoiceField(choices=list(parameters.COVARIATES)),
        required=False,
        allow_empty=False,
        max_length=len(parameters.COVARIATES),
        help_text="Covariates of the propensity model (default gender, age, months_unemployed).",
    )
    caliper = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=parameters.CALIPER_MIN,
        max_value=parameters.CALIPER_MAX,
        help_text="In standard deviations of the logit of the propensity score (default 0.2); "
        "null for no caliper.",
    )
    replacement = serializers.BooleanField(
        required=False, help_text="Match with replacement (default false)."
    )
    bootstrap = serializers.IntegerField(
        required=False,
        min_value=parameters.BOOTSTRAP_MIN,
        max_value=parameters.BOOTSTRAP_MAX,
        help_text="Bootstrap resamples for the interval (default 500).",
    )


class RunSerializer(serializers.ModelSerializer[ComparisonRun]):
    status = serializers.ChoiceField(
        choices=RunStatus.choices, help_text="queued, running, done or failed."
    )
    parameters = RunParametersSerializer(help_text="The parameters as checked and stored.")
    url = serializers.SerializerMethodField(help_text="This run's address in the API.")
    matching = serializers.SerializerMethodField(help_text="Matching; null unless done.")
    did = serializers.SerializerMethodField(
        help_text="Difference in differences; null unless done and estimable."
    )
    did_error = serializers.SerializerMethodField(
        help_text="Why there is no difference in differences; empty when there is one."
    )

    class Meta:
        model = ComparisonRun
        fields = (
            "id",
            "url",
            "group",
            "status",
            "parameters",
            "requested_at",
            "finished_at",
            "error",
            "matching",
            "did",
            "did_error",
        )
        read_only_fields = fields

    def get_url(self, run: ComparisonRun) -> str:
        return reverse("comparison-run-detail", kwargs={"pk": run.pk})

    @extend_schema_field(MatchingSerializer(allow_null=True))
    def get_matching(self, run: ComparisonRun) -> dict[str, Any] | None:
        shown = results.view(run)
        if shown is None or not shown.done:
            return None
        return MatchingSerializer(shown).data

    @extend_schema_field(DidSerializer(allow_null=True))
    def get_did(self, run: ComparisonRun) -> dict[str, Any] | None:
        shown = results.view(run)
        if shown is None or not shown.done or shown.did is None:
            return None
        return DidSerializer(shown).data

    def get_did_error(self, run: ComparisonRun) -> str:
        return str((run.result or {}).get("did_error", ""))


class GroupSerializer(serializers.ModelSerializer[ComparisonGroup]):
    programme: serializers.SlugRelatedField[Programme] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The programme's code."
    )
    size = serializers.SerializerMethodField(help_text=f"People in the group. {COUNT}")
    latest_status = serializers.CharField(
        allow_null=True, read_only=True, help_text="The latest run's status; null without runs."
    )

    class Meta:
        model = ComparisonGroup
        fields: tuple[str, ...] = (
            "id",
            "name",
            "programme",
            "source",
            "file_name",
            "imported_at",
            "size",
            "latest_status",
        )
        read_only_fields: tuple[str, ...] = fields

    def get_size(self, group: ComparisonGroup) -> str:
        return results.count(getattr(group, "size", None))


class GenderSerializer(serializers.Serializer[selectors.GenderLine]):
    key = serializers.CharField(help_text="woman, man, other or not_disclosed.")
    name = serializers.CharField(
        source="label", help_text="The group's name in the language asked for."
    )
    participants = _count()
    members = _count()


class CovariateSerializer(serializers.Serializer[selectors.CovariateLine]):
    key = serializers.CharField(
        help_text="gender, age, months_unemployed, isced_level or months_employed_before."
    )
    name = serializers.CharField(
        source="label", help_text="The covariate's name in the language asked for."
    )
    participants = serializers.FloatField(
        allow_null=True, help_text="Mean (for gender: share of women); null under five known."
    )
    members = serializers.FloatField(allow_null=True)


class SummarySerializer(serializers.Serializer[selectors.GroupSummary]):
    participants = _count(f"Participants of the programme. {COUNT}")
    members = _count(f"Members of the group. {COUNT}")
    genders = GenderSerializer(many=True)
    covariates = CovariateSerializer(many=True, help_text="Means before matching.")


class GroupDetailSerializer(GroupSerializer):
    summary = serializers.SerializerMethodField()
    latest_run = serializers.SerializerMethodField(
        help_text="The latest finished run; null without one."
    )
    pending_run = serializers.SerializerMethodField(
        help_text="A run waiting or running; null without one."
    )

    class Meta(GroupSerializer.Meta):
        fields = (*GroupSerializer.Meta.fields, "summary", "latest_run", "pending_run")
        read_only_fields = fields

    @extend_schema_field(SummarySerializer)
    def get_summary(self, group: ComparisonGroup) -> dict[str, Any]:
        summary = selectors.group_summary(self.context["viewer"], group)
        return SummarySerializer(summary).data

    @extend_schema_field(RunSerializer(allow_null=True))
    def get_latest_run(self, group: ComparisonGroup) -> dict[str, Any] | None:
        run = selectors.latest_finished(self.context["runs"])
        return None if run is None else RunSerializer(run).data

    @extend_schema_field(RunSerializer(allow_null=True))
    def get_pending_run(self, group: ComparisonGroup) -> dict[str, Any] | None:
        run = selectors.pending(self.context["runs"])
        return None if run is None else RunSerializer(run).data


class ComparisonGroupViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ComparisonGroup]
):
    """Comparison groups of the programmes the caller may evaluate, newest first; the detail
    sets the group beside the programme's participants and gives the latest run's result.
    `POST …/runs/` queues a run of the estimators (202)."""

    serializer_class = GroupSerializer
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[ComparisonGroup]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return ComparisonGroup.objects.none()
        return selectors.comparison_groups(_evaluator(self.request))

    @extend_schema(responses=GroupDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        group = self.get_object()
        context = {
            "viewer": _evaluator(request),
            "runs": selectors.group_runs(group),
            "request": request,
        }
        return Response(GroupDetailSerializer(group, context=context).data)

    @extend_schema(request=RunParametersSerializer, responses={202: RunSerializer})
    @action(detail=True, methods=["post"])
    def runs(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Queue a run of the estimators; read the run at its URL until it is done."""
        group = self.get_object()
        body = RunParametersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = run_request(actor=_evaluator(request), group=group, parameters=body.validated_data)
        data = RunSerializer(run).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class ComparisonRunViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[ComparisonRun]):
    """One run of the estimators: its status, parameters and, once done, its result."""

    serializer_class = RunSerializer

    def get_queryset(self) -> QuerySet[ComparisonRun]:
        if getattr(self, "swagger_fake_view", False):
            return ComparisonRun.objects.none()
        groups = selectors.comparison_groups(_evaluator(self.request))
        return ComparisonRun.objects.filter(group__in=groups.values("pk"))


def register(router: BaseRouter) -> None:
    router.register("comparison-groups", ComparisonGroupViewSet, basename="comparison-group")
    router.register("comparison-runs", ComparisonRunViewSet, basename="comparison-run")
