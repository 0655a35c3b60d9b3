"""Pages of IPS work with one client: the "Job coaching" tab, and a form page for each action
(start or end the case, update the career profile, record benefits counselling, agree a job
search plan, record an activity, a job, correct a job, its end, follow-along support and its
end).

Thin: each view finds the client (404 when invisible), checks that the actor may act (403),
calls one service and renders. Every page names the client and is logged; pages that show a
record (the case to end, the job to end, the episodes a case may belong to) log its category
too.

The forms that name an employer carry a filter of the employer list inside them: its button
(`FILTER_BUTTON`) posts the form, which comes back narrowed with everything typed kept and
nothing saved.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.clients.models import Client
from polku.clients.views import client_or_404
from polku.core import roles
from polku.core.classifications import occupations
from polku.core.decorators import acting_membership, membership_required, posted, submit
from polku.core.models import Membership
from polku.employers.models import Employer, Vacancy
from polku.ips.forms.cases import CaseEndForm, CaseStartForm
from polku.ips.forms.common import (
    FILTER_BUTTON,
    EmployerFilterForm,
    active_employers,
    carried,
    offer_employers,
    open_vacancies,
)
from polku.ips.forms.counselling import CounsellingForm
from polku.ips.forms.job_search import ActivityForm, PlanForm
from polku.ips.forms.placements import (
    FollowAlongEndForm,
    PlacementEndForm,
    PlacementForm,
    SupportForm,
)
from polku.ips.forms.profiles import ProfileForm
from polku.ips.models import CareerProfile, IpsCase, JobPlacement, JobSearchPlan
from polku.ips.permissions import can_write
from polku.ips.selectors import cases as case_selectors
from polku.ips.selectors import placements as placement_selectors
from polku.ips.selectors import profiles as profile_selectors
from polku.ips.selectors.client import RAPID_SEARCH_DAYS, job_coaching_page
from polku.ips.selectors.common import ClientRecord, log_rows
from polku.ips.services import cases as case_services
from polku.ips.services import counselling as counselling_services
from polku.ips.services import job_search as job_search_services
from polku.ips.services import placements as placement_services
from polku.ips.services import profiles as profile_services
from polku.ips.services.counselling import BenefitTopic

CLIENT_WORK = roles.CLIENT_WORK_ROLES


def occupation_label(code: str) -> str:
    """ "522 – Shop salespersons" in the page's language; the bare code if unknown."""
    group = occupations().get(code)
    return f"{code} – {group.label(get_language() or 'en')}" if group else code


def _label_occupations(*records: CareerProfile | JobSearchPlan | JobPlacement | None) -> None:
    """Attach the ISCO labels a template shows (`occupation_labels`, `occupation_label`)."""
    for record in records:
        if isinstance(record, CareerProfile):
            record.occupation_labels = [  # type: ignore[attr-defined]
                occupation_label(code) for code in record.preferred_occupations
            ]
        elif isinstance(record, JobSearchPlan):
            record.occupation_labels = [  # type: ignore[attr-defined]
                occupation_label(code) for code in record.target_occupations
            ]
        elif isinstance(record, JobPlacement):
            record.occupation_label = occupation_label(record.isco_code)  # type: ignore[attr-defined]


def _topic_labels(codes: list[str]) -> list[str]:
    labels = dict(BenefitTopic.choices)
    return [str(labels.get(code, code)) for code in codes]


@require_GET
@membership_required(CLIENT_WORK)
def client_page(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """The client's "Job coaching" tab: the sections the viewer may read, and the actions they
    may take."""
    viewer = acting_membership(request)
    client = client_or_404(request, client_id)
    page = job_coaching_page(viewer, client)
    _label_occupations(page.profile, page.plan, *page.current_placements, *page.past_placements)
    for record in page.counselling or []:
        record.topic_labels = _topic_labels(record.topics)  # type: ignore[attr-defined]
    writes = can_write(viewer, client)
    own_jobs = {
        p.pk
        for p in [*page.current_placements, *page.past_placements]
        if writes and p.recorded_by_id == viewer.organisation_id
    }
    return render(
        request,
        "ips/client.html",
        {
            "client": client,
            "page": page,
            "rapid_search_days": RAPID_SEARCH_DAYS,
            "can_write": writes,
            "can_start_case": page.case is None and writes,
            "can_end_case": page.case is not None and case_services.can_end(viewer, page.case),
            "can_counsel": counselling_services.can_record(viewer, client),
            "own_jobs": own_jobs,
        },
    )


def _form_page(
    request: HttpRequest,
    client: Client,
    form: Any,
    *,
    title: str,
    submit_label: str,
    intro: str | Promise = "",
    shows: Sequence[ClientRecord] = (),
    record: Any = None,
    employer_filter: EmployerFilterForm | None = None,
) -> HttpResponse:
    """Render an action's form in the client's tab layout, logging the client's identity and
    the category of any record the page shows (`shows`)."""
    log_rows(acting_membership(request), shows, identity_of=[client.pk])
    return render(
        request,
        "ips/client_form.html",
        {
            "client": client,
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "intro": intro,
            "record": record,
            "employer_filter": employer_filter,
            "filter_button": FILTER_BUTTON,
        },
    )


def _writable_client(request: HttpRequest, client_id: uuid.UUID, allowed: Any) -> Client:
    """The client (404 when invisible) if `allowed(actor, client)`, else 403."""
    client = client_or_404(request, client_id)
    if not allowed(acting_membership(request), client):
        raise PermissionDenied
    return client


def _done(client: Client) -> HttpResponse:
    return redirect("ips:client", client_id=client.pk)


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def case_start(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = _writable_client(request, client_id, case_services.can_start)
    episodes = case_selectors.open_episodes(actor, client)
    listed = list(episodes)  # shown as the choices, so logged as read
    first = listed[0] if listed else None
    form = CaseStartForm(
        posted(request),
        initial={
            "start_date": timezone.localdate(),
            "specialist": actor.pk if actor.role == roles.Role.EMPLOYMENT_SPECIALIST else None,
            "episode": first.pk if first else None,
        },
        episodes=episodes,
        specialists=case_services.specialists_for(actor),
    )
    if submit(
        request,
        form,
        partial(case_services.case_start, actor=actor, client=client),
        _("The IPS case was started."),
    ):
        return _done(client)
    return _form_page(
        request,
        client,
        form,
        title=_("Start an IPS case"),
        submit_label=_("Start the case"),
        intro=_(
            "IPS is open to everyone who wants to work: no one is screened for being ready. "
            "The specialist joins the client's care team."
        )
        if first is not None
        else _(
            "The client has no open programme episode that you may see. Start the episode on "
            "the client's overview first: the IPS case belongs to it."
        ),
        shows=listed,
    )


def _case_or_404(request: HttpRequest, client: Client, case_id: uuid.UUID) -> IpsCase:
    try:
        return case_selectors.case_get(acting_membership(request), client, case_id)
    except IpsCase.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def case_end(request: HttpRequest, client_id: uuid.UUID, case_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    case = _case_or_404(request, client, case_id)
    if not case_services.can_end(actor, case):
        raise PermissionDenied
    form = CaseEndForm(posted(request), initial={"end_date": timezone.localdate()})
    if submit(
        request,
        form,
        partial(case_services.case_end, actor=actor, case=case),
        _("The IPS case was ended."),
    ):
        return _done(client)
    return _form_page(
        request,
        client,
        form,
        title=_("End the IPS case"),
        submit_label=_("End the case"),
        shows=[case],
        record=case,
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def profile_edit(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """A new version of the career profile, starting from the current one."""
    actor = acting_membership(request)
    client = _writable_client(request, client_id, profile_services.can_update)
    current = profile_selectors.client_profiles(actor, client).first()
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in ProfileForm.base_fields
            if hasattr(current, name)
        }
    form = ProfileForm(posted(request), initial=initial)
    if submit(
        request,
        form,
        partial(profile_services.profile_save, actor=actor, client=client),
        _("The career profile was saved as a new version."),
    ):
        return _done(client)
    return _form_page(
        request,
        client,
        form,
        title=_("Update the career profile"),
        submit_label=_("Save as a new version"),
        intro=_(
            "Each save keeps the earlier versions: the profile grows as the client tries work "
            "and learns what suits them."
        ),
        shows=[current] if current is not None else [],
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def counselling_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = _writable_client(request, client_id, counselling_services.can_record)
    counsellors = counselling_services.counsellors_for(actor, client)
    form = CounsellingForm(
        posted(request),
        initial={"counsellor": actor.pk},
        counsellors=Membership.objects.filter(pk__in=[m.pk for m in counsellors])
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "pk"),
    )
    if submit(
        request,
        form,
        partial(counselling_services.counselling_record, actor=actor, client=client),
        _("The benefits counselling was recorded."),
    ):
        return _done(client)
    return _form_page(
        request,
        client,
        form,
        title=_("Record benefits counselling"),
        submit_label=_("Record"),
        intro=_(
            "Work-incentive counselling: how earnings from work change the client's benefits. "
            "IPS aims for every client to have it before a job starts."
        ),
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def plan_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = _writable_client(request, client_id, job_search_services.can_record)
    form = PlanForm(posted(request))
    if submit(
        request,
        form,
        partial(job_search_services.plan_create, actor=actor, client=client),
        _("The job search plan was saved."),
    ):
        return _done(client)
    return _form_page(
        request,
        client,
        form,
        title=_("New job search plan"),
        submit_label=_("Save the plan"),
        intro=_("The new plan replaces the current one; earlier plans stay on record."),
    )


def _with_employer_filter(
    request: HttpRequest,
    form_class: type[ActivityForm] | type[PlacementForm],
    *,
    employers: QuerySet[Employer],
    vacancies: QuerySet[Vacancy],
    initial: dict[str, Any] | None = None,
) -> tuple[Any, EmployerFilterForm, str]:
    """The action's form, the employer filter and its words. Choices are checked against
    `employers` and `vacancies`; when the filter button was pressed, the form is a fresh one
    showing what was posted, so it saves nothing and shows no errors."""
    filter_form = EmployerFilterForm(
        (request.POST if request.method == "POST" else request.GET) or None
    )
    words = filter_form.cleaned_data["q"] if filter_form.is_valid() else ""
    if request.method == "POST" and FILTER_BUTTON in request.POST:
        form = form_class(
            initial=carried(request.POST, form_class), employers=employers, vacancies=vacancies
        )
    else:
        form = form_class(
            posted(request), initial=initial, employers=employers, vacancies=vacancies
        )
    return form, filter_form, words


def _offer_employers(request: HttpRequest, form: Any, words: str) -> None:
    """Narrow the form's employer list to `words`; after the filter button, say how many
    employers the list now has and that nothing was saved (also when Enter in a field pressed
    the filter, the form's first button)."""
    offer_employers(form, words)
    if request.method == "POST" and FILTER_BUTTON in request.POST:
        count = form.fields["employer"].queryset.count()
        messages.info(
            request,
            ngettext(
                "The list has %(count)d employer. Nothing has been saved yet.",
                "The list has %(count)d employers. Nothing has been saved yet.",
                count,
            )
            % {"count": count},
        )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def activity_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = _writable_client(request, client_id, job_search_services.can_record)
    employers = active_employers()
    form, filter_form, words = _with_employer_filter(
        request, ActivityForm, employers=employers, vacancies=open_vacancies(employers)
    )
    if submit(
        request,
        form,
        partial(job_search_services.activity_record, actor=actor, client=client),
        _("The activity was recorded."),
    ):
        return _done(client)
    _offer_employers(request, form, words)
    return _form_page(
        request,
        client,
        form,
        title=_("Record a job-search activity"),
        submit_label=_("Record"),
        intro=_(
            "Rapid job search: the first face-to-face contact with an employer within %(days)d "
            "days of entry."
        )
        % {"days": RAPID_SEARCH_DAYS},
        employer_filter=filter_form,
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def placement_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_membership(request)
    client = _writable_client(request, client_id, placement_services.can_record)
    employers = active_employers()
    form, filter_form, words = _with_employer_filter(
        request, PlacementForm, employers=employers, vacancies=open_vacancies(employers)
    )
    if submit(
        request,
        form,
        partial(placement_services.placement_record, actor=actor, client=client),
        _("The job was recorded."),
    ):
        return _done(client)
    _offer_employers(request, form, words)
    return _form_page(
        request,
        client,
        form,
        title=_("Record a job"),
        submit_label=_("Record the job"),
        intro=_(
            "Follow-along support after the job starts is time-unlimited: it goes on as long as "
            "the client wants it."
        ),
        employer_filter=filter_form,
    )


def _placement_or_404(
    request: HttpRequest, client: Client, placement_id: uuid.UUID
) -> JobPlacement:
    try:
        placement = placement_selectors.placement_get(
            acting_membership(request), client, placement_id
        )
    except JobPlacement.DoesNotExist:
        raise Http404 from None
    _label_occupations(placement)
    return placement


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def placement_end(
    request: HttpRequest, client_id: uuid.UUID, placement_id: uuid.UUID
) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    placement = _placement_or_404(request, client, placement_id)
    if not placement_services.can_edit(actor, placement):
        raise PermissionDenied
    form = PlacementEndForm(posted(request))
    if submit(
        request,
        form,
        partial(placement_services.placement_end, actor=actor, placement=placement),
        _("The end of the job was recorded."),
    ):
        return _done(client)
    return _form_page(
        request,
        client,
        form,
        title=_("Record the end of a job"),
        submit_label=_("Record the end"),
        intro=_("Follow-along support goes on after the job ends, if the client wants it."),
        shows=[placement],
        record=placement,
    )


def _job_values(placement: JobPlacement) -> dict[str, Any]:
    """The job's recorded values as the job form's initial values."""
    return {
        "employer": placement.employer_id,
        "vacancy": placement.vacancy_id,
        "job_title": placement.job_title,
        "isco_code": placement.isco_code,
        "competitive": "yes" if placement.competitive else "no",
        "subsidised": placement.subsidised,
        "start_date": placement.start_date,
        "hours_per_week": placement.hours_per_week,
        "hourly_wage": placement.hourly_wage,
        "end_date": placement.end_date,
        "end_reason": placement.end_reason,
    }


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def placement_edit(
    request: HttpRequest, client_id: uuid.UUID, placement_id: uuid.UUID
) -> HttpResponse:
    """Correct a job's details: the job form, starting from the recorded values. The employer
    and vacancy the job names stay on offer even if no longer active or open."""
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    placement = _placement_or_404(request, client, placement_id)
    if not placement_services.can_edit(actor, placement):
        raise PermissionDenied
    employers = active_employers(keep=placement.employer)
    form, filter_form, words = _with_employer_filter(
        request,
        PlacementForm,
        employers=employers,
        vacancies=open_vacancies(employers, keep=placement.vacancy),
        initial=_job_values(placement),
    )
    if submit(
        request,
        form,
        partial(placement_services.placement_update, actor=actor, placement=placement),
        _("The job details were corrected."),
    ):
        return _done(client)
    _offer_employers(request, form, words)
    return _form_page(
        request,
        client,
        form,
        title=_("Correct the job details"),
        submit_label=_("Save the corrections"),
        intro=_(
            "The corrected values replace the recorded ones. Follow-along support and its end "
            "are kept as they are."
        ),
        shows=[placement],
        employer_filter=filter_form,
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def support_new(
    request: HttpRequest, client_id: uuid.UUID, placement_id: uuid.UUID
) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    placement = _placement_or_404(request, client, placement_id)
    if not placement_services.can_record(actor, client):
        raise PermissionDenied
    form = SupportForm(posted(request))
    if submit(
        request,
        form,
        partial(placement_services.support_record, actor=actor, placement=placement),
        _("The follow-along support was recorded."),
    ):
        return _done(client)
    return _form_page(
        request,
        client,
        form,
        title=_("Record follow-along support"),
        submit_label=_("Record"),
        shows=[placement],
        record=placement,
    )


@require_http_methods(["GET", "POST"])
@membership_required(CLIENT_WORK)
def follow_along_end(
    request: HttpRequest, client_id: uuid.UUID, placement_id: uuid.UUID
) -> HttpResponse:
    actor = acting_membership(request)
    client = client_or_404(request, client_id)
    placement = _placement_or_404(request, client, placement_id)
    if not placement_services.can_edit(actor, placement):
        raise PermissionDenied
    form = FollowAlongEndForm(posted(request))
    if submit(
        request,
        form,
        partial(placement_services.follow_along_end, actor=actor, placement=placement),
        _("The end of follow-along support was recorded."),
    ):
        return _done(client)
    return _form_page(
        request,
        client,
        form,
        title=_("End follow-along support"),
        submit_label=_("Record the client's choice"),
        shows=[placement],
        record=placement,
    )


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/", client_page, name="client"),
    path("clients/<uuid:client_id>/case/new/", case_start, name="case_start"),
    path("clients/<uuid:client_id>/case/<uuid:case_id>/end/", case_end, name="case_end"),
    path("clients/<uuid:client_id>/profile/", profile_edit, name="profile_edit"),
    path("clients/<uuid:client_id>/counselling/new/", counselling_new, name="counselling_new"),
    path("clients/<uuid:client_id>/job-search-plan/new/", plan_new, name="plan_new"),
    path("clients/<uuid:client_id>/activities/new/", activity_new, name="activity_new"),
    path("clients/<uuid:client_id>/jobs/new/", placement_new, name="placement_new"),
    path(
        "clients/<uuid:client_id>/jobs/<uuid:placement_id>/edit/",
        placement_edit,
        name="placement_edit",
    ),
    path(
        "clients/<uuid:client_id>/jobs/<uuid:placement_id>/end/",
        placement_end,
        name="placement_end",
    ),
    path(
        "clients/<uuid:client_id>/jobs/<uuid:placement_id>/support/new/",
        support_new,
        name="support_new",
    ),
    path(
        "clients/<uuid:client_id>/jobs/<uuid:placement_id>/follow-along/end/",
        follow_along_end,
        name="follow_along_end",
    ),
]
