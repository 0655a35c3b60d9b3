"""The IPS outcomes the programme sees: a programme's employment since entry, by month, gender
and age band, job tenure, hours worked and jobs per employer — as a page and as a PDF.

Aggregates only, small counts suppressed (`ips.outcomes.selectors`); no figure names a client,
so nothing here is written to the read-access log. Programmes are reference data, so the
programme is chosen in the URL (`?programme=<pk>`), with the period of entry in whole months
(`entered_from=YYYY-MM&entered_to=YYYY-MM`; `ips.outcomes.periods`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import translation
from django.views.decorators.http import require_GET

from polku.core import roles
from polku.core.decorators import membership_required
from polku.ips.outcomes import report as outcomes_report
from polku.ips.outcomes import selectors
from polku.ips.outcomes.forms import OutcomesForm

OUTCOME_ROLES = roles.IPS_PROGRAMME_ROLES


def _report(form: OutcomesForm) -> selectors.OutcomesReport:
    data = form.cleaned_data
    return selectors.outcomes_report(
        data["programme"], entered_from=data.get("entered_from"), entered_to=data.get("entered_to")
    )


def _query(form: OutcomesForm) -> str:
    """The chosen programme and period as a query string, for the PDF links."""
    data = form.cleaned_data
    return urlencode(
        {
            "programme": data["programme"].pk,
            "entered_from": str(data["entered_from"]) if data.get("entered_from") else "",
            "entered_to": str(data["entered_to"]) if data.get("entered_to") else "",
        }
    )


def _page(request: HttpRequest, form: OutcomesForm, *, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "report": None}
    if form.is_bound and form.is_valid():
        report = _report(form)
        context |= outcomes_report.context(report) | {"query": _query(form)}
    else:
        context["no_programmes"] = not selectors.programmes_with_cases().exists()
    return render(request, "ips/outcomes.html", context, status=status)


@require_GET
@membership_required(OUTCOME_ROLES)
def outcomes(request: HttpRequest) -> HttpResponse:
    """The outcomes page. With no programme chosen and only one programme with IPS cases, that
    programme is shown; with several, the page asks which."""
    data: Any = request.GET or None
    if data is None:
        only = list(selectors.programmes_with_cases()[:2])
        if len(only) == 1:
            data = {"programme": str(only[0].pk)}
    return _page(request, OutcomesForm(data))


def pdf_language(request: HttpRequest) -> str:
    """`?lang=` if Polku writes PDFs in it (fi, sv, en); otherwise the page's language."""
    wanted = request.GET.get("lang") or translation.get_language() or ""
    return wanted if wanted in outcomes_report.PDF_LANGUAGES else "en"


@require_GET
@membership_required(OUTCOME_ROLES)
def outcomes_pdf(request: HttpRequest) -> HttpResponse:
    """The outcomes as an A4 PDF in fi, sv or en (`?lang=`), chart included. A GET: the PDF
    holds aggregates only, nothing a link from elsewhere could make anyone disclose. Invalid
    choices answer the page with its errors (400)."""
    form = OutcomesForm(request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    report = _report(form)
    language = pdf_language(request)
    pdf = outcomes_report.outcomes_pdf(report, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = outcomes_report.filename(report, language=language)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns: list[URLPattern] = [
    path("outcomes/", outcomes, name="outcomes"),
    path("outcomes/pdf/", outcomes_pdf, name="outcomes_pdf"),
]
