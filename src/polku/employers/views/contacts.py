"""Pages of employer contacts: record one from the employer's page, record one quickly with an
employer picker (a specialist's daily action: today, a visit, for job development), and the
list of contacts with its filters."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.core.decorators import acting_membership, membership_required, posted, submit
from polku.employers.forms.contacts import (
    ContactFilterForm,
    InteractionForm,
    QuickInteractionForm,
)
from polku.employers.models import Employer
from polku.employers.permissions import READ_ROLES, WRITE_ROLES
from polku.employers.selectors import contacts as selectors
from polku.employers.selectors import register as register_selectors
from polku.employers.services import contacts as services
from polku.employers.views.common import area
from polku.employers.views.register import employer_or_404

PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
@membership_required(WRITE_ROLES)
def contact_new(request: HttpRequest, employer_id: uuid.UUID) -> HttpResponse:
    """Record a contact with the employer whose page the specialist came from."""
    actor = acting_membership(request)
    employer = employer_or_404(request, employer_id)
    form = InteractionForm(posted(request), people=employer.people.all())

    def record(**data: Any) -> None:
        services.interaction_record(actor=actor, employer=employer, **data)

    if submit(request, form, record, _("The employer contact was recorded.")):
        return redirect("employers:employer_detail", employer_id=employer.pk)
    return render(request, "employers/contact_form.html", {"form": form, "employer": employer})


@require_http_methods(["GET", "POST"])
@membership_required(WRITE_ROLES)
def contact_quick(request: HttpRequest) -> HttpResponse:
    """Record an employer contact, the employer chosen on the form."""
    actor = acting_membership(request)
    form = QuickInteractionForm(
        posted(request),
        recent=register_selectors.recently_contacted(actor),
        employers=register_selectors.active_employers(actor),
    )

    def record(*, employer: Employer, **data: Any) -> None:
        services.interaction_record(actor=actor, employer=employer, **data)

    if submit(request, form, record, _("The employer contact was recorded.")):
        if "another" in request.POST:
            return redirect("employers:contact_quick")
        return redirect("employers:contacts")
    return render(
        request, "employers/contact_form.html", {"form": form, "employer": None} | area(request)
    )


@require_GET
@membership_required(READ_ROLES)
def contact_list(request: HttpRequest) -> HttpResponse:
    viewer = acting_membership(request)
    form = ContactFilterForm(request.GET)
    employer = None
    if request.GET.get("employer"):
        try:
            employer = employer_or_404(request, uuid.UUID(request.GET["employer"]))
        except ValueError:
            raise Http404 from None
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.interactions_visible_to(
        viewer,
        employer=employer.pk if employer else None,
        specialist=viewer.pk if data.get("mine") else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        kind=data.get("kind", ""),
        purpose=data.get("purpose", ""),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "employers/contact_list.html",
        {
            "form": form,
            "page": page,
            "employer": employer,
            "query": urlencode(params),
        }
        | area(request, "" if employer else "contacts"),
    )


urlpatterns: list[URLPattern] = [
    path("contacts/", contact_list, name="contacts"),
    path("contacts/new/", contact_quick, name="contact_quick"),
    path("<uuid:employer_id>/contacts/new/", contact_new, name="contact_new"),
]
