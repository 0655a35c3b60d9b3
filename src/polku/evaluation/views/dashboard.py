"""The programme dashboard and the programme targets, for programme managers and evaluators.

Aggregates only (`polku.evaluation.dashboard`): no figure names a client, so nothing here is
written to the read-access log. Programmes are reference data, so the programme is chosen by
its code in the query string, with the period of entry in whole months
(`?programme=<code>&from=YYYY-MM&to=YYYY-MM`, `polku.ips.outcomes.periods`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.clients.models import Programme
from polku.core import disclosure
from polku.core.decorators import acting_membership, form_errors_from, membership_required
from polku.evaluation import cohort
from polku.evaluation.dashboard import charts, figures, selectors, text
from polku.evaluation.dashboard.forms import FROM, TO, DashboardForm, TargetsForm
from polku.evaluation.definitions import link
from polku.evaluation.models import PERCENT_MEASURES, ProgrammeTarget, TargetMeasure
from polku.evaluation.services_targets import can_set_targets, programme_targets_set
from polku.ips.outcomes import formatting

ROLES = cohort.EVALUATION_ROLES
DEFINITIONS = (
    "dashboard-participants",
    "dashboard-targets",
    "dashboard-in-out",
    "dashboard-work-or-training",
    "dashboard-employed-at-exit",
    "dashboard-hiring-employers",
    "dashboard-outcome-groups",
    "dashboard-referrals",
    "dashboard-fidelity",
    "dashboard-time-to-job",
    "dashboard-savings",
)


def _query(form: DashboardForm) -> str:
    """The chosen programme and period as a query string, for the links to the other pages."""
    data = form.cleaned_data
    return urlencode(
        {
            "programme": data["programme"].code,
            FROM: str(data[FROM]) if data.get(FROM) else "",
            TO: str(data[TO]) if data.get(TO) else "",
        }
    )


def _figures(request: HttpRequest, form: DashboardForm) -> dict[str, Any]:
    data = form.cleaned_data
    board = selectors.dashboard(
        acting_membership(request),
        programme=data["programme"],
        first=data.get(FROM),
        last=data.get(TO),
    )
    return {
        "board": board,
        "query": _query(form),
        "targets_chart": charts.targets_chart(board.targets),
        "flows_chart": charts.flows_chart(board.flows),
        "distribution_chart": charts.distribution_chart(board.distribution),
        "status_groups": [label for _key, label, _statuses in figures.STATUS_GROUPS],
        "threshold": disclosure.THRESHOLD,
        "target_rows": [
            {
                "line": line,
                "words": text.target_words(line),
                "target": text.target_value(line),
                "progress": text.progress(line),
                "definition": link(line.definition),
            }
            for line in board.targets
        ],
        "median_rows": [
            {
                "line": line,
                "median": text.months(line.median) if line.shown else "–",
                "lower": text.months(line.lower) if line.shown else "–",
                "upper": text.months(line.upper) if line.shown else "–",
            }
            for line in board.medians
        ],
        "definition": {key.replace("-", "_"): link(key) for key in DEFINITIONS},
        "can_set_targets": can_set_targets(acting_membership(request), board.programme),
        "referral_within": _percent(
            board.referrals.stats.share_within_target if board.referrals.stats else None
        ),
    }


def _percent(share: float | None) -> str | None:
    return None if share is None else formatting.percent(share)


@require_GET
@membership_required(ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard. With no programme chosen and only one programme, that one is shown; with
    several, the page asks which. Invalid choices answer the form with its errors (400)."""
    programmes = cohort.evaluation_programmes(acting_membership(request))
    data: Any = request.GET or None
    if data is None:
        only = list(programmes[:2])
        if len(only) == 1:
            data = {"programme": only[0].code}
    form = DashboardForm(data, programmes=programmes)
    context: dict[str, Any] = {"form": form, "board": None}
    status = 200
    if form.is_bound and form.is_valid():
        context |= _figures(request, form)
    elif form.is_bound:
        status = 400
    else:
        context["no_programmes"] = not programmes.exists()
    return render(request, "evaluation/dashboard/page.html", context, status=status)


def _programme_or_404(request: HttpRequest) -> Programme:
    code = request.GET.get("programme", "")
    programme = cohort.evaluation_programmes(acting_membership(request)).filter(code=code).first()
    if programme is None:
        raise Http404
    return programme


@require_http_methods(["GET", "POST"])
@membership_required(ROLES)
def targets(request: HttpRequest) -> HttpResponse:
    """A programme's targets (`?programme=<code>`): a form for the programme managers of the
    organisation that runs it, the targets as a table for everyone else of the two roles."""
    viewer = acting_membership(request)
    programme = _programme_or_404(request)
    editable = can_set_targets(viewer, programme)
    current = {str(t.measure): t.value for t in ProgrammeTarget.objects.filter(programme=programme)}
    initial = {m: v if m in PERCENT_MEASURES else int(v) for m, v in current.items()}
    form = TargetsForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                programme_targets_set(actor=viewer, programme=programme, targets=form.targets())
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The targets were saved."))
                url = reverse("evaluation:targets")
                return redirect(f"{url}?{urlencode({'programme': programme.code})}")
        status = 400
    context = {
        "programme": programme,
        "form": form,
        "editable": editable,
        "current": [(label, current.get(str(value))) for value, label in TargetMeasure.choices],
        "query": urlencode({"programme": programme.code}),
    }
    return render(request, "evaluation/dashboard/targets.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("", dashboard, name="dashboard"),
    path("targets/", targets, name="targets"),
]
