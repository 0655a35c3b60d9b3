"""The referral flow in a real browser: a coordinator refers a client to another organisation's
service, a benefits counsellor there answers it, and the sender follows it to the first contact.
axe runs on every page on the way (tests/e2e/conftest.py, PageChecker)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from polku.clients.models import Client
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership, Organisation
from polku.core.roles import Role
from polku.plans.models import Notification, Referral, ReferralStatus, Service, ServiceKind
from tests.e2e.conftest import PageChecker
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.plans.referrals_support import ServiceFactory, age, send_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SignedIn = Callable[..., Page]
C = DataCategory
S = ReferralStatus
REASON = "Debts of about 20 000 euros; she needs a repayment plan before starting work."
# Four referrals sent to the debt service before this one, still waiting: with this one the
# service reaches the report's disclosure threshold (five), so its figures are shown.
EARLIER_REFERRALS = 4


@dataclass
class World:
    """Helsinki Employment Services (A) refers; the Debt Advice Association (B) receives."""

    employment: Organisation
    debt_advice: Organisation
    coordinator: Membership
    client: Client
    debt: Service
    clinic: Service


def build_world() -> World:
    employment = OrganisationFactory(name="Helsinki Employment Services")
    debt_advice = OrganisationFactory(name="Debt Advice Association")
    coordinator = MembershipFactory(
        organisation=employment,
        role=Role.COORDINATOR,
        user=UserFactory(first_name="Kaisa", last_name="Virtanen"),
    )
    # Registered by A, on the coordinator's care team: A's own record, read without a consent.
    client = ClientFactory(first_name="Aino", last_name="Mäkinen", recorded_by=employment)
    CareTeamMemberFactory(client=client, membership=coordinator, is_key_worker=True)
    ConsentFactory(
        client=client,
        purpose=Purpose.REFERRAL,
        organisations=[debt_advice],
        categories=[C.IDENTITY, C.CONTACT, C.BENEFITS],
    )
    debt = ServiceFactory(
        organisation=debt_advice,
        name="Debt counselling",
        kind=ServiceKind.DEBT_COUNSELLING,
        referral_categories=[C.BENEFITS],
        expected_response_days=14,
    )
    clinic = ServiceFactory(
        organisation=debt_advice,
        name="Substance-use clinic",
        kind=ServiceKind.SUBSTANCE_USE,
        referral_categories=[C.HEALTH],
        expected_response_days=7,
    )
    return World(employment, debt_advice, coordinator, client, debt, clinic)


def send_earlier_referrals(world: World) -> None:
    """Referrals of other clients to the debt service, sent three days ago, not yet answered."""
    for _n in range(EARLIER_REFERRALS):
        other = ClientFactory(recorded_by=world.employment)
        CareTeamMemberFactory(client=other, membership=world.coordinator)
        ConsentFactory(
            client=other,
            purpose=Purpose.REFERRAL,
            organisations=[world.debt_advice],
            categories=[C.IDENTITY, C.CONTACT, C.BENEFITS],
        )
        age(send_as(world.coordinator, other, world.debt), days=3)


def short_datetime(value: dt.datetime) -> str:
    """`value` as the English pages show it, in the site's time zone."""
    with translation.override("en"):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def short_date(value: dt.date) -> str:
    with translation.override("en"):
        return date_format(value, "SHORT_DATE_FORMAT")


def refuse_a_referral_the_consent_does_not_cover(
    page: Page, world: World, checker: PageChecker
) -> None:
    """The clinic's referral would carry health data, which the client shares with nobody."""
    page.get_by_role("combobox", name="Service", exact=True).select_option(
        label="Substance-use clinic — Debt Advice Association"
    )
    page.get_by_label("Reason for the referral").fill("Drinks to cope with the debts.")
    page.get_by_role("button", name="Send the referral").click()

    summary = page.get_by_role("alert", name="Please correct the errors below.")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        "The client has not consented to share health with Debt Advice Association for "
        "referrals. Record a consent for referrals that covers them; nothing was sent."
    )
    expect(page.get_by_label("Reason for the referral")).to_have_value(
        "Drinks to cope with the debts."
    )
    checker.check(page, "referral-refused")
    assert Referral.objects.filter(client=world.client).count() == 0
    assert Notification.objects.filter(referral__client=world.client).count() == 0


def refer_to_debt_counselling(page: Page, world: World, checker: PageChecker) -> None:
    """From the client's page through the referrals tab to a sent referral."""
    tabs = page.get_by_role("navigation", name="Client pages")
    expect(tabs.get_by_role("link")).to_have_text(
        [
            "Overview",
            "Assessment",
            "Plan",
            "Referrals",
            "Job coaching",
            "Outcomes",
            "Encounters",
            "Timeline",
        ]
    )
    expect(tabs.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    checker.check(page, "client-page")

    tabs.get_by_role("link", name="Referrals").click()
    expect(
        page.get_by_role("navigation", name="Client pages").get_by_role("link", name="Referrals")
    ).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("main")).to_contain_text("No referrals you may see.")
    checker.check(page, "referrals-tab-empty")

    page.get_by_role("link", name="Refer the client to a service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer the client to a service")
    catalogue = page.get_by_role("table", name=re.compile("^Services that take referrals"))
    debt_row = catalogue.get_by_role("row", name=re.compile("^Debt counselling"))
    expect(debt_row.get_by_role("cell")).to_have_text(
        ["Debt Advice Association", "Identity, Contact details, Benefits", "14 days", "Covered"]
    )
    clinic_row = catalogue.get_by_role("row", name=re.compile("^Substance-use clinic"))
    expect(clinic_row.get_by_role("cell")).to_have_text(
        [
            "Debt Advice Association",
            "Identity, Contact details, Health",
            "7 days",
            re.compile(r"^Missing\s+No referral consent for: Health$"),
        ]
    )
    checker.check(page, "referral-form")

    refuse_a_referral_the_consent_does_not_cover(page, world, checker)

    page.get_by_role("combobox", name="Service", exact=True).select_option(
        label="Debt counselling — Debt Advice Association"
    )
    page.get_by_label("Reason for the referral").fill(REASON)
    page.get_by_role("button", name="Send the referral").click()

    expect(page.get_by_role("status")).to_have_text("The referral was sent.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral to Debt counselling")
    facts = page.get_by_role("region", name="The referral", exact=True)
    expect(facts.locator("dd").first).to_have_text("Sent")
    expect(facts).to_contain_text("Identity, Contact details, Benefits")
    expect(facts).to_contain_text(REASON)
    checker.check(page, "referral-sent")


def answer_the_referral(page: Page, world: World, checker: PageChecker) -> Referral:
    """The counsellor finds the referral by her notification, marks it received and accepts
    it, then records the first contact from the inbox."""
    referral = Referral.objects.get(client=world.client)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Notifications (1)"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    sent_on = short_date(timezone.localtime(referral.sent_at))
    notice = f"New referral to Debt counselling, sent {sent_on}."
    expect(page.get_by_role("listitem")).to_contain_text([notice])
    checker.check(page, "notifications")

    page.get_by_role("button", name=f"Open — {notice}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral to Debt counselling")
    expect(page.get_by_role("main")).to_contain_text("Aino Mäkinen")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications (0)")
    ).to_be_visible()
    answer = page.get_by_role("region", name="Answer the referral")
    expect(answer.get_by_role("radio")).to_have_count(3)  # received, accepted, declined
    checker.check(page, "referral-to-answer")

    answer.get_by_label("Received").check()
    answer.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("The referral was updated.")
    answer = page.get_by_role("region", name="Answer the referral")
    answer.get_by_label("Accepted").check()
    answer.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("region", name="The referral", exact=True).locator("dd").first
    ).to_have_text("Accepted")
    checker.check(page, "referral-accepted")

    page.get_by_role("link", name="Back to the inbox").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral inbox")
    inbox = page.get_by_role("table", name="Incoming referrals")
    expect(inbox.locator("tbody tr")).to_have_count(EARLIER_REFERRALS + 1)
    row = inbox.get_by_role("row", name=re.compile("Aino Mäkinen"))
    expect(row).to_contain_text("Accepted")
    checker.check(page, "inbox")

    row.get_by_role("link", name="Debt counselling").click()
    answer = page.get_by_role("region", name="Answer the referral")
    answer.get_by_label("First contact made").check()
    today = timezone.localdate()
    answer.get_by_label("Date of the first contact").fill(today.isoformat())
    answer.get_by_role("button", name="Save").click()
    facts = page.get_by_role("region", name="The referral", exact=True)
    expect(facts.locator("dd").first).to_have_text("First contact made")
    expect(facts).to_contain_text(f"{short_date(today)} (0 days after sending)")
    checker.check(page, "first-contact")
    referral.refresh_from_db()
    assert (referral.status, referral.first_contact_on) == (S.FIRST_CONTACT, today)
    return referral


def the_report_counts_it_within_target(page: Page, checker: PageChecker) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    page.get_by_role("link", name="Referral timeliness").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral timeliness")
    by_service = page.get_by_role("table", name="Timeliness by service")
    row = by_service.get_by_role("row", name=re.compile("^Debt counselling"))
    # Five referrals: this one contacted the day it was sent, the other four waiting. One of
    # five within the 14 days' target; no median or 90th percentile of a single wait.
    expect(row.get_by_role("cell")).to_have_text(
        ["Debt Advice Association", "5", "–", "–", "20 %", "0 %", "4"]
    )
    checker.check(page, "report")


def test_coordinator_refers_a_client_and_the_receiver_answers_until_the_first_contact(
    signed_in: SignedIn, live_server: LiveServer, checker: PageChecker
) -> None:
    world = build_world()
    send_earlier_referrals(world)
    # Joins after the earlier referrals: her notifications are about today's referral only.
    counsellor = MembershipFactory(
        organisation=world.debt_advice,
        role=Role.BENEFITS_COUNSELLOR,
        user=UserFactory(first_name="Leena", last_name="Halonen"),
    )
    sender = signed_in(world.coordinator)
    sender.goto(f"{live_server.url}/clients/{world.client.pk}/")
    expect(sender.get_by_role("heading", level=1)).to_contain_text("Aino Mäkinen")
    refer_to_debt_counselling(sender, world, checker)

    receiver = signed_in(counsellor)
    receiver.goto(f"{live_server.url}/")
    referral = answer_the_referral(receiver, world, checker)
    the_report_counts_it_within_target(receiver, checker)

    # Back at the sender: the tab shows the first contact, the referral its history.
    sender.get_by_role("link", name="Back to the client's referrals").click()
    row = sender.get_by_role("table", name="The client's referrals you may see").get_by_role(
        "row", name=re.compile("Debt counselling")
    )
    expect(row).to_contain_text("First contact made")
    expect(row).to_contain_text(f"{short_date(timezone.localdate())} 0 days after sending")
    expect(
        sender.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications (1)")
    ).to_be_visible()  # the acceptance
    checker.check(sender, "referrals-tab")

    row.get_by_role("link", name="Debt counselling").click()
    history = sender.get_by_role("region", name="History").get_by_role("listitem")
    events = list(referral.events.order_by("at", "pk"))
    assert [e.status for e in events] == [S.SENT, S.RECEIVED, S.ACCEPTED, S.FIRST_CONTACT]
    who: dict[str, str] = {
        S.SENT: "Kaisa Virtanen (Helsinki Employment Services)",
        S.RECEIVED: "Leena Halonen (Debt Advice Association)",
        S.ACCEPTED: "Leena Halonen (Debt Advice Association)",
        S.FIRST_CONTACT: "Leena Halonen (Debt Advice Association)",
    }
    expect(history).to_have_text(
        [f"{S(e.status).label} — {short_datetime(e.at)}, {who[e.status]}" for e in events]
    )
    expect(sender.get_by_role("region", name="Cancel the referral")).to_be_visible()
    checker.check(sender, "referral-history")

    assert Referral.objects.filter(client=world.client).count() == 1
    assert checker.checked == [
        "client-page",
        "referrals-tab-empty",
        "referral-form",
        "referral-refused",
        "referral-sent",
        "notifications",
        "referral-to-answer",
        "referral-accepted",
        "inbox",
        "first-contact",
        "report",
        "referrals-tab",
        "referral-history",
    ]
