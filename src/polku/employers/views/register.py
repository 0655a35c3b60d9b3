"""Pages of the employer register: the list, an employer's page, and the forms that add and
change employers, their workplaces, contact persons and agreed services.

Not client data: every role that may read the register (permissions.py) sees all of it, and
nothing goes to the read-access log; employment specialists and employer liaisons write.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.core import disclosure
from polku.core.api_support import MAX_ID
from polku.core.decorators import acting_membership, membership_required, posted, submit
from polku.employers.forms.common import industry_label, yes_no
from polku.employers.forms.register import (
    AgreementForm,
    EmployerFilterForm,
    EmployerForm,
    LocationForm,
    PersonForm,
)
from polku.employers.models import Employer, EmployerLocation, EmployerPerson
from polku.employers.permissions import READ_ROLES, WRITE_ROLES, can_write
from polku.employers.selectors import register as selectors
from polku.employers.services import register as services
from polku.employers.views.common import area

PAGE_SIZE = 25
Part = TypeVar("Part", EmployerLocation, EmployerPerson)


def employer_or_404(request: HttpRequest, employer_id: uuid.UUID) -> Employer:
    try:
        return selectors.employer_get(acting_membership(request), employer_id)
    except Employer.DoesNotExist:
        raise Http404 from None


def _part_or_none(model: type[Part], employer: Employer, part_id: int) -> Part | None:
    """The employer's own workplace or person with this id (an id too large for the database
    names nothing)."""
    if part_id > MAX_ID:
        return None
    return model.objects.filter(employer=employer, pk=part_id).first()


def _require_write(request: HttpRequest) -> None:
    if not can_write(acting_membership(request)):
        raise PermissionDenied


def _filters(form: EmployerFilterForm) -> selectors.EmployerFilters:
    if not form.is_valid():
        return selectors.EmployerFilters()
    data = form.cleaned_data
    return selectors.EmployerFilters(
        text=data["q"],
        industry=data["industry"],
        size_class=data["size_class"],
        social_enterprise=yes_no(data["social_enterprise"]),
        municipality=data["municipality"],
        active={"": True, "inactive": False, "all": None}[data["status"]],
    )


@require_GET
@membership_required(READ_ROLES)
def employer_list(request: HttpRequest) -> HttpResponse:
    viewer = acting_membership(request)
    form = EmployerFilterForm(request.GET, municipalities=selectors.municipalities(viewer))
    found = selectors.employers_visible_to(viewer, filters=_filters(form))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "employers/employer_list.html",
        {
            "form": form,
            "page": page,
            "rows": [
                (
                    employer,
                    industry_label(employer.industry),
                    ", ".join(dict.fromkeys(w.municipality for w in employer.locations.all())),
                )
                for employer in page.object_list
            ],
            "query": urlencode(params),
        }
        | area(request, "employers"),
    )


@require_GET
@membership_required(READ_ROLES)
def employer_detail(request: HttpRequest, employer_id: uuid.UUID) -> HttpResponse:
    viewer = acting_membership(request)
    employer = employer_or_404(request, employer_id)
    return render(
        request,
        "employers/employer_detail.html",
        {
            "employer": employer,
            "industry": industry_label(employer.industry),
            "details": selectors.employer_page(viewer, employer),
            "small_count": disclosure.SMALL,
            "today": timezone.localdate(),
        }
        | area(request),
    )


def _employer_form(request: HttpRequest, employer: Employer | None) -> HttpResponse:
    actor = acting_membership(request)
    _require_write(request)
    initial = (
        {name: getattr(employer, name) for name in EmployerForm.base_fields} if employer else {}
    )
    form = EmployerForm(posted(request), initial=initial)
    saved: list[Employer] = []

    def save(**data: Any) -> None:
        saved.append(services.employer_save(actor=actor, employer=employer, **data))

    done = _("The employer was saved.")
    if submit(request, form, save, done):
        return redirect("employers:employer_detail", employer_id=saved[0].pk)
    return render(request, "employers/employer_form.html", {"form": form, "employer": employer})


@require_http_methods(["GET", "POST"])
@membership_required(WRITE_ROLES)
def employer_new(request: HttpRequest) -> HttpResponse:
    return _employer_form(request, None)


@require_http_methods(["GET", "POST"])
@membership_required(WRITE_ROLES)
def employer_edit(request: HttpRequest, employer_id: uuid.UUID) -> HttpResponse:
    return _employer_form(request, employer_or_404(request, employer_id))


def _part_form(
    request: HttpRequest,
    employer: Employer,
    *,
    form: Any,
    action: Any,
    done: str,
    heading: str,
) -> HttpResponse:
    if submit(request, form, action, done):
        return redirect("employers:employer_detail", employer_id=employer.pk)
    return render(
        request,
        "employers/part_form.html",
        {"form": form, "employer": employer, "heading": heading},
    )


@require_http_methods(["GET", "POST"])
@membership_required(WRITE_ROLES)
def location_form(
    request: HttpRequest, employer_id: uuid.UUID, location_id: int | None = None
) -> HttpResponse:
    employer = employer_or_404(request, employer_id)
    _require_write(request)
    location = None
    if location_id is not None:
        location = _part_or_none(EmployerLocation, employer, location_id)
        if location is None:
            raise Http404
    initial = (
        {name: getattr(location, name) for name in LocationForm.base_fields} if location else {}
    )
    return _part_form(
        request,
        employer,
        form=LocationForm(posted(request), initial=initial),
        action=partial(
            services.location_save,
            actor=acting_membership(request),
            employer=employer,
            location=location,
        ),
        done=_("The workplace was saved."),
        heading=_("Edit the workplace") if location else _("Add a workplace"),
    )


@require_http_methods(["GET", "POST"])
@membership_required(WRITE_ROLES)
def person_form(
    request: HttpRequest, employer_id: uuid.UUID, person_id: int | None = None
) -> HttpResponse:
    employer = employer_or_404(request, employer_id)
    _require_write(request)
    person = None
    if person_id is not None:
        person = _part_or_none(EmployerPerson, employer, person_id)
        if person is None:
            raise Http404
    initial = {name: getattr(person, name) for name in PersonForm.base_fields} if person else {}
    return _part_form(
        request,
        employer,
        form=PersonForm(posted(request), initial=initial),
        action=partial(
            services.person_save,
            actor=acting_membership(request),
            employer=employer,
            person=person,
        ),
        done=_("The contact person was saved."),
        heading=_("Edit the contact person") if person else _("Add a contact person"),
    )


@require_POST
@membership_required(WRITE_ROLES)
def person_remove(request: HttpRequest, employer_id: uuid.UUID, person_id: int) -> HttpResponse:
    employer = employer_or_404(request, employer_id)
    _require_write(request)
    person = _part_or_none(EmployerPerson, employer, person_id)
    if person is None:
        raise Http404
    services.person_remove(actor=acting_membership(request), person=person)
    messages.success(request, _("The contact person was removed from the register."))
    return redirect("employers:employer_detail", employer_id=employer.pk)


@require_http_methods(["GET", "POST"])
@membership_required(WRITE_ROLES)
def agreement_new(request: HttpRequest, employer_id: uuid.UUID) -> HttpResponse:
    employer = employer_or_404(request, employer_id)
    _require_write(request)
    return _part_form(
        request,
        employer,
        form=AgreementForm(posted(request)),
        action=partial(
            services.agreement_create, actor=acting_membership(request), employer=employer
        ),
        done=_("The service was recorded."),
        heading=_("Record a service agreed with the employer"),
    )


urlpatterns: list[URLPattern] = [
    path("", employer_list, name="list"),
    path("new/", employer_new, name="employer_new"),
    path("<uuid:employer_id>/", employer_detail, name="employer_detail"),
    path("<uuid:employer_id>/edit/", employer_edit, name="employer_edit"),
    path("<uuid:employer_id>/workplaces/new/", location_form, name="location_new"),
    path(
        "<uuid:employer_id>/workplaces/<int:location_id>/edit/",
        location_form,
        name="location_edit",
    ),
    path("<uuid:employer_id>/people/new/", person_form, name="person_new"),
    path("<uuid:employer_id>/people/<int:person_id>/edit/", person_form, name="person_edit"),
    path("<uuid:employer_id>/people/<int:person_id>/remove/", person_remove, name="person_remove"),
    path("<uuid:employer_id>/services/new/", agreement_new, name="agreement_new"),
]
