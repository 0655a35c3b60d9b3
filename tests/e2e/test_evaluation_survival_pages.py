"""axe and screenshots over the time-to-employment and provider pages, as a programme manager
sees them: the curve by gender with its table, the Cox model, the provider rates, at 1280 and
320 px, and the form's errors. Follow-up ends on the scenario's day, so the figures never move
(`tests.evaluation.survival.scenario`)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.views.survival import pages
from tests.e2e.conftest import PageChecker
from tests.e2e.test_pages_accessibility import OVERFLOWING
from tests.evaluation.survival.scenario import FOLLOW_UP_END, provider_trial, work_path
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]


@pytest.fixture(autouse=True)
def _followed_up_to_the_scenarios_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "follow_up_end", lambda: FOLLOW_UP_END)


def _manager() -> Membership:
    membership: Membership = MembershipFactory(role=Role.PROGRAMME_MANAGER)
    return membership


def test_the_manager_sees_the_curve_by_gender_and_its_table(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    work_path()
    page = signed_in(_manager())
    page.goto(f"{live_server.url}/evaluation/time-to-employment/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Time to employment")
    expect(page.get_by_role("link", name="Time to employment")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_test_id("evaluation-scope")).to_have_text(
        "All programmes: all participants, followed up to 30/06/2026."
    )
    chart = page.get_by_role("img", name="Share who found work by months since entry")
    expect(chart).to_be_visible()
    expect(chart.locator("text", has_text="Women")).to_have_count(1)
    table = page.get_by_role("table", name="Time to first job by group")
    expect(table.get_by_role("rowheader")).to_have_text(["Women", "Men", "All participants"])
    women = table.get_by_role("row", name=re.compile("^Women"))
    expect(women.get_by_role("cell")).to_have_text(
        ["10", "≥5", "<5", "5.0", "1.0 – not reached", "30% (11–67%)", "50% (25–82%)", "–"]
    )
    expect(page.get_by_test_id("evaluation-left-out")).to_contain_text(
        "Groups of fewer than 5 people — here: gender other — are left out of every figure."
    )
    cox = page.get_by_test_id("cox-table")
    expect(cox.get_by_role("rowheader").first).to_have_text("Men (compared with women)")
    checker.check(page, "survival")

    # The month-by-month table is the chart's text alternative, opened from the keyboard.
    page.get_by_text("The curves month by month (table)").focus()
    page.keyboard.press("Enter")
    months = page.get_by_role("table", name="Share who found work by months since entry, by group")
    expect(months.locator("tbody tr")).to_have_count(17)
    checker.check(page, "survival-months")

    # Compare by age band: one group of twenty.
    page.get_by_label("Compare by").select_option(label="Age band at entry")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"by=age_band"))
    expect(table.get_by_role("rowheader")).to_have_text(["30–54", "All participants"])

    # Whole months only, and in order.
    page.get_by_label("First month of entry").fill("2025-03")
    page.get_by_label("Last month of entry").fill("2025-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Last month of entry: The end of the period must not be before its start."
    )
    checker.check(page, "survival-error")


def test_the_provider_comparison(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    programme = provider_trial()
    page = signed_in(_manager())
    page.goto(f"{live_server.url}/evaluation/providers/?programme={programme.code}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Provider comparison")
    expect(page.get_by_role("img", name="Outcome rates by provider sector")).to_be_visible()
    sectors = page.get_by_role("table", name="Outcome rates by provider sector")
    expect(sectors.get_by_role("rowheader")).to_have_text(
        ["Public providers", "Private providers", "All participants"]
    )
    expect(
        page.get_by_role("table", name="Employed at exit: adjusted comparison (n = 30)")
    ).to_be_visible()
    checker.check(page, "providers")


def test_the_pages_reflow_at_320_css_pixels(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    """WCAG 1.4.10: the charts shrink and the tables scroll in their own box."""
    work_path()
    page = signed_in(_manager(), width=320)
    for path, name in (("time-to-employment", "survival"), ("providers", "providers")):
        page.goto(f"{live_server.url}/evaluation/{path}/")
        assert page.evaluate(OVERFLOWING) == []
        assert page.evaluate("document.documentElement.scrollWidth") == 320
        checker.check(page, f"{name}-narrow")
