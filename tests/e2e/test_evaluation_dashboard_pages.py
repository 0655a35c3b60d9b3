"""axe and screenshots over the programme dashboard as a programme manager sees it: the
hand-built pilot (tests/evaluation/dashboard/scenario.py) with its charts and tables, at 1280
and 320 px, reached and used by keyboard; and the targets form with its errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.core.roles import Role
from tests.e2e.conftest import PageChecker
from tests.e2e.test_pages_accessibility import OVERFLOWING
from tests.evaluation.dashboard import scenario
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]


def test_the_dashboard_by_keyboard(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    world = scenario.build()
    manager = MembershipFactory(
        role=Role.PROGRAMME_MANAGER, organisation=world.programme.organisation
    )
    page = signed_in(manager)
    page.goto(f"{live_server.url}/")
    # The main navigation's Evaluation item, by keyboard.
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Evaluation")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme dashboard")
    expect(page.get_by_role("navigation", name="Evaluation pages")).to_be_visible()

    page.get_by_role("combobox", name="Programme").select_option("pilot")
    page.get_by_label("First month of entry").fill("2025-01")
    page.get_by_label("Last month of entry").fill("2025-03")
    page.get_by_label("Last month of entry").press("Enter")

    expect(page.get_by_test_id("dashboard-scope")).to_contain_text(
        "Pilot: participants who entered"
    )
    for title in (
        "Progress towards the targets",
        "Participants in and out by month",
        "Situation at exit",
    ):
        expect(page.get_by_role("img", name=title)).to_be_visible()
    targets = page.get_by_role("table", name="Targets against actuals")
    expect(targets).to_contain_text("20 of 40 participants (50%).")
    expect(page.get_by_role("table", name="Situation at exit by gender")).to_be_visible()
    checker.check(page, "dashboard")

    # Every figure's definition link and the scrolling tables are reachable by Tab.
    definition = page.get_by_role("link", name="Participants", exact=True).first
    definition.focus()
    expect(definition).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_be_visible()

    narrow = signed_in(manager, width=320)
    narrow.goto(page.url)
    expect(narrow.get_by_role("img", name="Progress towards the targets")).to_be_visible()
    assert narrow.evaluate(OVERFLOWING) == []  # WCAG 1.4.10: tables scroll in their own box
    checker.check(narrow, "dashboard-320")


def test_the_targets_form_and_its_errors(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    world = scenario.build()
    manager = MembershipFactory(
        role=Role.PROGRAMME_MANAGER, organisation=world.programme.organisation
    )
    page = signed_in(manager)
    page.goto(f"{live_server.url}/evaluation/targets/?programme=pilot")
    page.get_by_label("Share in work or training at exit (%)").fill("120")
    page.get_by_role("button", name="Save the targets").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Share in work or training at exit (%)")
    checker.check(page, "targets-errors")
    page.get_by_label("Share in work or training at exit (%)").fill("55")
    page.get_by_role("button", name="Save the targets").click()
    expect(page.get_by_role("status")).to_contain_text("The targets were saved.")
    checker.check(page, "targets")
