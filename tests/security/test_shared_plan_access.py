"""Who sees which parts of a shared plan, on every surface: the plan tab, its history, the API
(plans, goals, actions, revisions) and the PDF. Expected answers are restated from
docs/access-policy.md, not taken from the code:

- a goal takes its life domain's category (mental health: health data; work: employment data)
  and an action its goal's; the plan itself is employment data;
- a member reads a record when their role permits its category AND (their organisation recorded
  it and they are on the care team / are a coordinator, OR a consent valid today shares that
  category with their organisation);
- invisible is 404, like missing; every read is in the client's access log, and a refused read
  writes nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from polku.clients.models import Client, Consent
from polku.core.categories import DataCategory
from polku.core.models import AccessAction, AccessLogEntry, Membership
from polku.core.roles import Role
from polku.plans.models import Plan
from polku.plans.services import shared_plan as services
from polku.plans.views import shared_plan as views
from tests.api.test_api import api_for
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    EpisodeFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
C = DataCategory

WORK_GOAL, WORK_ACTION = "WORKGOAL get a job", "WORKACTION write a CV"
HEALTH_GOAL, HEALTH_ACTION = "HEALTHGOAL sleep better", "HEALTHACTION see a therapist"


@dataclass
class Scene:
    client: Client
    plan: Plan
    viewer: Membership


# (viewer's role, relation to the client, categories the client's consent shares with the
# viewer's organisation) → (sees the plan at all, sees the health goal and action)
Case = tuple[str, str, list[str], bool, bool]
CASES: dict[str, Case] = {
    "health professional of another org, consent without health": (
        Role.HEALTH_PROFESSIONAL,
        "other_org_on_team",
        [C.IDENTITY, C.EMPLOYMENT],
        True,
        False,
    ),
    "health professional of another org, consent with health": (
        Role.HEALTH_PROFESSIONAL,
        "other_org_on_team",
        [C.IDENTITY, C.EMPLOYMENT, C.HEALTH],
        True,
        True,
    ),
    "health professional of another org, consent withdrawn": (
        Role.HEALTH_PROFESSIONAL,
        "other_org_on_team_withdrawn",
        [C.IDENTITY, C.EMPLOYMENT, C.HEALTH],
        False,
        False,
    ),
    "health professional of the registering org on the team": (
        Role.HEALTH_PROFESSIONAL,
        "own_org_on_team",
        [],
        True,
        True,
    ),
    "employment specialist of the registering org on the team": (
        Role.EMPLOYMENT_SPECIALIST,
        "own_org_on_team",
        [],
        True,
        False,
    ),
    "social worker of the registering org on the team": (
        Role.SOCIAL_WORKER,
        "own_org_on_team",
        [],
        True,
        False,
    ),
    "employment specialist of the registering org, not on the team": (
        Role.EMPLOYMENT_SPECIALIST,
        "own_org_off_team",
        [],
        False,
        False,
    ),
    "coordinator of the registering org": (Role.COORDINATOR, "own_org", [], True, True),
    "coordinator of another org with all categories shared": (
        Role.COORDINATOR,
        "other_org",
        list(C.values),
        True,
        True,
    ),
    "coordinator of another org without consent": (Role.COORDINATOR, "other_org", [], False, False),
}


def _scene(role: str, relation: str, shared: list[str]) -> Scene:
    city, other = OrganisationFactory(), OrganisationFactory()
    client = ClientFactory(recorded_by=city)
    episode = EpisodeFactory(client=client)
    coordinator = MembershipFactory(organisation=city, role=Role.COORDINATOR)
    plan = services.plan_create(actor=coordinator, episode=episode)
    for domain, words, title in (
        ("work", WORK_GOAL, WORK_ACTION),
        ("mental_health", HEALTH_GOAL, HEALTH_ACTION),
    ):
        goal = services.goal_add(
            actor=coordinator, plan=plan, domain=domain, client_words=words, target="target"
        )
        services.action_add(
            actor=coordinator, goal=goal, title=title, responsible_organisation=city
        )
    services.plan_agree(
        actor=coordinator,
        plan=plan,
        agreed_on=episode.start_date,
        client_agreed=True,
        agreement_method="meeting",
    )
    viewer_org = city if relation.startswith("own_org") else other
    viewer = MembershipFactory(organisation=viewer_org, role=role)
    if shared:
        ConsentFactory(client=client, organisations=[other], categories=shared)
    if relation.endswith(("on_team", "on_team_withdrawn")):
        CareTeamMemberFactory(client=client, membership=viewer)
    if relation.endswith("withdrawn"):
        Consent.objects.filter(client=client).update(withdrawn_at="2000-01-01T00:00Z")
    plan.refresh_from_db()
    return Scene(client=client, plan=plan, viewer=viewer)


def _logged(scene: Scene) -> set[tuple[str, str]]:
    return {
        (e.category, e.action)
        for e in AccessLogEntry.objects.filter(
            client_id=scene.client.pk, membership_id=scene.viewer.pk
        )
    }


def _expected_log(action: str, *, health: bool, identity: bool = True) -> set[tuple[str, str]]:
    logged = {(C.EMPLOYMENT, action)} | ({(C.IDENTITY, action)} if identity else set())
    return logged | ({(C.HEALTH, action)} if health else set())


def _assert_shown(text: str, *, health: bool) -> None:
    assert WORK_GOAL in text
    assert WORK_ACTION in text
    assert (HEALTH_GOAL in text) is health
    assert (HEALTH_ACTION in text) is health


@pytest.mark.parametrize("case", list(CASES))
def test_plan_tab_and_history(case: str, login: Login) -> None:
    role, relation, shared, sees_plan, sees_health = CASES[case]
    scene = _scene(role, relation, shared)
    http = login(scene.viewer)
    tab = http.get(f"/clients/{scene.client.pk}/plan/")
    history = http.get(
        reverse(
            "plans:plan_history",
            kwargs={"client_id": scene.client.pk, "plan_id": scene.plan.pk},
        )
    )
    if not sees_plan:
        assert (tab.status_code, history.status_code) == (404, 404)
        assert _logged(scene) == set()
        return
    assert (tab.status_code, history.status_code) == (200, 200)
    _assert_shown(tab.content.decode(), health=sees_health)
    history_text = history.content.decode()
    assert WORK_GOAL in history_text
    assert (HEALTH_GOAL in history_text) is sees_health
    assert _logged(scene) == _expected_log(AccessAction.VIEW, health=sees_health)


@pytest.mark.parametrize("case", list(CASES))
def test_api(case: str) -> None:
    role, relation, shared, sees_plan, sees_health = CASES[case]
    scene = _scene(role, relation, shared)
    api = api_for(scene.viewer)
    plans = api.get("/api/v1/plans/", {"client": str(scene.client.pk)}).json()["results"]
    goals = api.get("/api/v1/goals/", {"client": str(scene.client.pk)}).json()["results"]
    actions = api.get("/api/v1/actions/", {"plan": str(scene.plan.pk)}).json()["results"]
    revisions = api.get(f"/api/v1/plans/{scene.plan.pk}/revisions/")
    if not sees_plan:
        assert (plans, goals, actions, revisions.status_code) == ([], [], [], 404)
        assert _logged(scene) == set()
        return
    assert [p["id"] for p in plans] == [str(scene.plan.pk)]
    text = str(goals) + str(actions)
    _assert_shown(text, health=sees_health)
    assert (HEALTH_GOAL in str(revisions.json())) is sees_health
    assert _logged(scene) == _expected_log(AccessAction.API, health=sees_health, identity=False)


@pytest.mark.parametrize("case", list(CASES))
def test_pdf(case: str, login: Login, monkeypatch: pytest.MonkeyPatch) -> None:
    role, relation, shared, sees_plan, sees_health = CASES[case]
    scene = _scene(role, relation, shared)
    printed: list[str] = []

    def render(html: str) -> bytes:
        printed.append(html)
        return b"%PDF-1.7"

    monkeypatch.setattr(views, "render_pdf", render)
    response = login(scene.viewer).post(
        reverse("plans:plan_pdf", kwargs={"client_id": scene.client.pk, "plan_id": scene.plan.pk})
    )
    if not sees_plan:
        assert response.status_code == 404
        assert (printed, _logged(scene)) == ([], set())
        return
    assert response.status_code == 200
    (html,) = printed
    _assert_shown(html, health=sees_health)
    assert _logged(scene) == _expected_log(AccessAction.EXPORT, health=sees_health)


def test_the_printed_pdf_of_a_professional_without_health_consent_has_no_health_goal(
    login: Login, tmp_path: Path
) -> None:
    """The done-when case end to end, through WeasyPrint and pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    scene = _scene(Role.HEALTH_PROFESSIONAL, "other_org_on_team", [C.IDENTITY, C.EMPLOYMENT])
    response = login(scene.viewer).post(
        reverse("plans:plan_pdf", kwargs={"client_id": scene.client.pk, "plan_id": scene.plan.pk})
    )
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert WORK_GOAL in text
    assert WORK_ACTION in text
    assert "HEALTHGOAL" not in text
    assert "HEALTHACTION" not in text
    assert "Mental health" not in text
