"""REST endpoint: `GET /api/v1/esf-report/?programme=<code>&from=YYYY-MM&to=YYYY-MM`.

The ESF+ indicator report (`evaluation.esf.selectors.esf_report`) as one JSON document: each
common indicator with its code, name, group and counts by gender (women, men, non-binary, not
disclosed) and in total, the data-quality lines, the period and the programme. For programme
managers and evaluators of the organisation responsible for the programme; others, and another
organisation's programme, 403. The period is at least six whole months or the programme's whole
run. Exact counts, for the managing authority (docs/decisions/0008-esf-report-counts.md). Not
written to the read-access log: nothing in it identifies a client. Bad parameters answer a
problem document (RFC 7807) naming the field.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.clients.models import Programme
from polku.core.api_auth import acting_membership
from polku.evaluation.cohort import can_evaluate
from polku.evaluation.definitions import esf as esf_definitions
from polku.evaluation.esf import report as esf_files
from polku.evaluation.esf.forms import period_error
from polku.evaluation.esf.indicators import Group
from polku.evaluation.esf.queries import Counts
from polku.evaluation.esf.selectors import (
    EsfReport,
    Line,
    default_period,
    esf_programmes,
    esf_report,
    refused_programme,
)
from polku.ips.api.outcomes import MonthField
from polku.ips.outcomes.periods import MONTH_PATTERN

MONTH = (
    'A calendar month, "YYYY-MM" (for example "2025-01"). Periods are whole months; a day is '
    "refused."
)


class EsfCountsSerializer(serializers.Serializer[Counts]):
    women = serializers.IntegerField()
    men = serializers.IntegerField()
    non_binary = serializers.IntegerField()
    not_disclosed = serializers.IntegerField(
        help_text="People whose gender is not disclosed, reported as a group of its own."
    )


class EsfLineSerializer(serializers.Serializer[Line]):
    key = serializers.CharField(
        help_text="The line's definition at /evaluation/definitions/#<key>: the code, or "
        '"esf-…" for a data-quality or base line.'
    )
    code = serializers.CharField(help_text='The ESF+ code, e.g. "EECO02"; "" for other lines.')
    name = serializers.CharField(source="label", help_text="In the language asked for.")
    group = serializers.ChoiceField(
        choices=Group.choices,
        help_text="output (at entry), immediate (upon leaving), longer_term (six months after "
        "leaving) or entities.",
    )
    collected = serializers.BooleanField(
        help_text="False where Polku holds no records that produce the figure (EECO18)."
    )
    counts = EsfCountsSerializer(
        allow_null=True,
        help_text="People by gender; null for entities (EECO18, EECO19) and lines not collected.",
    )
    total = serializers.IntegerField(
        allow_null=True,
        help_text="People in all, or the number of entities; null where not collected.",
    )
    note = serializers.CharField(help_text="What the figure rests on, where it needs saying.")


class EsfReportSerializer(serializers.Serializer[EsfReport]):
    programme = serializers.CharField(source="programme.code")
    programme_name = serializers.CharField(
        source="programme.name", help_text="In the language asked for."
    )
    period_from = MonthField(
        allow_null=True, help_text="First month; null: from the programme's start."
    )
    period_to = MonthField(allow_null=True, help_text="Last month; null: up to now.")
    generated_at = serializers.DateTimeField()
    indicators = EsfLineSerializer(
        many=True, help_text="The 25 common indicators, in the order of Annex I."
    )
    data_quality = EsfLineSerializer(
        many=True,
        source="quality_lines",
        help_text="The bases and data-quality lines of each group (entry data missing, "
        "situation at exit not recorded, sensitive characteristics declined, ...).",
    )
    notes = serializers.SerializerMethodField(
        help_text="What the report is for and which participants each group counts."
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_notes(self, report: EsfReport) -> list[str]:
        return [
            esf_files.exact_counts_note(report),
            *(str(note) for note in esf_definitions.NOTES),
        ]


class EsfQuerySerializer(serializers.Serializer[dict[str, Any]]):
    programme = serializers.SlugRelatedField[Programme](
        slug_field="code",
        queryset=Programme.objects.none(),
        help_text="The programme's code: one your organisation is responsible for.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the period's fields are added here.
        self.fields["from"] = MonthField(required=False, help_text=MONTH)
        self.fields["to"] = MonthField(required=False, help_text=MONTH)
        programme = self.fields["programme"]
        assert isinstance(programme, serializers.SlugRelatedField)
        programme.queryset = esf_programmes(self.context["viewer"])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = default_period(attrs["programme"])
        attrs["from"] = attrs.get("from") or start
        attrs["to"] = attrs.get("to") or end
        if error := period_error(attrs["programme"], attrs["from"], attrs["to"]):
            field, message = error
            raise serializers.ValidationError({field: [message]})
        return attrs


class _OneReportSchema(AutoSchema):
    """The report is one document, not a list of them, though it answers at the list route."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class EsfReportViewSet(viewsets.ViewSet):
    """The ESF+ common indicators of one programme and period, by gender."""

    schema = _OneReportSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "programme", str, required=True, description="The programme (its code)."
            ),
            OpenApiParameter(
                "from",
                str,
                pattern=MONTH_PATTERN,
                description="First month; omitted or empty: the programme's start. The period "
                "must span at least six whole months (an open end counting to the current "
                f"month), or be the programme's whole run. {MONTH}",
            ),
            OpenApiParameter(
                "to",
                str,
                pattern=MONTH_PATTERN,
                description=f"Last month; omitted or empty: the programme's end. {MONTH}",
            ),
        ],
        responses=EsfReportSerializer,
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        viewer = acting_membership(request)
        if viewer is None or not can_evaluate(viewer):
            raise PermissionDenied
        if refused_programme(viewer, request.query_params.get("programme")):
            raise PermissionDenied
        query = EsfQuerySerializer(data=request.query_params, context={"viewer": viewer})
        query.is_valid(raise_exception=True)
        report = esf_report(
            viewer,
            programme=query.validated_data["programme"],
            period_from=query.validated_data["from"],
            period_to=query.validated_data["to"],
        )
        return Response(EsfReportSerializer(report).data)


def register(router: BaseRouter) -> None:
    router.register("esf-report", EsfReportViewSet, basename="esf-report")
