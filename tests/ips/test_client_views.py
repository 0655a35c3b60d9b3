"""The client's "Job coaching" tab and its action pages: what they show, that each form records
through its service and returns to the tab, field errors (in Finnish too), refusals, and the
read-access log of every page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.ips.forms.common import FILTER_BUTTON
from polku.ips.models import (
    BenefitsCounselling,
    CareerProfile,
    FollowAlongSupport,
    IpsCase,
    JobPlacement,
    JobSearchActivity,
    JobSearchPlan,
)
from polku.ips.services import counselling, job_search, placements, profiles
from polku.ips.services.common import short_date
from tests.factories import (
    CareTeamMemberFactory,
    ConsentFactory,
    EmployerFactory,
    MembershipFactory,
    VacancyFactory,
)
from tests.ips.test_client_services import World, days_ago, make_world, record_job, start_case

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
TODAY = timezone.localdate


def _url(w: World, *parts: object) -> str:
    return "/".join([f"/ips/clients/{w.client.pk}", *map(str, parts)]) + "/"


def _logged(viewer: Membership) -> list[tuple[str, str]]:
    return sorted((e.category, e.action) for e in AccessLogEntry.objects.filter(membership=viewer))


@pytest.fixture
def w() -> World:
    return make_world()


def test_the_tab_without_a_case_offers_to_start_one(w: World, login: Login) -> None:
    response = login(w.coach).get(_url(w))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The client has no open IPS case that you may see." in body
    assert f'href="{_url(w, "case", "new")}"' in body
    assert 'aria-current="page">Job coaching</a>' in body
    assert _logged(w.coach) == [("identity", "view")]


def test_the_tab_shows_the_work_with_the_client(w: World, login: Login) -> None:
    start_case(w, days=40)
    profiles.profile_save(actor=w.coach, client=w.client, preferred_occupations=["522"])
    profiles.profile_save(actor=w.coach, client=w.client, preferred_occupations=["522", "911"])
    job_search.plan_create(
        actor=w.coach, client=w.client, agreed_on=days_ago(30), goal="Work in a shop"
    )
    job_search.activity_record(
        actor=w.coach,
        client=w.client,
        date=days_ago(12),
        kind="interview",
        employer=w.employer,
        specialist_present=True,
    )
    counselling.counselling_record(
        actor=w.coach, client=w.client, date=days_ago(5), topics=["housing_allowance"]
    )
    job = record_job(w, start_date=days_ago(8), subsidised=True)
    placements.support_record(
        actor=w.coach,
        placement=job,
        date=days_ago(1),
        with_whom="employer",
        mode="phone",
        content="Talked with the supervisor about the shifts",
    )
    ended = record_job(
        w, job_title="Kesätyö", start_date=days_ago(30), end_date=days_ago(20), end_reason="quit"
    )
    placements.follow_along_end(
        actor=w.coach, placement=ended, ended_on=days_ago(19), client_chose=True
    )

    response = login(w.coach).get(_url(w))
    body = response.content.decode()
    assert "Days since entry</dt><dd>40</dd>" in body
    assert "First face-to-face contact with an employer on" in body
    assert "(Kauppa Oy), 28 days after entry." in body
    assert "Within 30 days" in body
    assert "Updated 1 time, last on" in body
    assert "522 – Shop salespersons; 911 – " in body
    assert "Work in a shop" in body
    assert "Housing allowance" in body
    assert "Talked with the supervisor about the shifts" in body
    assert body.count('data-testid="job"') == 2
    assert "Time-unlimited" in body
    assert "by the client's choice" in body
    assert f'href="{_url(w, "jobs", job.pk, "end")}"' in body
    assert f'href="{_url(w, "jobs", ended.pk, "end")}"' not in body
    assert f'href="{_url(w, "case", w.client.ips_cases.get().pk, "end")}"' in body
    assert _logged(w.coach) == [("benefits", "view"), ("employment", "view"), ("identity", "view")]


def test_the_tab_warns_when_rapid_job_search_is_late(w: World, login: Login) -> None:
    start_case(w, days=45)
    body = login(w.coach).get(_url(w)).content.decode()
    assert "No face-to-face contact with an employer yet, 45 days since entry." in body
    assert "error-summary--warning" in body


def test_an_employer_liaison_sees_no_benefits_section(w: World, login: Login) -> None:
    start_case(w)
    counselling.counselling_record(
        actor=w.coach, client=w.client, date=TODAY(), topics=["taxation"]
    )
    body = login(w.liaison).get(_url(w)).content.decode()
    assert "Benefits counselling" not in body
    assert "Tax card" not in body
    assert ("benefits", "view") not in _logged(w.liaison)


def test_an_invisible_client_is_404_and_a_role_without_client_work_403(
    w: World, login: Login
) -> None:
    stranger = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    assert login(stranger).get(_url(w)).status_code == 404
    assert login(stranger).get(_url(w, "jobs", "new")).status_code == 404
    manager = MembershipFactory(organisation=w.city, role=Role.PROGRAMME_MANAGER)
    assert login(manager).get(_url(w)).status_code == 403
    assert AccessLogEntry.objects.filter(membership__in=[stranger, manager]).count() == 0


def test_a_reader_who_may_not_work_on_the_client_is_refused_the_forms(
    w: World, login: Login
) -> None:
    # A coordinator of the city reads every client the city registered, but works on those
    # whose team they are on or whom their organisation registered: here they may. A coach
    # of the city not on the care team may not even read the client.
    assert login(w.other_coach).get(_url(w, "profile")).status_code == 404
    assert login(w.liaison).get(_url(w, "counselling", "new")).status_code == 403


def _post(http: HttpClient, url: str, data: dict[str, Any], **extra: Any) -> Any:
    return http.post(url, data, **extra)


def test_starting_and_ending_a_case_through_the_forms(w: World, login: Login) -> None:
    http = login(w.coach)
    form = http.get(_url(w, "case", "new"))
    assert form.status_code == 200
    assert form.context["form"].initial["specialist"] == w.coach.pk
    response = _post(
        http,
        _url(w, "case", "new"),
        {"episode": w.episode.pk, "specialist": w.coach.pk, "start_date": str(days_ago(3))},
    )
    assert response.status_code == 302
    assert response["Location"] == _url(w)
    case = IpsCase.objects.get()
    assert case.start_date == days_ago(3)
    again = _post(
        http,
        _url(w, "case", "new"),
        {"episode": w.episode.pk, "specialist": w.coach.pk, "start_date": str(TODAY())},
    )
    assert again.status_code == 200
    assert again.context["form"].non_field_errors() == [
        "The client already has an open IPS case. End it before starting a new one."
    ]
    end_url = _url(w, "case", case.pk, "end")
    missing = _post(http, end_url, {"end_date": str(days_ago(1)), "end_reason": ""})
    assert list(missing.context["form"].errors) == ["end_reason"]
    early = _post(http, end_url, {"end_date": str(days_ago(4)), "end_reason": "moved"})
    assert (
        early.context["form"]
        .errors["end_date"][0]
        .startswith("The end date is before the start date")
    )
    done = _post(http, end_url, {"end_date": str(TODAY()), "end_reason": "education"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.end_reason == "education"


def test_the_profile_form_starts_from_the_current_version_and_saves_a_new_one(
    w: World, login: Login
) -> None:
    profiles.profile_save(
        actor=w.coach, client=w.client, strengths="Reliable", preferred_occupations=["522"]
    )
    http = login(w.coach)
    form = http.get(_url(w, "profile"))
    assert form.context["form"].initial["strengths"] == "Reliable"
    assert form.context["form"].initial["preferred_occupations"] == ["522"]
    body = form.content.decode()
    assert '<optgroup label="5 – Service and sales workers">' in body
    response = _post(
        http,
        _url(w, "profile"),
        {
            "strengths": "Reliable, good with customers",
            "preferred_occupations": ["522", "911"],
            "preferred_hours": "part_time",
            "disclosure": "not_disclose",
        },
    )
    assert response.status_code == 302
    assert list(
        CareerProfile.objects.order_by("created_at").values_list("strengths", flat=True)
    ) == [
        "Reliable",
        "Reliable, good with customers",
    ]
    bad = _post(http, _url(w, "profile"), {"preferred_occupations": ["5229"]})
    assert set(bad.context["form"].errors) == {
        "preferred_occupations",
        "preferred_hours",
        "disclosure",
    }
    assert CareerProfile.objects.count() == 2


def test_counselling_plan_and_activity_forms(w: World, login: Login) -> None:
    http = login(w.coach)
    counselled = _post(
        http,
        _url(w, "counselling", "new"),
        {
            "date": str(TODAY()),
            "counsellor": w.counsellor.pk,
            "topics": ["earnings_adjustment", "taxation"],
            "calculation_made": "on",
        },
    )
    assert counselled.status_code == 302
    record = BenefitsCounselling.objects.get()
    assert (record.counsellor, record.calculation_made) == (w.counsellor, True)
    planned = _post(
        http,
        _url(w, "job-search-plan", "new"),
        {"agreed_on": str(TODAY()), "goal": "Warehouse", "target_occupations": ["933"]},
    )
    assert planned.status_code == 302
    assert JobSearchPlan.objects.get().target_occupations == ["933"]
    vacancy = VacancyFactory(employer=w.employer)
    acted = _post(
        http,
        _url(w, "activities", "new"),
        {"date": str(TODAY()), "kind": "application", "vacancy": vacancy.pk},
    )
    assert acted.status_code == 302
    assert JobSearchActivity.objects.get().employer == w.employer


def test_the_activity_form_filters_employers_by_name(w: World, login: Login) -> None:
    EmployerFactory(name="Varasto Oy")
    http = login(w.coach)
    everyone = http.get(_url(w, "activities", "new")).context["form"].fields["employer"]
    assert [e.name for e in everyone.queryset] == ["Kauppa Oy", "Varasto Oy"]
    narrowed = http.get(_url(w, "activities", "new"), {"q": "varas"})
    assert [e.name for e in narrowed.context["form"].fields["employer"].queryset] == ["Varasto Oy"]


def test_filtering_the_employers_keeps_what_was_typed_and_saves_nothing(
    w: World, login: Login
) -> None:
    varasto = EmployerFactory(name="Varasto Oy")
    start_case(w)
    http = login(w.coach)
    typed = {
        "date": str(days_ago(3)),
        "kind": "employer_meeting",
        "specialist_present": "on",
        "notes": "Met the warehouse manager",
    }
    response = _post(http, _url(w, "activities", "new"), typed | {"q": "varas", FILTER_BUTTON: "1"})
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound  # shown again as typed, not checked: no errors
    assert [e.name for e in form.fields["employer"].queryset] == ["Varasto Oy"]
    assert {name: form[name].value() for name in typed} == typed
    # The list narrowed to one employer chooses it.
    assert form["employer"].value() == varasto.pk
    body = response.content.decode()
    assert f'<option value="{varasto.pk}" selected>Varasto Oy</option>' in body
    assert 'value="employer_meeting" selected' in body
    assert "Met the warehouse manager</textarea>" in body
    assert 'name="q" value="varas"' in body
    assert "Please correct the errors below." not in body
    assert "The list has 1 employer. Nothing has been saved yet." in body
    assert JobSearchActivity.objects.count() == 0
    saved = _post(
        http, _url(w, "activities", "new"), typed | {"q": "varas", "employer": varasto.pk}
    )
    assert saved.status_code == 302
    activity = JobSearchActivity.objects.get()
    assert (activity.employer, activity.notes, activity.specialist_present) == (
        varasto,
        "Met the warehouse manager",
        True,
    )


def test_without_words_a_single_employer_is_not_chosen_for_the_user(w: World, login: Login) -> None:
    # Kauppa Oy is the register's only active employer, but an activity may name none.
    form = login(w.coach).get(_url(w, "activities", "new")).context["form"]
    assert [e.name for e in form.fields["employer"].queryset] == ["Kauppa Oy"]
    assert form["employer"].value() is None


def test_words_left_in_the_filter_do_not_undo_the_employer_chosen(w: World, login: Login) -> None:
    # Typed into the filter but not applied: the save checks the employer against the whole
    # register, and a page shown again with errors keeps the choice on the list.
    EmployerFactory(name="Varasto Oy")
    http = login(w.coach)
    data = {"kind": "interview", "employer": w.employer.pk, "q": "varas"}
    refused = _post(http, _url(w, "activities", "new"), data)  # no date
    assert list(refused.context["form"].errors) == ["date"]
    shown = refused.context["form"].fields["employer"].queryset
    assert [e.name for e in shown] == ["Kauppa Oy", "Varasto Oy"]
    saved = _post(http, _url(w, "activities", "new"), data | {"date": str(TODAY())})
    assert saved.status_code == 302
    assert JobSearchActivity.objects.get().employer == w.employer


def _job_data(w: World, **overrides: Any) -> dict[str, Any]:
    return {
        "employer": w.employer.pk,
        "job_title": "Myyjä",
        "isco_code": "522",
        "competitive": "yes",
        "start_date": str(days_ago(2)),
        "hours_per_week": "30",
        "hourly_wage": "12.80",
    } | overrides


def test_recording_a_job_ending_it_and_supporting_after(w: World, login: Login) -> None:
    start_case(w)
    http = login(w.coach)
    form = http.get(_url(w, "jobs", "new"))
    assert form.context["form"]["competitive"].initial is None
    assert 'value="yes" checked' not in form.content.decode()
    assert _post(http, _url(w, "jobs", "new"), _job_data(w)).status_code == 302
    job = JobPlacement.objects.get()
    assert (job.competitive, str(job.hourly_wage), job.isco_code) == (True, "12.80", "522")
    supported = _post(
        http,
        _url(w, "jobs", job.pk, "support", "new"),
        {"date": str(TODAY()), "with_whom": "both", "mode": "in_person", "content": "Visit"},
    )
    assert supported.status_code == 302
    assert FollowAlongSupport.objects.get().placement == job
    ended = _post(
        http,
        _url(w, "jobs", job.pk, "end"),
        {"end_date": str(TODAY()), "end_reason": "temporary_ended"},
    )
    assert ended.status_code == 302
    refused = _post(
        http, _url(w, "jobs", job.pk, "follow-along", "end"), {"ended_on": str(TODAY())}
    )
    assert list(refused.context["form"].errors) == ["client_chose"]
    chose = _post(
        http,
        _url(w, "jobs", job.pk, "follow-along", "end"),
        {"ended_on": str(TODAY()), "client_chose": "on"},
    )
    assert chose.status_code == 302
    job.refresh_from_db()
    assert (job.end_reason, job.follow_along_ended_on) == ("temporary_ended", TODAY())


def test_the_job_form_keeps_its_values_through_the_filter(w: World, login: Login) -> None:
    start_case(w)
    EmployerFactory(name="Varasto Oy")
    data = _job_data(w, employer="", q="kauppa", subsidised="on")
    response = _post(login(w.coach), _url(w, "jobs", "new"), data | {FILTER_BUTTON: "1"})
    form = response.context["form"]
    assert [e.name for e in form.fields["employer"].queryset] == ["Kauppa Oy"]
    assert form["employer"].value() == w.employer.pk
    kept = ["job_title", "isco_code", "competitive", "start_date", "hours_per_week"]
    assert {name: form[name].value() for name in kept} == {name: data[name] for name in kept}
    assert (form["hourly_wage"].value(), form["subsidised"].value()) == ("12.80", "on")
    body = response.content.decode()
    assert re.search(r'name="competitive" value="yes"[^>]* checked>', body)
    assert JobPlacement.objects.count() == 0


def test_the_job_form_refuses_a_start_before_entry_and_a_low_competitive_wage(
    w: World, login: Login
) -> None:
    case = start_case(w, days=40)
    response = _post(
        login(w.coach),
        _url(w, "jobs", "new"),
        _job_data(w, start_date=str(days_ago(41)), hourly_wage="4.50"),
    )
    errors = response.context["form"].errors
    assert errors["start_date"] == [
        f"The job cannot start before the client's entry to IPS ({short_date(case.start_date)})."
    ]
    assert errors["hourly_wage"] == [
        "A competitive job pays at least the collectively agreed wage; check the wage or mark "
        "the job not competitive."
    ]
    assert JobPlacement.objects.count() == 0


def test_correcting_a_job_from_its_card(w: World, login: Login) -> None:
    start_case(w)
    job = record_job(w)
    http = login(w.coach)
    edit_url = _url(w, "jobs", job.pk, "edit")
    assert f'href="{edit_url}"' in http.get(_url(w)).content.decode()
    seen = AccessLogEntry.objects.count()  # the log is append-only: count what comes after
    page = http.get(edit_url)
    assert page.status_code == 200
    form = page.context["form"]
    assert (form["job_title"].value(), form["competitive"].value()) == ("Myyjä", "yes")
    assert (form["employer"].value(), form["start_date"].value()) == (w.employer.pk, days_ago(20))
    page_reads = AccessLogEntry.objects.filter(membership=w.coach).order_by("seq")[seen:]
    assert sorted((e.category, e.action) for e in page_reads) == [
        ("employment", "view"),
        ("identity", "view"),
    ]
    refused = _post(http, edit_url, _job_data(w, hourly_wage="4.50"))
    assert list(refused.context["form"].errors) == ["hourly_wage"]
    job.refresh_from_db()
    assert job.hourly_wage == Decimal("13.50")
    done = _post(
        http,
        edit_url,
        _job_data(w, job_title="Kassamyyjä", start_date=str(days_ago(21)), hourly_wage="14.10"),
    )
    assert done.status_code == 302
    assert done["Location"] == _url(w)
    job.refresh_from_db()
    assert (job.job_title, job.start_date, job.hourly_wage) == (
        "Kassamyyjä",
        days_ago(21),
        Decimal("14.10"),
    )
    assert JobPlacement.objects.count() == 1


def test_a_job_names_its_employer_on_the_correction_form_though_no_longer_active(
    w: World, login: Login
) -> None:
    start_case(w)
    job = record_job(w)
    w.employer.is_active = False
    w.employer.save()
    http = login(w.coach)
    offered = http.get(_url(w, "jobs", job.pk, "edit")).context["form"].fields["employer"]
    assert [e.name for e in offered.queryset] == ["Kauppa Oy"]
    done = _post(http, _url(w, "jobs", job.pk, "edit"), _job_data(w, hours_per_week="20"))
    assert done.status_code == 302
    job.refresh_from_db()
    assert job.hours_per_week == Decimal("20")


def test_the_competitive_question_must_be_answered(w: World, login: Login) -> None:
    start_case(w)
    data = _job_data(w)
    del data["competitive"]
    response = _post(login(w.coach), _url(w, "jobs", "new"), data)
    assert list(response.context["form"].errors) == ["competitive"]
    assert JobPlacement.objects.count() == 0


def test_job_errors_are_in_finnish_for_a_finnish_user(w: World, login: Login) -> None:
    start_case(w)
    response = _post(
        login(w.coach),
        _url(w, "jobs", "new"),
        _job_data(
            w,
            job_title="",
            end_date=str(TODAY() + dt.timedelta(days=3)),
            end_reason="quit",
        ),
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    errors = response.context["form"].errors
    assert errors["job_title"] == ["Tämä kenttä vaaditaan."]
    response = _post(
        login(w.coach),
        _url(w, "jobs", "new"),
        _job_data(w, end_date=str(TODAY() + dt.timedelta(days=3)), end_reason="quit"),
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.context["form"].errors["end_date"] == [
        "Päättymispäivä ei voi olla tulevaisuudessa."
    ]
    response = _post(
        login(w.coach),
        _url(w, "jobs", "new"),
        _job_data(w, hours_per_week="0.4"),
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.context["form"].errors["hours_per_week"] == [
        "Tämän luvun on oltava vähintään 0.5."
    ]
    assert JobPlacement.objects.count() == 0


def test_only_the_recording_organisation_is_offered_to_end_a_job(w: World, login: Login) -> None:
    start_case(w)
    job = record_job(w)
    partner = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    ConsentFactory(
        client=w.client,
        organisations=[partner.organisation],
        categories=["identity", "employment"],
    )
    CareTeamMemberFactory(client=w.client, membership=partner)
    http = login(partner)
    body = http.get(_url(w)).content.decode()
    assert f'href="{_url(w, "jobs", job.pk, "support", "new")}"' in body
    assert f'href="{_url(w, "jobs", job.pk, "end")}"' not in body
    assert f'href="{_url(w, "jobs", job.pk, "edit")}"' not in body
    assert http.get(_url(w, "jobs", job.pk, "end")).status_code == 403
    assert http.get(_url(w, "jobs", job.pk, "edit")).status_code == 403
    assert http.post(_url(w, "jobs", job.pk, "edit"), _job_data(w)).status_code == 403
    assert http.post(_url(w, "jobs", job.pk, "follow-along", "end"), {}).status_code == 403


def test_a_form_page_logs_the_record_it_shows(w: World, login: Login) -> None:
    start_case(w)
    job = record_job(w)
    login(w.coach).get(_url(w, "jobs", job.pk, "end"))
    assert _logged(w.coach) == [("employment", "view"), ("identity", "view")]


def test_a_job_of_another_client_is_404(w: World, login: Login) -> None:
    other = make_world()
    start_case(other)
    job = record_job(other)
    assert login(w.coach).get(_url(w, "jobs", job.pk, "end")).status_code == 404
    assert login(w.coach).get(_url(w, "jobs", job.pk, "edit")).status_code == 404


def test_without_an_open_episode_the_case_form_says_where_to_start(w: World, login: Login) -> None:
    w.episode.end_date, w.episode.end_reason = TODAY(), "other"
    w.episode.save()
    response = login(w.coach).get(_url(w, "case", "new"))
    assert "The client has no open programme episode that you may see." in (
        response.content.decode()
    )
    assert list(response.context["form"].fields["episode"].queryset) == []
    assert _logged(w.coach) == [("identity", "view")]  # no episode shown, none logged


def test_the_case_form_logs_the_episodes_it_offers(w: World, login: Login) -> None:
    # The episodes offered are employment data: the log holds exactly the page's reads.
    http = login(w.coach)
    page = http.get(_url(w, "case", "new"))
    assert w.episode.programme.name in page.content.decode()
    assert _logged(w.coach) == [("employment", "view"), ("identity", "view")]
    entries = AccessLogEntry.objects.filter(membership=w.coach)
    assert {e.client_id for e in entries} == {w.client.pk}
    refused = _post(
        http,
        _url(w, "case", "new"),
        {"episode": w.episode.pk, "specialist": w.coach.pk, "start_date": "2000-01-01"},
    )
    assert refused.status_code == 200
    assert _logged(w.coach) == [("employment", "view")] * 2 + [("identity", "view")] * 2
