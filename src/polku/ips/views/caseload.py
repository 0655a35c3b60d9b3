"""The specialist's caseload and time, and the programme's caseloads per specialist.

`ips:caseload` is the employment specialist's own page: their open cases by client (read under
the access policy and logged), the count against the IPS limit of 20, their time this week and in
the four weeks before, and a form to record time (`ips:time_new`). `ips:caseloads` shows the
programme staff (IPS_PROGRAMME_ROLES) each specialist's counts only.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.core import disclosure, roles
from polku.core.decorators import acting_membership, membership_required, posted, submit
from polku.core.models import Membership
from polku.ips.forms.caseload import ProgrammeFilterForm, TimeEntryForm
from polku.ips.selectors import caseload as selectors
from polku.ips.selectors.client import RAPID_SEARCH_DAYS
from polku.ips.services.time import time_entry_record

SPECIALIST = [roles.Role.EMPLOYMENT_SPECIALIST]


def _caseload_context(viewer: Membership, form: TimeEntryForm) -> dict[str, object]:
    return {
        "caseload": selectors.caseload_of(viewer),
        "time": selectors.time_summary(viewer),
        "entries": selectors.recent_time_entries(viewer),
        "form": form,
        "rapid_search_days": RAPID_SEARCH_DAYS,
    }


@require_GET
@membership_required(SPECIALIST)
def caseload(request: HttpRequest) -> HttpResponse:
    viewer = acting_membership(request)
    return render(request, "ips/caseload.html", _caseload_context(viewer, TimeEntryForm()))


@require_http_methods(["GET", "POST"])
@membership_required(SPECIALIST)
def time_new(request: HttpRequest) -> HttpResponse:
    """Record the specialist's own time; on errors, the form again on a page of its own."""
    actor = acting_membership(request)
    form = TimeEntryForm(posted(request))
    if submit(
        request,
        form,
        lambda **values: time_entry_record(actor=actor, **values),
        _("The time was recorded."),
    ):
        return redirect("ips:caseload")
    return render(request, "ips/caseload_time.html", {"form": form})


@require_GET
@membership_required(roles.IPS_PROGRAMME_ROLES)
def caseloads(request: HttpRequest) -> HttpResponse:
    """Each specialist's caseload against the limit: counts only, small counts suppressed."""
    form = ProgrammeFilterForm(request.GET or None)
    programme = form.cleaned_data["programme"] if form.is_valid() else None
    return render(
        request,
        "ips/caseloads.html",
        {
            "form": form,
            "figures": selectors.caseloads(programme=programme),
            "threshold": disclosure.THRESHOLD,
        },
    )


urlpatterns: list[URLPattern] = [
    path("caseload/", caseload, name="caseload"),
    path("caseload/time/", time_new, name="time_new"),
    path("caseloads/", caseloads, name="caseloads"),
]
