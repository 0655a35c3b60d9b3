"""Pages of the shared plan: a coordinator creates and agrees a plan through the forms, the
tab and history show what the viewer may read, and the PDF is the plan in the client's
language, downloaded, not cached and logged as an export."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polku.core.categories import DataCategory
from polku.core.models import AccessAction, AccessLogEntry
from polku.plans.models import Goal, Plan, PlanStatus
from polku.plans.services import shared_plan as services
from polku.plans.views import shared_plan as views
from polku.reports import pdf as pdf_render
from tests.plans.test_shared_plan_services import World, make_plan, make_world

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
C = DataCategory
TODAY = timezone.localdate


def _url(name: str, plan: Plan, **kwargs: Any) -> str:
    return reverse(
        f"plans:{name}", kwargs={"client_id": plan.client_id, "plan_id": plan.pk} | kwargs
    )


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text of a PDF, with pdftotext (poppler-utils)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    source = tmp_path / "plan.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


@pytest.fixture
def world() -> World:
    return make_world()


def test_coordinator_makes_and_agrees_a_plan_through_the_pages(world: World, login: Login) -> None:
    http = login(world.coordinator)
    tab = http.get(f"/clients/{world.client.pk}/plan/")
    assert tab.status_code == 200
    assert "Start a plan" in tab.content.decode()

    response = http.post(
        reverse("plans:plan_create", kwargs={"client_id": world.client.pk}),
        {"episode": str(world.episode.pk)},
    )
    plan = Plan.objects.get(client=world.client)
    assert response.status_code == 302
    assert response["Location"] == _url("plan_detail", plan)

    response = http.post(
        _url("plan_goal_add", plan),
        {
            "domain": "housing",
            "client_words": "A flat of my own",
            "target": "Signed rental contract",
            "target_date": (TODAY() + dt.timedelta(days=120)).isoformat(),
            "status": "open",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan)
    assert (goal.category, goal.client_words) == (C.SOCIAL, "A flat of my own")

    response = http.post(
        _url("plan_action_add", plan, goal_id=goal.pk),
        {
            "title": "Apply for city housing",
            "responsible_organisation": world.social_worker.organisation_id,
            "responsible": world.social_worker.pk,
            "due_date": (TODAY() + dt.timedelta(days=14)).isoformat(),
            "status": "planned",
        },
    )
    assert response.status_code == 302

    response = http.post(
        _url("plan_agree", plan),
        {
            "agreed_on": TODAY().isoformat(),
            "participants": [world.key_worker.pk, world.social_worker.pk],
            "participants_other": "Client's sister",
            "client_agreed": "on",
            "agreement_method": "meeting",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.client_agreed, plan.revision) == (PlanStatus.AGREED, True, 4)
    assert set(plan.participants.all()) == {world.key_worker, world.social_worker}

    page = http.get(_url("plan_detail", plan)).content.decode()
    assert "A flat of my own" in page
    assert "Apply for city housing" in page
    assert "Client&#x27;s sister" in page
    assert "Agreed in the meeting" in page


def test_form_errors_are_shown_on_the_fields(world: World, login: Login) -> None:
    plan, *_ = make_plan(world)
    http = login(world.key_worker)
    response = http.post(
        _url("plan_agree", plan),
        {"agreed_on": (TODAY() + dt.timedelta(days=3)).isoformat(), "client_agreed": "on"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The meeting date cannot be in the future." in page
    assert "Say how the client agreed to the plan." in page
    assert 'aria-describedby="id_agreed_on_error' in page or "id_agreed_on_error" in page
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_goal_form_offers_only_the_domains_the_role_may_write(world: World, login: Login) -> None:
    plan, *_ = make_plan(world)
    page = login(world.key_worker).get(_url("plan_goal_add", plan)).content.decode()
    assert 'value="work"' in page
    assert 'value="finances"' in page
    assert 'value="mental_health"' not in page
    assert 'value="housing"' not in page


def test_pages_that_manage_the_plan_refuse_others(world: World, login: Login) -> None:
    plan, work, mood, _cv, therapy = make_plan(world)
    http = login(world.social_worker)
    assert http.get(_url("plan_agree", plan)).status_code == 403
    assert http.get(_url("plan_close", plan)).status_code == 403
    assert http.get(_url("plan_review_add", plan)).status_code == 403
    # A goal it cannot read does not exist for it; one it reads but may not write is refused.
    assert http.get(_url("plan_goal_edit", plan, goal_id=mood.pk)).status_code == 404
    assert http.get(_url("plan_action_edit", plan, action_id=therapy.pk)).status_code == 404
    assert http.get(_url("plan_goal_edit", plan, goal_id=work.pk)).status_code == 200


def test_history_page_lists_the_revisions(world: World, login: Login) -> None:
    plan, *_ = make_plan(world)
    page = login(world.key_worker).get(_url("plan_history", plan)).content.decode()
    assert page.count('data-testid="revision"') == 5
    assert "Goal added: Work and career" in page
    assert "Start short psychotherapy" not in page


def test_close_page_closes_the_plan(world: World, login: Login) -> None:
    plan, *_ = make_plan(world)
    response = login(world.key_worker).post(_url("plan_close", plan))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED


def test_review_pages(world: World, login: Login) -> None:
    plan, *_ = make_plan(world)
    http = login(world.key_worker)
    due = TODAY() + dt.timedelta(days=30)
    assert http.post(_url("plan_review_add", plan), {"due_on": due.isoformat()}).status_code == 302
    review = plan.reviews.get()
    response = http.post(_url("plan_review_hold", plan, review_id=review.pk), {"note": "Fine"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.held_on, review.note) == (TODAY(), "Fine")


def test_pdf_is_a_download_in_the_clients_language(
    world: World, login: Login, tmp_path: Path
) -> None:
    world.client.preferred_language = "sv"
    world.client.save()
    plan, *_ = make_plan(world)
    plan.refresh_from_db()
    response = login(world.health).post(_url("plan_pdf", plan))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="plan-{world.client.reference}-r{plan.revision}.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    assert "Aino Virtanen" in text
    assert "I want a job in a warehouse" in text
    assert "Sleep better and feel less anxious" in text
    assert "Start short psychotherapy" in text
    # Polku's own words in Swedish (the client's language), the plan's text as written.
    assert "Egen kontaktperson" in text
    assert "Klient" in text
    assert "Key worker" not in text
    logged = {
        (e.category, e.action) for e in AccessLogEntry.objects.filter(membership_id=world.health.pk)
    }
    assert logged == {
        (C.IDENTITY, AccessAction.EXPORT),
        (C.EMPLOYMENT, AccessAction.EXPORT),
        (C.HEALTH, AccessAction.EXPORT),
    }


def test_pdf_html_is_rendered_in_the_clients_language(
    world: World, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.client.preferred_language = "other"
    world.client.save()
    plan, *_ = make_plan(world)
    seen: list[str] = []
    real = views.render_pdf

    def spy(html: str) -> bytes:
        seen.append(html)
        return real(html)

    monkeypatch.setattr(views, "render_pdf", spy)
    response = login(world.key_worker).post(_url("plan_pdf", plan))
    assert response.status_code == 200
    (html,) = seen
    assert '<html lang="en">' in html  # "other" prints in English
    assert "I want a job in a warehouse" in html
    assert "Sleep better" not in html  # health: not for an employment specialist
    assert "@page" in html
    assert "DejaVu Sans" in html

    world.client.preferred_language = "fi"
    world.client.save()
    login(world.key_worker).post(_url("plan_pdf", plan))
    assert '<html lang="fi">' in seen[-1]


def test_pdf_rendering_never_fetches_from_the_network() -> None:
    fetcher = pdf_render.LocalFilesOnly()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("http://example.invalid/tracker.png")
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("https://example.invalid/font.woff")
    # Markup someone wrote into the plan is escaped, and an image URL would not be fetched.
    pdf = views.render_pdf('<p>x</p><img src="http://127.0.0.1:9/leak.png">')
    assert pdf.startswith(b"%PDF")


def test_invisible_plans_answer_404_and_log_nothing(world: World, login: Login) -> None:
    plan, *_ = make_plan(world)
    http = login(world.outsider)
    for name in ("plan_detail", "plan_history", "plan_goal_add", "plan_agree"):
        assert http.get(_url(name, plan)).status_code == 404, name
    assert http.post(_url("plan_pdf", plan)).status_code == 404
    assert http.get(f"/clients/{world.client.pk}/plan/").status_code == 404
    assert not AccessLogEntry.objects.filter(membership_id=world.outsider.pk).exists()


def test_the_plan_tab_makes_the_same_number_of_queries_however_many_goals(
    world: World, login: Login
) -> None:
    plan, work, *_ = make_plan(world)
    http = login(world.health)
    url = f"/clients/{world.client.pk}/plan/"
    http.get(url)  # warm the session and the membership lookups

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert http.get(url).status_code == 200
        return len(captured)

    before = queries()
    for number in range(4):
        goal = services.goal_add(
            actor=world.key_worker,
            plan=plan,
            domain="education",
            client_words=f"Course {number}",
            target="Certificate",
        )
        services.action_add(
            actor=world.key_worker,
            goal=goal,
            title=f"Enrol {number}",
            responsible_organisation=world.key_worker.organisation,
            responsible=world.key_worker,
        )
    # Goals and actions are prefetched per page, not per row: more rows, no more queries.
    assert queries() == before
    assert work.pk
