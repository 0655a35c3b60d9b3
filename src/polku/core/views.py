"""Kernel pages: choosing a membership, API tokens, staff, audit logs, health and errors."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.core import access_log, selectors, services
from polku.core.api_support import problem_response
from polku.core.auth import client_ip
from polku.core.decorators import (
    acting_membership,
    form_errors_from,
    membership_required,
    posted,
    submit,
)
from polku.core.forms import ApiTokenForm, MembershipChoiceForm, StaffMemberForm
from polku.core.middleware import SESSION_KEY
from polku.core.models import ApiToken, Membership
from polku.core.roles import Role

AUDIT_PAGE_SIZE = 50


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def membership_choose(request: HttpRequest) -> HttpResponse:
    memberships: list[Membership] = getattr(request, "memberships", [])
    form = MembershipChoiceForm(posted(request))
    form.fields["membership"].choices = [  # type: ignore[attr-defined]
        (m.pk, f"{m.organisation.name} — {m.get_role_display()}") for m in memberships
    ]
    current = getattr(request, "membership", None)
    if current is not None:
        form.initial["membership"] = current.pk
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.method == "POST" and form.is_valid():
        try:
            chosen = services.membership_select(
                user=request.user,  # type: ignore[arg-type]
                membership_id=form.cleaned_data["membership"],
                ip_address=client_ip(request),
            )
        except PermissionDenied:
            form.add_error("membership", _("Choose one of your active memberships."))
        else:
            request.session[SESSION_KEY] = chosen.pk
            messages.success(
                request,
                _("You now act as %(membership)s.")
                % {"membership": f"{chosen.organisation.name} — {chosen.get_role_display()}"},
            )
            return redirect(next_url if current is None else "/")
    return render(
        request,
        "core/membership_choose.html",
        {
            "form": form,
            "next": next_url,
            "memberships": memberships,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@membership_required()
def api_tokens(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = ApiTokenForm(posted(request))
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(membership__user=actor.user_id).select_related(
        "membership__organisation"
    )
    response = render(
        request, "core/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@membership_required()
def api_token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    token = get_object_or_404(
        ApiToken.objects.select_related("membership"),
        pk=token_id,
        membership__user=acting_membership(request).user_id,
    )
    services.api_token_revoke(actor=acting_membership(request), token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("core:tokens")


@require_http_methods(["GET", "POST"])
@membership_required([Role.ORGANISATION_ADMIN])
def staff_members(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = StaffMemberForm(posted(request))
    if submit(
        request,
        form,
        partial(services.staff_member_add, actor=actor),
        _("The staff member was added."),
    ):
        return redirect("core:members")
    return render(
        request,
        "core/staff_members.html",
        {
            "form": form,
            "members": selectors.memberships_of(actor),
        },
    )


@require_POST
@membership_required([Role.ORGANISATION_ADMIN])
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = acting_membership(request)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=actor.organisation_id)
    try:
        services.membership_end(actor=actor, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The membership was ended."))
    return redirect("core:members")


def _date_param(request: HttpRequest, name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@membership_required([Role.AUDITOR])
def audit_access_log(request: HttpRequest) -> HttpResponse:
    auditor = acting_membership(request)
    verification = access_log.verify() if request.method == "POST" else None
    reference = request.GET.get("client", "").strip().upper()
    entries = selectors.access_log_for_auditor(
        auditor,
        client_reference=reference,
        since=_date_param(request, "since"),
        until=_date_param(request, "until"),
    )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_access_log.html",
        {
            "page": page,
            "verification": verification,
            "reference": reference,
            "query": query.urlencode(),
            "since": request.GET.get("since", ""),
            "until": request.GET.get("until", ""),
            "rows": _with_references(list(page.object_list)),
        },
    )


def _with_references(entries: list[Any]) -> list[tuple[Any, str]]:
    references = selectors.client_references(e.client_id for e in entries if e.client_id)
    return [(entry, references.get(entry.client_id, "")) for entry in entries]


@require_GET
@membership_required([Role.AUDITOR])
def audit_changes(request: HttpRequest) -> HttpResponse:
    entries = selectors.changes_for_auditor(acting_membership(request))
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, sorted((entry.changes_dict or {}).keys())) for entry in page.object_list]
    return render(
        request,
        "core/audit_changes.html",
        {
            "page": page,
            "rows": rows,
            "actions": dict(LogEntry.Action.choices),
        },
    )


@require_GET
@membership_required([Role.AUDITOR])
def audit_security(request: HttpRequest) -> HttpResponse:
    events = selectors.security_events_for_auditor(acting_membership(request))
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_security.html",
        {"page": page, "rows": _with_references(list(page.object_list))},
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For operators and load balancers: the database answers and every migration is applied."""
    checks: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = "ok" if not pending else f"{len(pending)} pending"
    except DatabaseError:
        checks["database"] = "unreachable"
    healthy = checks.get("database") == "ok" and checks.get("migrations") == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """Replaces the Django admin's login form: everyone signs in through allauth."""
    target = request.GET.get("next", "/admin/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/admin/"
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect(target)
        raise PermissionDenied
    return redirect_to_login(target, login_url=reverse("account_login"))


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 400)
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 403)
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, 404)
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without the request's context: nothing that failed may be touched again, and
    # nothing of the failed request (let alone personal data) is shown.
    if _is_api(request):
        return problem_response(request, 500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)
