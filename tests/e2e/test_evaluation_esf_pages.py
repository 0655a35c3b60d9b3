"""The ESF+ indicator report as a programme manager uses it: choose the period, read the tables,
follow a code to its definition, download the XLSX; axe on every page."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.core.roles import Role
from tests.e2e.conftest import PageChecker
from tests.evaluation.esf import scenario
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]


def test_esf_report_definitions_and_xlsx(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    world = scenario.build()
    page = signed_in(
        MembershipFactory(role=Role.PROGRAMME_MANAGER, organisation=world.organisation)
    )
    page.goto(f"{live_server.url}/evaluation/esf/?programme={world.programme.code}")
    expect(page.get_by_role("heading", level=1)).to_have_text("ESF+ indicators")
    expect(page.get_by_test_id("esf-scope")).to_contain_text("ESF pilot, period 2024-06 – to date.")

    page.get_by_label("First month").fill("2025-01")
    page.get_by_label("Last month").fill("2025-06")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"from=2025-01&to=2025-06"))
    expect(page.get_by_test_id("esf-exact-counts")).to_contain_text(
        "This report contains counts under 5 people."
    )
    output = page.get_by_role(
        "table", name="Common output indicators for participants (at entry)", exact=True
    )
    expect(output.get_by_role("columnheader")).to_have_text(
        ["Code", "Indicator", "Women", "Men", "Non-binary", "Not disclosed", "Total"]
    )
    first = output.locator("tbody tr").first
    expect(first.locator("td")).to_have_text(
        ["Total number of participants", "5", "4", "1", "1", "11"]
    )
    checker.check(page, "esf")

    # A bad period is refused with the field's message.
    page.get_by_label("Last month").fill("2024-12")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The end of the period must not be before its start."
    )
    checker.check(page, "esf-error")
    page.go_back()

    # Every code links to its definition.
    page.get_by_role("link", name="EECO03: definition").click()
    expect(page).to_have_url(re.compile(r"/evaluation/definitions/#EECO03$"))
    definition = page.locator("#EECO03")
    expect(definition).to_contain_text("EECO03 Long-term unemployed")
    expect(definition).to_contain_text("Episode.months_unemployed above 12")
    checker.check(page, "definitions")

    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="in English").first.click()
    download = download_info.value
    assert download.suggested_filename == f"esf-{world.programme.code}-2025-01-2025-06-en.xlsx"
    path = download.path()
    book = load_workbook(io.BytesIO(path.read_bytes()))
    rows = {row[0]: row for row in book["ESF+ indicators"].iter_rows(values_only=True) if row[0]}
    assert list(rows["EECO01"][2:7]) == [5, 4, 1, 1, 11]


def test_esf_page_in_finnish(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    world = scenario.build()
    page = signed_in(
        MembershipFactory(role=Role.EVALUATOR, organisation=world.organisation), locale="fi"
    )
    page.goto(
        f"{live_server.url}/evaluation/esf/?programme={world.programme.code}&from=2025-01&to=2025-06"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("ESR+-indikaattorit")
    checker.check(page, "esf-fi")
