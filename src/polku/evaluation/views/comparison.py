"""Pages: comparison groups — the list, the import (upload → preview → confirm) and a group
with its runs of the estimators.

For programme managers and evaluators only (`cohort.EVALUATION_ROLES`), and only for the
programmes of their own organisation (`comparison.access`); everything shown is an aggregate
(`comparison.selectors`, `comparison.results`). Runs are queued here and computed by the
background worker, never in the request.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.core.decorators import acting_membership, form_errors_from, membership_required
from polku.evaluation import cohort
from polku.evaluation.comparison import access, columns, results, selectors
from polku.evaluation.comparison.forms import ConfirmForm, GroupImportForm, RunForm
from polku.evaluation.comparison.importer import comparison_group_import
from polku.evaluation.comparison.services import run_request
from polku.evaluation.definitions import link
from polku.evaluation.models import RunStatus

ROLES = cohort.EVALUATION_ROLES
# The uploaded file waits here between the preview and the confirmation: in the shared
# database cache, so any application process can finish the import (as the employer import).
CACHE_PREFIX = "polku:comparison-import:"
SESSION_KEY = "polku_comparison_import"
WAIT_SECONDS = 30 * 60
DEFINITION_KEYS = (
    "comparison-group",
    "comparison-psm",
    "comparison-caliper",
    "comparison-smd",
    "comparison-att",
    "comparison-bootstrap",
    "comparison-did",
)


def _definitions() -> dict[str, str]:
    return {key.removeprefix("comparison-").replace("-", "_"): link(key) for key in DEFINITION_KEYS}


def _stash(request: HttpRequest, upload: dict[str, Any]) -> str:
    # One waiting file per session: a new upload replaces the previous one.
    previous = request.session.get(SESSION_KEY)
    if previous:
        cache.delete(CACHE_PREFIX + str(previous))
    token = secrets.token_urlsafe(24)
    cache.set(CACHE_PREFIX + token, {**upload, "user": request.user.pk}, WAIT_SECONDS)
    request.session[SESSION_KEY] = token
    return token


def _stashed(request: HttpRequest, token: str) -> dict[str, Any] | None:
    """The upload this session previewed, if it has not expired."""
    if not token or request.session.get(SESSION_KEY) != token:
        return None
    stashed: dict[str, Any] | None = cache.get(CACHE_PREFIX + token)
    if stashed is None or stashed.get("user") != request.user.pk:
        return None
    return stashed


def _forget(request: HttpRequest, token: str) -> None:
    cache.delete(CACHE_PREFIX + token)
    request.session.pop(SESSION_KEY, None)


@require_GET
@membership_required(ROLES)
def comparison_list(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    rows = [
        {
            "group": group,
            "size": results.count(group.size),  # type: ignore[attr-defined]
            "latest_status": RunStatus(group.latest_status).label  # type: ignore[attr-defined]
            if group.latest_status  # type: ignore[attr-defined]
            else "",
        }
        for group in selectors.comparison_groups(actor)
    ]
    return render(
        request,
        "evaluation/comparison/list.html",
        {"rows": rows, "definitions": _definitions()},
    )


def _confirm(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The confirmation of a previewed file: import it, or say why not."""
    actor = acting_membership(request)
    token = request.POST.get("token", "")
    stashed = _stashed(request, token) if ConfirmForm(request.POST).is_valid() else None
    programme = None
    if stashed is not None:
        programme = access.comparison_programmes(actor).filter(pk=stashed["programme"]).first()
    if stashed is None or programme is None:
        messages.error(request, _("The uploaded file has expired. Upload it again."))
        return redirect("evaluation:comparison_import")
    _forget(request, token)
    report = comparison_group_import(
        actor=actor,
        programme=programme,
        name=stashed["name"],
        source=stashed["source"],
        data=stashed["data"],
        filename=stashed["filename"],
    )
    if report.written and report.group is not None:
        messages.success(request, _("The comparison group was imported."))
        return redirect("evaluation:comparison_detail", pk=report.group.pk)
    # The file was good at the preview; only a change of day can make a date "future" now.
    context |= {"report": report, "filename": stashed["filename"]}
    return render(request, "evaluation/comparison/import.html", context)


@require_http_methods(["GET", "POST"])
@membership_required(ROLES)
def comparison_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV file → a dry run listing every error, or a preview → confirm."""
    actor = acting_membership(request)
    # Only the programmes of the user's own organisation: its register extract (`access`).
    programmes = access.comparison_programmes(actor)
    context: dict[str, Any] = {
        "columns": columns.COLUMNS,
        "max_rows": columns.MAX_ROWS,
        "definitions": _definitions(),
        "form": GroupImportForm(programmes=programmes),
    }
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, context)
    form = GroupImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        programmes=programmes,
    )
    context["form"] = form
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        content = upload.read()
        try:
            report = comparison_group_import(
                actor=actor,
                programme=data["programme"],
                name=data["name"],
                source=data["source"],
                data=content,
                filename=upload.name,
                dry_run=True,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return render(request, "evaluation/comparison/import.html", context, status=400)
        context |= {"report": report, "filename": upload.name}
        if report.ok:
            token = _stash(
                request,
                {
                    "programme": data["programme"].pk,
                    "name": data["name"],
                    "source": data["source"],
                    "filename": upload.name,
                    "data": content,
                },
            )
            context |= {
                "confirm": ConfirmForm(initial={"token": token}),
                "programme": data["programme"],
                "group_name": data["name"],
            }
        else:
            status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "evaluation/comparison/import.html", context, status=status)


def _detail_context(request: HttpRequest, pk: int, form: RunForm) -> dict[str, Any]:
    actor = acting_membership(request)
    group = selectors.comparison_group(actor, pk)
    runs = selectors.group_runs(group)
    latest = results.view(selectors.latest_finished(runs))
    return {
        "group": group,
        "summary": selectors.group_summary(actor, group),
        "runs": runs,
        "run_rows": [(run, results.outcome_label(run.parameters.get("outcome"))) for run in runs],
        "pending": selectors.pending(runs),
        "latest": latest,
        "latest_failed": runs[0] if runs and runs[0].status == RunStatus.FAILED else None,
        "form": form,
        "definitions": _definitions(),
        "smd_limit": results.SMD_LIMIT,
        "labels": results.labels(),
    }


@require_http_methods(["GET", "POST"])
@membership_required(ROLES)
def comparison_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A group beside the programme's participants, the run form and the runs' results."""
    actor = acting_membership(request)
    if request.method == "POST":
        form = RunForm(request.POST)
        if form.is_valid():
            group = selectors.comparison_group(actor, pk)
            try:
                run_request(actor=actor, group=group, parameters=form.parameters())
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    _("The run was queued. Its result appears here when it is ready."),
                )
                return redirect("evaluation:comparison_detail", pk=pk)
        context = _detail_context(request, pk, form)
        return render(request, "evaluation/comparison/detail.html", context, status=400)
    form = RunForm(initial=RunForm.initial_values())
    return render(request, "evaluation/comparison/detail.html", _detail_context(request, pk, form))


urlpatterns: list[URLPattern] = [
    path("comparison/", comparison_list, name="comparison_list"),
    path("comparison/import/", comparison_import, name="comparison_import"),
    path("comparison/<int:pk>/", comparison_detail, name="comparison_detail"),
]
