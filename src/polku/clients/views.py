"""Staff pages for clients: thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

import csv
import secrets
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.clients import selectors, services
from polku.clients.forms import (
    CareTeamAddForm,
    ClientForm,
    ClientRegisterForm,
    ClientSearchForm,
    ConsentForm,
    EpisodeEndForm,
    EpisodeStartForm,
)
from polku.clients.models import CareTeamMember, Client, Gender, Programme
from polku.core import access, disclosure, roles
from polku.core.categories import DataCategory, Purpose
from polku.core.decorators import (
    acting_membership,
    form_errors_from,
    membership_required,
    posted,
    submit,
)
from polku.core.models import AccessAction
from polku.evaluation.selectors.outcomes import follow_ups_count
from polku.plans.views.referrals import dashboard_context as plans_dashboard_context

CLIENT_WORK = roles.CLIENT_WORK_ROLES
PAGE_SIZE = 25
EXPORT_LIMIT = 5000


def client_or_404(request: HttpRequest, client_id: uuid.UUID) -> Client:
    try:
        return selectors.client_get(acting_membership(request), client_id)
    except Client.DoesNotExist:
        raise Http404 from None


def _client_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *categories: str,
) -> HttpResponse:
    """Render a page about context["client"], logging the categories it shows (identity at
    least: every such page carries the client's name)."""
    selectors.log_view(acting_membership(request), context["client"], *categories)
    return render(request, template, context)


@require_GET
@membership_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    viewer = acting_membership(request)
    context: dict[str, Any] = {}
    if access.works_with_clients(viewer):
        caseload = selectors.with_list_details(selectors.caseload_of(viewer), viewer)
        page = Paginator(caseload, PAGE_SIZE).get_page(request.GET.get("page"))
        selectors.log_list(viewer, list(page.object_list))
        context |= {"page": page, "key_worker_count": selectors.key_clients_of(viewer).count()}
        context |= plans_dashboard_context(viewer)
        context["follow_ups_due"] = follow_ups_count(viewer, today=timezone.localdate())
    return render(request, "clients/dashboard.html", context)


# Search words (names, identity codes) never travel in a URL, where browser history and server
# logs would keep them: the form is POSTed, the words are kept in the session under a random
# key, and the URL carries only that key and the non-personal filters.
SEARCHES_SESSION_KEY = "polku_client_searches"
SEARCHES_KEPT = 20
FILTER_PARAMS = ("programme", "organisation", "status")


def _remember_search(request: HttpRequest, text: str) -> str:
    if not text:
        return ""
    searches: dict[str, str] = request.session.get(SEARCHES_SESSION_KEY, {})
    key = secrets.token_urlsafe(6)
    searches[key] = text
    request.session[SEARCHES_SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return key


def _search_state(
    request: HttpRequest, *, new_search: bool
) -> tuple[ClientSearchForm, dict[str, str]]:
    """The search form (bound to what the user searched) and the URL parameters that stand
    for it: a new search comes in the POST body; otherwise the query's key names one."""
    if new_search:
        data = request.POST.copy()
        text = data.get("q", "").strip()
    else:
        data = request.GET.copy()
        text = request.session.get(SEARCHES_SESSION_KEY, {}).get(request.GET.get("s", ""), "")
        data["q"] = text
    form = ClientSearchForm(data)
    params = {name: str(data[name]) for name in FILTER_PARAMS if data.get(name)}
    if form.is_valid() and text:
        key = _remember_search(request, text) if new_search else request.GET["s"]
        params["s"] = key
    return form, params


def _filters(form: ClientSearchForm) -> selectors.ClientFilters:
    if not form.is_valid():
        return selectors.ClientFilters()
    data = form.cleaned_data
    return selectors.ClientFilters(
        search=data["q"],
        programme=data["programme"].pk if data["programme"] else None,
        organisation=data["organisation"].pk if data["organisation"] else None,
        status=data["status"],
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def client_list(request: HttpRequest) -> HttpResponse:
    viewer = acting_membership(request)
    form, params = _search_state(request, new_search=request.method == "POST")
    query = urlencode(params)
    url = f"{reverse('clients:list')}?{query}" if query else reverse("clients:list")
    htmx = getattr(request, "htmx", None)
    if request.method == "POST" and not htmx and form.is_valid():
        # 303 See Other: reload and Back repeat the search, not the POST.
        return HttpResponseRedirect(url, status=303)
    clients = selectors.with_list_details(
        selectors.clients_visible_to(viewer, filters=_filters(form)), viewer
    )
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.log_list(viewer, list(page.object_list))
    context = {"form": form, "page": page, "query": query}
    # A history restore needs the whole page, not the fragment a search swaps in.
    partial = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
    template = "clients/_client_results.html" if partial else "clients/client_list.html"
    response = render(request, template, context)
    if partial and request.method == "POST":
        response["HX-Replace-Url"] = url
    patch_vary_headers(response, ["HX-Request"])
    return response


def _csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas in exported cells (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@require_POST
@membership_required(CLIENT_WORK)
def client_export(request: HttpRequest) -> HttpResponse:
    """The list's current search as CSV. A POST: a link elsewhere cannot make someone's browser
    export (and log) thousands of clients."""
    viewer = acting_membership(request)
    form, _params = _search_state(request, new_search=False)
    filters = _filters(form)
    clients = list(
        selectors.with_list_details(selectors.clients_visible_to(viewer, filters=filters), viewer)[
            :EXPORT_LIMIT
        ]
    )
    selectors.log_list(viewer, clients, action=AccessAction.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="polku-clients-{stamp}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Client reference"),
            _("Last name"),
            _("First name"),
            _("Date of birth"),
            _("Municipality"),
            _("Programmes now"),
            _("Key worker"),
        ]
    )
    for client in clients:
        writer.writerow(
            [
                _csv_safe(v)
                for v in (
                    client.reference,
                    client.last_name,
                    client.first_name,
                    client.date_of_birth.isoformat(),
                    client.municipality or "",
                    ", ".join(e.programme.name for e in client.open_episodes),  # type: ignore[attr-defined]
                    ", ".join(m.membership.user.display_name() for m in client.key_workers),  # type: ignore[attr-defined]
                )
            ]
        )
    return response


def _client_fields(data: dict[str, Any]) -> dict[str, Any]:
    municipality = data.pop("municipality", None)
    data["municipality_id"] = municipality.pk if municipality else None
    return data


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def client_register(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = ClientRegisterForm(posted(request))
    possible_duplicate = False
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_register(actor=actor, **_client_fields(form.cleaned_data))
        except ValidationError as error:
            if getattr(error, "code", None) == services.POSSIBLE_DUPLICATE:
                possible_duplicate = True
                form.show_duplicate_confirmation()
            form_errors_from(form, error)
        else:
            messages.success(request, _("The client was registered."))
            return redirect("clients:detail", client_id=client.pk)
    return render(
        request,
        "clients/client_form.html",
        {
            "form": form,
            "possible_duplicate": possible_duplicate,
            "registering": True,
        },
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def client_edit(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    if not services.can_manage_client(actor, client):
        raise PermissionDenied
    contact_visible = access.can_read(
        actor, client, category=DataCategory.CONTACT, purpose=Purpose.SERVICE
    )
    initial = {name: getattr(client, name) for name in services.CLIENT_FIELDS}
    initial["identity_code_type"] = client.identity_code_type
    form = ClientForm(posted(request), initial=initial)
    form.fields["identity_code"].help_text = _("Leave empty to keep the stored code. %(help)s") % {
        "help": form.fields["identity_code"].help_text
    }
    if not contact_visible:
        for name in Client.fields_in(DataCategory.CONTACT):
            del form.fields[name]
    if submit(
        request,
        form,
        lambda **data: services.client_update(actor=actor, client=client, **_client_fields(data)),
        _("The client's details were saved."),
    ):
        return redirect("clients:detail", client_id=client.pk)
    shown = (DataCategory.IDENTITY, DataCategory.CONTACT) if contact_visible else ()
    return _client_page(
        request, "clients/client_form.html", {"form": form, "client": client}, *shown
    )


@require_GET
@membership_required(CLIENT_WORK)
def client_detail(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    viewer = acting_membership(request)
    try:
        detail = selectors.client_detail(viewer, client_id)
    except Client.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    return render(
        request,
        "clients/client_detail.html",
        {
            "detail": detail,
            "client": detail.client,
            "today": today,
            "consents": [(c, c.status(today)) for c in detail.consents],
            "can_manage_team": services.can_manage_team(viewer, detail.client),
            "can_manage_client": services.can_manage_client(viewer, detail.client),
            "can_start_episode": access.role_permits(viewer, DataCategory.EMPLOYMENT)
            and services.can_work_on(viewer, detail.client),
        },
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def episode_start(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    if not services.can_work_on(actor, client):
        raise PermissionDenied
    form = EpisodeStartForm(posted(request), initial={"organisation": actor.organisation_id})
    if submit(
        request,
        form,
        partial(services.episode_start, actor=actor, client=client),
        _("The episode was started."),
    ):
        return redirect("clients:detail", client_id=client.pk)
    return _client_page(
        request, "clients/episode_form.html", {"form": form, "client": client, "starting": True}
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def episode_end(request: HttpRequest, client_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    episode = get_object_or_404(
        selectors.episodes_visible_to(actor).select_related("programme"),
        pk=episode_id,
        client=client,
    )
    if not services.can_work_on(actor, client):
        raise PermissionDenied
    form = EpisodeEndForm(posted(request))
    if submit(
        request,
        form,
        partial(services.episode_end, actor=actor, episode=episode),
        _("The episode was ended."),
    ):
        return redirect("clients:detail", client_id=client.pk)
    return _client_page(
        request,
        "clients/episode_form.html",
        {"form": form, "client": client, "episode": episode},
        DataCategory.IDENTITY,
        DataCategory.EMPLOYMENT,
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def consent_record(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    if not services.can_manage_client(actor, client):
        raise PermissionDenied
    form = ConsentForm(posted(request))
    if submit(
        request,
        form,
        partial(services.consent_record, actor=actor, client=client),
        _("The consent was recorded."),
    ):
        return redirect("clients:detail", client_id=client.pk)
    return _client_page(request, "clients/consent_form.html", {"form": form, "client": client})


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def consent_withdraw(
    request: HttpRequest, client_id: uuid.UUID, consent_id: uuid.UUID
) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    consent = get_object_or_404(selectors.consents_of(client, actor), pk=consent_id)
    if not services.can_manage_client(actor, client):
        raise PermissionDenied
    if request.method == "POST":
        _act(
            request,
            partial(services.consent_withdraw, actor=actor, consent=consent),
            _("The consent was withdrawn. Sharing stopped at once."),
        )
        return redirect("clients:detail", client_id=client.pk)
    return _client_page(
        request, "clients/consent_withdraw.html", {"consent": consent, "client": client}
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def care_team(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    if not services.can_manage_team(actor, client):
        raise PermissionDenied
    form = CareTeamAddForm(posted(request), candidates=selectors.team_candidates(client))
    if submit(
        request,
        form,
        partial(services.care_team_add, actor=actor, client=client),
        _("The professional was added to the care team."),
    ):
        return redirect("clients:care_team", client_id=client.pk)
    return _client_page(
        request,
        "clients/care_team.html",
        {"client": client, "form": form, "members": selectors.care_team_of(client)},
    )


def _act(request: HttpRequest, action: Callable[[], object], done: str) -> None:
    """Run a one-click action (a service) and tell the user how it went."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)


def _team_member(request: HttpRequest, client_id: uuid.UUID, member_id: int) -> CareTeamMember:
    client = client_or_404(request, client_id)
    return get_object_or_404(
        CareTeamMember.objects.select_related("client"), pk=member_id, client=client
    )


@require_POST
@membership_required(CLIENT_WORK)
def care_team_remove(request: HttpRequest, client_id: uuid.UUID, member_id: int) -> HttpResponse:
    member = _team_member(request, client_id, member_id)
    _act(
        request,
        partial(services.care_team_remove, actor=acting_membership(request), member=member),
        _("The professional was removed from the care team."),
    )
    return redirect("clients:care_team", client_id=client_id)


@require_POST
@membership_required(CLIENT_WORK)
def care_team_key_worker(
    request: HttpRequest, client_id: uuid.UUID, member_id: int
) -> HttpResponse:
    member = _team_member(request, client_id, member_id)
    _act(
        request,
        partial(services.care_team_set_key_worker, actor=acting_membership(request), member=member),
        _("The key worker was changed."),
    )
    return redirect("clients:care_team", client_id=client_id)


@require_GET
@membership_required([roles.Role.PROGRAMME_MANAGER, roles.Role.EVALUATOR])
def programme_overview(request: HttpRequest) -> HttpResponse:
    """Participant counts per programme by gender: aggregates only, small cells suppressed."""
    gender_counts = {
        f"g_{g}": Count("episodes__client", filter=Q(episodes__client__gender=g), distinct=True)
        for g in Gender.values
    }
    programmes = Programme.objects.select_related("organisation").annotate(
        participants=Count("episodes__client", distinct=True),
        active=Count("episodes__client", filter=Q(episodes__end_date__isnull=True), distinct=True),
        **gender_counts,
    )
    rows = []
    for programme in programmes:
        by_gender = [getattr(programme, f"g_{value}") for value in Gender.values]
        cells, participants = disclosure.protect(by_gender, getattr(programme, "participants"))  # noqa: B009
        rows.append(
            {
                "programme": programme,
                "participants": participants,
                "active": disclosure.protect([], getattr(programme, "active"))[1],  # noqa: B009
                "target": programme.target_participants,
                "by_gender": list(zip(Gender.labels, cells, strict=True)),
            }
        )
    return render(
        request,
        "clients/programme_overview.html",
        {
            "rows": rows,
            "genders": Gender.choices,
            "threshold": disclosure.THRESHOLD,
        },
    )
