"""axe and screenshots over the IPS pages of work with the client, each opened with data on it in
the role that uses it: the client's "Job coaching" tab and every action's form, each also with
its errors shown; the specialist's caseload over the limit with their time; the programme's
caseloads. The tab, a form and both caseload pages also at 320 px."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.core.models import Membership
from polku.core.roles import Role
from polku.ips.models import IpsCase, JobPlacement, TimeEntry
from polku.ips.services import counselling, job_search, placements, profiles
from tests.e2e.conftest import PageChecker
from tests.e2e.test_pages_accessibility import OVERFLOWING
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    EmployerFactory,
    EpisodeFactory,
    IpsCaseFactory,
    MembershipFactory,
    UserFactory,
)
from tests.ips.test_client_services import World, days_ago, make_world, record_job, start_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]
ERRORS = "Please correct the errors below."


@dataclass
class Scene:
    world: World
    case: IpsCase
    job: JobPlacement


def build_scene() -> Scene:
    """Aino's IPS case of 40 days with the coach: a profile updated once, a plan, activities
    (the first face-to-face employer contact 28 days after entry), benefits counselling, a
    current job with follow-along support and an earlier job whose support she chose to end."""
    w = make_world()
    w.coach.user.first_name, w.coach.user.last_name = "Anna", "Valmentaja"
    w.coach.user.save()
    case = start_case(w, days=40)
    profiles.profile_save(
        actor=w.coach,
        client=w.client,
        work_history="Warehouse worker 2015–2019",
        preferred_occupations=["522"],
    )
    profiles.profile_save(
        actor=w.coach,
        client=w.client,
        work_history="Warehouse worker 2015–2019; a work trial in a shop",
        preferred_occupations=["522", "933"],
        preferred_hours="part_time",
        strengths="Reliable, likes customer work",
        disclosure="partly",
        disclosure_notes="May tell about needing regular breaks",
    )
    job_search.plan_create(
        actor=w.coach,
        client=w.client,
        agreed_on=days_ago(35),
        goal="Part-time work in a shop near home",
        target_occupations=["522"],
        steps="Visit three shops a week with the coach",
        review_on=days_ago(-20),
    )
    job_search.activity_record(
        actor=w.coach,
        client=w.client,
        date=days_ago(12),
        kind="interview",
        employer=w.employer,
        specialist_present=True,
        notes="Went well",
    )
    job_search.activity_record(
        actor=w.coach, client=w.client, date=days_ago(10), kind="application"
    )
    counselling.counselling_record(
        actor=w.coach,
        client=w.client,
        date=days_ago(15),
        topics=["earnings_adjustment", "housing_allowance"],
        calculation_made=True,
        notes="Earnings of 25 h a week: the calculation showed a gain of 420 € a month.",
    )
    job = record_job(w, start_date=days_ago(8), subsidised=False)
    placements.support_record(
        actor=w.coach,
        placement=job,
        date=days_ago(1),
        with_whom="both",
        mode="in_person",
        content="Met Aino and the shop manager: shifts and breaks agreed.",
    )
    earlier = record_job(
        w,
        job_title="Kesätyöntekijä",
        isco_code="933",
        competitive=False,
        start_date=days_ago(30),
        end_date=days_ago(20),
        end_reason="temporary_ended",
    )
    placements.follow_along_end(
        actor=w.coach, placement=earlier, ended_on=days_ago(19), client_chose=True
    )
    return Scene(w, case, job)


def test_job_coaching_tab(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    w = scene.world
    page = signed_in(w.coach)
    page.goto(f"{live_server.url}/clients/{w.client.pk}/")
    page.get_by_role("navigation", name="Client pages").get_by_role(
        "link", name="Job coaching"
    ).click()
    expect(page.get_by_role("heading", level=2, name="IPS case")).to_be_visible()
    expect(page.get_by_test_id("first-contact")).to_contain_text("28 days after entry")
    expect(page.get_by_test_id("profile-versions")).to_contain_text("Updated 1 time")
    expect(page.get_by_test_id("job")).to_have_count(2)
    expect(page.get_by_test_id("follow-along").first).to_contain_text("Time-unlimited")
    expect(page.get_by_test_id("follow-along").last).to_contain_text("by the client's choice")
    expect(page.get_by_role("table", name="Job-search activities")).to_be_visible()
    expect(page.get_by_role("table", name="Benefits counselling given")).to_contain_text(
        "Housing allowance"
    )
    checker.check(page, "tab")


def _no_maxlength(page: Page, label: str, text: str) -> None:
    """Type past the field's maxlength, as a browser that ignores the attribute would."""
    field = page.get_by_label(label)
    field.evaluate("(element) => element.removeAttribute('maxlength')")
    field.fill(text)


# Each action: the link on the tab that opens it, its heading, what to do to get errors, and
# the submit button.
Action = tuple[str | re.Pattern[str], str, Callable[[Page], object] | None, str]
FORMS: dict[str, Action] = {
    "profile": (
        "Update the profile",
        "Update the career profile",
        lambda page: _no_maxlength(page, "Preferred places of work", "x" * 301),
        "Save as a new version",
    ),
    "plan": ("New job search plan", "New job search plan", None, "Save the plan"),
    "activity": (
        "Record an activity",
        "Record a job-search activity",
        lambda page: page.get_by_label("Kind of activity").select_option("employer_meeting"),
        "Record",
    ),
    "counselling": (
        "Record benefits counselling",
        "Record benefits counselling",
        None,
        "Record",
    ),
    "job": (
        "Record a job",
        "Record a job",
        lambda page: page.get_by_label("Job title").fill("Kassamyyjä"),
        "Record the job",
    ),
    "support": (
        re.compile(r"^Record follow-along support\s*: Myyjä, Kauppa Oy$"),
        "Record follow-along support",
        None,
        "Record",
    ),
    "job-edit": (
        re.compile(r"^Correct the job details\s*: Myyjä, Kauppa Oy$"),
        "Correct the job details",
        lambda page: page.get_by_label("Hourly wage (€)").fill("4.50"),
        "Save the corrections",
    ),
    "job-end": (
        re.compile(r"^Record the end of the job\s*: Myyjä, Kauppa Oy$"),
        "Record the end of a job",
        None,
        "Record the end",
    ),
    "follow-along-end": (
        re.compile(r"^End follow-along support\s*: Myyjä, Kauppa Oy$"),
        "End follow-along support",
        None,
        "Record the client's choice",
    ),
    "case-end": (
        "End the IPS case",
        "End the IPS case",
        lambda page: page.get_by_label("End date").fill(""),
        "End the case",
    ),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_each_action_form_and_its_errors(
    form: str, signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    link, heading, break_it, button = FORMS[form]
    scene = build_scene()
    page = signed_in(scene.world.coach)
    page.goto(f"{live_server.url}/ips/clients/{scene.world.client.pk}/")
    page.get_by_role("link", name=link, exact=isinstance(link, str)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    checker.check(page, form)
    if break_it is not None:
        break_it(page)
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("alert", name=ERRORS)).to_be_visible()
    checker.check(page, f"{form}-errors")


def test_starting_a_second_case_is_refused_on_the_form(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    page = signed_in(scene.world.coach)
    page.goto(f"{live_server.url}/ips/clients/{scene.world.client.pk}/case/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start an IPS case")
    checker.check(page, "case-start")
    page.get_by_role("button", name="Start the case").click()
    expect(page.get_by_role("alert", name=ERRORS)).to_contain_text(
        "The client already has an open IPS case."
    )
    checker.check(page, "case-start-errors")


def test_the_employer_list_narrows_by_name(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    EmployerFactory(name="Varasto Oy")
    page = signed_in(scene.world.coach)
    page.goto(f"{live_server.url}/ips/clients/{scene.world.client.pk}/activities/new/")
    employers = page.get_by_role("combobox", name="Employer", exact=True).locator("option")
    expect(employers).to_have_count(3)
    # What was typed before filtering stays, and the one employer left is chosen.
    page.get_by_label("Kind of activity").select_option("employer_meeting")
    page.get_by_label("Notes").fill("Met the shop manager")
    page.get_by_role("searchbox", name="Find an employer by name or Business ID").fill("kauppa")
    page.get_by_role("button", name="Filter the employers").click()
    expect(employers).to_have_text(["No employer", "Kauppa Oy"])
    expect(page.get_by_role("combobox", name="Employer", exact=True)).to_have_value(
        str(scene.world.employer.pk)
    )
    expect(page.get_by_label("Kind of activity")).to_have_value("employer_meeting")
    expect(page.get_by_label("Notes")).to_have_value("Met the shop manager")
    expect(page.get_by_role("status")).to_contain_text("Nothing has been saved yet.")
    expect(page.get_by_role("alert", name=ERRORS)).to_have_count(0)
    checker.check(page, "activity-filtered")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The activity was recorded.")
    expect(page.get_by_role("table", name="Job-search activities")).to_contain_text(
        "Met the shop manager"
    )


def test_a_job_recorded_from_the_form_appears_on_the_tab(
    signed_in: SignedIn, live_server: LiveServer
) -> None:
    w = make_world()
    start_case(w, days=10)
    page = signed_in(w.coach)
    page.goto(f"{live_server.url}/ips/clients/{w.client.pk}/jobs/new/")
    page.get_by_role("combobox", name="Employer", exact=True).select_option(label="Kauppa Oy")
    page.get_by_label("Job title").fill("Kassamyyjä")
    page.get_by_label("Occupation (ISCO-08)").select_option("522")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_label("Start date").fill(str(days_ago(1)))
    page.get_by_label("Hours per week").fill("24")
    page.get_by_role("button", name="Record the job").click()
    expect(page.get_by_role("status")).to_contain_text("The job was recorded.")
    job = page.get_by_test_id("job")
    expect(job).to_have_count(1)
    expect(job).to_contain_text("Kassamyyjä")
    expect(job).to_contain_text("522 – Shop salespersons")


def _caseload_scene() -> tuple[Membership, Membership]:
    """The coach with 21 open cases (one over the limit) and a week of time records; a
    programme manager of the same city."""
    w = make_world()
    coach = w.coach
    coach.user.first_name, coach.user.last_name = "Anna", "Valmentaja"
    coach.user.save()
    for n in range(21):
        client = ClientFactory(recorded_by=w.city, first_name=f"Asiakas{n}", last_name="Testinen")
        CareTeamMemberFactory(client=client, membership=coach)
        episode = EpisodeFactory(client=client, start_date=days_ago(100))
        IpsCaseFactory(episode=episode, specialist=coach, start_date=days_ago(5 + 2 * n))
    today = timezone.localdate()
    for back, activity, minutes, out in (
        (0, "client_work", 180, True),
        (1, "job_development", 240, True),
        (2, "admin", 120, False),
        (8, "follow_along", 200, True),
        (9, "team", 90, False),
    ):
        day = today - dt.timedelta(days=back)
        TimeEntry.objects.create(
            membership=coach, date=day, activity=activity, minutes=minutes, in_community=out
        )
    MembershipFactory(
        organisation=w.city,
        role=Role.EMPLOYMENT_SPECIALIST,
        user=UserFactory(first_name="Bertil", last_name="Kiireinen"),
    )
    manager = MembershipFactory(organisation=w.city, role=Role.PROGRAMME_MANAGER)
    return coach, manager


def test_caseload_and_caseloads(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    coach, manager = _caseload_scene()
    page = signed_in(coach)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My IPS caseload").click()
    expect(page.get_by_test_id("caseload-count")).to_have_text(
        "21 open cases; the IPS limit is 20 per specialist."
    )
    expect(page.get_by_test_id("caseload-warning")).to_contain_text("1 case more than the limit")
    expect(page.get_by_test_id("caseload").locator("tbody tr")).to_have_count(21)
    expect(page.get_by_role("table", name="Hours by activity")).to_be_visible()
    checker.check(page, "caseload")
    page.get_by_label("Minutes").fill("2")
    page.get_by_role("button", name="Record the time").click()
    expect(page.get_by_role("alert", name=ERRORS)).to_be_visible()
    checker.check(page, "time-errors")

    page = signed_in(manager)
    page.goto(f"{live_server.url}/ips/caseloads/")
    table = page.get_by_role("table", name="Caseloads: all programmes")
    expect(table.get_by_role("rowheader")).to_contain_text(["Kiireinen", "Valmentaja"])
    expect(page.get_by_test_id("caseloads-warning")).to_contain_text(
        "1 specialist has more than 20 open cases."
    )
    checker.check(page, "caseloads")


def test_ips_pages_at_320_css_pixels(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    """WCAG 1.4.10: no sideways scrolling of the page; tables scroll in their own boxes."""
    scene = build_scene()
    w = scene.world
    page = signed_in(w.coach, width=320)
    base = f"{live_server.url}/ips/clients/{w.client.pk}"
    for path, name in (
        ("", "tab"),
        ("jobs/new/", "job-form"),
        (f"jobs/{scene.job.pk}/edit/", "job-edit"),
        ("profile/", "profile"),
    ):
        page.goto(f"{base}/{path}")
        assert page.evaluate(OVERFLOWING) == [], name
        assert page.evaluate("document.documentElement.scrollWidth") == 320, name
        checker.check(page, f"narrow-{name}")
    coach, manager = _caseload_scene()
    for who, path, name in ((coach, "caseload", "caseload"), (manager, "caseloads", "caseloads")):
        narrow = signed_in(who, width=320)
        narrow.goto(f"{live_server.url}/ips/{path}/")
        assert narrow.evaluate(OVERFLOWING) == [], name
        assert narrow.evaluate("document.documentElement.scrollWidth") == 320, name
        checker.check(narrow, f"narrow-{name}")


def test_job_coaching_tab_in_finnish(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    page = signed_in(scene.world.coach, locale="fi")
    page.goto(f"{live_server.url}/ips/clients/{scene.world.client.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_test_id("job")).to_have_count(2)
    checker.check(page, "tab-fi")
