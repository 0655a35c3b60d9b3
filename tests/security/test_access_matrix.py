"""The access matrix: every role × every surface that shows or changes client data × the
client's organisation (own, on the care team / own, not on it / another) × the consent (none,
all categories, identity only, withdrawn, expired, not yet valid).

The expected answer of each cell comes from the policy as written in ARCHITECTURE.md and
docs/access-policy.md, restated here independently of polku.core.roles, polku.core.access and
polku.clients.services:
- a role may read a category at all only if the table below lists it; then it reads when its
  organisation recorded the data and it is on the care team (or is a coordinator), or when a
  consent valid today shares the category with its organisation;
- only the registering organisation's people responsible for the client (on the team, or a
  coordinator) or the key worker may change the client's details, consents and episodes — a
  consent lets another organisation read, never write;
- the care team is managed by the key worker or a coordinator of the registering organisation.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from polku.clients.models import Client, Episode
from polku.clients.services import consent_withdraw
from polku.core.models import AccessLogEntry, Membership
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
CONSENTS = ["none", "all", "identity_only", "withdrawn", "expired", "pending"]
PHONE = "040 555 0101"
PROGRAMME = "Matrix programme"


def reads(role: str, relation: str, consent: str, category: str) -> bool:
    if category not in READS[role]:
        return False
    own = relation == "own_team" or (relation == "own_org" and role in ORG_WIDE)
    shared = consent == "all" or (consent == "identity_only" and category == "identity")
    return own or shared


def manages(role: str, relation: str, consent: str) -> bool:
    """Changes details, consents and episodes: the registering organisation's people
    responsible for the client (the key worker in these worlds is someone else)."""
    return "identity" in READS[role] and (
        relation == "own_team" or (relation == "own_org" and role in ORG_WIDE)
    )


def manages_team(role: str, relation: str, consent: str) -> bool:
    """The key worker is someone else here, so: a coordinator of the registering organisation."""
    return role in ORG_WIDE and relation != "other_org"


@dataclass
class World:
    viewer: Membership
    client: Client
    episode: Episode
    http: HttpClient
    responses: dict[str, object] = field(default_factory=dict)

    def get(self, url: str, **params: str) -> object:
        """One request per URL and world: several surfaces read the same page."""
        key = url + repr(sorted(params.items()))
        if key not in self.responses:
            self.responses[key] = self.http.get(url, params)
        return self.responses[key]


def build_world(role: str, relation: str, consent: str, login: Callable[..., HttpClient]) -> World:
    home, elsewhere = OrganisationFactory(), OrganisationFactory()
    recorder = elsewhere if relation == "other_org" else home
    client = ClientFactory(recorded_by=recorder, phone=PHONE)
    episode = EpisodeFactory(client=client, programme__name=PROGRAMME)
    viewer = MembershipFactory(organisation=home, role=role)
    key_worker = MembershipFactory(organisation=recorder, role="coordinator")
    CareTeamMemberFactory(client=client, membership=key_worker, is_key_worker=True)
    if relation == "own_team":
        CareTeamMemberFactory(client=client, membership=viewer)
    # Every client has a consent with some third organisation, so a list of the client's
    # consents is never empty when the viewer may see it.
    ConsentFactory(client=client, organisations=[OrganisationFactory()], categories=["identity"])
    if consent != "none":
        today = timezone.localdate()
        ConsentFactory(
            client=client,
            organisations=[home],
            categories=["identity"] if consent == "identity_only" else sorted(ALL),
            valid_from=today + dt.timedelta(days=3)
            if consent == "pending"
            else dt.date(2024, 1, 1),
            valid_until=dt.date(2025, 1, 1) if consent == "expired" else None,
            withdrawn_at=timezone.now() if consent == "withdrawn" else None,
        )
    return World(viewer, client, episode, login(viewer))


def _ok(response: object) -> bool:
    return getattr(response, "status_code", None) == 200


def _text(response: object) -> str:
    return response.content.decode() if _ok(response) else ""  # type: ignore[attr-defined]


def _json(w: World, url: str, **params: str) -> dict[str, object] | None:
    response = w.get(url, **params)
    return response.json() if _ok(response) else None  # type: ignore[attr-defined]


def _count(w: World, url: str, **params: str) -> int:
    data = _json(w, url, **params)
    return int(data["count"]) if data else 0  # type: ignore[call-overload]


def _list_row(w: World) -> str:
    """The client's row on the client list (searched by name), or "" if absent."""
    if "list" not in w.responses:
        w.responses["list"] = w.http.post("/clients/", {"q": w.client.last_name}, follow=True)
    text = _text(w.responses["list"])
    start = text.find(str(w.client.pk))
    return text[start : text.find("</tr>", start)] if start >= 0 else ""


def _export(w: World) -> str:
    if "export" not in w.responses:
        w.responses["export"] = w.http.post("/clients/export.csv")
    return _text(w.responses["export"])


def _export_row(w: World) -> str:
    return next((line for line in _export(w).splitlines() if w.client.reference in line), "")


def _page(w: World) -> str:
    return _text(w.get(f"/clients/{w.client.pk}/"))


# Each surface answers "did the viewer get the data (or the action)?" and names what the
# policy asks of it: a category it reads, or "manage" / "manage_team".
SURFACES: list[tuple[str, Callable[[World], bool], str]] = [
    ("ui client list row", lambda w: bool(_list_row(w)), "identity"),
    ("ui client list programme column", lambda w: PROGRAMME in _list_row(w), "employment"),
    (
        "ui programme filter",
        lambda w: (
            str(w.client.pk) in _text(w.get("/clients/", programme=str(w.episode.programme_id)))
        ),
        "employment",
    ),
    (
        "ui status filter",
        lambda w: str(w.client.pk) in _text(w.get("/clients/", status="active")),
        "employment",
    ),
    ("ui client page", lambda w: bool(_page(w)), "identity"),
    ("ui contact details", lambda w: PHONE in _page(w), "contact"),
    ("ui episodes", lambda w: PROGRAMME in _page(w), "employment"),
    ("ui csv export row", lambda w: bool(_export_row(w)), "identity"),
    ("ui csv export programme", lambda w: PROGRAMME in _export_row(w), "employment"),
    ("ui edit form", lambda w: _ok(w.get(f"/clients/{w.client.pk}/edit/")), "manage"),
    ("ui consent form", lambda w: _ok(w.get(f"/clients/{w.client.pk}/consents/new/")), "manage"),
    ("ui episode form", lambda w: _ok(w.get(f"/clients/{w.client.pk}/episodes/new/")), "manage"),
    ("ui care team page", lambda w: _ok(w.get(f"/clients/{w.client.pk}/team/")), "manage_team"),
    (
        "api client list",
        lambda w: str(w.client.pk) in str(_json(w, "/api/v1/clients/")),
        "identity",
    ),
    (
        "api programme filter",
        lambda w: (
            str(w.client.pk)
            in str(_json(w, "/api/v1/clients/", programme=str(w.episode.programme_id)))
        ),
        "employment",
    ),
    (
        "api client detail",
        lambda w: _json(w, f"/api/v1/clients/{w.client.pk}/") is not None,
        "identity",
    ),
    (
        "api contact details",
        lambda w: PHONE in str(_json(w, f"/api/v1/clients/{w.client.pk}/")),
        "contact",
    ),
    (
        "api episodes of client",
        lambda w: _count(w, "/api/v1/episodes/", client=str(w.client.pk)) == 1,
        "employment",
    ),
    (
        "api episode detail",
        lambda w: _json(w, f"/api/v1/episodes/{w.episode.pk}/") is not None,
        "employment",
    ),
    (
        "api consents of client",
        lambda w: _count(w, "/api/v1/consents/", client=str(w.client.pk)) >= 1,
        "identity",
    ),
    (
        "api care team of client",
        lambda w: _count(w, "/api/v1/care-team-members/", client=str(w.client.pk)) >= 1,
        "identity",
    ),
]
SCENARIOS = list(itertools.product(READS, RELATIONS, CONSENTS))
CELLS = len(SCENARIOS) * (len(SURFACES) + 1)  # + the caseload on the dashboard


def expected(kind: str, role: str, relation: str, consent: str) -> bool:
    if kind == "manage":
        return manages(role, relation, consent)
    if kind == "manage_team":
        return manages_team(role, relation, consent)
    return reads(role, relation, consent, kind)


@pytest.mark.parametrize(("role", "relation", "consent"), SCENARIOS)
def test_access_matrix(
    role: str, relation: str, consent: str, login: Callable[..., HttpClient]
) -> None:
    world = build_world(role, relation, consent, login)
    wrong = []
    for name, surface, kind in SURFACES:
        want = expected(kind, role, relation, consent)
        if surface(world) != want:
            wrong.append(f"{name}: expected {'allow' if want else 'deny'}")
    # The caseload shows clients on the viewer's care team that the viewer may identify.
    want = relation == "own_team" and reads(role, relation, consent, "identity")
    if (str(world.client.pk) in _text(world.get("/"))) != want:
        wrong.append(f"dashboard caseload: expected {'allow' if want else 'deny'}")
    assert wrong == []


def test_matrix_size() -> None:
    """10 roles × 3 relations × 6 consent states × 22 surfaces."""
    assert CELLS == 10 * 3 * 6 * 22 == 3960


# Every page that shows a client leaves a trace in the read-access log, with the category of
# what it showed; pages that only refuse leave none.
PAGES = [
    ("/clients/{client}/", {"identity", "contact", "employment"}),
    ("/clients/{client}/edit/", {"identity", "contact"}),
    ("/clients/{client}/consents/new/", {"identity"}),
    ("/clients/{client}/episodes/new/", {"identity"}),
    ("/clients/{client}/episodes/{episode}/end/", {"identity", "employment"}),
    ("/clients/{client}/team/", {"identity"}),
    ("/clients/{client}/consents/{consent}/withdraw/", {"identity"}),
]


@pytest.mark.parametrize(("url", "categories"), PAGES)
def test_every_page_about_a_client_is_in_the_access_log(
    url: str, categories: set[str], login: Callable[..., HttpClient]
) -> None:
    coordinator = MembershipFactory(role="coordinator")
    client = ClientFactory(recorded_by=coordinator.organisation)
    episode = EpisodeFactory(client=client)
    consent = ConsentFactory(
        client=client, organisations=[OrganisationFactory()], categories=["identity"]
    )
    http = login(coordinator)
    response = http.get(url.format(client=client.pk, episode=episode.pk, consent=consent.pk))
    assert response.status_code == 200
    logged = set(
        AccessLogEntry.objects.filter(client_id=client.pk).values_list("category", "action")
    )
    assert logged == {(category, "view") for category in categories}


def test_refused_pages_leave_no_trace(login: Callable[..., HttpClient]) -> None:
    client = ClientFactory()
    http = login(MembershipFactory(role="coordinator"))
    for url, _ in PAGES:
        assert http.get(url.format(client=client.pk, episode=0, consent=0)).status_code == 404
    assert AccessLogEntry.objects.count() == 0


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


@pytest.mark.parametrize("role", ["benefits_counsellor", "health_professional", "social_worker"])
def test_a_consent_based_reader_cannot_widen_its_own_access(
    role: str, login: Callable[..., HttpClient]
) -> None:
    """Recording a further consent is for the registering organisation: otherwise an
    organisation with an identity-only consent could grant itself health or social data."""
    home, elsewhere = OrganisationFactory(), OrganisationFactory()
    client = ClientFactory(recorded_by=elsewhere)
    reader = MembershipFactory(organisation=home, role=role)
    ConsentFactory(client=client, organisations=[home], categories=["identity"])
    http = login(reader)
    response = http.post(
        f"/clients/{client.pk}/consents/new/",
        {
            "organisations": [home.pk],
            "categories": sorted(ALL),
            "purpose": "service",
            "method": "verbal",
            "valid_from": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 403
    api = http.post(
        "/api/v1/consents/",
        {
            "client": str(client.pk),
            "organisations": [home.pk],
            "categories": sorted(ALL),
            "method": "verbal",
        },
        content_type="application/json",
    )
    assert api.status_code == 403
    assert client.consents.count() == 1
