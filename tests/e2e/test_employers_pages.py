"""axe and screenshots over the employer pages, opened with data in the roles that use them: the
employer list, an employer's page, recording a contact, the vacancy list, the import preview and
the dashboard, at 1280 px and at 320 px (no sideways scrolling), and one page in Finnish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.core.models import Membership
from polku.core.roles import Role
from polku.employers.models import Employer, EmployerLocation, EmployerPerson
from polku.employers.services import contacts as contact_services
from polku.employers.services import register as register_services
from polku.employers.services import vacancies as vacancy_services
from tests.e2e.conftest import PageChecker
from tests.e2e.test_pages_accessibility import OVERFLOWING
from tests.factories import (
    EmployerFactory,
    EpisodeFactory,
    IpsCaseFactory,
    JobPlacementFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]
TODAY = timezone.localdate


@dataclass
class Scene:
    coach: Membership
    liaison: Membership
    manager: Membership
    shop: Employer


def build_scene() -> Scene:
    """Two employers of the register with workplaces, people, vacancies and services; a coach's
    visits over the past weeks; two placements of programme clients."""
    city = OrganisationFactory(name="City employment")
    coach = MembershipFactory(
        organisation=city,
        role=Role.EMPLOYMENT_SPECIALIST,
        user=UserFactory(first_name="Kaisa", last_name="Koutsi"),
    )
    liaison = MembershipFactory(
        organisation=OrganisationFactory(name="Employer services"),
        role=Role.EMPLOYER_LIAISON,
        user=UserFactory(first_name="Liisa", last_name="Lehto"),
    )
    manager = MembershipFactory(organisation=city, role=Role.PROGRAMME_MANAGER)
    shop = register_services.employer_save(
        actor=liaison,
        name="Kauppakeskus Itä Oy",
        business_id="0112038-9",
        industry="G",
        size_class="medium",
        website="https://kauppa.example.invalid",
        notes="Recruits for the Christmas season every October.",
    )
    mall = register_services.location_save(
        actor=liaison,
        employer=shop,
        name="Itäkeskus",
        street_address="Itäkatu 1–7",
        postal_code="00930",
        municipality="Helsinki",
    )
    boss = register_services.person_save(
        actor=liaison,
        employer=shop,
        name="Maija Mallikas",
        title="Store manager",
        phone="+358 40 123 4567",
        email="maija@example.invalid",
        is_primary=True,
    )
    cleaner = register_services.employer_save(
        actor=liaison,
        name="Puhdas Osuuskunta",
        business_id="1234567-1",
        industry="N",
        size_class="small",
        is_social_enterprise=True,
    )
    register_services.location_save(actor=liaison, employer=cleaner, municipality="Vantaa")
    for title, isco, employer, place, days in (
        ("Myyjä", "522", shop, mall, 20),
        ("Kassatyöntekijä", "523", shop, mall, 5),
        ("Siivooja", "911", cleaner, None, 30),
    ):
        vacancy_services.vacancy_save(
            actor=liaison,
            employer=employer,
            title=title,
            isco_code=isco,
            languages=["fi", "en"],
            working_time="part_time",
            location=place,
            deadline=TODAY() + dt.timedelta(days=days),
            adjustments="Shorter shifts at first.",
        )
    register_services.agreement_create(
        actor=liaison,
        employer=shop,
        kind="job_tailoring",
        start_date=TODAY() - dt.timedelta(days=60),
        description="Tasks split so that one can start with shelving only.",
    )
    for weeks_ago in range(8):
        for _ in range(weeks_ago % 4 + 2):
            contact_services.interaction_record(
                actor=coach,
                employer=shop if weeks_ago % 2 else cleaner,
                date=TODAY() - dt.timedelta(weeks=weeks_ago),
                person=boss if weeks_ago % 2 else None,
                outcome="Talked about the spring's summer jobs.",
            )
    pilot = ProgrammeFactory(name="IPS pilot")
    case = IpsCaseFactory(episode=EpisodeFactory(programme=pilot), specialist=coach)
    JobPlacementFactory(case=case, employer=shop, start_date=TODAY() - dt.timedelta(days=70))
    JobPlacementFactory(employer=cleaner, start_date=TODAY() - dt.timedelta(days=10))
    return Scene(coach, liaison, manager, shop)


def test_a_specialist_finds_an_employer_and_records_a_visit(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    page = signed_in(scene.coach)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Employers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Employers")
    expect(page.get_by_test_id("result-count")).to_have_text("2 employers found")
    checker.check(page, "employer-list")

    page.get_by_role("searchbox", name="Search").fill("0112038-9")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 employer found")
    page.get_by_role("link", name="Kauppakeskus Itä Oy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kauppakeskus Itä Oy")
    expect(page.get_by_test_id("employer-facts")).to_contain_text("G – Wholesale and retail trade")
    # One placement: every register reader sees it as "<5" (core.disclosure).
    expect(page.get_by_test_id("placement-count")).to_have_text("Placements: <5")
    checker.check(page, "employer")

    page.get_by_role("link", name="Record a contact").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an employer contact")
    expect(page.get_by_label("Face-to-face visit")).to_be_checked()
    expect(page.get_by_label("Job development")).to_be_checked()
    checker.check(page, "contact-form")
    page.get_by_label("Met").select_option(label="Maija Mallikas, Store manager")
    page.get_by_label("Outcome").fill("Two cashier shifts to try in December.")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The employer contact was recorded.")
    expect(page.get_by_test_id("recent-contacts").locator("tbody tr").first).to_contain_text(
        "Two cashier shifts to try in December."
    )

    page.goto(f"{live_server.url}/employers/contacts/new/")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_role("alert", name="Please correct the errors below.")).to_be_focused()
    checker.check(page, "quick-contact-errors")


def test_the_vacancy_list_and_a_vacancy(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    build_scene()
    page = signed_in(MembershipFactory(role=Role.COORDINATOR))
    page.goto(f"{live_server.url}/employers/vacancies/")
    expect(page.get_by_test_id("result-count")).to_have_text("3 vacancies found")
    checker.check(page, "vacancy-list")
    page.get_by_label("Occupation").select_option("52")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_test_id("vacancies").get_by_role("rowheader")).to_have_text(
        ["Kassatyöntekijä", "Myyjä"]
    )
    page.get_by_role("link", name="Myyjä").click()
    expect(page.get_by_test_id("vacancy-facts")).to_contain_text("522 – Shop salespersons")
    checker.check(page, "vacancy")


def csv_file(text: str) -> FilePayload:
    return {"name": "employers.csv", "mimeType": "text/csv", "buffer": text.encode()}


def test_the_import_preview_and_its_errors(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    page = signed_in(scene.liaison)
    page.goto(f"{live_server.url}/employers/")
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import employers and vacancies")
    checker.check(page, "import")
    rows = (
        "name;business_id;industry;size_class;municipality\r\n"
        "Kauppakeskus Itä Oy;0112038-9;G;large;Helsinki\r\n"
        "Rakennus Oy;2222222-9;F;small;Espoo\r\n"
    )
    page.get_by_label("File (CSV or XLSX)").set_input_files(files=[csv_file(rows)])
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=2, name="Preview of employers.csv")).to_be_visible()
    diff = page.get_by_test_id("import-diff")
    expect(diff.locator("tbody tr")).to_have_count(3)  # changed, new, its new workplace
    expect(diff).to_contain_text("size_class: medium → large")
    checker.check(page, "import-preview")

    bad = "name;business_id\r\nHuono Oy;0112038-8\r\n"
    page.get_by_label("File (CSV or XLSX)").set_input_files(files=[csv_file(bad)])
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("Line 2, column business_id:")
    checker.check(page, "import-errors")

    page.get_by_label("File (CSV or XLSX)").set_input_files(files=[csv_file(rows)])
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The file was imported.")
    expect(page.get_by_test_id("result-count")).to_have_text("3 employers found")


def test_the_dashboard(signed_in: SignedIn, live_server: LiveServer, checker: PageChecker) -> None:
    scene = build_scene()
    for _ in range(6):  # six more employers, who first hired five months ago
        JobPlacementFactory(employer=EmployerFactory(), start_date=TODAY() - dt.timedelta(days=150))
    page = signed_in(scene.manager)
    page.goto(f"{live_server.url}/employers/")
    page.get_by_role("link", name="Employer dashboard").click()
    expect(page.get_by_test_id("hiring-total")).to_have_text("8 of the target 60 employers")
    expect(page.get_by_label("Progress towards the target: 13 %")).to_be_visible()
    expect(
        page.get_by_role("img", name="Employers who have hired programme clients, by month")
    ).to_be_visible()
    # The two months of one new employer each are "<5"; 8 - 1 - 1 would give the 6 away.
    by_month = page.get_by_test_id("hiring-by-month")
    expect(by_month).to_contain_text("≥5")
    expect(by_month.get_by_role("cell", name="<5", exact=True)).to_have_count(2)
    table = page.get_by_role(
        "table", name="Face-to-face job development contacts / all employer contacts, by ISO week"
    )
    expect(table.get_by_role("row", name="Kaisa Koutsi")).to_be_visible()
    checker.check(page, "dashboard")
    page.get_by_label("Programme", exact=True).select_option(label="IPS pilot")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("hiring-total")).to_have_text("<5 of the target 60 employers")
    expect(page.locator("progress")).to_have_count(0)
    expect(
        page.get_by_role("img", name="Employers who have hired programme clients, by month")
    ).to_have_count(0)
    checker.check(page, "dashboard-small-programme")


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("coach", "/employers/"),
        ("coach", "shop"),
        ("coach", "/employers/vacancies/"),
        ("coach", "/employers/contacts/new/"),
        ("liaison", "/employers/import/"),
        ("manager", "/employers/dashboard/"),
    ],
    ids=["list", "employer", "vacancies", "quick-contact", "import", "dashboard"],
)
def test_pages_reflow_at_320_css_pixels(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker, who: str, path: str
) -> None:
    """WCAG 1.4.10: no sideways scrolling of the page at 320 px; tables scroll in their box."""
    scene = build_scene()
    page = signed_in(getattr(scene, who), width=320)
    url = f"/employers/{scene.shop.pk}/" if path == "shop" else path
    page.goto(f"{live_server.url}{url}")
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth") == 320
    checker.check(page, "narrow")


def test_the_employer_page_in_finnish(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    page = signed_in(scene.coach, locale="fi")
    page.goto(f"{live_server.url}/employers/{scene.shop.pk}/")
    expect(page.get_by_test_id("employer-facts")).to_contain_text("G – Tukku- ja vähittäiskauppa")
    checker.check(page, "employer-fi")
    assert EmployerLocation.objects.count() == 2
    assert EmployerPerson.objects.count() == 1
