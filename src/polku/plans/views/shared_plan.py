"""Pages of the shared plan: the client's plan tab, a plan, its history and PDF, and the forms
that create it, add and change goals, actions and review dates, record the agreement and
close it. Reads go through the selectors (which log them), writes through the services."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.clients.models import Client, Language
from polku.clients.selectors import client_get, episodes_visible_to
from polku.clients.views import client_or_404
from polku.core import roles
from polku.core.categories import DataCategory
from polku.core.decorators import acting_membership, membership_required, posted, submit
from polku.core.models import AccessAction, Membership
from polku.plans.domains import LifeDomain
from polku.plans.forms.shared_plan import (
    ActionForm,
    GoalForm,
    PlanAgreeForm,
    PlanCreateForm,
    ReviewForm,
    ReviewHoldForm,
)
from polku.plans.models import Action, Goal, Plan, PlanReview, PlanStatus
from polku.plans.permissions import can_manage_plan
from polku.plans.selectors import shared_plan as selectors
from polku.plans.services import shared_plan as services

CLIENT_WORK = roles.CLIENT_WORK_ROLES
C = DataCategory
PDF_LANGUAGES = {Language.FINNISH, Language.SWEDISH, Language.ENGLISH}


def _plan_or_404(request: HttpRequest, client: Client, plan_id: uuid.UUID) -> Plan:
    try:
        return selectors.plan_get(acting_membership(request), client, plan_id)
    except Plan.DoesNotExist:
        raise Http404 from None


def _to_plan(plan: Plan) -> HttpResponse:
    return redirect("plans:plan_detail", client_id=plan.client_id, plan_id=plan.pk)


def _episodes_without_plan(viewer: Membership, client: Client) -> Any:
    """Open episodes of the client that `viewer` may read and that have no plan in force."""
    active = Plan.objects.filter(client=client).exclude(status=PlanStatus.CLOSED)
    return (
        episodes_visible_to(viewer)
        .filter(client=client, end_date__isnull=True)
        .exclude(pk__in=active.values("episode"))
        .select_related("programme")
        .order_by("-start_date", "pk")
    )


def _plan_page(
    request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID | None
) -> HttpResponse:
    viewer = acting_membership(request)
    try:
        page = selectors.plan_page(viewer, client_id, plan_id)
    except (Client.DoesNotExist, Plan.DoesNotExist):
        raise Http404 from None
    plan = page.plan
    may_create = can_manage_plan(viewer, page.client)
    return render(
        request,
        "plans/plan_page.html",
        {
            "client": page.client,
            "page": page,
            "plan": plan,
            "other_plans": [p for p in page.plans if p != plan],
            "can_create": may_create and _episodes_without_plan(viewer, page.client).exists(),
            "can_manage": plan is not None
            and plan.status != PlanStatus.CLOSED
            and services.can_manage(viewer, plan),
            "writable": services.writable_categories(viewer, plan) if plan else set(),
            "can_add_goals": plan is not None and bool(services.writable_domains(viewer, plan)),
        },
    )


@require_GET
@membership_required(CLIENT_WORK)
def client_page(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """The client's plan tab: the plan in force (or the newest)."""
    return _plan_page(request, client_id, None)


@require_GET
@membership_required(CLIENT_WORK)
def plan_detail(request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    return _plan_page(request, client_id, plan_id)


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def plan_create(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    if not can_manage_plan(actor, client):
        raise PermissionDenied
    form = PlanCreateForm(posted(request), episodes=_episodes_without_plan(actor, client))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=actor, episode=form.cleaned_data["episode"])
        except ValidationError as error:
            form.add_error("episode" if hasattr(error, "error_dict") else None, error.messages)
        else:
            messages.success(request, _("The plan was started. Add the client's goals."))
            return _to_plan(plan)
    selectors.log_reads(actor, client.pk)
    return render(request, "plans/plan_create.html", {"client": client, "form": form})


def _form_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    rows: list[Goal | Action] | None = None,
) -> HttpResponse:
    """Render a form about the plan, logging identity, the plan and the rows it shows."""
    plan: Plan = context["plan"]
    selectors.log_reads(acting_membership(request), plan.client_id, rows=rows or [])
    return render(request, template, {"client": plan.client, **context})


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def plan_goal_add(request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    plan = _plan_or_404(request, client_or_404(request, client_id), plan_id)
    domains = services.writable_domains(actor, plan)
    if not domains:
        raise PermissionDenied
    form = GoalForm(posted(request), domains=domains)
    if submit(
        request,
        form,
        partial(services.goal_add, actor=actor, plan=plan),
        _("The goal was added to the plan."),
    ):
        return _to_plan(plan)
    return _form_page(request, "plans/plan_goal_form.html", {"plan": plan, "form": form})


def _goal_or_404(request: HttpRequest, plan: Plan, goal_id: uuid.UUID) -> Goal:
    try:
        return selectors.goal_get(acting_membership(request), plan, goal_id)
    except Goal.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def plan_goal_edit(
    request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID, goal_id: uuid.UUID
) -> HttpResponse:
    actor = acting_membership(request)
    plan = _plan_or_404(request, client_or_404(request, client_id), plan_id)
    goal = _goal_or_404(request, plan, goal_id)
    if not services.can_edit_goal(actor, goal):
        raise PermissionDenied
    initial = {n: getattr(goal, n) for n in ("client_words", "target", "target_date", "status")}
    form = GoalForm(posted(request), initial=initial)
    if submit(
        request,
        form,
        partial(services.goal_update, actor=actor, goal=goal),
        _("The goal was saved."),
    ):
        return _to_plan(plan)
    return _form_page(
        request,
        "plans/plan_goal_form.html",
        {"plan": plan, "form": form, "goal": goal, "domain_label": LifeDomain(goal.domain).label},
        [goal],
    )


def _action_people(actor: Membership, plan: Plan) -> Any:
    return selectors.responsible_candidates(plan.client, actor)


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def plan_action_add(
    request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID, goal_id: uuid.UUID
) -> HttpResponse:
    actor = acting_membership(request)
    plan = _plan_or_404(request, client_or_404(request, client_id), plan_id)
    goal = _goal_or_404(request, plan, goal_id)
    if not services.can_edit_goal(actor, goal):
        raise PermissionDenied
    form = ActionForm(
        posted(request),
        people=_action_people(actor, plan),
        initial={"responsible_organisation": actor.organisation_id, "responsible": actor.pk},
    )
    if submit(
        request,
        form,
        partial(services.action_add, actor=actor, goal=goal),
        _("The action was added."),
    ):
        return _to_plan(plan)
    return _form_page(
        request,
        "plans/plan_action_form.html",
        {"plan": plan, "form": form, "goal": goal, "domain_label": LifeDomain(goal.domain).label},
        [goal],
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def plan_action_edit(
    request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID, action_id: uuid.UUID
) -> HttpResponse:
    actor = acting_membership(request)
    plan = _plan_or_404(request, client_or_404(request, client_id), plan_id)
    try:
        action = selectors.action_get(actor, plan, action_id)
    except Action.DoesNotExist:
        raise Http404 from None
    if not services.can_edit_action(actor, action):
        raise PermissionDenied
    names = (
        "title",
        "description",
        "responsible_organisation",
        "responsible",
        "start_date",
        "due_date",
        "status",
        "completed_on",
    )
    initial = {n: getattr(action, n) for n in names}
    form = ActionForm(posted(request), people=_action_people(actor, plan), initial=initial)
    if submit(
        request,
        form,
        partial(services.action_update, actor=actor, action=action),
        _("The action was saved."),
    ):
        return _to_plan(plan)
    goal = action.goal
    return _form_page(
        request,
        "plans/plan_action_form.html",
        {
            "plan": plan,
            "form": form,
            "goal": goal,
            "action": action,
            "domain_label": LifeDomain(goal.domain).label,
        },
        [goal, action],
    )


def _managed_plan_or_404(request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID) -> Plan:
    plan = _plan_or_404(request, client_or_404(request, client_id), plan_id)
    if plan.status == PlanStatus.CLOSED or not services.can_manage(
        acting_membership(request), plan
    ):
        raise PermissionDenied
    return plan


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def plan_review_add(request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    plan = _managed_plan_or_404(request, client_id, plan_id)
    form = ReviewForm(posted(request))
    if submit(
        request,
        form,
        partial(services.review_add, actor=acting_membership(request), plan=plan),
        _("The review date was added."),
    ):
        return _to_plan(plan)
    return _form_page(request, "plans/plan_review_form.html", {"plan": plan, "form": form})


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def plan_review_hold(
    request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID, review_id: int
) -> HttpResponse:
    plan = _managed_plan_or_404(request, client_id, plan_id)
    try:
        review = selectors.review_get(acting_membership(request), plan, review_id)
    except PlanReview.DoesNotExist:
        raise Http404 from None
    form = ReviewHoldForm(posted(request), initial={"note": review.note})
    if submit(
        request,
        form,
        partial(services.review_hold, actor=acting_membership(request), review=review),
        _("The review was recorded as held."),
    ):
        return _to_plan(plan)
    return _form_page(
        request, "plans/plan_review_form.html", {"plan": plan, "form": form, "review": review}
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def plan_agree(request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """Record the meeting where the plan was agreed, with its participants and the client's
    agreement."""
    actor = acting_membership(request)
    plan = _managed_plan_or_404(request, client_id, plan_id)
    team = selectors.team_memberships(plan.client)
    initial: dict[str, Any] = {"agreed_on": timezone.localdate(), "participants": [actor.pk]}
    if plan.agreed_on is not None:
        initial = {
            "agreed_on": plan.agreed_on,
            "participants": list(plan.participants.values_list("pk", flat=True)),
            "participants_other": plan.participants_other,
            "client_agreed": plan.client_agreed,
            "agreement_method": plan.agreement_method,
            "note": plan.agreement_note,
        }
    form = PlanAgreeForm(posted(request), team=team, initial=initial)
    if submit(
        request,
        form,
        partial(services.plan_agree, actor=actor, plan=plan),
        _("The agreement was recorded."),
    ):
        return _to_plan(plan)
    return _form_page(request, "plans/plan_agree.html", {"plan": plan, "form": form})


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def plan_close(request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    plan = _managed_plan_or_404(request, client_id, plan_id)
    if request.method == "POST":
        try:
            services.plan_close(actor=actor, plan=plan)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The plan was closed. It is kept with its history."))
        return _to_plan(plan)
    return _form_page(request, "plans/plan_close.html", {"plan": plan})


@require_GET
@membership_required(CLIENT_WORK)
def plan_history(request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """Every revision of the plan and what changed, as far as the viewer may see today."""
    try:
        history = selectors.plan_history(acting_membership(request), client_id, plan_id)
    except (Client.DoesNotExist, Plan.DoesNotExist):
        raise Http404 from None
    return render(
        request,
        "plans/plan_history.html",
        {"client": history.client, "plan": history.plan, "history": history},
    )


def pdf_language(client: Client) -> str:
    """The language of the client's PDF: their own if Polku speaks it, otherwise English."""
    language = client.preferred_language
    return language if language in PDF_LANGUAGES else Language.ENGLISH


def render_pdf(html: str) -> bytes:
    from polku.reports.pdf import render_pdf as render  # noqa: PLC0415 - loads WeasyPrint

    return render(html)


@require_POST
@membership_required(CLIENT_WORK)
def plan_pdf(request: HttpRequest, client_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """The plan as a PDF in the client's language, with only what the viewer may read, logged
    as an export. A POST with a CSRF token, as every export: a link or an image on another
    site cannot make someone's browser print (and log) a client's plan."""
    viewer = acting_membership(request)
    try:
        client = client_get(viewer, client_id)
    except Client.DoesNotExist:
        raise Http404 from None
    with translation.override(pdf_language(client)):
        try:
            page = selectors.plan_page(viewer, client.pk, plan_id, action=AccessAction.EXPORT)
        except (Client.DoesNotExist, Plan.DoesNotExist):
            raise Http404 from None
        html = render_to_string(
            "plans/plan_pdf.html",
            {
                "client": page.client,
                "page": page,
                "plan": page.plan,
                "printed_at": timezone.localtime(),
                "printed_by": viewer,
            },
        )
    plan = page.plan
    assert plan is not None
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    filename = f"plan-{client.reference}-r{plan.revision}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


PLAN = "clients/<uuid:client_id>/plan/<uuid:plan_id>/"

urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/plan/", client_page, name="plan"),
    path("clients/<uuid:client_id>/plan/new/", plan_create, name="plan_create"),
    path(PLAN, plan_detail, name="plan_detail"),
    path(f"{PLAN}goals/new/", plan_goal_add, name="plan_goal_add"),
    path(f"{PLAN}goals/<uuid:goal_id>/", plan_goal_edit, name="plan_goal_edit"),
    path(f"{PLAN}goals/<uuid:goal_id>/actions/new/", plan_action_add, name="plan_action_add"),
    path(f"{PLAN}actions/<uuid:action_id>/", plan_action_edit, name="plan_action_edit"),
    path(f"{PLAN}reviews/new/", plan_review_add, name="plan_review_add"),
    path(f"{PLAN}reviews/<int:review_id>/hold/", plan_review_hold, name="plan_review_hold"),
    path(f"{PLAN}agree/", plan_agree, name="plan_agree"),
    path(f"{PLAN}close/", plan_close, name="plan_close"),
    path(f"{PLAN}history/", plan_history, name="plan_history"),
    path(f"{PLAN}pdf/", plan_pdf, name="plan_pdf"),
]
