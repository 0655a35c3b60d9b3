"""A programme manager imports the sample comparison group, confirms it, runs the estimators
and reads the effect and the balance table; axe and screenshots on every page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.core.roles import Role
from polku.evaluation.models import ComparisonGroup, ComparisonRun, RunStatus
from tests.e2e.conftest import PageChecker
from tests.evaluation.comparison.helpers import IMMEDIATE_TASKS, participants
from tests.factories import MembershipFactory, ProgrammeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "comparison-group.csv"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    """The run is computed as soon as it is queued (the worker's job, done in the request)."""
    settings.TASKS = IMMEDIATE_TASKS


def test_import_confirm_run_and_read_the_result(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    manager = MembershipFactory(role=Role.PROGRAMME_MANAGER)
    programme = ProgrammeFactory(name="IPS pilot Helsinki", organisation=manager.organisation)
    participants(programme, count=10, months_after=8, months_before=1)
    page = signed_in(manager)

    page.goto(f"{live_server.url}/evaluation/comparison/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comparison groups")
    checker.check(page, "list-empty")
    page.get_by_role("link", name="Import a comparison group").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import a comparison group")
    checker.check(page, "import")
    page.get_by_label("Programme compared").select_option(label="IPS pilot Helsinki")
    page.get_by_label("Name of the group").fill("Register 2025")
    page.get_by_label("Source").fill("Employment register, extract 2025-01-31")
    page.get_by_label("File (CSV)").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_test_id("import-preview")).to_have_text(
        "Register 2025: 60 people, to be compared with the participants of IPS pilot Helsinki."
    )
    genders = page.get_by_role("table", name="People in the file by gender")
    expect(genders.locator("tbody tr")).to_have_count(4)
    checker.check(page, "preview")
    assert not ComparisonGroup.objects.exists()
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Register 2025")
    expect(page.get_by_text("The comparison group was imported.")).to_be_visible()
    expect(page.get_by_role("table", name="People by gender")).to_be_visible()
    checker.check(page, "group")

    page.get_by_label("Bootstrap resamples").fill("100")
    page.get_by_role("button", name="Start the run").click()

    expect(page.get_by_test_id("comparison-att")).to_contain_text(
        "Average effect on the participants (ATT)"
    )
    expect(page.get_by_test_id("comparison-att")).to_contain_text("months")
    expect(page.get_by_test_id("comparison-sentence")).to_contain_text(
        "than similar non-participants"
    )
    balance = page.get_by_role("table", name="Balance table")
    expect(balance.locator("tbody tr")).to_have_count(3)
    expect(balance.locator("tbody th")).to_have_text(
        ["Gender (woman or not)", "Age", "Months unemployed before entry"]
    )
    expect(
        page.get_by_role("img", name="Covariate balance before and after matching")
    ).to_be_visible()
    expect(page.get_by_test_id("comparison-did")).to_contain_text(
        "Difference-in-differences estimate"
    )
    assert ComparisonRun.objects.get().status == RunStatus.DONE
    checker.check(page, "result")

    page.goto(f"{live_server.url}/evaluation/comparison/")
    expect(page.get_by_test_id("comparison-groups")).to_contain_text("Register 2025")
    checker.check(page, "list")


def test_a_faulty_file_lists_its_errors(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker, tmp_path: Path
) -> None:
    evaluator = MembershipFactory(role=Role.EVALUATOR)
    ProgrammeFactory(name="IPS pilot Helsinki", organisation=evaluator.organisation)
    faulty = tmp_path / "faulty.csv"
    lines = SAMPLE.read_text().splitlines()
    faulty.write_text("\n".join([lines[0], lines[1], lines[1], lines[2]]))
    page = signed_in(evaluator)

    page.goto(f"{live_server.url}/evaluation/comparison/import/")
    page.get_by_label("Programme compared").select_option(label="IPS pilot Helsinki")
    page.get_by_label("Name of the group").fill("Register 2025")
    page.get_by_label("Source").fill("Employment register")
    page.get_by_label("File (CSV)").set_input_files(str(faulty))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_test_id("import-errors").locator("li")).to_have_text(
        ["Line 3, column row_id: The same row id is already on line 2."]
    )
    expect(page.get_by_role("button", name="Import", exact=True)).to_have_count(0)
    checker.check(page, "errors")
    assert not ComparisonGroup.objects.exists()
