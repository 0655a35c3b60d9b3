"""The main flow in a real browser: sign in with two-factor authentication, find a client,
record a consent. axe runs on every page on the way (tests/e2e/conftest.py, PageChecker)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.clients.models import Consent, ConsentMethod
from polku.core.categories import DataCategory, Purpose
from polku.core.models import OrganisationKind
from polku.core.roles import Role
from tests.e2e.conftest import FACTORY_TOTP_SECRET, PageChecker, authenticator_code
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    EpisodeFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    enable_totp,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def sign_in_with_totp(page: Page, base: str, checker: PageChecker) -> None:
    """Ask for the client list, sign in with password and authenticator code, land there."""
    page.goto(f"{base}/clients/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/clients/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Polku")
    checker.check(page, "login")
    page.get_by_label("Username").fill("kaisa.virtanen")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{base}/accounts/2fa/authenticate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    checker.check(page, "two-factor")
    page.get_by_label("Code").fill(authenticator_code(FACTORY_TOTP_SECRET))
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{base}/clients/")


def search_by_name(page: Page, checker: PageChecker) -> None:
    """From the dashboard to the client list, where typing narrows the results in place."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")
    results = page.get_by_role("table", name="Clients you may see")
    expect(page.get_by_test_id("result-count")).to_have_text("3 clients found")
    expect(results.locator("tbody tr")).to_have_count(3)
    checker.check(page, "client-list")

    page.evaluate("window.polkuNoReload = true")
    page.get_by_role("searchbox", name="Search").fill("mäki")
    expect(page.get_by_test_id("result-count")).to_have_text("1 client found")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results.locator("tbody tr")).to_contain_text("Mäkinen, Aino")
    # The address bar gets a key to the search, never the words (they would be in history).
    expect(page).to_have_url(re.compile(r"/clients/\?s=[\w-]{8}$"))
    assert page.evaluate("window.polkuNoReload") is True  # swapped by htmx, not reloaded
    # The count is announced through the page's status region; the table is not a live region
    # (a screen reader would read all of it again on every keystroke).
    expect(page.locator("[data-search-status]")).to_have_text("1 client found")
    expect(page.locator("#client-results")).not_to_have_attribute("aria-live", re.compile("."))
    checker.check(page, "client-list-searched")

    results.get_by_role("link", name="Mäkinen, Aino").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aino Mäkinen")
    expect(page.get_by_test_id("consent")).to_have_count(0)
    checker.check(page, "client-page")


def submit_the_consent_form_empty(page: Page, checker: PageChecker) -> None:
    page.get_by_role("button", name="Record the consent").click()
    summary = page.get_by_role("alert", name="Please correct the errors below.")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Share with: This field is required.",
            "Data categories: This field is required.",
            "How the client gave consent: This field is required.",
        ]
    )
    for name in ("organisations", "categories", "method"):
        expect(page.locator(f"#id_{name}_error")).to_have_text("This field is required.")
        expect(page.locator(f"#id_{name}_field fieldset")).to_have_attribute(
            "aria-describedby", re.compile(rf"\bid_{name}_error\b")
        )
    checker.check(page, "consent-form-errors")

    # A link in the summary puts focus on the field it names.
    summary.get_by_role("link", name=re.compile("^Data categories")).click()
    expect(page).to_have_url(re.compile(r"#id_categories_field$"))
    expect(page.get_by_role("checkbox", name="Identity")).to_be_focused()


def test_coordinator_signs_in_with_totp_finds_a_client_and_records_a_consent(
    page: Page, live_server: LiveServer, checker: PageChecker
) -> None:
    employment = OrganisationFactory(name="Helsinki Employment Services")
    health = OrganisationFactory(name="Kallio Health Centre", kind=OrganisationKind.HEALTH_CARE)
    user = UserFactory(username="kaisa.virtanen", first_name="Kaisa", last_name="Virtanen")
    coordinator = MembershipFactory(user=user, organisation=employment, role=Role.COORDINATOR)
    enable_totp(user)
    aino = ClientFactory(first_name="Aino", last_name="Mäkinen", recorded_by=employment)
    ClientFactory(first_name="Pekka", last_name="Korhonen", recorded_by=employment)
    ClientFactory(first_name="Liisa", last_name="Nieminen", recorded_by=employment)
    CareTeamMemberFactory(client=aino, membership=coordinator, is_key_worker=True)
    coaching = ProgrammeFactory(name="Job Coaching", organisation=employment)
    EpisodeFactory(client=aino, programme=coaching)

    sign_in_with_totp(page, live_server.url, checker)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Kaisa Virtanen")
    expect(page.get_by_test_id("acting-as")).to_contain_text(
        "Helsinki Employment Services · Coordinator"
    )
    caseload = page.get_by_role("table", name="Clients on my care teams")
    expect(caseload.locator("tbody tr")).to_have_count(1)
    expect(caseload.locator("tbody tr")).to_contain_text("Mäkinen, Aino")
    checker.check(page, "dashboard")

    search_by_name(page, checker)

    page.get_by_role("link", name="Record a consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a consent")
    checker.check(page, "consent-form")
    submit_the_consent_form_empty(page, checker)
    assert Consent.objects.count() == 0

    page.get_by_role("group", name="Share with").get_by_label("Kallio Health Centre").check()
    categories = page.get_by_role("group", name="Data categories")
    categories.get_by_label("Identity", exact=True).check()
    categories.get_by_label("Health", exact=True).check()
    page.get_by_role("group", name="How the client gave consent").get_by_label(
        "Signed on paper"
    ).check()
    page.get_by_role("button", name="Record the consent").click()

    expect(page.get_by_role("status")).to_contain_text("The consent was recorded.")
    card = page.get_by_test_id("consent")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Active")
    expect(card).to_contain_text("Shared with: Kallio Health Centre")
    expect(card).to_contain_text(
        re.compile(r"Data categories: (Identity, Health|Health, Identity)")
    )
    expect(card).to_contain_text("Signed on paper; recorded by Kaisa Virtanen")
    checker.check(page, "client-page-with-consent")

    consent = Consent.objects.get()
    assert consent.client_id == aino.pk
    assert consent.purpose == Purpose.SERVICE
    assert consent.method == ConsentMethod.WRITTEN
    assert list(consent.organisations.values_list("pk", flat=True)) == [health.pk]
    assert sorted(consent.scopes.values_list("category", flat=True)) == [
        DataCategory.HEALTH,
        DataCategory.IDENTITY,
    ]
    assert consent.created_by_id == coordinator.pk
    assert checker.checked == [
        "login",
        "two-factor",
        "dashboard",
        "client-list",
        "client-list-searched",
        "client-page",
        "consent-form",
        "consent-form-errors",
        "client-page-with-consent",
    ]


def test_back_from_a_client_found_by_search_shows_the_whole_searched_list(
    signed_in: Callable[..., Page], live_server: LiveServer, checker: PageChecker
) -> None:
    """The list URL answers both the full page and htmx's partial: Back must get the full page
    (from the browser's cache it used to get the bare partial, without header or search form)."""
    employment = OrganisationFactory(name="Helsinki Employment Services")
    coordinator = MembershipFactory(organisation=employment, role=Role.COORDINATOR)
    ClientFactory(first_name="Aino", last_name="Mäkinen", recorded_by=employment)
    ClientFactory(first_name="Pekka", last_name="Korhonen", recorded_by=employment)
    page = signed_in(coordinator)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    expect(page.get_by_test_id("result-count")).to_have_text("2 clients found")

    page.get_by_role("searchbox", name="Search").fill("mäki")
    expect(page.get_by_test_id("result-count")).to_have_text("1 client found")
    page.get_by_role("searchbox", name="Search").fill("korh")
    expect(page.get_by_test_id("result-count")).to_have_text("1 client found")
    expect(page.get_by_role("table")).to_contain_text("Korhonen, Pekka")
    # The search replaces the address with a key to the search: no words, no cache-buster.
    expect(page).to_have_url(re.compile(rf"^{live_server.url}/clients/\?s=[\w-]{{8}}$"))
    page.get_by_role("link", name="Korhonen, Pekka").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pekka Korhonen")

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("korh")
    expect(page.get_by_role("table")).to_contain_text("Korhonen, Pekka")
    checker.check(page, "client-list-after-back")
    # Typing did not add a history entry per search: one more Back leaves the list.
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
