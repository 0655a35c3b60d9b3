"""Pages of outcomes with one client, and the staff member's due follow-ups.

The client's "Outcomes" tab shows each episode the viewer may read with its ESF+ entry data and
its outcomes at exit, 6 and 12 months; a form records or corrects an outcome, another the entry
data. Thin: each view finds the client (404 when invisible), the record (404 likewise), checks
that the actor may act (403), calls one service and renders. Every page names the client and is
logged with the categories it shows.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from polku.clients.models import Client, Episode
from polku.clients.views import client_or_404
from polku.core import access_log, roles
from polku.core.categories import DataCategory, Purpose
from polku.core.decorators import acting_membership, membership_required, posted, submit
from polku.core.models import AccessAction, Membership
from polku.evaluation.forms.outcomes import EntryDataForm, OutcomeForm, yes_no_initial
from polku.evaluation.models import SENSITIVE_FIELDS, EntryData, Outcome, OutcomePoint
from polku.evaluation.selectors import outcomes as selectors
from polku.evaluation.services import entry as entry_services
from polku.evaluation.services import outcomes as outcome_services

C = DataCategory
CLIENT_WORK = roles.CLIENT_WORK_ROLES


@dataclass(frozen=True)
class DueRow:
    outcome: Outcome
    timing: str


def _log(viewer: Membership, client: Client, categories: set[str]) -> None:
    access_log.record(
        viewer,
        ((client.pk, category) for category in sorted(categories | {C.IDENTITY})),
        purpose=Purpose.SERVICE,
        action=AccessAction.VIEW,
    )


def _done(client: Client) -> HttpResponse:
    return redirect("evaluation:client_outcomes", client_id=client.pk)


@require_GET
@membership_required(CLIENT_WORK)
def client_outcomes(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """The client's "Outcomes" tab."""
    viewer = acting_membership(request)
    client = client_or_404(request, client_id)
    today = timezone.localdate()
    page = selectors.client_outcomes_page(viewer, client, today=today)
    writes = outcome_services.can_record_for(viewer, client)
    for item in page.episodes:
        item.can_record = writes
    return render(
        request,
        "evaluation/outcomes/client.html",
        {"client": client, "page": page, "today": today},
    )


def _outcome_or_404(request: HttpRequest, client: Client, outcome_id: uuid.UUID) -> Outcome:
    try:
        return selectors.outcome_get(acting_membership(request), client, outcome_id)
    except Outcome.DoesNotExist:
        raise Http404 from None


def _episode_or_404(request: HttpRequest, client: Client, episode_id: uuid.UUID) -> Episode:
    try:
        return selectors.episode_get(acting_membership(request), client, episode_id)
    except Episode.DoesNotExist:
        raise Http404 from None


def _form_page(
    request: HttpRequest, client: Client, form: Any, context: dict[str, Any], shows: set[str]
) -> HttpResponse:
    _log(acting_membership(request), client, shows)
    return render(
        request,
        "evaluation/outcomes/form.html",
        {"client": client, "form": form, **context},
    )


def _outcome_initial(outcome: Outcome) -> dict[str, Any]:
    if not outcome.is_recorded:
        return {}
    return {
        "status": outcome.status,
        "observed_on": outcome.observed_on,
        "source": outcome.source,
        "in_education": outcome.in_education,
        "gained_qualification": outcome.gained_qualification,
        "improved_situation": yes_no_initial(outcome.improved_situation),
    }


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def outcome_record(
    request: HttpRequest, client_id: uuid.UUID, outcome_id: uuid.UUID
) -> HttpResponse:
    """Record the situation at one point, or correct it."""
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    outcome = _outcome_or_404(request, client, outcome_id)
    if not outcome_services.can_record(actor, outcome):
        raise PermissionDenied
    form = OutcomeForm(
        posted(request),
        initial=_outcome_initial(outcome),
        point=outcome.point,
        employed_at_entry=outcome_services.employed_at_entry(outcome.episode),
    )
    if submit(
        request,
        form,
        partial(outcome_services.outcome_record, actor=actor, outcome=outcome),
        _("The outcome was recorded."),
    ):
        return _done(client)
    correcting = outcome.is_recorded
    return _form_page(
        request,
        client,
        form,
        {
            "title": _("Correct the outcome") if correcting else _("Record the outcome"),
            "submit_label": _("Save the correction")
            if correcting
            else pgettext("action", "Record"),
            "episode": outcome.episode,
            "outcome": outcome,
        },
        {C.EMPLOYMENT},
    )


def _entry_initial(entry: EntryData | None, hidden: frozenset[str]) -> dict[str, Any]:
    if entry is None:
        return {}
    initial: dict[str, Any] = {
        "labour_market_status": entry.labour_market_status,
        "isced_level": entry.isced_level,
        "rural_area": yes_no_initial(entry.rural_area),
        "months_employed_before": entry.months_employed_before,
        "sensitive_consent": entry.sensitive_consent,
    }
    initial |= {name: getattr(entry, name) for name in SENSITIVE_FIELDS}
    return {name: value for name, value in initial.items() if name not in hidden}


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def entry_data_edit(
    request: HttpRequest, client_id: uuid.UUID, episode_id: uuid.UUID
) -> HttpResponse:
    """Record or correct the episode's ESF+ entry data."""
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    episode = _episode_or_404(request, client, episode_id)
    if not entry_services.can_record(actor, episode):
        raise PermissionDenied
    entry = selectors.entry_data_visible_to(actor, few=True).filter(episode=episode).first()
    readable = selectors.readable_categories(actor, episode)
    hidden = selectors.hidden_fields(readable)
    form = EntryDataForm(posted(request), initial=_entry_initial(entry, hidden), hidden=hidden)
    if submit(
        request,
        form,
        partial(entry_services.entry_data_save, actor=actor, episode=episode),
        _("The entry data was saved."),
    ):
        return _done(client)
    shows = selectors.shown_categories(entry, readable) if entry is not None else {C.EMPLOYMENT}
    return _form_page(
        request,
        client,
        form,
        {
            "title": _("ESF+ entry data"),
            "submit_label": _("Save"),
            "episode": episode,
            "hidden_count": len(hidden & set(SENSITIVE_FIELDS)),
        },
        shows,
    )


@require_GET
@membership_required(CLIENT_WORK)
def follow_ups(request: HttpRequest) -> HttpResponse:
    """The outcomes due or soon due for the clients the staff member works with."""
    viewer = acting_membership(request)
    today = timezone.localdate()
    rows = [
        DueRow(outcome, selectors.timing(outcome, today))
        for outcome in selectors.follow_ups_due(viewer, today=today)
    ]
    counts = Counter(row.timing for row in rows)
    return render(
        request,
        "evaluation/outcomes/follow_ups.html",
        {
            "rows": rows,
            "counts": counts,
            "today": today,
            "ahead_days": outcome_services.SCHEDULE_AHEAD_DAYS,
            "overdue_days": selectors.OVERDUE_AFTER_DAYS,
            "exit_point": OutcomePoint.EXIT,
        },
    )


urlpatterns: list[URLPattern] = [
    path("follow-ups/", follow_ups, name="follow_ups"),
    path("clients/<uuid:client_id>/outcomes/", client_outcomes, name="client_outcomes"),
    path(
        "clients/<uuid:client_id>/outcomes/<uuid:outcome_id>/record/",
        outcome_record,
        name="outcome_record",
    ),
    path(
        "clients/<uuid:client_id>/episodes/<uuid:episode_id>/entry-data/",
        entry_data_edit,
        name="entry_data",
    ),
]
