"""A key worker records a participant's situation at exit in the browser: the due follow-ups
list leads to the client's "Outcomes" tab, the form first refuses a day outside the ESF+ 28-day
window, then records the outcome. axe on every page, also at 320 px."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.evaluation.models import EntryData, Outcome, OutcomeSource, OutcomeStatus
from tests.e2e.conftest import PageChecker
from tests.evaluation.outcomes.world import build, outcome_row

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]


def test_recording_an_exit_outcome(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    world = build(ended_days_ago=6)
    world.client.first_name, world.client.last_name = "Aino", "Virtanen"
    world.client.save()
    EntryData.objects.create(
        episode=world.episode, recorded_by=world.org_a, labour_market_status="unemployed"
    )
    outcome = outcome_row(world.episode)
    page = signed_in(world.specialist)

    page.goto(f"{live_server.url}/evaluation/follow-ups/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-ups due")
    expect(page.get_by_test_id("follow-up-counts")).to_have_text(
        "1 follow-up to record: 0 overdue, 1 due now, 0 coming up."
    )
    checker.check(page, "follow-ups")
    page.get_by_role("link", name="Virtanen, Aino").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Aino Virtanen")
    expect(page.get_by_role("link", name="Outcomes", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    checker.check(page, "client-outcomes")
    page.get_by_role("link", name="Record · At exit").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Record the outcome")
    page.get_by_role("combobox", name="Situation").select_option(OutcomeStatus.EMPLOYED_PART_TIME)
    late = world.exit_day - dt.timedelta(days=1)
    page.get_by_label("Situation on").fill(late.isoformat())
    page.get_by_label("Service provider").check()
    page.get_by_label("Gained a qualification").check()
    page.get_by_role("button", name="Record").click()
    expect(page.locator("#id_observed_on_error")).to_contain_text(
        "The situation at exit is the one within 28 days after leaving"
    )
    expect(page.get_by_label("Gained a qualification")).to_be_checked()
    checker.check(page, "record-outcome-errors")

    page.get_by_label("Situation on").fill(world.exit_day.isoformat())
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("The outcome was recorded.")
    table = page.get_by_role("table", name="Outcomes · " + world.episode.programme.name)
    expect(table.locator("tbody tr").first).to_contain_text("Employed part-time")
    expect(table.locator("tbody tr").first).to_contain_text("Recorded")
    page.set_viewport_size({"width": 320, "height": 800})
    checker.check(page, "client-outcomes-320")

    outcome.refresh_from_db()
    assert (outcome.status, outcome.source, outcome.gained_qualification) == (
        OutcomeStatus.EMPLOYED_PART_TIME,
        OutcomeSource.PROVIDER,
        True,
    )
    assert Outcome.objects.filter(status="").count() == 0
