"""The IPS programme pages: programmes with IPS cases, a programme's computed fidelity
indicators and reviews, and the review pages (scoring, completing, PDF and XLSX reports).

Everything here is aggregate: figures over a programme's staff, cases and placements, and
reviews of the service. Programme staff (`roles.IPS_PROGRAMME_ROLES`) read it; programme
managers and evaluators review (`roles.FIDELITY_REVIEWER_ROLES`).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.clients.models import Programme
from polku.core import disclosure, roles
from polku.core.decorators import acting_membership, form_errors_from, membership_required, posted
from polku.ips.fidelity import indicators, published, report, services
from polku.ips.fidelity import selectors as fidelity_selectors
from polku.ips.fidelity.bands import MAX_TOTAL, MIN_TOTAL, THRESHOLDS, band_range
from polku.ips.fidelity.items import ITEMS, DataSupport, item
from polku.ips.forms.fidelity import PeriodForm, ReviewForm, ScoresForm
from polku.ips.models import FidelityReview

READERS = roles.IPS_PROGRAMME_ROLES
REVIEWERS = roles.FIDELITY_REVIEWER_ROLES


def _programme_or_404(pk: int) -> Programme:
    try:
        return fidelity_selectors.programme_get(pk)
    except Programme.DoesNotExist:
        raise Http404 from None


def _line_or_404(review_id: uuid.UUID) -> fidelity_selectors.ReviewLine:
    try:
        return fidelity_selectors.review_line(review_id)
    except FidelityReview.DoesNotExist:
        raise Http404 from None


def bands_table() -> list[dict[str, object]]:
    """The bands with their totals, highest first, for the legend under the chart."""
    return [{"band": band, "range": band_range(band)} for _lowest, band in THRESHOLDS]


@require_GET
@membership_required(READERS)
def programme_list(request: HttpRequest) -> HttpResponse:
    """The programmes that have IPS cases, with their latest completed review."""
    programmes = list(fidelity_selectors.programmes_with_cases())
    latest = fidelity_selectors.latest_completed_by_programme(programmes)
    rows = [
        {
            "programme": p,
            # People: fewer than five are shown as "<5" (core.disclosure).
            "open_cases": disclosure.protect([], getattr(p, "open_cases"))[1],  # noqa: B009
            "latest": latest.get(p.pk),
        }
        for p in programmes
    ]
    return render(
        request,
        "ips/programme_list.html",
        {"rows": rows, "threshold": disclosure.THRESHOLD},
    )


@require_GET
@membership_required(READERS)
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme's computed fidelity indicators over a chosen period, its reviews and their
    chart."""
    viewer = acting_membership(request)
    programme = _programme_or_404(pk)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    # Exact figures, shown with disclosure control: counts of 1–4 people as "<5".
    result = published.publish(indicators.compute(programme, start, end))
    lines = fidelity_selectors.reviews_of(programme)
    computed = {i.item: i for i in result.indicators}
    return render(
        request,
        "ips/programme_detail.html",
        {
            "programme": programme,
            "form": form,
            "result": result,
            "items": [(i, computed.get(i.number)) for i in ITEMS],
            "data_support": DataSupport,
            "reviews": lines,
            "latest": fidelity_selectors.latest_completed(lines),
            "chart": fidelity_selectors.history_chart(lines),
            "bands": bands_table(),
            "min_total": MIN_TOTAL,
            "max_total": MAX_TOTAL,
            "can_review": services.can_review(viewer),
            "threshold": disclosure.THRESHOLD,
        },
    )


@require_http_methods(["GET", "POST"])
@membership_required(REVIEWERS)
def review_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a review of the programme: the suggestions are computed from the period's data."""
    viewer = acting_membership(request)
    programme = _programme_or_404(pk)
    start, end = indicators.default_period()
    form = ReviewForm(
        posted(request),
        initial={"review_date": timezone.localdate(), "period_start": start, "period_end": end},
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.fidelity_review_create(
                actor=viewer, programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("The review was opened with the suggestions from the data. Score every item."),
            )
            return redirect("ips:fidelity_scores", review_id=review.pk)
    return render(request, "ips/fidelity_review_new.html", {"programme": programme, "form": form})


@require_GET
@membership_required(READERS)
def review_detail(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    """A review: its items by section with suggestions, scores and evidence; total and band."""
    viewer = acting_membership(request)
    line = _line_or_404(review_id)
    rows = {row.item: row for row in line.review.scores.all()}
    sections = [
        (section, [(i, rows.get(i.number)) for i in ITEMS if i.section == section])
        for section in dict.fromkeys(i.section for i in ITEMS)
    ]
    return render(
        request,
        "ips/fidelity_review.html",
        {
            "line": line,
            "review": line.review,
            "sections": sections,
            "can_edit": services.can_edit(viewer, line.review),
            "languages": report.LANGUAGES,
            "bands": bands_table(),
        },
    )


@require_http_methods(["GET", "POST"])
@membership_required(REVIEWERS)
def review_scores(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    """Score the items. "Use the suggestion" on an item saves the form with that item's score
    set to what the data suggested; nothing is filled in otherwise."""
    viewer = acting_membership(request)
    line = _line_or_404(review_id)
    review = line.review
    detail = reverse("ips:fidelity_review", kwargs={"review_id": review.pk})
    if review.organisation_id != viewer.organisation_id:
        raise PermissionDenied
    if not services.can_edit(viewer, review):
        messages.info(request, _("This review has been completed and can no longer be changed."))
        return redirect(detail)
    rows = list(review.scores.all())
    form = ScoresForm(posted(request), rows=rows, notes=review.notes)
    if request.method == "POST" and form.is_valid():
        use = _item_number(request.POST.get("use_suggestion", ""))
        try:
            services.fidelity_scores_update(
                actor=viewer,
                review=review,
                scores=form.entries(use_suggestion=use),
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            if use is not None:
                messages.success(
                    request,
                    _("Saved. Item %(number)d now has the suggested score.") % {"number": use},
                )
                return redirect(f"{request.path}#item-{use}")
            messages.success(request, _("The scores were saved."))
            return redirect(detail)
    return render(
        request, "ips/fidelity_scores.html", {"line": line, "review": review, "form": form}
    )


def _item_number(value: str) -> int | None:
    try:
        number = int(value)
        item(number)
    except (ValueError, KeyError):
        return None
    return number


@require_POST
@membership_required(REVIEWERS)
def review_complete(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    """Complete the review once every item is scored; it is read-only afterwards."""
    viewer = acting_membership(request)
    review = _line_or_404(review_id).review
    try:
        services.fidelity_review_complete(actor=viewer, review=review)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The review was completed."))
    return redirect("ips:fidelity_review", review_id=review.pk)


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang", "")
    return language if language in report.LANGUAGES else report.DEFAULT_LANGUAGE


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@membership_required(READERS)
def review_pdf(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    """The review as an A4 PDF in the chosen language (`?lang=fi|sv|en`). No personal data:
    a GET is enough."""
    line = _line_or_404(review_id)
    language = _language(request)
    return _download(
        report.review_pdf(line, language=language),
        "application/pdf",
        report.filename(line, language=language, extension="pdf"),
    )


@require_GET
@membership_required(READERS)
def review_xlsx(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    """The review and the computed indicators as an XLSX workbook (`?lang=fi|sv|en`)."""
    line = _line_or_404(review_id)
    language = _language(request)
    return _download(
        report.review_xlsx(line, language=language),
        report.XLSX_CONTENT_TYPE,
        report.filename(line, language=language, extension="xlsx"),
    )


REVIEW = "fidelity-reviews/<uuid:review_id>/"

urlpatterns: list[URLPattern] = [
    path("", programme_list, name="programme"),
    path("programmes/<int:pk>/", programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/reviews/new/", review_new, name="fidelity_review_new"),
    path(REVIEW, review_detail, name="fidelity_review"),
    path(f"{REVIEW}scores/", review_scores, name="fidelity_scores"),
    path(f"{REVIEW}complete/", review_complete, name="fidelity_complete"),
    path(f"{REVIEW}report.pdf", review_pdf, name="fidelity_pdf"),
    path(f"{REVIEW}report.xlsx", review_xlsx, name="fidelity_xlsx"),
]
