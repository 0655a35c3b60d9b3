"""Issue 5's browser test: an employment specialist records an employer visit, a job and a
follow-along contact through the pages, and the programme manager's fidelity indicators change
accordingly (items 17, 21 and 22), with axe checks on every page on the way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.core.roles import Role
from tests.e2e.conftest import PageChecker
from tests.factories import CareTeamMemberFactory, EmployerFactory, MembershipFactory
from tests.ips.test_fidelity_indicators import make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]


def figure(page: Page, item: int, label: str) -> str:
    """The value shown beside `label` in the card of fidelity item `item`."""
    return page.locator(f'#indicator-{item} dt:text-is("{label}") + dd').first.inner_text()


def test_a_specialists_work_moves_the_fidelity_indicators(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    today = timezone.localdate()
    world = make_world()
    world.programme.name = world.programme.name_en = "Helsinki IPS pilot"
    world.programme.save()
    case = world.case(start=today - dt.timedelta(days=60))
    CareTeamMemberFactory(client=case.client, membership=world.coach)
    EmployerFactory(name="Kauppahalli Oy")
    manager = MembershipFactory(organisation=world.city, role=Role.PROGRAMME_MANAGER)

    boss = signed_in(manager)
    programme_url = f"{live_server.url}/ips/programmes/{world.programme.pk}/"
    boss.goto(programme_url)
    visits = "Face-to-face job development contacts"
    assert figure(boss, 17, visits) == "0"
    expect(boss.locator("#indicator-21")).to_contain_text("No suggestion")

    coach = signed_in(world.coach)
    # Monday: a job development visit, from the employer register's quick form.
    coach.goto(f"{live_server.url}/")
    coach.get_by_role("link", name="Employers", exact=True).click()
    coach.goto(f"{live_server.url}/employers/contacts/new/")
    checker.check(coach, "week-contact-form")
    coach.get_by_role("combobox", name="Employer", exact=True).select_option(label="Kauppahalli Oy")
    coach.get_by_label("Outcome").fill("Two openings for shop assistants in January")
    coach.get_by_role("button", name="Record", exact=True).click()
    expect(coach.get_by_role("status").or_(coach.locator(".messages"))).to_contain_text("recorded")

    # Tuesday: the client got a job twenty days ago; the specialist records it.
    coach.get_by_role("link", name="My IPS caseload").click()
    checker.check(coach, "week-caseload")
    coach.get_by_role("link", name=case.client.first_name, exact=False).first.click()
    coach.get_by_role("link", name="Job coaching").click()
    coach.get_by_role("link", name="Record a job").click()
    coach.get_by_role("combobox", name="Employer", exact=True).select_option(label="Kauppahalli Oy")
    coach.get_by_label("Job title").fill("Shop assistant")
    coach.get_by_label("Occupation (ISCO-08)").select_option("522")
    coach.get_by_role("radio", name="Yes").check()
    coach.get_by_label("Start date").fill(str(today - dt.timedelta(days=20)))
    coach.get_by_label("Hours per week").fill("30")
    coach.get_by_label("Hourly wage (€)").fill("13.50")
    checker.check(coach, "week-job-form")
    coach.get_by_role("button", name="Record the job").click()
    expect(coach.get_by_text("Shop assistant").first).to_be_visible()

    # Wednesday: follow-along support with the client at work.
    coach.get_by_role("link", name="Record follow-along support").first.click()
    coach.get_by_label("What the support was").fill("First weeks at work: shifts suit well")
    coach.get_by_role("button", name="Record", exact=True).click()
    expect(coach.get_by_text("First weeks at work: shifts suit well")).to_be_visible()
    checker.check(coach, "week-job-coaching-tab")

    # The programme manager reads the indicators again.
    boss.reload()
    assert figure(boss, 17, visits) == "1"
    expect(boss.locator("#indicator-21")).to_contain_text("Suggested score: 5")
    expect(boss.locator("#indicator-22")).to_contain_text("Suggested score: 5")
    checker.check(boss, "week-indicators-after")
