"""The client's timeline tab: every organisation's events that the viewer may read, newest
first, filtered by type and by the organisation that recorded them (GET parameters)."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from polku.clients.models import Client
from polku.core import roles
from polku.core.decorators import acting_membership, membership_required
from polku.plans.forms.timeline import TimelineFilterForm
from polku.plans.selectors import timeline as selectors

CLIENT_WORK = roles.CLIENT_WORK_ROLES


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_GET
@membership_required(CLIENT_WORK)
def client_page(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    viewer = acting_membership(request)
    try:
        client, purpose = selectors.client_for_timeline(viewer, client_id)
    except Client.DoesNotExist:
        raise Http404 from None
    form = TimelineFilterForm(
        request.GET or None,
        organisations=selectors.organisations_on_timeline(viewer, client, purpose=purpose),
    )
    filters = form.filters()
    try:
        page = selectors.timeline_page(
            viewer, client, purpose=purpose, filters=filters, number=_page_number(request)
        )
    except selectors.PageOutOfRangeError:
        raise Http404 from None
    selectors.log_timeline(viewer, page)
    params: list[tuple[str, str | int]] = [("type", t) for t in sorted(filters.types)]
    if filters.organisation is not None:
        params.append(("organisation", filters.organisation))
    return render(
        request,
        "plans/timeline.html",
        {
            "client": client,
            "form": form,
            "page": page,
            "filtered": bool(filters.types) or filters.organisation is not None,
            "query": urlencode(params),
        },
    )


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/timeline/", client_page, name="timeline"),
]
