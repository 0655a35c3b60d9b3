"""axe and screenshots over the IPS outcomes page, as a programme manager sees it: a pilot's
cohort of thirty with the chart and every table, at 1280 and 320 px, in English and in Finnish,
and the form's errors. Follow-up ends on the scenario's day, so the figures never move."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.clients.models import Gender, Programme
from polku.core.roles import Role
from polku.ips.outcomes import selectors
from tests.e2e.conftest import PageChecker
from tests.e2e.test_pages_accessibility import OVERFLOWING
from tests.factories import EmployerFactory, MembershipFactory, ProgrammeFactory
from tests.ips.test_outcomes import TODAY, D, enter, job

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]


@pytest.fixture(autouse=True)
def _followed_up_to_the_scenarios_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "follow_up_end", lambda: TODAY)


def pilot() -> Programme:
    """Thirty cases entering monthly through 2023 and early 2024, women and men of every age
    band; two in three find a job within a year, most of them competitive, at eight
    employers."""
    programme = ProgrammeFactory(name="IPS pilot Helsinki")
    employers = [EmployerFactory() for _ in range(8)]
    births = (D(1998, 3, 1), D(1980, 6, 1), D(1964, 9, 1))
    for index in range(30):
        entry = D(2023, 1, 1) + dt.timedelta(days=19 * index)
        gender = Gender.WOMAN if index % 2 else Gender.MAN
        case = enter(programme, entry, gender=gender, born=births[index % 3])
        if index % 3 != 2:
            start = entry + dt.timedelta(days=25 + 11 * index)
            ended = index % 4 == 0
            job(
                case,
                start,
                end=start + dt.timedelta(days=70 + 5 * index) if ended else None,
                competitive=index % 5 != 1,
                hours=str(15 + index),
                employer=employers[index % len(employers)],
            )
    return programme


def _manager() -> object:
    return MembershipFactory(role=Role.PROGRAMME_MANAGER)


def test_outcomes_page(signed_in: SignedIn, live_server: LiveServer, checker: PageChecker) -> None:
    programme = pilot()
    page = signed_in(_manager())
    page.goto(f"{live_server.url}/ips/outcomes/?programme={programme.pk}")

    expect(page.get_by_role("heading", level=1)).to_have_text("IPS outcomes")
    expect(page.get_by_test_id("outcomes-scope")).to_contain_text("IPS pilot Helsinki: all cases")
    expect(
        page.get_by_role("img", name="Competitive employment rate by months since entry")
    ).to_be_visible()
    months = page.get_by_role("table", name="Employment by months since entry")
    expect(months.locator("tbody tr")).to_have_count(18)
    expect(months.get_by_role("columnheader")).to_have_text(
        [
            "Months since entry",
            "Cases followed up at least this many months",
            "All cases: competitive job, of cases followed up",
            "All cases: any job, of cases followed up",
            "Women: competitive job / followed up",
            "Men: competitive job / followed up",
        ]
    )
    by_gender = page.get_by_role("table", name="Employment since entry by gender")
    expect(by_gender.get_by_role("rowheader")).to_have_text(
        ["Women", "Men", "Other", "Not stated", "All cases"]
    )
    expect(by_gender.get_by_role("columnheader").nth(4)).to_have_text(
        "Competitive job within 6 months, of cases followed up at least 6 months"
    )
    expect(page.get_by_test_id("outcomes-left-out")).to_have_count(0)
    expect(
        page.get_by_role("table", name="Employment since entry by age band at entry")
    ).to_be_visible()
    for name in (
        "How long competitive jobs lasted",
        "Hours of competitive work",
        "Jobs since entry, competitive or not, by employer",
    ):
        expect(page.get_by_role("table", name=name)).to_be_visible()
    expect(page.get_by_role("heading", name="How these figures are computed")).to_be_visible()
    checker.check(page, "outcomes")

    # The tables that may be wider than the screen scroll in their own box, by keyboard too.
    region = page.get_by_role("region", name="Employment since entry by gender")
    region.focus()
    expect(region).to_be_focused()

    # The period of entry is picked in whole months (a day could single out one entrant).
    page.get_by_label("First month of entry").fill("2024-02")
    page.get_by_label("Last month of entry").fill("2024-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Last month of entry: The end of the period must not be before its start."
    )
    checker.check(page, "outcomes-error")

    page.get_by_label("Last month of entry").fill("2023-06")
    page.get_by_label("First month of entry").fill("2023-01")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"entered_from=2023-01&entered_to=2023-06"))
    expect(page.get_by_test_id("outcomes-scope")).to_contain_text(
        "cases entering from 01/01/2023 to 30/06/2023, followed up to 30/06/2025"
    )


def test_outcomes_page_names_the_groups_left_out(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    """Two people of gender "other" are left out of every figure, and the page says so."""
    programme = pilot()
    for _ in range(2):
        enter(programme, D(2023, 3, 1), gender=Gender.OTHER, born=D(1980, 6, 1))
    page = signed_in(_manager())
    page.goto(f"{live_server.url}/ips/outcomes/?programme={programme.pk}")
    expect(page.get_by_test_id("outcomes-left-out")).to_have_text(
        "Groups of fewer than 5 cases — here: gender other — are left out of every figure."
    )
    by_gender = page.get_by_role("table", name="Employment since entry by gender")
    expect(by_gender.get_by_role("rowheader")).to_have_text(
        ["Women", "Men", "Not stated", "All cases"]
    )
    checker.check(page, "outcomes-left-out")


def test_outcomes_page_reflows_at_320_css_pixels(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    """WCAG 1.4.10: the chart shrinks and the tables scroll in their own box."""
    programme = pilot()
    page = signed_in(_manager(), width=320)
    page.goto(f"{live_server.url}/ips/outcomes/?programme={programme.pk}")
    expect(
        page.get_by_role("img", name="Competitive employment rate by months since entry")
    ).to_be_visible()
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth") == 320
    checker.check(page, "outcomes-narrow")


def test_outcomes_page_in_finnish(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    programme = pilot()
    page = signed_in(MembershipFactory(role=Role.EVALUATOR), locale="fi")
    page.goto(f"{live_server.url}/ips/outcomes/?programme={programme.pk}")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("img")).to_have_count(1)
    checker.check(page, "outcomes-fi")
