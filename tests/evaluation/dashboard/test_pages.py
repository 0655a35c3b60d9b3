"""The dashboard and targets pages: who sees them, what they show, the targets form, and the
Evaluation item in the main navigation."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from polku.core.models import Membership
from polku.core.roles import Role
from polku.evaluation.models import ProgrammeTarget, TargetMeasure
from tests import factories as f
from tests.evaluation.dashboard import scenario

pytestmark = pytest.mark.django_db

Login = Callable[[Membership], HttpClient]
URL = reverse("evaluation:dashboard")
TARGETS = reverse("evaluation:targets")


def _text(html: str) -> str:
    """The page's text without tags, spaces collapsed (no-break spaces kept)."""
    return re.sub(r"[ \n\t]+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def world() -> scenario.Scenario:
    return scenario.build()


def _manager(world: scenario.Scenario) -> Membership:
    return f.MembershipFactory(
        role=Role.PROGRAMME_MANAGER, organisation=world.programme.organisation
    )


def test_a_manager_sees_targets_against_actuals_with_charts_and_definitions(
    world: scenario.Scenario, login: Login, django_assert_max_num_queries: object
) -> None:
    http = login(_manager(world))
    # Session and membership (4), the cohort frame (5), employers (2), targets (1), the referral
    # report (3), fidelity (1), savings (its own report's few), the nav's context (2): bounded
    # whatever the number of participants.
    with django_assert_max_num_queries(40):  # type: ignore[operator]
        response = http.get(URL, {"programme": "pilot", "from": "2025-01", "to": "2025-03"})
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    assert "20 of 40 participants (50%)." in text
    assert "67% (10 of 15 who have left) against a target of 50%." in text
    assert "4 of 8 employers (50%)." in text
    assert "67% (10 of 15 who have left); no target set." in text
    assert "Groups of fewer than 5 participants — here: gender other —" in text
    # Every chart is an image with a title, with its table beside it.
    titles = re.findall(
        r'<svg role="img" aria-labelledby="[^"]+"[^>]*><title id="[^"]+">([^<]+)<', html
    )
    assert titles == [
        "Progress towards the targets",
        "Participants in and out by month",
        "Situation at exit",
    ]
    assert 'data-testid="dashboard-targets-table"' in html
    assert 'data-testid="dashboard-flows-table"' in html
    for key in (
        "dashboard-participants",
        "dashboard-work-or-training",
        "dashboard-in-out",
        "dashboard-outcome-groups",
        "dashboard-hiring-employers",
    ):
        assert f'href="/evaluation/definitions/#{key}"' in html
    # The curve page and the savings page, for the same programme and period.
    assert (
        'href="/evaluation/time-to-employment/?programme=pilot&amp;from=2025-01&amp;to=2025-03"'
        in html
    )
    # No participant is named.
    assert "Surname" not in text


def test_the_situation_at_exit_table_by_gender(world: scenario.Scenario, login: Login) -> None:
    http = login(_manager(world))
    html = http.get(URL, {"programme": "pilot"}).content.decode()
    women = re.search(r'<tr data-group="woman">(.*?)</tr>', html, re.DOTALL)
    assert women is not None
    cells = re.findall(r"<td>(.*?)</td>", women.group(1), re.DOTALL)
    assert [_text(c).strip() for c in cells] == [
        "10",
        "5 (50%)",
        "0 (0%)",
        "5 (50%)",
        "0 (0%)",
        "0 (0%)",
        "0 (0%)",
        "0 (0%)",
    ]
    assert 'data-group="other"' not in html


def test_with_one_programme_the_dashboard_shows_it_without_asking(login: Login) -> None:
    f.ProgrammeFactory(code="solo")
    http = login(f.MembershipFactory(role=Role.EVALUATOR))
    response = http.get(URL)
    assert response.status_code == 200
    assert "No participant entered this programme" in response.content.decode()


def test_with_several_programmes_the_dashboard_asks_which(
    world: scenario.Scenario, login: Login
) -> None:
    http = login(f.MembershipFactory(role=Role.EVALUATOR))
    response = http.get(URL)
    assert response.status_code == 200
    assert "Choose a programme to see its dashboard." in response.content.decode()


def test_a_bad_month_answers_400_with_the_field_error(
    world: scenario.Scenario, login: Login
) -> None:
    http = login(_manager(world))
    response = http.get(URL, {"programme": "pilot", "from": "2025-13"})
    assert response.status_code == 400
    assert "Enter a month as YYYY-MM" in response.content.decode()
    response = http.get(URL, {"programme": "pilot", "from": "2025-05", "to": "2025-01"})
    assert response.status_code == 400
    assert "The end of the period must not be before its start." in response.content.decode()


def test_a_coordinator_gets_403(world: scenario.Scenario, login: Login) -> None:
    http = login(f.MembershipFactory(role=Role.COORDINATOR))
    assert http.get(URL, {"programme": "pilot"}).status_code == 403
    assert http.get(TARGETS, {"programme": "pilot"}).status_code == 403


def test_the_page_in_finnish(world: scenario.Scenario, login: Login) -> None:
    http = login(_manager(world))
    response = http.get(URL, {"programme": "pilot", "from": "2025-01"}, HTTP_ACCEPT_LANGUAGE="fi")
    html = response.content.decode()
    assert '<html lang="fi">' in html
    assert "Ohjelman tilannekuva" in html  # "Programme dashboard"
    assert "tammikuu 2025" in html.lower()
    assert "50\u00a0%" in html  # Finnish writes a (no-break) space before the per cent sign


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.PROGRAMME_MANAGER, True),
        (Role.EVALUATOR, True),
        (Role.COORDINATOR, False),
        (Role.EMPLOYMENT_SPECIALIST, False),
        (Role.AUDITOR, False),
    ],
)
def test_the_evaluation_nav_item_only_for_the_two_roles(
    login: Login, role: str, sees: bool
) -> None:
    http = login(f.MembershipFactory(role=role))
    html = http.get(reverse("dashboard"), follow=True).content.decode()
    assert (f'href="{URL}"' in html) is sees


def test_a_manager_sets_the_targets(world: scenario.Scenario, login: Login) -> None:
    http = login(_manager(world))
    page = http.get(TARGETS, {"programme": "pilot"})
    assert page.status_code == 200
    response = http.post(
        f"{TARGETS}?programme=pilot",
        {
            "participants": "300",
            "work_or_training_at_exit": "55.5",
            "hiring_employers": "",
            "employed_at_exit": "40",
        },
    )
    assert response.status_code == 302
    saved = dict(
        ProgrammeTarget.objects.filter(programme=world.programme).values_list("measure", "value")
    )
    assert saved == {
        TargetMeasure.PARTICIPANTS: Decimal(300),
        TargetMeasure.WORK_OR_TRAINING_AT_EXIT: Decimal("55.5"),
        TargetMeasure.EMPLOYED_AT_EXIT: Decimal(40),
    }


def test_targets_out_of_range_are_field_errors_and_change_nothing(
    world: scenario.Scenario, login: Login
) -> None:
    http = login(_manager(world))
    before = list(ProgrammeTarget.objects.values_list("measure", "value").order_by("measure"))
    response = http.post(
        f"{TARGETS}?programme=pilot",
        {"participants": "-1", "work_or_training_at_exit": "101", "employed_at_exit": "abc"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"participants", "work_or_training_at_exit", "employed_at_exit"}
    assert list(ProgrammeTarget.objects.values_list("measure", "value").order_by("measure")) == (
        before
    )


def test_an_evaluator_reads_the_targets_but_cannot_set_them(
    world: scenario.Scenario, login: Login
) -> None:
    http = login(f.MembershipFactory(role=Role.EVALUATOR))
    page = http.get(TARGETS, {"programme": "pilot"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="targets-table"' in html
    assert '<form method="post"' not in html
    response = http.post(f"{TARGETS}?programme=pilot", {"participants": "1"})
    assert response.status_code == 403
    assert ProgrammeTarget.objects.get(
        programme=world.programme, measure=TargetMeasure.PARTICIPANTS
    ).value == Decimal(40)


def test_an_unknown_programme_is_404(login: Login) -> None:
    http = login(f.MembershipFactory(role=Role.PROGRAMME_MANAGER))
    assert http.get(TARGETS, {"programme": "nope"}).status_code == 404
