"""axe and screenshots over the plans app's pages, each opened with data on it, in the role that
uses it: assessments, the shared plan, the service catalogue, referrals and notifications,
encounters and the timeline; the key worker's dashboard; one set of pages at 320 px and one page
in Finnish. The referral flow itself is in test_referral_flow.py."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership
from polku.core.roles import Role
from polku.plans.models import (
    AgreementMethod,
    Assessment,
    Attendance,
    DeclineReason,
    EncounterKind,
    Plan,
    Referral,
    ReferralStatus,
    Service,
    ServiceAtLocation,
    ServiceKind,
)
from polku.plans.services import assessments as assessment_services
from polku.plans.services import encounters as encounter_services
from polku.plans.services import notifications as notification_services
from polku.plans.services import referrals as referral_services
from polku.plans.services import shared_plan as plan_services
from tests.e2e.conftest import PageChecker
from tests.e2e.test_pages_accessibility import OVERFLOWING
from tests.factories import ConsentFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.plans import referrals_support
from tests.plans.test_catalogue_services import LocationFactory
from tests.plans.test_catalogue_services import ServiceFactory as CatalogueServiceFactory
from tests.plans.test_shared_plan_services import World, make_plan, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]
C = DataCategory
S = ReferralStatus
TODAY = timezone.localdate


@dataclass
class Scene:
    """make_world's client of "City employment" (A), with a care team that includes a health
    professional of "Health centre" (B), and everything the plans app records about her: three
    assessment versions, an agreed plan changed since, encounters, referrals to the Debt Advice
    Association's debt counselling (one overdue, one contacted, one declined) and the day's
    notifications."""

    world: World
    plan: Plan
    own_service: Service  # of A, offered at one location
    counsellor: Membership  # of the Debt Advice Association
    debt: Service
    overdue: Referral


def _assess(w: World, *, days_ago: int, needs: dict[str, int], complete: bool) -> Assessment:
    """One version of the joint assessment: each professional assesses the domain of their field."""
    round_ = assessment_services.assessment_start(
        actor=w.key_worker, client=w.client, assessed_on=TODAY() - dt.timedelta(days=days_ago)
    )
    authors = {"work": w.key_worker, "housing": w.social_worker, "mental_health": w.health}
    texts = {
        "work": {"strengths": "Forklift licence; reliable", "barriers": "No recent references"},
        "housing": {"barriers": "Rent arrears of two months"},
        "mental_health": {"notes": "Sleeps badly; sees the nurse every other week"},
    }
    for domain, need in needs.items():
        assessment_services.entry_save(
            actor=authors[domain], assessment=round_, domain=domain, need=need, **texts[domain]
        )
    if complete:
        assessment_services.assessment_complete(actor=w.key_worker, assessment=round_)
    return round_


def _referrals(w: World) -> tuple[Membership, Service, Referral]:
    """The key worker's referrals to debt counselling, sent 20, 10 and 5 days ago: the first
    overdue, the second contacted, the third declined. Returns the counsellor who answered,
    the service and the overdue referral."""
    debt_advice = OrganisationFactory(name="Debt Advice Association")
    counsellor = MembershipFactory(
        organisation=debt_advice,
        role=Role.BENEFITS_COUNSELLOR,
        user=UserFactory(first_name="Leena", last_name="Halonen"),
    )
    debt = referrals_support.ServiceFactory(
        organisation=debt_advice,
        name="Debt counselling",
        kind=ServiceKind.DEBT_COUNSELLING,
        referral_categories=[C.BENEFITS],
        expected_response_days=14,
    )
    ConsentFactory(
        client=w.client,
        purpose=Purpose.REFERRAL,
        organisations=[debt_advice],
        categories=[C.IDENTITY, C.CONTACT, C.BENEFITS],
    )
    overdue = referrals_support.age(referrals_support.send_as(w.key_worker, w.client, debt), 20)
    contacted = referrals_support.age(referrals_support.send_as(w.key_worker, w.client, debt), 10)
    referral_services.referral_transition(actor=counsellor, referral=contacted, status=S.ACCEPTED)
    referral_services.referral_transition(
        actor=counsellor,
        referral=contacted,
        status=S.FIRST_CONTACT,
        first_contact_on=TODAY() - dt.timedelta(days=5),
    )
    declined = referrals_support.age(referrals_support.send_as(w.key_worker, w.client, debt), 5)
    referral_services.referral_transition(
        actor=counsellor,
        referral=declined,
        status=S.DECLINED,
        decline_reason=DeclineReason.NO_CAPACITY,
        decline_note="Our queue is full until next month.",
    )
    return counsellor, debt, overdue


def _encounters(w: World) -> None:
    now = timezone.now()
    record = encounter_services.encounter_record
    record(
        actor=w.key_worker,
        client=w.client,
        kind=EncounterKind.MEETING,
        category=C.EMPLOYMENT,
        started_at=now - dt.timedelta(days=2),
        duration_minutes=60,
        participants=[w.key_worker, w.social_worker],
        notes="Went through the CV. Two warehouse vacancies to apply for.",
    )
    record(
        actor=w.key_worker,
        client=w.client,
        kind=EncounterKind.NETWORK_MEETING,
        category=C.EMPLOYMENT,
        started_at=now - dt.timedelta(days=9),
        duration_minutes=90,
        participants=[w.key_worker, w.health],
    )
    record(
        actor=w.social_worker,
        client=w.client,
        kind=EncounterKind.HOME_VISIT,
        category=C.SOCIAL,
        started_at=now - dt.timedelta(days=4),
        duration_minutes=45,
        attendance=Attendance.NO_SHOW,
    )
    record(
        actor=w.key_worker,
        client=w.client,
        kind=EncounterKind.PHONE,
        category=C.EMPLOYMENT,
        started_at=now + dt.timedelta(days=6),
        duration_minutes=30,
        attendance=Attendance.CANCELLED,
    )


def build_scene() -> Scene:
    w = make_world()
    plan, work, _mood, _cv, _therapy = make_plan(w)
    plan_services.review_add(
        actor=w.key_worker, plan=plan, due_on=TODAY() + dt.timedelta(days=30), note="CV ready?"
    )
    plan_services.plan_agree(
        actor=w.key_worker,
        plan=plan,
        agreed_on=TODAY() - dt.timedelta(days=1),
        participants=[w.key_worker, w.social_worker],
        participants_other="Aino's sister",
        client_agreed=True,
        agreement_method=AgreementMethod.IN_MEETING,
    )
    # Added after the agreement (the plan page says so), overdue (on the dashboard).
    plan_services.action_add(
        actor=w.key_worker,
        goal=work,
        title="Visit the job fair",
        responsible_organisation=w.key_worker.organisation,
        responsible=w.key_worker,
        due_date=TODAY() - dt.timedelta(days=2),
    )
    _assess(w, days_ago=90, needs={"work": 3, "housing": 2, "mental_health": 2}, complete=True)
    _assess(w, days_ago=30, needs={"work": 2, "housing": 2, "mental_health": 1}, complete=True)
    _assess(w, days_ago=0, needs={"work": 1}, complete=False)

    own_org = w.key_worker.organisation
    own_service = CatalogueServiceFactory(
        organisation=own_org,
        name_fi="Työhönvalmennus",
        name_sv="Jobbcoachning",
        name_en="Job coaching",
        description_en="Individual coaching towards open employment (IPS).",
        eligibility_en="Unemployed jobseekers of the city",
        phone="09 310 1234",
        url="https://example.invalid/job-coaching",
    )
    location = LocationFactory(organisation=own_org, name="Employment centre Itäkeskus")
    ServiceAtLocation.objects.create(service=own_service, location=location)
    counsellor, debt, overdue = _referrals(w)
    _encounters(w)
    notification_services.notify_due()
    return Scene(w, plan, own_service, counsellor, debt, overdue)


def test_assessment_pages(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    coordinator = scene.world.coordinator
    page = signed_in(coordinator)
    page.goto(f"{live_server.url}/clients/{scene.world.client.pk}/assessments/")

    expect(page.get_by_role("heading", level=2, name="Joint assessment, version 3")).to_be_visible()
    entries = page.get_by_role("table", name="Life domains assessed in version 3")
    expect(entries.get_by_role("rowheader")).to_have_text(["Work and career"])
    expect(
        page.get_by_role("table", name="Change in need from version 1 to version 2")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Versions of the joint assessment").locator("tbody tr")
    ).to_have_count(3)
    checker.check(page, "assessment-tab")

    page.get_by_role("link", name="Edit Work and career").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess: Work and career")
    checker.check(page, "entry-form")

    page.get_by_role("link", name="Back to the assessment").click()
    page.get_by_role("link", name="Housing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess: Housing")
    checker.check(page, "entry-form-new-domain")

    page.get_by_role("link", name="Back to the assessment").click()
    page.get_by_role("link", name="Work capacity").click()
    expect(
        page.get_by_role("heading", level=2, name="Work capacity: the latest completed assessment")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Change in need from version 1 to version 2")
    ).to_be_visible()
    checker.check(page, "work-capacity")

    page.get_by_role("link", name="Back to the assessment").click()
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(["Joint assessment, version 1"])
    checker.check(page, "assessment-version")

    page.get_by_role("link", name="Back to the assessment").click()
    page.get_by_role("link", name="Complete this version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Complete version 3 of the assessment"
    )
    checker.check(page, "complete")


def test_plan_pages(signed_in: SignedIn, live_server: LiveServer, checker: PageChecker) -> None:
    scene = build_scene()
    page = signed_in(scene.world.key_worker)
    page.goto(f"{live_server.url}/clients/{scene.world.client.pk}/plan/")

    expect(page.get_by_role("heading", level=2, name=re.compile("^Shared plan: "))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "The plan has changed since it was agreed. Agree it again at the next meeting."
    )
    goal = page.get_by_test_id("goal").filter(
        has=page.get_by_role("heading", name="Work and career")
    )
    expect(goal.get_by_test_id("action").get_by_role("rowheader")).to_have_text(
        ["Visit the job fair", "Write a CV"]
    )
    checker.check(page, "plan-tab")

    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan history")
    latest = page.get_by_test_id("revision").first
    expect(latest.get_by_role("heading", level=2)).to_have_text("Revision 8")
    expect(
        latest.get_by_role("table", name="Action added: Work and career: Visit the job fair")
    ).to_be_visible()
    checker.check(page, "history")

    page.get_by_role("link", name="Back to the plan").click()
    page.get_by_role("link", name="Record the agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the agreement")
    checker.check(page, "agreement-form")
    page.get_by_label("Date of the meeting").fill("")
    page.get_by_role("button", name="Record the agreement").click()
    expect(page.get_by_role("alert", name="Please correct the errors below.")).to_be_focused()
    checker.check(page, "agreement-form-errors")

    page.get_by_role("link", name="Back to the plan").click()
    page.get_by_role("link", name=re.compile(r"^Add an action\s*: Work and career$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    checker.check(page, "action-form")

    page.get_by_role("link", name="Back to the plan").click()
    page.get_by_role("link", name=re.compile(r"^Edit the goal\s*: Work and career$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the goal: Work and career")
    checker.check(page, "goal-form")


def test_catalogue_pages(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    page = signed_in(scene.world.coordinator)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Service catalogue"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service catalogue")
    expect(page.get_by_test_id("result-count")).to_have_text("2 services found")
    checker.check(page, "catalogue")

    page.get_by_role("searchbox", name="Search").fill("coaching")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 service found")
    checker.check(page, "catalogue-searched")

    page.get_by_role("link", name="Job coaching").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Job coaching")
    expect(page.get_by_role("table", name="Where the service is offered")).to_contain_text(
        "Employment centre Itäkeskus"
    )
    checker.check(page, "service")

    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the service")
    checker.check(page, "service-form")
    page.get_by_label("Languages served").fill("Finnish")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert", name="Please correct the errors below.")).to_be_focused()
    checker.check(page, "service-form-errors")

    page.goto(f"{live_server.url}/catalogue/{scene.debt.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Debt counselling")
    checker.check(page, "service-of-another-organisation")


def csv_file(text: str) -> FilePayload:
    return {"name": "services.csv", "mimeType": "text/csv", "buffer": text.encode()}


def test_catalogue_import_page(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    own_org = scene.own_service.organisation
    admin = MembershipFactory(organisation=own_org, role=Role.ORGANISATION_ADMIN)
    page = signed_in(admin)
    page.goto(f"{live_server.url}/catalogue/")
    page.get_by_role("link", name="Import (HSDS)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import the catalogue")
    checker.check(page, "import")

    rows = (
        "id,organization_id,name,polku_name_en\r\n"
        f"{scene.own_service.hsds_id},{own_org.hsds_id},Job coaching (IPS),Job coaching (IPS)\r\n"
        f"7d7f5d7a-0000-4000-8000-000000000001,{own_org.hsds_id},Työkokeilu,Work trial\r\n"
    )
    page.get_by_label("HSDS file").set_input_files(files=[csv_file(rows)])
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=2, name="Preview of services.csv")).to_be_visible()
    expect(page.get_by_test_id("import-diff").locator("tbody tr")).to_have_count(2)
    checker.check(page, "import-preview")

    bad = f"id,organization_id,name\r\nbad,{own_org.hsds_id},X\r\n"
    page.get_by_label("HSDS file").set_input_files(files=[csv_file(bad)])
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("Not a UUID: bad.")
    checker.check(page, "import-errors")


def test_referral_pages_dashboard_and_notifications(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    page = signed_in(scene.world.key_worker)
    page.goto(f"{live_server.url}/")
    follow_up = page.get_by_role("region", name="To follow up")
    overdue = follow_up.get_by_role("table", name="Referrals past their expected response time")
    expect(overdue.locator("tbody tr")).to_have_count(1)
    expect(overdue.locator("tbody tr")).to_contain_text("Overdue")
    expect(
        follow_up.get_by_role("table", name=re.compile("^Actions I am responsible for"))
    ).to_contain_text("Visit the job fair")
    checker.check(page, "dashboard")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^Notifications \(\d+\)$")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    checker.check(page, "notifications")
    page.get_by_role("button", name="Mark all as read").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications (0)")
    ).to_be_visible()
    checker.check(page, "notifications-read")

    page.goto(f"{live_server.url}/clients/{scene.world.client.pk}/referrals/")
    table = page.get_by_role("table", name="The client's referrals you may see")
    expect(table.locator("tbody tr")).to_have_count(3)
    checker.check(page, "referrals-tab")

    page.get_by_role("link", name="Refer the client to a service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer the client to a service")
    checker.check(page, "referral-form")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_role("alert", name="Please correct the errors below.")).to_be_focused()
    checker.check(page, "referral-form-errors")

    page.goto(f"{live_server.url}/referrals/{scene.overdue.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral to Debt counselling")
    checker.check(page, "referral-overdue")

    receiver = signed_in(scene.counsellor)
    receiver.goto(f"{live_server.url}/referrals/inbox/")
    expect(receiver.get_by_test_id("overdue-count")).to_have_text(
        "1 referral is overdue: no first contact within the service's expected response time."
    )
    checker.check(receiver, "inbox")
    receiver.get_by_label("Status").select_option(label="All")
    receiver.get_by_role("button", name="Show").click()
    incoming = receiver.get_by_role("table", name="Incoming referrals")
    expect(incoming.locator("tbody tr")).to_have_count(3)
    # A declined referral is due nowhere: no "due by" date in its first-contact column.
    declined = incoming.get_by_role("row").filter(has_text="Declined")
    expect(declined.get_by_role("cell").last).to_have_text("—")
    checker.check(receiver, "inbox-all")

    receiver.goto(f"{live_server.url}/referrals/report/")
    expect(receiver.get_by_role("heading", level=1)).to_have_text("Referral timeliness")
    by_service = receiver.get_by_role("table", name="Timeliness by service")
    expect(by_service.get_by_role("row", name=re.compile("^Debt counselling"))).to_contain_text(
        "not shown: too few referrals"
    )
    checker.check(receiver, "report")


def test_encounter_and_timeline_pages(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    page = signed_in(scene.world.key_worker)
    page.goto(f"{live_server.url}/clients/{scene.world.client.pk}/encounters/")
    expect(page.get_by_test_id("encounter")).to_have_count(
        3
    )  # the social worker's home visit is social data
    checker.check(page, "encounters")

    page.get_by_role("link", name="Record an encounter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an encounter")
    checker.check(page, "encounter-form")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("alert", name="Please correct the errors below.")).to_be_focused()
    checker.check(page, "encounter-form-errors")

    page.get_by_role("link", name="Back to the encounters").click()
    page.get_by_role("link", name=re.compile("^Correct the encounter: Meeting")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct an encounter")
    checker.check(page, "encounter-edit")

    page.goto(f"{live_server.url}/clients/{scene.world.client.pk}/timeline/")
    checker.check(page, "timeline")
    filters = page.get_by_role("form", name="Filter the timeline")
    filters.get_by_label("Referrals").check()
    filters.get_by_label("Encounters").check()
    filters.get_by_label("Recorded by").select_option(label="City employment")
    filters.get_by_role("button", name="Filter").click()
    items = page.get_by_test_id("timeline-item")
    expect(items).not_to_have_count(0)
    for type_ in items.evaluate_all("items => items.map((i) => i.dataset.type)"):
        assert type_ in {"referral", "encounter"}
    checker.check(page, "timeline-filtered")


def test_client_tabs_reflow_at_320_css_pixels(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    """WCAG 1.4.10 on the tabs and the plan history, whose tables are the widest: no sideways
    scrolling of the page; a table scrolls in its own box, which the keyboard reaches."""
    scene = build_scene()
    page = signed_in(scene.world.coordinator, width=320)
    base = f"{live_server.url}/clients/{scene.world.client.pk}"
    history = f"plan/{scene.plan.pk}/history"
    for path in ("assessments", "plan", history, "referrals", "encounters", "timeline"):
        page.goto(f"{base}/{path}/")
        assert page.evaluate(OVERFLOWING) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") == 320, path
        checker.check(page, f"narrow-{path.split('/')[-1]}")


def test_plan_tab_in_finnish(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    page = signed_in(scene.world.key_worker, locale="fi")
    page.goto(f"{live_server.url}/clients/{scene.world.client.pk}/plan/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("link", name="Siirry sisältöön")).to_be_attached()
    expect(page.get_by_role("link", name="Suunnitelma", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_test_id("goal")).to_have_count(1)
    checker.check(page, "plan-tab-fi")
