"""The ESF+ indicator report (page, XLSX, PDF) and the definitions page of every evaluation figure.

For programme managers and evaluators (`cohort.EVALUATION_ROLES`) of the organisation responsible
for the programme (`esf.selectors.can_report`): the programme choice lists only theirs, and another
organisation's programme answers 403. The period is at least six whole months or the programme's
whole run (`esf.forms.period_error`). Aggregates only, so nothing is written to the read-access
log. The choice is in the query string — `?programme=<code>&from=
YYYY-MM&to=YYYY-MM` — never anything about a person. The files are GETs, as the IPS outcomes PDF
(`ips.views.outcomes`): they hold aggregates only, nothing a link from elsewhere could make
anyone disclose. An invalid choice answers the page with its errors (400).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import translation
from django.views.decorators.http import require_GET

from polku.core.decorators import acting_membership, membership_required
from polku.core.models import Membership
from polku.evaluation.cohort import EVALUATION_ROLES
from polku.evaluation.definitions import sections
from polku.evaluation.esf import report as esf_files
from polku.evaluation.esf.forms import MIN_MONTHS, EsfReportForm
from polku.evaluation.esf.selectors import (
    EsfReport,
    esf_programmes,
    esf_report,
    refused_programme,
)


def _report(request: HttpRequest, form: EsfReportForm) -> EsfReport:
    start, end = form.period()
    return esf_report(
        acting_membership(request),
        programme=form.cleaned_data["programme"],
        period_from=start,
        period_to=end,
    )


def _page(request: HttpRequest, form: EsfReportForm, *, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "report": None, "min_months": MIN_MONTHS}
    if form.is_bound and form.is_valid():
        context |= esf_files.context(_report(request, form))
        context["query"] = urlencode(form.query())
    else:
        context["no_programmes"] = not form.fields["programme"].queryset.exists()  # type: ignore[attr-defined]
    return render(request, "evaluation/esf/page.html", context, status=status)


def _viewer(request: HttpRequest) -> Membership:
    """The acting membership; PermissionDenied (403) for another organisation's programme."""
    viewer = acting_membership(request)
    if refused_programme(viewer, request.GET.get("programme")):
        raise PermissionDenied
    return viewer


@require_GET
@membership_required(EVALUATION_ROLES)
def esf(request: HttpRequest) -> HttpResponse:
    """The report page. With no programme chosen and only one programme, that one is shown."""
    viewer = _viewer(request)
    data: Any = request.GET or None
    if data is None:
        only = list(esf_programmes(viewer)[:2])
        if len(only) == 1:
            data = {"programme": only[0].code}
    form = EsfReportForm(data, viewer=viewer)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return _page(request, form, status=status)


def file_language(request: HttpRequest) -> str:
    """`?lang=` if Polku writes reports in it (fi, sv, en); otherwise the page's language."""
    wanted = request.GET.get("lang") or translation.get_language() or ""
    return wanted if wanted in esf_files.LANGUAGES else "en"


def _download(request: HttpRequest, *, extension: str) -> HttpResponse:
    form = EsfReportForm(request.GET, viewer=_viewer(request))
    if not form.is_valid():
        return _page(request, form, status=400)
    report = _report(request, form)
    language = file_language(request)
    if extension == "pdf":
        response = HttpResponse(
            esf_files.esf_pdf(report, language=language), content_type="application/pdf"
        )
    else:
        response = HttpResponse(
            esf_files.esf_xlsx(report, language=language),
            content_type=esf_files.XLSX_CONTENT_TYPE,
        )
    name = esf_files.filename(report, language=language, extension=extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@membership_required(EVALUATION_ROLES)
def esf_xlsx(request: HttpRequest) -> HttpResponse:
    """The report as an XLSX workbook in fi, sv or en (`?lang=`)."""
    return _download(request, extension="xlsx")


@require_GET
@membership_required(EVALUATION_ROLES)
def esf_pdf(request: HttpRequest) -> HttpResponse:
    """The report as an A4 PDF in fi, sv or en (`?lang=`)."""
    return _download(request, extension="pdf")


@require_GET
@membership_required(EVALUATION_ROLES)
def definitions(request: HttpRequest) -> HttpResponse:
    """Every evaluation figure's definition, by area, each under an anchor of its key."""
    return render(request, "evaluation/definitions.html", {"sections": sections()})


urlpatterns: list[URLPattern] = [
    path("esf/", esf, name="esf"),
    path("esf/report.xlsx", esf_xlsx, name="esf_xlsx"),
    path("esf/report.pdf", esf_pdf, name="esf_pdf"),
    path("definitions/", definitions, name="definitions"),
]
