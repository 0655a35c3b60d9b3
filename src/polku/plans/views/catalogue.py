"""Pages: the service catalogue — browse, a service's page, edit, HSDS import and export.

Not personal data: every staff member with an active membership reads it, and no page writes
the read-access log. Organisation admins and coordinators edit their organisation's services
and locations; organisation admins import (see plans/services/catalogue.py).
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.core.categories import DataCategory
from polku.core.decorators import acting_membership, membership_required, posted, submit
from polku.plans import hsds
from polku.plans.forms.catalogue import (
    CatalogueFilterForm,
    CatalogueImportConfirmForm,
    CatalogueImportForm,
    LocationForm,
    ServiceForm,
    language_name,
)
from polku.plans.models import Location, Service, ServiceStatus
from polku.plans.selectors import catalogue as selectors
from polku.plans.services import catalogue as services

PAGE_SIZE = 25
# An uploaded file waits here between the preview and the confirmation: in the shared
# database cache, so any application process can finish the import.
IMPORT_CACHE_PREFIX = "polku:catalogue-import:"
IMPORT_SESSION_KEY = "polku_catalogue_import"
IMPORT_WAIT_SECONDS = 30 * 60


def _filters(form: CatalogueFilterForm) -> selectors.ServiceFilters:
    if not form.is_valid():
        return selectors.ServiceFilters()
    data = form.cleaned_data
    active = {"": True, "inactive": False, "all": None}[data["status"]]
    return selectors.ServiceFilters(
        kind=data["kind"],
        language=data["language"],
        organisation=data["organisation"].pk if data["organisation"] else None,
        text=data["q"],
        active=active,
    )


@require_GET
@membership_required()
def catalogue(request: HttpRequest) -> HttpResponse:
    viewer = acting_membership(request)
    form = CatalogueFilterForm(request.GET)
    found = selectors.services_visible_to(viewer, filters=_filters(form))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "plans/catalogue_list.html",
        {
            "form": form,
            "page": page,
            "query": urlencode(params),
            "can_add": services.can_edit_catalogue(viewer, viewer.organisation_id),
            "can_import": services.can_import_catalogue(viewer),
        },
    )


def _service_or_404(request: HttpRequest, service_id: int) -> Service:
    try:
        return selectors.service_get(acting_membership(request), service_id)
    except Service.DoesNotExist:
        raise Http404 from None


@require_GET
@membership_required()
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    viewer = acting_membership(request)
    service = _service_or_404(request, service_id)
    return render(
        request,
        "plans/catalogue_service_detail.html",
        {
            "service": service,
            "languages": [language_name(code) for code in service.languages],
            "categories": [DataCategory(c).label for c in service.referral_categories],
            "links": list(service.at_locations.all()),
            "can_edit": services.can_edit_catalogue(viewer, service.organisation_id),
            "is_active": service.status == ServiceStatus.ACTIVE,
        },
    )


def _service_initial(service: Service) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: "" if getattr(service, name) is None else getattr(service, name)
        for name in ServiceForm.base_fields
        if name not in {"languages", "locations"}
    }
    initial["languages"] = ", ".join(service.languages)
    initial["locations"] = [link.location for link in service.at_locations.all()]
    return initial


def _service_form(
    request: HttpRequest, service: Service | None, organisation_id: int
) -> HttpResponse:
    actor = acting_membership(request)
    if not services.can_edit_catalogue(actor, organisation_id):
        raise PermissionDenied
    organisation = service.organisation if service else actor.organisation
    initial = _service_initial(service) if service else {}
    form = ServiceForm(posted(request), initial=initial, organisation=organisation)
    saved: list[Service] = []

    def save(**data: Any) -> None:
        saved.append(
            services.service_save(actor=actor, service=service, organisation=organisation, **data)
        )

    done = _("The service was saved.")
    if submit(request, form, save, done):
        return redirect("plans:service_detail", service_id=saved[0].pk)
    return render(request, "plans/catalogue_service_form.html", {"form": form, "service": service})


@require_http_methods(["GET", "POST"])
@membership_required()
def service_new(request: HttpRequest) -> HttpResponse:
    return _service_form(request, None, acting_membership(request).organisation_id)


@require_http_methods(["GET", "POST"])
@membership_required()
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service_or_404(request, service_id)
    return _service_form(request, service, service.organisation_id)


@require_POST
@membership_required()
def service_status(request: HttpRequest, service_id: int) -> HttpResponse:
    """Deactivate or reactivate a service (one button on its page)."""
    actor = acting_membership(request)
    service = _service_or_404(request, service_id)
    if request.POST.get("status") == ServiceStatus.ACTIVE:
        services.service_activate(actor=actor, service=service)
        messages.success(request, _("The service is active again."))
    else:
        services.service_deactivate(actor=actor, service=service)
        messages.success(request, _("The service was deactivated."))
    return redirect("plans:service_detail", service_id=service.pk)


def _location_form(request: HttpRequest, location: Location | None) -> HttpResponse:
    actor = acting_membership(request)
    organisation_id = location.organisation_id if location else actor.organisation_id
    if not services.can_edit_catalogue(actor, organisation_id):
        raise PermissionDenied
    organisation = location.organisation if location else actor.organisation
    initial = (
        {name: getattr(location, name) for name in LocationForm.base_fields} if location else {}
    )
    form = LocationForm(posted(request), initial=initial)
    if submit(
        request,
        form,
        lambda **data: services.location_save(
            actor=actor, location=location, organisation=organisation, **data
        ),
        _("The location was saved."),
    ):
        return redirect("plans:catalogue")
    return render(
        request, "plans/catalogue_location_form.html", {"form": form, "location": location}
    )


@require_http_methods(["GET", "POST"])
@membership_required()
def location_new(request: HttpRequest) -> HttpResponse:
    return _location_form(request, None)


@require_http_methods(["GET", "POST"])
@membership_required()
def location_edit(request: HttpRequest, location_id: int) -> HttpResponse:
    try:
        location = selectors.location_get(acting_membership(request), location_id)
    except Location.DoesNotExist:
        raise Http404 from None
    return _location_form(request, location)


def _stash_upload(request: HttpRequest, data: bytes, filename: str) -> str:
    # One waiting file per session: a new upload replaces the previous one, so repeated
    # previews cannot pile files of up to 20 MB into the shared database cache.
    previous = request.session.get(IMPORT_SESSION_KEY)
    if previous:
        cache.delete(IMPORT_CACHE_PREFIX + str(previous))
    token = secrets.token_urlsafe(24)
    cache.set(IMPORT_CACHE_PREFIX + token, (request.user.pk, filename, data), IMPORT_WAIT_SECONDS)
    request.session[IMPORT_SESSION_KEY] = token
    return token


def _stashed_upload(request: HttpRequest, token: str) -> tuple[str, bytes] | None:
    """The file uploaded for preview, if this session uploaded it and it has not expired."""
    if not token or request.session.get(IMPORT_SESSION_KEY) != token:
        return None
    stashed = cache.get(IMPORT_CACHE_PREFIX + token)
    if stashed is None or stashed[0] != request.user.pk:
        return None
    return stashed[1], stashed[2]


@require_http_methods(["GET", "POST"])
@membership_required()
def catalogue_import(request: HttpRequest) -> HttpResponse:
    """Upload → a dry run showing every error or the changes → confirm → import."""
    actor = acting_membership(request)
    if not services.can_import_catalogue(actor):
        raise PermissionDenied
    context: dict[str, Any] = {"superuser": actor.user.is_superuser}
    if request.method == "POST" and "token" in request.POST:
        confirm = CatalogueImportConfirmForm(request.POST)
        stashed = _stashed_upload(request, request.POST.get("token", ""))
        if not confirm.is_valid() or stashed is None:
            messages.error(request, _("The uploaded file has expired. Upload it again."))
            return redirect("plans:catalogue_import")
        filename, data = stashed
        report = services.catalogue_import(actor=actor, data=data, filename=filename)
        if report.written:
            cache.delete(IMPORT_CACHE_PREFIX + confirm.cleaned_data["token"])
            request.session.pop(IMPORT_SESSION_KEY, None)
            messages.success(request, _("The catalogue was imported."))
            return redirect("plans:catalogue")
        context |= {"form": CatalogueImportForm(), "report": report, "filename": filename}
        return render(request, "plans/catalogue_import.html", context)
    form = CatalogueImportForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        report = services.catalogue_import(
            actor=actor, data=data, filename=upload.name, dry_run=True
        )
        context |= {"report": report, "filename": upload.name}
        if report.ok:
            context["confirm"] = CatalogueImportConfirmForm(
                initial={"token": _stash_upload(request, data, upload.name)}
            )
    context["form"] = form
    return render(request, "plans/catalogue_import.html", context)


@require_GET
@membership_required()
def catalogue_export(request: HttpRequest) -> HttpResponse:
    """The whole catalogue as HSDS: tabular zip (default) or JSON (?format=json)."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    if request.GET.get("format") == "json":
        response = HttpResponse(hsds.export_json(), content_type="application/json")
        filename = f"polku-catalogue-{stamp}.json"
    else:
        response = HttpResponse(hsds.export_zip(), content_type="application/zip")
        filename = f"polku-catalogue-{stamp}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns: list[URLPattern] = [
    path("catalogue/", catalogue, name="catalogue"),
    path("catalogue/new/", service_new, name="service_new"),
    path("catalogue/import/", catalogue_import, name="catalogue_import"),
    path("catalogue/export/", catalogue_export, name="catalogue_export"),
    path("catalogue/locations/new/", location_new, name="location_new"),
    path("catalogue/locations/<int:location_id>/edit/", location_edit, name="location_edit"),
    path("catalogue/<int:service_id>/", service_detail, name="service_detail"),
    path("catalogue/<int:service_id>/edit/", service_edit, name="service_edit"),
    path("catalogue/<int:service_id>/status/", service_status, name="service_status"),
]
