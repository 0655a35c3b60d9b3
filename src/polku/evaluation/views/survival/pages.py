"""The time-to-employment page (`evaluation:survival`) and the provider comparison
(`evaluation:providers`), for programme managers and evaluators.

Aggregates only (`time_to_employment`, `provider_comparison`, with `groups`' disclosure
control); no figure names a client, so nothing here is written to the read-access log. The
choice is in the query string — a programme's code and whole months, never personal data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from polku.core.decorators import acting_membership, membership_required
from polku.evaluation import cohort
from polku.evaluation.definitions import link
from polku.evaluation.definitions.survival import DEFINITIONS
from polku.evaluation.views.survival import figures, groups
from polku.evaluation.views.survival.forms import PeriodForm, SurvivalForm
from polku.evaluation.views.survival.provider_comparison import provider_report
from polku.evaluation.views.survival.time_to_employment import (
    MILESTONES,
    time_to_employment_report,
)
from polku.ips.outcomes import periods


def follow_up_end() -> dt.date:
    """The last day of the previous month, in the site's time zone (`ips.outcomes.periods`)."""
    return periods.follow_up_end(timezone.localdate())


def _common(form: PeriodForm) -> dict[str, Any]:
    return {
        "form": form,
        "threshold": groups.THRESHOLD,
        "estimate_minimum": groups.ESTIMATE_MINIMUM,
        # By key with "_" for "-": a template variable cannot hold a hyphen.
        "definition": {d.key.replace("-", "_"): link(d.key) for d in DEFINITIONS},
    }


@require_GET
@membership_required(cohort.EVALUATION_ROLES)
def survival(request: HttpRequest) -> HttpResponse:
    """Kaplan–Meier curves of time to the first job, by the chosen group, and a Cox model.
    With nothing chosen: every programme, by gender. Invalid choices answer 400 with the
    form's errors and no figures."""
    viewer = acting_membership(request)
    form = SurvivalForm(request.GET, viewer=viewer)
    context = _common(form)
    if not form.is_valid():
        return render(request, "evaluation/survival/page.html", context, status=400)
    data = form.cleaned_data
    report = time_to_employment_report(
        viewer,
        programme=data.get("programme"),
        entered_from=data.get("from"),
        entered_to=data.get("to"),
        by=data["by"],
        follow_up_end=follow_up_end(),
    )
    context |= {
        "report": report,
        "chart": figures.curves_chart(report) if report.shows_figures else "",
        "curve_rows": figures.curve_rows(report),
        "cox_rows": figures.cox_rows(report),
        "month_rows": figures.month_rows(report),
        "drawn": [str(line.label) for line in report.drawn],
        "milestones": MILESTONES,
    }
    return render(request, "evaluation/survival/page.html", context)


@require_GET
@membership_required(cohort.EVALUATION_ROLES)
def providers(request: HttpRequest) -> HttpResponse:
    """Outcome rates by provider sector and provider, and the case-mix-adjusted comparison of
    sectors. With nothing chosen: every programme. Invalid choices answer 400."""
    viewer = acting_membership(request)
    form = PeriodForm(request.GET, viewer=viewer)
    context = _common(form)
    if not form.is_valid():
        return render(request, "evaluation/providers/page.html", context, status=400)
    data = form.cleaned_data
    report = provider_report(
        viewer,
        programme=data.get("programme"),
        entered_from=data.get("from"),
        entered_to=data.get("to"),
        follow_up_end=follow_up_end(),
    )
    context |= {
        "report": report,
        "chart": figures.providers_chart(report) if report.shows_figures else "",
        "sector_rows": figures.provider_rows(report.by_sector),
        "provider_rows": figures.provider_rows(report.by_provider),
        "total_row": figures.provider_rows([report.total])[0] if report.shows_figures else None,
        "adjusted_tables": [(table, figures.adjusted_rows(table)) for table in report.adjusted],
    }
    return render(request, "evaluation/providers/page.html", context)
