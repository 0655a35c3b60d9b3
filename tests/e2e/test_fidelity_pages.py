"""axe and screenshots over the IPS programme pages in the programme manager's hands: the
programmes, a programme's computed indicators with the reviews chart, opening a review,
scoring it (with "use the suggestion") and completing it; the same pages at 320 px."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.core.models import Membership
from polku.core.roles import Role
from polku.employers.models import InteractionKind, InteractionPurpose
from polku.ips.fidelity.indicators import add_months, default_period
from polku.ips.fidelity.services import (
    ScoreInput,
    fidelity_review_complete,
    fidelity_review_create,
    fidelity_scores_update,
)
from polku.ips.models import BenefitsCounselling, FidelityReview, TimeActivity
from tests.e2e.conftest import PageChecker
from tests.e2e.test_pages_accessibility import OVERFLOWING
from tests.factories import (
    EmployerInteractionFactory,
    FollowAlongSupportFactory,
    MembershipFactory,
)
from tests.ips.test_fidelity_indicators import World, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]
TODAY = timezone.localdate


def review_period(date: dt.date) -> tuple[dt.date, dt.date]:
    """Whole months: the default period for a review today, else the six months before the
    month of `date`."""
    if date == TODAY():
        return default_period(date)
    first = date.replace(day=1)
    return add_months(first, -6), first - dt.timedelta(days=1)


@dataclass
class Scene:
    world: World
    manager: Membership
    draft: FidelityReview


def _review(
    scene_world: World, manager: Membership, days_ago: int, score: int | None
) -> FidelityReview:
    date = TODAY() - dt.timedelta(days=days_ago)
    start, end = review_period(date)
    review = fidelity_review_create(
        actor=manager,
        programme=scene_world.programme,
        review_date=date,
        period_start=start,
        period_end=end,
        reviewers="Reviewer One, Reviewer Two",
    )
    if score is not None:
        fidelity_scores_update(
            actor=manager,
            review=review,
            scores=[ScoreInput(n, score, f"Seen in the records ({n})") for n in range(1, 26)],
        )
        review = fidelity_review_complete(actor=manager, review=review)
    return review


def build_scene() -> Scene:
    """The Helsinki IPS pilot with six open cases, two of them with benefits counselling (fewer
    than five: not shown), five competitive jobs with follow-along, a month of time records and
    employer visits; reviews a year and a month ago, and a draft today."""
    world = make_world()
    world.programme.name = world.programme.name_en = "Helsinki IPS pilot"
    world.programme.save()
    cases = [world.case(start=TODAY() - dt.timedelta(days=120 - 10 * n)) for n in range(6)]
    for n, case in enumerate(cases[:5]):
        start = TODAY() - dt.timedelta(days=40 - 5 * n)
        job = world.placement(case, start, isco_code="911" if n == 1 else "522")
        FollowAlongSupportFactory(placement=job, date=start + dt.timedelta(days=5))
    for case in cases[:2]:
        BenefitsCounselling.objects.create(
            client=case.client,
            recorded_by=world.city,
            date=TODAY() - dt.timedelta(days=50),
            counsellor=world.coach,
        )
    for days in range(2, 30, 3):
        world.time(240, outside=True, date=TODAY() - dt.timedelta(days=days))
        world.time(120, activity=TimeActivity.ADMIN, date=TODAY() - dt.timedelta(days=days))
        EmployerInteractionFactory(
            specialist=world.coach,
            date=TODAY() - dt.timedelta(days=days),
            kind=InteractionKind.VISIT,
            purpose=InteractionPurpose.JOB_DEVELOPMENT,
        )
    manager = MembershipFactory(organisation=world.city, role=Role.PROGRAMME_MANAGER)
    _review(world, manager, 365, 3)
    _review(world, manager, 30, 4)
    draft = _review(world, manager, 0, None)
    return Scene(world=world, manager=manager, draft=draft)


def test_programme_manager_reads_the_indicators_and_completes_a_review(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    scene = build_scene()
    page = signed_in(scene.manager)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="IPS programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IPS programme")
    checker.check(page, "programme-list")

    page.get_by_role("link", name="Helsinki IPS pilot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Helsinki IPS pilot")
    expect(page.locator("svg[role=img]")).to_be_visible()
    community = page.locator("#indicator-24")
    expect(community).to_contain_text("Share of time outside the office")
    expect(community).to_contain_text("66.7 %")
    expect(community).to_contain_text("Suggested score: 5")
    # Two of six counselled: fewer than five people, so neither the count nor the share.
    counselling = page.locator("#indicator-12")
    expect(counselling).to_contain_text("Cases in the period6")
    expect(counselling).to_contain_text("Of which counselled<5")
    expect(counselling).to_contain_text("Share of cases with benefits counselling– (fewer than 5)")
    expect(counselling).to_contain_text("Suggested score: 2")
    expect(counselling).to_contain_text("The suggestion rests on fewer than 5")
    checker.check(page, "programme-detail")

    # Periods are whole months: a day's difference could single out one client.
    page.get_by_label("Period from").fill("2025-06-15")
    page.get_by_label("Period to").fill("2025-01-01")
    page.get_by_role("button", name="Show").click()
    expect(
        page.get_by_text("Start the period on the first day of a month.", exact=True)
    ).to_be_visible()
    expect(
        page.get_by_text("The period must end on or after the day it starts.", exact=True)
    ).to_be_visible()
    checker.check(page, "programme-period-error")

    page.get_by_role("link", name="Open a fidelity review").click()
    checker.check(page, "review-new")
    page.get_by_label("Reviewers").fill("Reviewer Three, Reviewer Four")
    page.get_by_role("button", name="Open the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Score the items")
    checker.check(page, "scores")

    item = page.locator("#item-24")
    item.get_by_role("button", name="Use the suggestion (5)").click()
    expect(page.locator("#id_score_24")).to_have_value("5")
    expect(page.get_by_text("Saved. Item 24 now has the suggested score.")).to_be_visible()
    for number in range(1, 26):
        if number != 24:
            page.locator(f"#id_score_{number}").select_option("4")
    page.locator("#id_evidence_1").fill("Caseloads of 15–18 in the staff records")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("The scores were saved.")).to_be_visible()
    checker.check(page, "review-draft")

    page.get_by_role("button", name="Complete the review").click()
    expect(page.get_by_text("The review was completed.")).to_be_visible()
    expect(page.get_by_text("101 / 125")).to_be_visible()
    expect(page.locator(".facts .band")).to_have_text("Good fidelity")
    expect(page.get_by_role("link", name="Score the items")).to_have_count(0)
    checker.check(page, "review-completed")


def test_the_indicators_follow_the_specialists_work(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    """An employer visit, a placement and a follow-along contact recorded after the page was
    read change items 17, 19–21 and 22 when it is read again."""
    scene = build_scene()
    page = signed_in(scene.manager)
    url = f"{live_server.url}/ips/programmes/{scene.world.programme.pk}/"
    page.goto(url)
    expect(page.locator("#indicator-21")).to_contain_text("Placements started in the period5")
    EmployerInteractionFactory(
        specialist=scene.world.coach,
        date=TODAY(),
        kind=InteractionKind.VISIT,
        purpose=InteractionPurpose.JOB_DEVELOPMENT,
    )
    case = scene.world.case(start=TODAY() - dt.timedelta(days=60))
    job = scene.world.placement(case, TODAY() - dt.timedelta(days=15), competitive=False)
    FollowAlongSupportFactory(placement=job, date=TODAY())
    page.reload()
    expect(page.locator("#indicator-17")).to_contain_text("Face-to-face job development contacts11")
    expect(page.locator("#indicator-21")).to_contain_text("Placements started in the period6")
    expect(page.locator("#indicator-21")).to_contain_text("Competitive placements5")
    expect(page.locator("#indicator-22")).to_contain_text("Of which with follow-along support6")
    checker.check(page, "indicators-after-work")


def test_programme_pages_reflow_at_320_css_pixels(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    """WCAG 1.4.10: no sideways scrolling of the page; tables and the chart fit or scroll in
    their own box."""
    scene = build_scene()
    page = signed_in(scene.manager, width=320)
    review = scene.draft.pk
    for name, path in [
        ("list", "/ips/"),
        ("detail", f"/ips/programmes/{scene.world.programme.pk}/"),
        ("review", f"/ips/fidelity-reviews/{review}/"),
        ("scores", f"/ips/fidelity-reviews/{review}/scores/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(OVERFLOWING) == [], name
        assert page.evaluate("document.documentElement.scrollWidth") == 320, name
        checker.check(page, f"narrow-{name}")
