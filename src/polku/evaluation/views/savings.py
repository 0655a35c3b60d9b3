"""Pages: the savings of a programme's participants in work (`evaluation:savings`) and the
programme's monthly costs (`evaluation:costs`, `evaluation:cost_edit`).

Aggregates only (`evaluation.savings.selectors`): programme managers and evaluators read them;
programme managers record the costs of the programmes their organisation is responsible for
(`services.can_record_costs`), and another organisation's programme or cost answers 403. The
programme, period (whole months) and rule set are GET parameters
(`?programme=<code>&entered_from=YYYY-MM&entered_to=YYYY-MM&rule_set=<code>`); nothing personal
goes in a URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.clients.models import Programme
from polku.core.decorators import acting_membership, form_errors_from, membership_required, posted
from polku.evaluation import cohort
from polku.evaluation.definitions import link
from polku.evaluation.models import ProgrammeCost
from polku.evaluation.savings import calculator, presentation, selectors, services
from polku.evaluation.savings.forms import CostForm, CostProgrammeForm, SavingsForm
from polku.ips.outcomes import formatting
from polku.ips.outcomes.periods import Month

DEFINITION_KEYS = (
    "savings-people",
    "savings-municipal",
    "savings-state",
    "savings-total",
    "savings-cost",
    "savings-net",
    "savings-projection",
)


@require_GET
@membership_required(cohort.EVALUATION_ROLES)
def savings(request: HttpRequest) -> HttpResponse:
    """The savings page. With no programme chosen and only one programme, that one is shown."""
    viewer = acting_membership(request)
    programmes = cohort.evaluation_programmes(viewer)
    data: Any = request.GET or None
    if data is None:
        only = list(programmes[:2])
        if len(only) == 1:
            data = {"programme": only[0].code}
    form = SavingsForm(data, programmes=programmes)
    context: dict[str, Any] = {
        "form": form,
        "report": None,
        "definitions": {key.replace("-", "_"): link(key) for key in DEFINITION_KEYS},
        "threshold": selectors.THRESHOLD,
    }
    if form.is_bound and form.is_valid() and form.cleaned_data["rule_set"] is not None:
        context |= _report_context(viewer, form.cleaned_data)
    elif form.is_bound and form.is_valid():
        context["no_rule_sets"] = True
    return render(request, "evaluation/savings/savings.html", context)


def _report_context(viewer: Any, data: dict[str, Any]) -> dict[str, Any]:
    as_of = selectors.follow_up_end(timezone.localdate())
    report = selectors.savings_report(
        viewer,
        programme=data["programme"],
        rule_set=data["rule_set"],
        entered_from=data.get("entered_from"),
        entered_to=data.get("entered_to"),
        as_of=as_of,
    )
    currency = report.rule_set.currency
    projection = presentation.projection(report, data, as_of)
    return {
        "report": report,
        "rows": presentation.rows(report),
        "chart": presentation.chart(report) if report.shown else "",
        "municipal": presentation.money(report.total.municipal, currency),
        "state": presentation.money(report.total.state, currency),
        "total": presentation.money(report.total.total, currency),
        "cost": presentation.money(report.cost),
        "net": presentation.money(report.net) if currency == "EUR" else None,
        "projection": projection,
        "projection_money": {
            "per_person": presentation.money(projection.per_person.municipal, currency),
            "municipal": presentation.money(projection.total.municipal, currency),
            "total": presentation.money(projection.total.total, currency),
            "per_year": presentation.money(projection.per_year.municipal, currency),
        }
        if projection
        else None,
        "observed_rate": (
            formatting.percent(float(report.observed.employment_rate)) if report.observed else None
        ),
        "assumptions": calculator.ASSUMPTIONS,
        "left_out": presentation.left_out(report),
        "can_record_costs": services.can_record_costs(viewer, report.programme),
        "costs_link": _costs_url(report.programme.code),
        "first_month": report.first_month,
    }


def _costs_url(programme_code: str) -> str:
    return f"{reverse('evaluation:costs')}?{urlencode({'programme': programme_code})}"


def _costs_page(
    request: HttpRequest, chooser: CostProgrammeForm, form: CostForm, *, status: int = 200
) -> HttpResponse:
    programme = chooser.cleaned_data["programme"] if chooser.is_valid() else None
    costs = (
        ProgrammeCost.objects.filter(programme=programme).order_by("-month", "pk")
        if programme
        else ProgrammeCost.objects.none()
    )
    context = {
        "chooser": chooser,
        "form": form,
        "programme": programme,
        "costs": [(cost, presentation.money(cost.amount), Month.of(cost.month)) for cost in costs],
    }
    return render(request, "evaluation/savings/costs.html", context, status=status)


@require_http_methods(["GET", "POST"])
@membership_required(services.COST_ROLES)
def costs(request: HttpRequest) -> HttpResponse:
    """A programme's monthly costs, and a form to add one (`?programme=<code>` chooses it)."""
    viewer = acting_membership(request)
    code = request.GET.get("programme")
    if (
        code
        and Programme.objects.filter(code=code)
        .exclude(pk__in=services.cost_programmes(viewer))
        .exists()
    ):
        raise PermissionDenied  # another organisation's programme
    chooser = CostProgrammeForm(request.GET or None, programmes=services.cost_programmes(viewer))
    form = CostForm(posted(request))
    if request.method != "POST":
        return _costs_page(request, chooser, form)
    if not chooser.is_valid():
        return _costs_page(request, chooser, form, status=400)
    if form.is_valid():
        try:
            services.programme_cost_record(
                actor=viewer, programme=chooser.cleaned_data["programme"], **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The cost was recorded."))
            return redirect(request.get_full_path())
    return _costs_page(request, chooser, form, status=400)


@require_http_methods(["GET", "POST"])
@membership_required(services.COST_ROLES)
def cost_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct or remove one recorded cost (a programme figure, not personal data)."""
    viewer = acting_membership(request)
    cost = get_object_or_404(ProgrammeCost.objects.select_related("programme"), pk=pk)
    if not services.can_record_costs(viewer, cost.programme):
        raise PermissionDenied  # another organisation's programme
    back = _costs_url(cost.programme.code)
    if request.method == "POST" and "delete" in request.POST:
        services.programme_cost_delete(actor=viewer, cost=cost)
        messages.success(request, _("The cost was removed."))
        return redirect(back)
    initial = {
        "month": str(Month.of(cost.month)),
        "amount": cost.amount,
        "description": cost.description,
    }
    form = CostForm(posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.programme_cost_update(actor=viewer, cost=cost, **form.cleaned_data)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The cost was saved."))
                return redirect(back)
    context = {"form": form, "cost": cost, "back": back}
    return render(request, "evaluation/savings/cost_edit.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("savings/", savings, name="savings"),
    path("savings/costs/", costs, name="costs"),
    path("savings/costs/<int:pk>/", cost_edit, name="cost_edit"),
]
