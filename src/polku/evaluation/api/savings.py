"""REST endpoint: `GET /api/v1/savings/?programme=<code>&entered_from=YYYY-MM&entered_to=YYYY-MM
&rule_set=<code>`: a programme's savings as the savings page shows them.

Aggregates only, for programme managers and evaluators (others 403), not written to the
read-access log (`evaluation.savings.selectors`). Amounts are decimal strings in the rule set's
currency, null where fewer than five people contribute (or a month could otherwise be worked
out from the total); counts are strings as they may be published ("12", "<5", "–").
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from polku.clients.models import Programme
from polku.core.api_auth import acting_membership
from polku.evaluation import cohort
from polku.evaluation.models.savings import SavingsRuleSet
from polku.evaluation.savings import calculator, rules, selectors
from polku.ips.api.outcomes import MonthField
from polku.ips.outcomes.periods import MONTH_PATTERN

AMOUNT = "An amount with two decimals in the rule set's currency; null where not shown."
COUNT = 'A count as it may be published: digits, "<5" for 1–4, or "–" where not shown.'


def _amount(help_text: str = AMOUNT) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text=help_text
    )


class SavingsRuleSetSerializer(serializers.Serializer[SavingsRuleSet]):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the language asked for.")
    provisional = serializers.BooleanField(
        help_text="Some figures could not be confirmed from the act or statistics."
    )
    currency = serializers.CharField(help_text="ISO 4217, e.g. EUR, SEK.")
    sources = serializers.CharField(help_text="The law or statistics the rules follow.")
    note = serializers.CharField()


class SavingsMonthSerializer(serializers.Serializer[dict[str, Any]]):
    month = serializers.CharField(help_text='"YYYY-MM".')
    people = serializers.CharField(help_text=f"People in work who contribute. {COUNT}")
    municipal = _amount()
    state = _amount()
    total = _amount()
    cost = _amount(help_text="The programme's recorded cost of the month; null if none.")


class SavingsSerializer(serializers.Serializer[dict[str, Any]]):
    programme = serializers.CharField(help_text="The programme's code.")
    rule_set = SavingsRuleSetSerializer()
    entered_from = serializers.CharField(allow_null=True, help_text="As asked; null: all.")
    entered_to = serializers.CharField(allow_null=True, help_text="As asked; null: all.")
    counted_to = serializers.DateField(
        help_text="The report date: the last day of the previous month."
    )
    shown = serializers.BooleanField(
        help_text="False when fewer than five people contribute: then no amount is given."
    )
    people = serializers.CharField(help_text=f"People in work who contribute. {COUNT}")
    municipal = _amount()
    state = _amount()
    total = _amount()
    cost = _amount(help_text="The programme's recorded costs over the months; null if none.")
    months = SavingsMonthSerializer(many=True)
    assumptions = serializers.ListField(
        child=serializers.CharField(), help_text="In the language asked for."
    )


class SavingsQuerySerializer(serializers.Serializer[dict[str, Any]]):
    programme: serializers.SlugRelatedField[Programme] = serializers.SlugRelatedField(
        slug_field="code", queryset=Programme.objects.all(), help_text="The programme's code."
    )
    entered_from = MonthField(required=False)
    entered_to = MonthField(required=False)
    rule_set: serializers.SlugRelatedField[SavingsRuleSet] = serializers.SlugRelatedField(
        slug_field="code",
        queryset=SavingsRuleSet.objects.all(),
        required=False,
        help_text="The rule set's code; omitted: the first (the default).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("entered_from"), attrs.get("entered_to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"entered_to": [_("The end of the period must not be before its start.")]}
            )
        attrs["rule_set"] = attrs.get("rule_set") or rules.default_rule_set()
        if attrs["rule_set"] is None:
            raise serializers.ValidationError({"rule_set": [_("No savings rule set is loaded.")]})
        return attrs


def _document(report: selectors.SavingsReport) -> dict[str, Any]:
    def amounts(saving: calculator.Saving | None) -> dict[str, Any]:
        if saving is None or not report.shown:
            return {"municipal": None, "state": None, "total": None}
        return {"municipal": saving.municipal, "state": saving.state, "total": saving.total}

    rule_set = report.rule_set
    return {
        "programme": report.programme.code,
        "rule_set": {
            "code": rule_set.code,
            "name": rule_set.name,
            "provisional": rule_set.provisional,
            "currency": rule_set.currency,
            "sources": rule_set.source,
            "note": rule_set.note,
        },
        "entered_from": str(report.entered_from) if report.entered_from else None,
        "entered_to": str(report.entered_to) if report.entered_to else None,
        "counted_to": report.as_of,
        "shown": report.shown,
        "people": report.people_shown,
        **amounts(report.total),
        "cost": report.cost,
        "months": [
            {"month": str(row.month), "people": row.people, **amounts(row.saving), "cost": row.cost}
            for row in report.months
        ],
        "assumptions": [str(text) for text in calculator.ASSUMPTIONS],
    }


class _OneReportSchema(AutoSchema):
    """The report is one document, not a list of them, though it answers at the list route."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


MONTH_HELP = 'A calendar month, "YYYY-MM"; a day is refused (periods are whole months).'


class SavingsViewSet(viewsets.ViewSet):
    """Savings to the municipality and the state while a programme's participants are in work,
    by month and against the programme's cost. Aggregates only, small counts suppressed."""

    schema = _OneReportSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("programme", str, required=True, description="The programme's code."),
            OpenApiParameter(
                "entered_from",
                str,
                pattern=MONTH_PATTERN,
                description=f"First month of entry; omitted: from the start. {MONTH_HELP}",
            ),
            OpenApiParameter(
                "entered_to",
                str,
                pattern=MONTH_PATTERN,
                description=f"Last month of entry; omitted: to the end. {MONTH_HELP}",
            ),
            OpenApiParameter(
                "rule_set", str, description="The rule set's code; omitted: the default."
            ),
        ],
        responses=SavingsSerializer,
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership = acting_membership(request)
        if membership is None or not cohort.can_evaluate(membership):
            raise PermissionDenied
        query = SavingsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        report = selectors.savings_report(
            membership,
            programme=data["programme"],
            rule_set=data["rule_set"],
            entered_from=data.get("entered_from"),
            entered_to=data.get("entered_to"),
            as_of=selectors.follow_up_end(timezone.localdate()),
        )
        return Response(SavingsSerializer(_document(report)).data)


def register(router: BaseRouter) -> None:
    router.register("savings", SavingsViewSet, basename="savings")
