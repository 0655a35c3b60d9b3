"""Pages: the signed-in member's notifications, and marking them read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_POST

from polku.core.decorators import acting_membership, membership_required
from polku.plans.selectors import notifications as selectors
from polku.plans.services import notifications as services

PAGE_SIZE = 50


@require_GET
@membership_required()
def notification_list(request: HttpRequest) -> HttpResponse:
    """The member's notifications, unread first. The text is built now, from the kind and the
    linked record, and names no client: nothing here goes to the read-access log."""
    viewer = acting_membership(request)
    page = Paginator(selectors.notifications_of(viewer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "plans/notifications_list.html",
        {
            "page": page,
            "shown": [selectors.describe(n) for n in page.object_list],
            "unread": selectors.unread_count(viewer),
        },
    )


@require_POST
@membership_required()
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read; with `open`, go on to the page it links to."""
    viewer = acting_membership(request)
    notification = get_object_or_404(selectors.notifications_of(viewer), pk=notification_id)
    services.notification_mark_read(actor=viewer, notification=notification)
    target = selectors.describe(notification).url
    if request.POST.get("open") and target:
        return redirect(target)
    return redirect("plans:notifications")


@require_POST
@membership_required()
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(actor=acting_membership(request))
    return redirect("plans:notifications")


urlpatterns: list[URLPattern] = [
    path("notifications/", notification_list, name="notifications"),
    path("notifications/<int:notification_id>/read/", notification_read, name="notification_read"),
    path("notifications/read-all/", notifications_read_all, name="notifications_read_all"),
]
