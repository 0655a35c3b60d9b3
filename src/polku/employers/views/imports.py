"""The import page: upload a CSV or XLSX file → a dry run showing every error, or the diff of
what would change → confirm → the same file is imported, if the register has not changed
meanwhile (then the preview is shown again)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polku.core.decorators import acting_membership, membership_required, posted
from polku.employers.forms.imports import ImportConfirmForm, ImportForm
from polku.employers.importer import COLUMNS, MAX_ROWS, ImportReport
from polku.employers.importer.columns import TABLE_LABELS
from polku.employers.permissions import WRITE_ROLES, can_write
from polku.employers.services.imports import employers_import
from polku.employers.views.common import area

# The uploaded file waits here between the preview and the confirmation: in the shared
# database cache (not in a file), so any application process can finish the import.
CACHE_PREFIX = "polku:employers-import:"
SESSION_KEY = "polku_employers_import"
WAIT_SECONDS = 30 * 60


def _stash(request: HttpRequest, data: bytes, filename: str, digest: str) -> str:
    # One waiting file per session: a new upload replaces the previous one.
    previous = request.session.get(SESSION_KEY)
    if previous:
        cache.delete(CACHE_PREFIX + str(previous))
    token = secrets.token_urlsafe(24)
    cache.set(CACHE_PREFIX + token, (request.user.pk, filename, data, digest), WAIT_SECONDS)
    request.session[SESSION_KEY] = token
    return token


def _stashed(request: HttpRequest, token: str) -> tuple[str, bytes, str] | None:
    """The file this session previewed (name, bytes, digest of the preview), if not expired."""
    if not token or request.session.get(SESSION_KEY) != token:
        return None
    stashed = cache.get(CACHE_PREFIX + token)
    if stashed is None or stashed[0] != request.user.pk:
        return None
    return stashed[1], stashed[2], stashed[3]


def _forget(request: HttpRequest, token: str) -> None:
    cache.delete(CACHE_PREFIX + token)
    request.session.pop(SESSION_KEY, None)


def _preview(
    request: HttpRequest, context: dict[str, Any], report: ImportReport, filename: str, data: bytes
) -> None:
    context |= {
        "report": report,
        "filename": filename,
        "counts": [
            (TABLE_LABELS.get(table, table), count) for table, count in report.counts().items()
        ],
    }
    if report.ok:
        token = _stash(request, data, filename, report.digest)
        context["confirm"] = ImportConfirmForm(initial={"token": token})


@require_http_methods(["GET", "POST"])
@membership_required(WRITE_ROLES)
def employers_import_page(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if not can_write(actor):
        raise PermissionDenied
    context: dict[str, Any] = {
        "columns": [(TABLE_LABELS[table], columns) for table, columns in COLUMNS.items()],
        "max_rows": MAX_ROWS,
    } | area(request, "import")
    if request.method == "POST" and "token" in request.POST:
        confirm = ImportConfirmForm(request.POST)
        token = request.POST.get("token", "")
        stashed = _stashed(request, token) if confirm.is_valid() else None
        if stashed is None:
            messages.error(request, _("The uploaded file has expired. Upload it again."))
            return redirect("employers:import")
        filename, data, digest = stashed
        report = employers_import(actor=actor, data=data, filename=filename, expected_digest=digest)
        if report.written:
            _forget(request, token)
            messages.success(request, _("The file was imported."))
            return redirect("employers:list")
        _forget(request, token)
        context["stale"] = report.stale
        _preview(request, context, report, filename, data)
        context["form"] = ImportForm()
        return render(request, "employers/import.html", context)
    form = ImportForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        report = employers_import(actor=actor, data=data, filename=upload.name, dry_run=True)
        _preview(request, context, report, upload.name, data)
    context["form"] = form
    return render(request, "employers/import.html", context)


urlpatterns: list[URLPattern] = [
    path("import/", employers_import_page, name="import"),
]
