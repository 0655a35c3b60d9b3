"""The access matrix: every role × every endpoint that shows client data × the client's
organisation (own, on the care team / own, not on it / another) × the consent (none, given,
withdrawn, expired).

The expected answer of each cell comes from the policy as written in ARCHITECTURE.md, restated
here independently of polku.core.roles and polku.core.access: a role may read a category at all
only if the table below lists it; then it reads when its organisation recorded the data and it
is on the care team (or is a coordinator), or when a consent valid today shares the category
with its organisation.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from polku.clients.models import Client, Episode
from polku.clients.services import consent_withdraw
from polku.core.models import Membership
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    EpisodeFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

ALL = {"identity", "contact", "employment", "education", "benefits", "social", "health"}
BASIC = {"identity", "contact", "employment"}
# The policy's role table, written out (ARCHITECTURE.md "Access policy"; roles.py mirrors it).
READS: dict[str, set[str]] = {
    "coordinator": ALL,
    "employment_specialist": BASIC | {"education", "benefits"},
    "social_worker": BASIC | {"education", "benefits", "social"},
    "health_professional": BASIC | {"health"},
    "benefits_counsellor": BASIC | {"benefits"},
    "employer_liaison": BASIC | {"education"},
    "programme_manager": set(),
    "evaluator": set(),
    "organisation_admin": set(),
    "auditor": set(),
}
ORG_WIDE = {"coordinator"}
RELATIONS = ["own_team", "own_org", "other_org"]
CONSENTS = ["none", "given", "withdrawn", "expired"]


def expected(role: str, relation: str, consent: str, category: str) -> bool:
    if category not in READS[role]:
        return False
    own = relation == "own_team" or (relation == "own_org" and role in ORG_WIDE)
    return own or consent == "given"


@dataclass
class World:
    viewer: Membership
    client: Client
    episode: Episode
    http: HttpClient


def build_world(role: str, relation: str, consent: str, login: Callable[..., HttpClient]) -> World:
    home, elsewhere = OrganisationFactory(), OrganisationFactory()
    recorder = elsewhere if relation == "other_org" else home
    client = ClientFactory(recorded_by=recorder, phone="040 555 0101")
    episode = EpisodeFactory(client=client, programme__name="Matrix programme")
    viewer = MembershipFactory(organisation=home, role=role)
    key_worker = MembershipFactory(organisation=recorder, role="coordinator")
    CareTeamMemberFactory(client=client, membership=key_worker, is_key_worker=True)
    if relation == "own_team":
        CareTeamMemberFactory(client=client, membership=viewer)
    # Every client has a consent with some third organisation, so a list of the client's
    # consents is never empty when the viewer may see it.
    ConsentFactory(client=client, organisations=[OrganisationFactory()], categories=["identity"])
    if consent != "none":
        ConsentFactory(
            client=client,
            organisations=[home],
            categories=sorted(ALL),
            valid_from=dt.date(2024, 1, 1),
            valid_until=dt.date(2025, 1, 1) if consent == "expired" else None,
            withdrawn_at=timezone.now() if consent == "withdrawn" else None,
        )
    return World(viewer, client, episode, login(viewer))


def _json(http: HttpClient, url: str) -> dict[str, object] | None:
    response = http.get(url)
    return response.json() if response.status_code == 200 else None


def _count(http: HttpClient, url: str) -> int:
    data = _json(http, url)
    return int(data["count"]) if data else 0  # type: ignore[call-overload]


# Each endpoint answers "did the viewer get the data?" and names the category it carries.
def ui_list(w: World) -> bool:
    response = w.http.get("/clients/", {"q": w.client.last_name})
    return response.status_code == 200 and str(w.client.pk) in response.content.decode()


def ui_detail(w: World) -> bool:
    return w.http.get(f"/clients/{w.client.pk}/").status_code == 200


def ui_contact(w: World) -> bool:
    response = w.http.get(f"/clients/{w.client.pk}/")
    return response.status_code == 200 and "040 555 0101" in response.content.decode()


def ui_episodes(w: World) -> bool:
    response = w.http.get(f"/clients/{w.client.pk}/")
    return response.status_code == 200 and "Matrix programme" in response.content.decode()


def ui_export(w: World) -> bool:
    response = w.http.get("/clients/export.csv")
    return response.status_code == 200 and w.client.reference in response.content.decode()


def ui_edit(w: World) -> bool:
    return w.http.get(f"/clients/{w.client.pk}/edit/").status_code == 200


def ui_caseload(w: World) -> bool:
    response = w.http.get("/")
    return str(w.client.pk) in response.content.decode()


def api_list(w: World) -> bool:
    data = _json(w.http, "/api/v1/clients/")
    return bool(data) and str(w.client.pk) in {r["id"] for r in data["results"]}  # type: ignore[index, union-attr]


def api_detail(w: World) -> bool:
    return _json(w.http, f"/api/v1/clients/{w.client.pk}/") is not None


def api_contact(w: World) -> bool:
    data = _json(w.http, f"/api/v1/clients/{w.client.pk}/")
    return bool(data) and data["contact"] is not None  # type: ignore[index]


def api_episodes(w: World) -> bool:
    return _count(w.http, f"/api/v1/episodes/?client={w.client.pk}") == 1


def api_episode_detail(w: World) -> bool:
    return _json(w.http, f"/api/v1/episodes/{w.episode.pk}/") is not None


def api_consents(w: World) -> bool:
    return _count(w.http, f"/api/v1/consents/?client={w.client.pk}") >= 1


def api_care_team(w: World) -> bool:
    return _count(w.http, f"/api/v1/care-team-members/?client={w.client.pk}") >= 1


ENDPOINTS: list[tuple[str, Callable[[World], bool], str]] = [
    ("ui client list", ui_list, "identity"),
    ("ui client page", ui_detail, "identity"),
    ("ui contact details", ui_contact, "contact"),
    ("ui episodes", ui_episodes, "employment"),
    ("ui csv export", ui_export, "identity"),
    ("ui edit form", ui_edit, "identity"),
    ("api client list", api_list, "identity"),
    ("api client detail", api_detail, "identity"),
    ("api contact details", api_contact, "contact"),
    ("api episodes of client", api_episodes, "employment"),
    ("api episode detail", api_episode_detail, "employment"),
    ("api consents of client", api_consents, "identity"),
    ("api care team of client", api_care_team, "identity"),
]
SCENARIOS = list(itertools.product(READS, RELATIONS, CONSENTS))
CELLS = len(SCENARIOS) * (len(ENDPOINTS) + 1)  # + the caseload on the dashboard


@pytest.mark.parametrize(("role", "relation", "consent"), SCENARIOS)
def test_access_matrix(
    role: str, relation: str, consent: str, login: Callable[..., HttpClient]
) -> None:
    world = build_world(role, relation, consent, login)
    wrong = []
    for name, endpoint, category in ENDPOINTS:
        want = expected(role, relation, consent, category)
        if endpoint(world) != want:
            wrong.append(f"{name}: expected {'allow' if want else 'deny'}")
    # The caseload shows clients on the viewer's care team that the viewer may identify.
    want = relation == "own_team" and expected(role, relation, consent, "identity")
    if ui_caseload(world) != want:
        wrong.append(f"dashboard caseload: expected {'allow' if want else 'deny'}")
    assert wrong == []


def test_matrix_size() -> None:
    """10 roles × 3 relations × 4 consent states × 14 endpoints."""
    assert CELLS == 10 * 3 * 4 * 14 == 1680


@pytest.mark.parametrize("surface", ["ui", "api"])
def test_withdrawn_consent_cuts_access_immediately_within_the_same_session(
    surface: str, login: Callable[..., HttpClient]
) -> None:
    home, elsewhere = OrganisationFactory(), OrganisationFactory()
    client = ClientFactory(recorded_by=elsewhere)
    recorder = MembershipFactory(organisation=elsewhere, role="coordinator")
    coach = MembershipFactory(organisation=home, role="employment_specialist")
    consent = ConsentFactory(client=client, organisations=[home], categories=["identity"])
    http = login(coach)
    url = f"/clients/{client.pk}/" if surface == "ui" else f"/api/v1/clients/{client.pk}/"
    assert http.get(url).status_code == 200

    consent_withdraw(actor=recorder, consent=consent)

    assert http.get(url).status_code == 404
