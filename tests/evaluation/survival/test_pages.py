"""The time-to-employment and provider pages: who may see them, what they show, their errors,
and the Finnish page."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest
from django.test import Client as HttpClient

from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.views.survival import pages
from tests import factories as f
from tests.evaluation.survival.scenario import FOLLOW_UP_END, provider_trial, work_path

pytestmark = pytest.mark.django_db

Login = Callable[[Membership], HttpClient]
SURVIVAL = "/evaluation/time-to-employment/"
PROVIDERS = "/evaluation/providers/"


@pytest.fixture(autouse=True)
def _followed_up_to_the_scenarios_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "follow_up_end", lambda: FOLLOW_UP_END)


def _text(html: bytes) -> str:
    """The page's text with tags dropped, entities read ("&lt;5" as "<5") and white space
    collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html.decode())))


@pytest.mark.parametrize("url", [SURVIVAL, PROVIDERS])
@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.EMPLOYMENT_SPECIALIST, Role.ORGANISATION_ADMIN]
)
def test_staff_who_do_not_evaluate_are_refused(login: Login, url: str, role: str) -> None:
    work_path()
    response = login(f.MembershipFactory(role=role)).get(url)
    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.EVALUATOR])
def test_managers_and_evaluators_see_the_curves_by_gender(login: Login, role: str) -> None:
    work_path()
    response = login(f.MembershipFactory(role=role)).get(SURVIVAL)
    assert response.status_code == 200
    text = _text(response.content)
    assert "All programmes: all participants, followed up to 30/06/2026." in text
    assert '<svg role="img"' in response.content.decode()
    # Group, people, jobs, censored, median, its interval, in work by 3, 6, 12 months. The
    # women's 3-month interval by hand: Greenwood's sum 1/(10·9) + 1/(9·8) + 1/(8·7) = 0.04286
    # on the log(−log) scale around S = 0.7 gives S in 0.329–0.892, so 11–67 % found work.
    # Jobs and censored protected against the group's people: 6 and 4, 4 and 6 are "≥5" / "<5".
    assert "Women 10 ≥5 <5 5.0 1.0 – not reached 30% (11–67%) 50% (25–82%) –" in text
    assert "Men 10 <5 ≥5 not reached – 10% (1–53%) 20% (5–59%) 40% (17–75%)" in text
    assert "All participants 20 10 10 8.0 4.0 – not reached 20% (8–45%)" in text
    assert (
        "Groups of fewer than 5 people — here: gender other — are left out of every figure." in text
    )
    assert "Men (compared with women)" in text
    assert "n = 20 people, 10 found a job" in text
    assert 'href="/evaluation/definitions/#km-median"' in response.content.decode()


def test_the_page_names_nobody_and_keeps_no_log_of_reading(login: Login) -> None:
    """Aggregates only: no client's name appears, and no read-access log entry is written."""
    from polku.core.models import AccessLogEntry

    programme = work_path()
    before = AccessLogEntry.objects.count()
    response = login(f.MembershipFactory(role=Role.EVALUATOR)).get(
        SURVIVAL, {"programme": programme.code, "by": "provider"}
    )
    assert response.status_code == 200
    assert "Surname" not in response.content.decode()
    assert AccessLogEntry.objects.count() == before
    assert "City employment services 20 10 10" in _text(response.content)


def test_a_period_ending_before_it_starts_answers_400_with_the_field_error(login: Login) -> None:
    work_path()
    response = login(f.MembershipFactory(role=Role.PROGRAMME_MANAGER)).get(
        SURVIVAL, {"from": "2025-03", "to": "2025-01"}
    )
    assert response.status_code == 400
    text = _text(response.content)
    assert "Last month of entry: The end of the period must not be before its start." in text
    assert "Women 10" not in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2025-01-15"}, "Enter a month as YYYY-MM, for example 2024-03."),
        ({"by": "client"}, "Select a valid choice."),
        ({"programme": "no-such-programme"}, "Select a valid choice."),
    ],
)
def test_bad_choices_answer_400(login: Login, query: dict[str, str], message: str) -> None:
    response = login(f.MembershipFactory(role=Role.PROGRAMME_MANAGER)).get(SURVIVAL, query)
    assert response.status_code == 400
    assert message in _text(response.content)


def test_a_period_with_nobody_says_so(login: Login) -> None:
    work_path()
    response = login(f.MembershipFactory(role=Role.PROGRAMME_MANAGER)).get(
        SURVIVAL, {"from": "2026-01", "to": "2026-02"}
    )
    assert response.status_code == 200
    assert "No one entered in the chosen programme and period." in _text(response.content)


def test_the_finnish_page(login: Login) -> None:
    work_path()
    response = login(f.MembershipFactory(role=Role.PROGRAMME_MANAGER)).get(
        SURVIVAL, HTTP_ACCEPT_LANGUAGE="fi"
    )
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fi"
    text = _text(response.content)
    assert "Aika työllistymiseen" in text
    assert "Naiset 10 ≥5 <5 5,0" in text
    assert "30 %" in text


def test_the_provider_page_shows_rates_with_intervals(login: Login) -> None:
    """`scenario.provider_trial`: the Wilson intervals are worked out in
    test_provider_comparison."""
    programme = provider_trial()
    response = login(f.MembershipFactory(role=Role.PROGRAMME_MANAGER)).get(
        PROVIDERS, {"programme": programme.code}
    )
    assert response.status_code == 200
    text = _text(response.content)
    assert "Provider trial: all participants, followed up to 30/06/2026." in text
    # People; then n and rate for employed at exit, work or training at exit, employed
    # 6 months after exit (too few: not shown), found a job.
    assert "Public providers 15 15 40% (20–64%) 15 60% (36–80%) 8 – 15 40% (20–64%)" in text
    assert "Private providers 15 15 60% (36–80%) 15 67% (42–85%) 12 – 15 60% (36–80%)" in text
    assert "All participants 30 30 50% (33–67%)" in text
    assert (
        "Groups of fewer than 5 people — here: provider Association ry; provider sector "
        "third-sector providers — are left out of every figure."
    ) in text
    assert "Employed at exit: adjusted comparison (n = 30)" in text
    assert '<svg role="img"' in response.content.decode()


def test_every_figure_links_to_an_existing_definition(login: Login) -> None:
    """A mistyped key would render an empty link: every link on both pages names a definition
    of `definitions.survival`, and every one of those is linked from a page."""
    from polku.evaluation.definitions.survival import DEFINITIONS

    programme = provider_trial()
    http = login(f.MembershipFactory(role=Role.PROGRAMME_MANAGER))
    linked: set[str] = set()
    for url in (SURVIVAL, PROVIDERS):
        html = http.get(url, {"programme": programme.code}).content.decode()
        assert 'href=""' not in html
        linked |= set(re.findall(r'href="/evaluation/definitions/#([\w-]+)"', html))
    assert linked == {d.key for d in DEFINITIONS}
