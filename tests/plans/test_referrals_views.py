"""Referral pages: the client tab, sending with the consent check, answering, the inbox, the
report and its CSV, and the key worker's dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessLogEntry
from polku.core.roles import Role
from polku.plans.models import Referral, ReferralStatus
from polku.plans.services import referrals as services
from tests.factories import MembershipFactory
from tests.plans.referrals_support import World, action_for, age, debt_world, send

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
C = DataCategory
S = ReferralStatus


@pytest.fixture
def world() -> World:
    return debt_world()


def _logged() -> list[tuple[str, str, str, str]]:
    return sorted(
        (str(e.client_id), e.category, e.purpose, e.action) for e in AccessLogEntry.objects.all()
    )


def _inserts(captured: CaptureQueriesContext) -> int:
    return sum(
        q["sql"].upper().startswith('INSERT INTO "CORE_ACCESSLOGENTRY"')
        for q in captured.captured_queries
    )


def test_done_when_referred_accepted_contacted_and_in_the_report(
    world: World, login: Login
) -> None:
    http = login(world.coordinator)
    tab = http.get(reverse("plans:client_referrals", kwargs={"client_id": world.client.pk}))
    new_url = reverse("plans:referral_new", kwargs={"client_id": world.client.pk})
    assert new_url in tab.content.decode()
    form_page = http.get(new_url).content.decode()
    assert "Debt counselling" in form_page
    assert "Substance-use clinic" in form_page
    assert "No referral consent for: Health" in form_page
    response = http.post(new_url, {"service": world.debt.pk, "message": "Needs a debt plan."})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "plans:referral_detail", kwargs={"referral_id": referral.pk}
    )

    receiver = login(world.counsellor, HttpClient())
    inbox = receiver.get(reverse("plans:referral_inbox")).content.decode()
    assert "Aino Virtanen" in inbox
    transition = reverse("plans:referral_transition", kwargs={"referral_id": referral.pk})
    assert receiver.post(transition, {"status": S.ACCEPTED}).status_code == 302
    today = timezone.localdate().isoformat()
    assert (
        receiver.post(transition, {"status": S.FIRST_CONTACT, "first_contact_on": today})
    ).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.first_contact_on) == (S.FIRST_CONTACT, timezone.localdate())
    history = receiver.get(reverse("plans:referral_detail", kwargs={"referral_id": referral.pk}))
    assert [e.status for e in history.context["events"]] == [
        S.SENT,
        S.ACCEPTED,
        S.FIRST_CONTACT,
    ]

    # Four more to the same service, contacted after 2..5 days: five in all, enough to publish.
    for days in (2, 3, 4, 5):
        more = age(send(world), days)
        services.referral_transition(actor=world.counsellor, referral=more, status=S.ACCEPTED)
        services.referral_transition(
            actor=world.counsellor,
            referral=more,
            status=S.FIRST_CONTACT,
            first_contact_on=timezone.localdate(),
        )
    report = http.get(reverse("plans:referral_report"))
    (line,) = report.context["report"].services
    assert (line.label, line.n) == ("Debt counselling", "5")
    assert line.stats.median_days == 3.0  # waits 0 2 3 4 5
    assert line.stats.share_within_target == 1.0
    assert "Debt counselling" in report.content.decode()


def test_without_consent_the_form_names_what_is_missing_and_nothing_is_sent(
    login: Login,
) -> None:
    world = debt_world(consent_categories=[C.IDENTITY, C.CONTACT])
    response = login(world.coordinator).post(
        reverse("plans:referral_new", kwargs={"client_id": world.client.pk}),
        {"service": world.debt.pk, "message": "Needs a debt plan."},
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert "benefits" in errors[0]
    assert "Debt Advice Association" in errors[0]
    assert Referral.objects.count() == 0


def test_the_service_list_offers_only_what_the_role_may_send(world: World, login: Login) -> None:
    coach = MembershipFactory(organisation=world.sender_org, role=Role.EMPLOYMENT_SPECIALIST)
    world.client.care_team.create(membership=coach)
    page = login(coach).get(reverse("plans:referral_new", kwargs={"client_id": world.client.pk}))
    offered = [s.name for s in page.context["form"].fields["service"].queryset]
    assert offered == ["Debt counselling"]  # not the health service


def test_the_receiver_cannot_refer_from_its_view_of_the_client(world: World, login: Login) -> None:
    send(world)
    http = login(world.counsellor)
    tab = http.get(reverse("plans:client_referrals", kwargs={"client_id": world.client.pk}))
    assert tab.status_code == 200
    assert tab.context["can_send"] is False
    new = http.get(reverse("plans:referral_new", kwargs={"client_id": world.client.pk}))
    assert new.status_code == 403


def test_the_inbox_highlights_overdue_referrals_in_words(world: World, login: Login) -> None:
    late = age(send(world), 20)  # expected within 14 days
    fresh = send(world)
    page = login(world.counsellor).get(reverse("plans:referral_inbox"))
    rows = {row.referral.pk: row for row in page.context["rows"]}
    assert rows[late.pk].is_overdue is True
    assert rows[fresh.pk].is_overdue is False
    body = page.content.decode()
    assert body.count('<span class="badge badge--overdue">Overdue</span>') == 1
    assert "1 referral is overdue" in body
    # Read for referrals, as the receiving organisation.
    assert _logged() == [
        (str(world.client.pk), C.BENEFITS, Purpose.REFERRAL, "list"),
        (str(world.client.pk), C.IDENTITY, Purpose.REFERRAL, "list"),
    ]


def test_the_inbox_filters_by_status(world: World, login: Login) -> None:
    done = send(world)
    services.referral_transition(
        actor=world.counsellor, referral=done, status=S.DECLINED, decline_reason="other"
    )
    waiting = send(world)
    http = login(world.counsellor)

    def shown(**params: str) -> list[object]:
        page = http.get(reverse("plans:referral_inbox"), params)
        return [row.referral.pk for row in page.context["rows"]]

    assert shown() == [waiting.pk]  # open ones by default
    assert set(shown(status="")) == {done.pk, waiting.pk}
    assert shown(status=S.DECLINED) == [done.pk]


def test_a_transition_error_is_shown_on_the_form_and_nothing_changes(
    world: World, login: Login
) -> None:
    referral = send(world)
    response = login(world.counsellor).post(
        reverse("plans:referral_transition", kwargs={"referral_id": referral.pk}),
        {"status": S.DECLINED},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["decline_reason"] == [
        "Choose why the referral is declined."
    ]
    referral.refresh_from_db()
    assert referral.status == S.SENT


def test_someone_with_nothing_to_do_gets_403_on_transition(world: World, login: Login) -> None:
    referral = send(world)
    services.referral_transition(
        actor=world.counsellor, referral=referral, status=S.DECLINED, decline_reason="other"
    )
    response = login(world.coordinator).post(
        reverse("plans:referral_transition", kwargs={"referral_id": referral.pk}),
        {"status": S.CANCELLED},
    )
    assert response.status_code == 403


def test_the_client_tab_logs_in_one_insert(world: World, login: Login) -> None:
    send(world)
    send(world)
    http = login(world.coordinator)
    with CaptureQueriesContext(connection) as captured:
        response = http.get(
            reverse("plans:client_referrals", kwargs={"client_id": world.client.pk})
        )
    assert response.status_code == 200
    assert _inserts(captured) == 1
    assert _logged() == [
        (str(world.client.pk), C.BENEFITS, Purpose.SERVICE, "view"),
        (str(world.client.pk), C.IDENTITY, Purpose.SERVICE, "view"),
    ]


def test_the_report_downloads_as_csv_with_suppressed_cells(world: World, login: Login) -> None:
    for _ in range(2):
        send(world)
    response = login(world.coordinator).get(reverse("plans:referral_report"), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Level", "Organisation", "Service", "Referrals"]
    assert rows[1][:4] == ["service", "Debt Advice Association", "Debt counselling", "–"]
    assert rows[1][4:] == ["", "", "", "", ""]
    assert rows[-1][:4] == ["all", "", "", "<5"]
    assert AccessLogEntry.objects.count() == 0  # aggregates only: nothing identifiable read


def test_programme_managers_see_the_report_and_admins_do_not(login: Login) -> None:
    manager = MembershipFactory(role=Role.PROGRAMME_MANAGER)
    assert login(manager).get(reverse("plans:referral_report")).status_code == 200
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    assert login(admin, HttpClient()).get(reverse("plans:referral_report")).status_code == 403


def test_the_key_workers_dashboard_lists_overdue_referrals_and_actions_due(
    world: World, login: Login
) -> None:
    late = age(send(world), 30)
    send(world)  # on time
    today = timezone.localdate()
    due = action_for(world.client, responsible=world.coordinator, due_date=today + dt.timedelta(1))
    action_for(world.client, responsible=world.coordinator, due_date=today + dt.timedelta(10))
    page = login(world.coordinator).get(reverse("dashboard"))
    board = page.context["plans_dashboard"]
    assert [row.referral.pk for row in board.overdue_referrals] == [late.pk]
    assert [a.pk for a in board.actions_due] == [due.pk]
    body = page.content.decode()
    assert "Overdue referrals of my key clients" in body
    assert "Meet the counsellor" in body
    logged = {(cid, cat) for cid, cat, purpose, _a in _logged() if purpose == Purpose.SERVICE}
    assert (str(world.client.pk), C.BENEFITS) in logged
    assert (str(world.client.pk), C.EMPLOYMENT) in logged
