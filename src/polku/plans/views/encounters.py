"""Pages of encounters: the client's encounters tab, and the forms that record and correct one."""

from __future__ import annotations

import uuid
from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.clients.models import CareTeamMember, Client
from polku.clients.selectors import log_view
from polku.clients.views import client_or_404
from polku.core import roles
from polku.core.decorators import acting_membership, membership_required, posted, submit
from polku.core.models import Membership, Organisation
from polku.plans.forms.encounters import EncounterForm
from polku.plans.models import Encounter
from polku.plans.selectors import encounters as selectors
from polku.plans.services import encounters as services

CLIENT_WORK = roles.CLIENT_WORK_ROLES
PAGE_SIZE = 20


def _professionals(client: Client, actor: Membership, *also: int) -> QuerySet[Membership]:
    """Who may be marked present: the client's care team, the actor, and anyone already marked
    (when correcting an encounter)."""
    team = CareTeamMember.objects.filter(client=client, removed_at__isnull=True).values(
        "membership"
    )
    available = Membership.objects.active().filter(role__in=CLIENT_WORK)
    return (
        Membership.objects.filter(
            Q(pk__in=available.filter(Q(pk__in=team) | Q(pk=actor.pk)).values("pk"))
            | Q(pk__in=also)
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name", "pk")
    )


def _form(
    request: HttpRequest, actor: Membership, client: Client, encounter: Encounter | None = None
) -> EncounterForm:
    if encounter is None:
        initial: dict[str, object] = {"participants": [actor.pk]}
        present: list[int] = []
        organisations: list[int] = []
    else:
        present = [m.pk for m in encounter.participants.all()]
        organisations = [o.pk for o in encounter.organisations.all()]
        initial = {
            "kind": encounter.kind,
            "category": encounter.category,
            "started_at": encounter.started_at,
            "duration_minutes": encounter.duration_minutes,
            "attendance": encounter.attendance,
            "participants": present,
            "organisations": organisations,
            "notes": encounter.notes,
        }
    return EncounterForm(
        posted(request),
        initial=initial,
        categories=services.categories_writable_by(actor, client),
        participants=_professionals(client, actor, *present),
        organisations=Organisation.objects.filter(
            Q(is_active=True) | Q(pk__in=organisations)
        ).order_by("name"),
    )


@require_GET
@membership_required(CLIENT_WORK)
def client_page(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """The client's encounters tab: newest first, those the viewer may read."""
    viewer = acting_membership(request)
    client = client_or_404(request, client_id)
    encounters = selectors.client_encounters(viewer, client)
    page = Paginator(encounters, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    selectors.log_encounters(viewer, client, rows)
    editable = services.editable_among(viewer, client, rows)
    return render(
        request,
        "plans/encounter_list.html",
        {
            "client": client,
            "page": page,
            "encounters": [(e, e in editable) for e in rows],
            "can_record": services.can_record(viewer, client),
        },
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def encounter_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    if not services.can_record(actor, client):
        raise PermissionDenied
    form = _form(request, actor, client)
    if submit(
        request,
        form,
        partial(services.encounter_record, actor=actor, client=client),
        _("The encounter was recorded."),
    ):
        return redirect("plans:encounters", client_id=client.pk)
    log_view(actor, client)
    return render(request, "plans/encounter_form.html", {"form": form, "client": client})


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def encounter_edit(
    request: HttpRequest, client_id: uuid.UUID, encounter_id: uuid.UUID
) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    try:
        encounter = selectors.encounter_get(actor, client, encounter_id)
    except Encounter.DoesNotExist:
        raise Http404 from None
    if not services.can_edit(actor, encounter):
        raise PermissionDenied
    form = _form(request, actor, client, encounter)
    if submit(
        request,
        form,
        partial(services.encounter_update, actor=actor, encounter=encounter),
        _("The encounter was saved."),
    ):
        return redirect("plans:encounters", client_id=client.pk)
    selectors.log_encounters(actor, client, [encounter])
    return render(
        request,
        "plans/encounter_form.html",
        {"form": form, "client": client, "encounter": encounter},
    )


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/encounters/", client_page, name="encounters"),
    path("clients/<uuid:client_id>/encounters/new/", encounter_new, name="encounter_new"),
    path(
        "clients/<uuid:client_id>/encounters/<uuid:encounter_id>/edit/",
        encounter_edit,
        name="encounter_edit",
    ),
]
