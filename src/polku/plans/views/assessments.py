"""Pages of the joint assessment: the client's assessment tab, an older round, the forms that
start a round, record a domain and complete the round, and the work-capacity view."""

from __future__ import annotations

import uuid
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.clients.models import Client
from polku.clients.views import client_or_404
from polku.core import roles
from polku.core.decorators import acting_membership, membership_required, posted, submit
from polku.plans.domains import LifeDomain, Need
from polku.plans.forms.assessments import AssessmentStartForm, DomainEntryForm
from polku.plans.models import Assessment, AssessmentStatus
from polku.plans.selectors import assessments as selectors
from polku.plans.services import assessments as services

CLIENT_WORK = roles.CLIENT_WORK_ROLES


def _assessment_or_404(
    request: HttpRequest, client: Client, assessment_id: uuid.UUID
) -> Assessment:
    try:
        return selectors.assessment_get(acting_membership(request), client, assessment_id)
    except Assessment.DoesNotExist:
        raise Http404 from None


@require_GET
@membership_required(CLIENT_WORK)
def client_page(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """The client's assessment tab."""
    viewer = acting_membership(request)
    try:
        overview = selectors.assessment_overview(viewer, client_id)
    except Client.DoesNotExist:
        raise Http404 from None
    client = overview.client
    current = overview.current
    writable = services.domains_writable_by(viewer, client)
    open_round = current.assessment if current is not None and current.is_open else None
    contributing = open_round is not None and services.can_contribute(viewer, open_round)
    assessed = {e.domain for e in current.entries} if current is not None else set()
    return render(
        request,
        "plans/assessment_overview.html",
        {
            "client": client,
            "overview": overview,
            "current": current,
            "open_round": open_round,
            "can_start": open_round is None and services.can_start(viewer, client),
            "can_complete": contributing
            and open_round is not None
            and services.can_complete(viewer, open_round),
            "editable_domains": set(writable) if contributing else set(),
            "domains_to_add": [(d, LifeDomain(d).label) for d in writable if d not in assessed]
            if contributing
            else [],
            "viewer_organisation_id": viewer.organisation_id,
        },
    )


@require_GET
@membership_required(CLIENT_WORK)
def assessment_detail(
    request: HttpRequest, client_id: uuid.UUID, assessment_id: uuid.UUID
) -> HttpResponse:
    """One round, an older version say, with the change from the round before it."""
    try:
        assessment_round = selectors.assessment_round(
            acting_membership(request), client_id, assessment_id
        )
    except (Client.DoesNotExist, Assessment.DoesNotExist):
        raise Http404 from None
    return render(
        request,
        "plans/assessment_detail.html",
        {"client": assessment_round.assessment.client, "round": assessment_round},
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def assessment_start(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    if not services.can_start(actor, client):
        raise PermissionDenied
    form = AssessmentStartForm(posted(request))
    if submit(
        request,
        form,
        partial(services.assessment_start, actor=actor, client=client),
        _("A new assessment was started. Each professional can now assess their domains."),
    ):
        return redirect("plans:assessments", client_id=client.pk)
    selectors.log_page(actor, client)
    return render(request, "plans/assessment_start.html", {"client": client, "form": form})


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def assessment_entry(
    request: HttpRequest, client_id: uuid.UUID, assessment_id: uuid.UUID, domain: str
) -> HttpResponse:
    """Assess one life domain in an open round, or correct the organisation's own entry."""
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    assessment = _assessment_or_404(request, client, assessment_id)
    if domain not in LifeDomain.values:
        raise Http404
    if domain not in services.domains_writable_by(actor, client) or not services.can_contribute(
        actor, assessment
    ):
        raise PermissionDenied
    if assessment.status != AssessmentStatus.OPEN:
        messages.error(request, _("This assessment is completed and can no longer be changed."))
        return redirect("plans:assessment_detail", client_id=client.pk, assessment_id=assessment.pk)
    entry = selectors.own_entry(actor, assessment, domain)
    initial = (
        {
            "need": entry.need,
            "strengths": entry.strengths,
            "barriers": entry.barriers,
            "notes": entry.notes,
        }
        if entry is not None
        else {}
    )
    form = DomainEntryForm(posted(request), initial=initial)
    if submit(
        request,
        form,
        partial(services.entry_save, actor=actor, assessment=assessment, domain=domain),
        _("The assessment of %(domain)s was saved.") % {"domain": LifeDomain(domain).label},
    ):
        return redirect("plans:assessments", client_id=client.pk)
    selectors.log_page(
        actor, client, rounds=[assessment], entries=[entry] if entry is not None else []
    )
    return render(
        request,
        "plans/assessment_entry.html",
        {
            "client": client,
            "assessment": assessment,
            "domain_label": LifeDomain(domain).label,
            "entry": entry,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def assessment_complete(
    request: HttpRequest, client_id: uuid.UUID, assessment_id: uuid.UUID
) -> HttpResponse:
    """Confirm and complete an open round: afterwards it can no longer be changed."""
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    assessment = _assessment_or_404(request, client, assessment_id)
    if not (
        services.can_contribute(actor, assessment) and services.can_complete(actor, assessment)
    ):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.assessment_complete(actor=actor, assessment=assessment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Version %(version)d of the assessment was completed.")
                % {"version": assessment.version},
            )
        return redirect("plans:assessments", client_id=client.pk)
    selectors.log_page(actor, client, rounds=[assessment])
    return render(
        request, "plans/assessment_complete.html", {"client": client, "assessment": assessment}
    )


@require_GET
@membership_required(CLIENT_WORK)
def work_capacity(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """The latest completed assessment and (later) questionnaire scores in one place."""
    try:
        summary = selectors.work_capacity(acting_membership(request), client_id)
    except Client.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "plans/assessment_work_capacity.html",
        {"client": summary.client, "summary": summary, "need_levels": Need.choices},
    )


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/assessments/", client_page, name="assessments"),
    path("clients/<uuid:client_id>/assessments/new/", assessment_start, name="assessment_start"),
    path(
        "clients/<uuid:client_id>/assessments/<uuid:assessment_id>/",
        assessment_detail,
        name="assessment_detail",
    ),
    path(
        "clients/<uuid:client_id>/assessments/<uuid:assessment_id>/domains/<slug:domain>/",
        assessment_entry,
        name="assessment_entry",
    ),
    path(
        "clients/<uuid:client_id>/assessments/<uuid:assessment_id>/complete/",
        assessment_complete,
        name="assessment_complete",
    ),
    path("clients/<uuid:client_id>/work-capacity/", work_capacity, name="work_capacity"),
]
