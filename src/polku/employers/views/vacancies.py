"""Pages of vacancies: the list (open ones whose deadline has not passed, by default) with its
filters, a vacancy's page, and the forms that add and change one."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.core.decorators import acting_membership, form_errors_from, membership_required, posted
from polku.employers.forms.common import industry_label, occupation_label
from polku.employers.forms.vacancies import VacancyFilterForm, VacancyForm
from polku.employers.languages import language_name
from polku.employers.models import Employer, Vacancy, VacancyStatus
from polku.employers.permissions import READ_ROLES, WRITE_ROLES, can_write
from polku.employers.selectors import register as register_selectors
from polku.employers.selectors import vacancies as selectors
from polku.employers.services import vacancies as services
from polku.employers.views.common import area
from polku.employers.views.register import employer_or_404

PAGE_SIZE = 25


def _filters(form: VacancyFilterForm, employer: Employer | None) -> selectors.VacancyFilters:
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or VacancyStatus.OPEN
    past_too = data.get("include_past_deadline", False)
    return selectors.VacancyFilters(
        status=status,
        isco=data.get("isco", ""),
        municipality=data.get("municipality", ""),
        working_time=data.get("working_time", ""),
        language=data.get("language", ""),
        employer=employer.pk if employer else None,
        open_on=timezone.localdate() if status == VacancyStatus.OPEN and not past_too else None,
        text=data.get("q", ""),
    )


@require_GET
@membership_required(READ_ROLES)
def vacancy_list(request: HttpRequest) -> HttpResponse:
    viewer = acting_membership(request)
    form = VacancyFilterForm(request.GET, municipalities=register_selectors.municipalities(viewer))
    employer = None
    if request.GET.get("employer"):
        try:
            employer = employer_or_404(request, uuid.UUID(request.GET["employer"]))
        except ValueError:
            raise Http404 from None
    found = selectors.vacancies_visible_to(viewer, filters=_filters(form, employer))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "employers/vacancy_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(v, occupation_label(v.isco_code)) for v in page.object_list],
            "employer": employer,
            "query": urlencode(params),
            "today": timezone.localdate(),
        }
        | area(request, "" if employer else "vacancies"),
    )


def _vacancy_or_404(request: HttpRequest, vacancy_id: uuid.UUID) -> Vacancy:
    try:
        return selectors.vacancy_get(acting_membership(request), vacancy_id)
    except Vacancy.DoesNotExist:
        raise Http404 from None


@require_GET
@membership_required(READ_ROLES)
def vacancy_detail(request: HttpRequest, vacancy_id: uuid.UUID) -> HttpResponse:
    vacancy = _vacancy_or_404(request, vacancy_id)
    return render(
        request,
        "employers/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "occupation": occupation_label(vacancy.isco_code),
            "industry": industry_label(vacancy.employer.industry),
            "languages": [language_name(code) for code in vacancy.languages],
            "today": timezone.localdate(),
        }
        | area(request),
    )


def _vacancy_form(
    request: HttpRequest, employer: Employer, vacancy: Vacancy | None
) -> HttpResponse:
    actor = acting_membership(request)
    if not can_write(actor):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if vacancy is not None:
        values = {
            name: getattr(vacancy, name)
            for name in VacancyForm.base_fields
            if name not in {"offered_languages", "other_languages"}
        }
        initial = VacancyForm.initial_from(values, list(vacancy.languages))
    form = VacancyForm(
        posted(request),
        initial=initial,
        workplaces=employer.locations.all(),
        current_isco=vacancy.isco_code if vacancy else "",
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.vacancy_save(
                actor=actor, employer=employer, vacancy=vacancy, **form.service_values()
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "languages" in error.error_dict:
                error.error_dict["other_languages"] = error.error_dict.pop("languages")
            form_errors_from(form, error)
        else:
            messages.success(request, _("The vacancy was saved."))
            return redirect("employers:vacancy_detail", vacancy_id=saved.pk)
    return render(
        request,
        "employers/vacancy_form.html",
        {"form": form, "employer": employer, "vacancy": vacancy},
    )


@require_http_methods(["GET", "POST"])
@membership_required(WRITE_ROLES)
def vacancy_new(request: HttpRequest, employer_id: uuid.UUID) -> HttpResponse:
    return _vacancy_form(request, employer_or_404(request, employer_id), None)


@require_http_methods(["GET", "POST"])
@membership_required(WRITE_ROLES)
def vacancy_edit(request: HttpRequest, vacancy_id: uuid.UUID) -> HttpResponse:
    vacancy = _vacancy_or_404(request, vacancy_id)
    return _vacancy_form(request, vacancy.employer, vacancy)


@require_GET
@membership_required(WRITE_ROLES)
def vacancy_start(request: HttpRequest) -> HttpResponse:
    """Add a vacancy from the vacancy list: choose the employer first."""
    actor = acting_membership(request)
    if not can_write(actor):
        raise PermissionDenied
    employers = register_selectors.active_employers(actor)
    chosen = request.GET.get("employer", "")
    error = ""
    if chosen:
        try:
            employer = employers.get(pk=uuid.UUID(chosen))
        except (ValueError, Employer.DoesNotExist):
            error = _("Choose an employer from the list.")
        else:
            return redirect("employers:vacancy_new", employer_id=employer.pk)
    return render(
        request,
        "employers/vacancy_start.html",
        {"employers": employers, "error": error, "chosen": chosen} | area(request),
    )


urlpatterns: list[URLPattern] = [
    path("vacancies/", vacancy_list, name="vacancies"),
    path("vacancies/new/", vacancy_start, name="vacancy_start"),
    path("vacancies/<uuid:vacancy_id>/", vacancy_detail, name="vacancy_detail"),
    path("vacancies/<uuid:vacancy_id>/edit/", vacancy_edit, name="vacancy_edit"),
    path("<uuid:employer_id>/vacancies/new/", vacancy_new, name="vacancy_new"),
]
