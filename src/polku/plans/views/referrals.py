"""Pages: a client's referrals, sending one, its history and answers, the inbox, the report."""

from __future__ import annotations

import csv
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.clients.models import Client
from polku.core import access, disclosure, roles
from polku.core.categories import DataCategory, Purpose
from polku.core.decorators import acting_membership, form_errors_from, membership_required, posted
from polku.core.models import AccessAction, Membership
from polku.plans.forms.referrals import InboxFilterForm, ReferralForm, ReportForm, TransitionForm
from polku.plans.models import Referral, Service, ServiceStatus
from polku.plans.selectors import referral_report as report_selectors
from polku.plans.selectors import referrals as selectors
from polku.plans.services import referrals as services

CLIENT_WORK = roles.CLIENT_WORK_ROLES
REPORT_ROLES = CLIENT_WORK | {roles.Role.PROGRAMME_MANAGER, roles.Role.EVALUATOR}
C = DataCategory


def _client_or_404(viewer: Membership, client_id: uuid.UUID) -> tuple[Client, str]:
    try:
        return selectors.client_for_referrals(viewer, client_id)
    except Client.DoesNotExist:
        raise Http404 from None


def _referral_or_404(viewer: Membership, referral_id: uuid.UUID) -> Referral:
    try:
        return selectors.referral_get(viewer, referral_id)
    except Referral.DoesNotExist:
        raise Http404 from None


@require_GET
@membership_required(CLIENT_WORK)
def client_page(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """The client's referrals tab: what the viewer's side may read, with timeliness."""
    viewer = acting_membership(request)
    client, purpose = _client_or_404(viewer, client_id)
    referrals = list(selectors.client_referrals(viewer, client))
    selectors.log_referrals(viewer, referrals, client=client, client_purpose=purpose)
    return render(
        request,
        "plans/referrals_client.html",
        {
            "client": client,
            "rows": selectors.rows_of(viewer, referrals),
            "can_send": purpose == Purpose.SERVICE and services.can_send(viewer, client),
        },
    )


def _referable_services(viewer: Membership) -> list[Service]:
    """Active services of other organisations that take referrals, whose every carried
    category the viewer's role may read (others could not be sent anyway)."""
    candidates = (
        Service.objects.filter(
            status=ServiceStatus.ACTIVE, accepts_referrals=True, organisation__is_active=True
        )
        .exclude(organisation=viewer.organisation_id)
        .select_related("organisation")
        .order_by("organisation__name", "name", "pk")
    )
    return [
        s
        for s in candidates
        if all(access.role_permits(viewer, c) for c in services.carried_categories(s))
    ]


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def referral_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """Choose a service, see what the referral carries and whether consents cover it, send."""
    actor = acting_membership(request)
    client, purpose = _client_or_404(actor, client_id)
    if purpose != Purpose.SERVICE or not services.can_send(actor, client):
        raise PermissionDenied
    referable = _referable_services(actor)
    shared = services.referral_consented_categories(client)
    coverage = [(s, services.consent_coverage(client, s, shared=shared)) for s in referable]
    catalogue = [
        (s, [C(c).label for c in cov.carried], [C(c).label for c in cov.missing])
        for s, cov in coverage
    ]
    form = ReferralForm(
        posted(request),
        services=Service.objects.filter(pk__in=[s.pk for s in referable]).select_related(
            "organisation"
        ),
        initial={"service": request.GET.get("service") or None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(actor=actor, client=client, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The referral was sent."))
            return redirect("plans:referral_detail", referral_id=referral.pk)
    selectors.log_referrals(viewer=actor, referrals=[], client=client, client_purpose=purpose)
    return render(
        request,
        "plans/referrals_new.html",
        {"client": client, "form": form, "catalogue": catalogue},
    )


def _detail(
    request: HttpRequest, referral: Referral, form: TransitionForm | None = None
) -> HttpResponse:
    viewer = acting_membership(request)
    statuses = services.statuses_open_to(viewer, referral)
    if form is None and statuses:
        form = TransitionForm(statuses=statuses)
    events = list(referral.events.select_related("by__user", "organisation"))
    selectors.log_referrals(viewer, [referral])
    return render(
        request,
        "plans/referrals_detail.html",
        {
            "referral": referral,
            "client": referral.client,
            "row": selectors.rows_of(viewer, [referral])[0],
            "events": events,
            "form": form,
            "carried": [C(c).label for c in referral.carried_categories],
            "is_receiver": referral.receiving_organisation_id == viewer.organisation_id,
        },
    )


@require_GET
@membership_required(CLIENT_WORK)
def referral_detail(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    referral = _referral_or_404(acting_membership(request), referral_id)
    return _detail(request, referral)


@require_POST
@membership_required(CLIENT_WORK)
def referral_transition(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """Answer or cancel the referral; errors are shown on the detail page's form."""
    actor = acting_membership(request)
    referral = _referral_or_404(actor, referral_id)
    statuses = services.statuses_open_to(actor, referral)
    if not statuses:
        raise PermissionDenied
    form = TransitionForm(request.POST, statuses=statuses)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            services.referral_transition(actor=actor, referral=referral, **data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The referral was updated."))
            return redirect("plans:referral_detail", referral_id=referral.pk)
    return _detail(request, referral, form)


@require_GET
@membership_required(CLIENT_WORK)
def referral_inbox(request: HttpRequest) -> HttpResponse:
    """Referrals sent to the viewer's organisation; those past their response time flagged."""
    viewer = acting_membership(request)
    data = request.GET if "status" in request.GET else {"status": "open"}
    form = InboxFilterForm(data)
    status = form.cleaned_data["status"] if form.is_valid() else "open"
    referrals = list(selectors.inbox(viewer, status=status)[:500])
    selectors.log_referrals(viewer, referrals, action=AccessAction.LIST)
    rows = selectors.rows_of(viewer, referrals)
    return render(
        request,
        "plans/referrals_inbox.html",
        {"form": form, "rows": rows, "overdue_count": sum(r.is_overdue for r in rows)},
    )


def _share(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}"


def _csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas in a cell (CSV injection): service and organisation
    names come from the catalogue, which other organisations write and import."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _report_csv(report: report_selectors.Report) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"polku-referral-timeliness-{report.date_from}-{report.date_to}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Level"),
            _("Organisation"),
            _("Service"),
            _("Referrals"),
            _("Median days to first contact"),
            _("90th percentile of days"),
            _("Within target (%)"),
            _("Declined (%)"),
            _("Waiting for first contact"),
        ]
    )
    lines: list[tuple[str, report_selectors.ReportLine]] = [
        *((_("service"), line) for line in report.services),
        *((_("organisation"), line) for line in report.organisations),
        (_("all"), report.total),
    ]
    for level, line in lines:
        stats = line.stats
        service = line.label if level == _("service") else ""
        writer.writerow(
            [
                _csv_safe(level),
                _csv_safe(line.organisation),
                _csv_safe(service),
                line.n,
                "" if stats is None or stats.median_days is None else f"{stats.median_days:g}",
                "" if stats is None or stats.p90_days is None else stats.p90_days,
                "" if stats is None else _share(stats.share_within_target),
                "" if stats is None else _share(stats.share_declined),
                "" if stats is None else stats.waiting,
            ]
        )
    return response


@require_GET
@membership_required(REPORT_ROLES)
def referral_report(request: HttpRequest) -> HttpResponse:
    """The timeliness report over a period; aggregates only. `?format=csv` downloads it."""
    form = ReportForm(request.GET or None)
    date_from, date_to = form.period() if form.is_bound else ReportForm({}).period()
    report = report_selectors.referral_report(date_from=date_from, date_to=date_to)
    if request.GET.get("format") == "csv":
        return _report_csv(report)
    if not form.is_bound:
        form = ReportForm(initial={"date_from": date_from, "date_to": date_to})
    return render(
        request,
        "plans/referrals_report.html",
        {
            "form": form,
            "report": report,
            "total_lines": [report.total],
            "threshold": disclosure.THRESHOLD,
        },
    )


def dashboard_context(viewer: Membership) -> dict[str, Any]:
    """What the home page's plans section (plans/_dashboard.html) needs; logged as shown."""
    if not access.works_with_clients(viewer):
        return {}
    return {"plans_dashboard": selectors.dashboard(viewer)}


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/referrals/", client_page, name="client_referrals"),
    path("clients/<uuid:client_id>/referrals/new/", referral_new, name="referral_new"),
    path("referrals/inbox/", referral_inbox, name="referral_inbox"),
    path("referrals/report/", referral_report, name="referral_report"),
    path("referrals/<uuid:referral_id>/", referral_detail, name="referral_detail"),
    path(
        "referrals/<uuid:referral_id>/transition/",
        referral_transition,
        name="referral_transition",
    ),
]
