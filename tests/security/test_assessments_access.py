"""The access matrix of the joint assessment: every role × the client's organisation (own, on
the care team / own, not on it / another) × the consent (none, all categories, identity only,
identity and employment only, all but withdrawn) — for the domain entries in the user
interface and the API, the read-access log rows each leaves, and who may write which domain.

The expected answer of each cell is restated from docs/access-policy.md ("Plans, referrals and
encounters"), independently of polku.core.roles, polku.core.access and polku.plans:
- an entry is data of its domain's category (physical and mental health and substance use are
  health data; housing, social relations, daily living and legal matters social data; finances
  benefits data; work employment data; education and language education data); the round
  itself is employment data;
- a member reads a record when their role permits its category and either their organisation
  recorded it and they are on the care team (or are a coordinator), or a consent valid today
  shares the category with their organisation;
- a professional records data only in categories their role may read, and only when their
  organisation registered the client and they are responsible for the client (on the team, or
  a coordinator) or they are on the care team.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import PermissionDenied
from django.test import Client as HttpClient
from django.utils import timezone
from rest_framework.test import APIClient

from polku.clients.models import Client
from polku.core import services as core_services
from polku.core.models import AccessLogEntry, Membership
from polku.plans.models import Assessment, DomainEntry
from polku.plans.services.assessments import assessment_complete, assessment_start, entry_save
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
    enable_totp,
)

pytestmark = pytest.mark.django_db

ALL = {"identity", "contact", "employment", "education", "benefits", "social", "health"}
BASIC = {"identity", "contact", "employment"}
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
DOMAINS: dict[str, str] = {
    "work": "employment",
    "education": "education",
    "physical_health": "health",
    "mental_health": "health",
    "substance_use": "health",
    "housing": "social",
    "finances": "benefits",
    "social_relations": "social",
    "daily_living": "social",
    "legal": "social",
    "language": "education",
}
ORG_WIDE = {"coordinator"}
RELATIONS = ["own_team", "own_org", "other_org"]
CONSENTS = ["none", "all", "identity_only", "identity_employment", "withdrawn"]
SHARED = {
    "none": set(),
    "all": ALL,
    "identity_only": {"identity"},
    "identity_employment": {"identity", "employment"},
    "withdrawn": set(),
}


def reads(role: str, relation: str, consent: str, category: str) -> bool:
    if category not in READS[role]:
        return False
    own = relation == "own_team" or (relation == "own_org" and role in ORG_WIDE)
    return own or category in SHARED[consent]


def visible_domains(role: str, relation: str, consent: str) -> list[str]:
    """The entries shown: the round and the client must be readable too."""
    if not (
        reads(role, relation, consent, "identity") and reads(role, relation, consent, "employment")
    ):
        return []
    return [d for d, category in DOMAINS.items() if reads(role, relation, consent, category)]


def writable_domains(role: str, relation: str, consent: str) -> list[str]:
    responsible = relation == "own_team" or (relation == "own_org" and role in ORG_WIDE)
    if not responsible:
        return []
    return [d for d, category in DOMAINS.items() if category in READS[role]]


@dataclass
class World:
    viewer: Membership
    client: Client
    completed: Assessment
    open_round: Assessment


def build_world(role: str, relation: str, consent: str) -> World:
    home, elsewhere = OrganisationFactory(), OrganisationFactory()
    recorder = elsewhere if relation == "other_org" else home
    client = ClientFactory(recorded_by=recorder)
    key_worker = MembershipFactory(organisation=recorder, role="coordinator")
    CareTeamMemberFactory(client=client, membership=key_worker, is_key_worker=True)
    viewer = MembershipFactory(organisation=home, role=role)
    if relation == "own_team":
        CareTeamMemberFactory(client=client, membership=viewer)
    if consent != "none":
        ConsentFactory(
            client=client,
            organisations=[home],
            categories=sorted(SHARED["all" if consent == "withdrawn" else consent]),
            withdrawn_at=timezone.now() if consent == "withdrawn" else None,
        )
    completed = assessment_start(actor=key_worker, client=client)
    for need, domain in enumerate(DOMAINS):
        entry_save(actor=key_worker, assessment=completed, domain=domain, need=need % 4)
    assessment_complete(actor=key_worker, assessment=completed)
    open_round = assessment_start(actor=key_worker, client=client)
    return World(viewer, client, completed, open_round)


def _api(viewer: Membership) -> APIClient:
    """A program holding a token of `viewer` (behind two factors, as every token is made)."""
    if not is_mfa_enabled(viewer.user, ["totp"]):
        enable_totp(viewer.user)
    _token, key = core_services.api_token_create(actor=viewer, name="matrix")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


CELLS = list(itertools.product(sorted(READS), RELATIONS, CONSENTS))


def page_statuses(role: str, relation: str, consent: str) -> tuple[int, int]:
    """The tab's status and the completed version's page's status."""
    if not READS[role]:
        return 403, 403  # not a role that works with clients at all
    if not reads(role, relation, consent, "identity"):
        return 404, 404
    return 200, 200 if reads(role, relation, consent, "employment") else 404


def expected_log(role: str, relation: str, consent: str) -> Counter[tuple[str, str]]:
    """(category, action) rows the two pages and the two API calls leave: one row per page
    and category shown (a page that is refused leaves none)."""
    categories = {DOMAINS[d] for d in visible_domains(role, relation, consent)}
    tab, detail = page_statuses(role, relation, consent)
    rounds = {"employment"} if detail == 200 else set()  # the versions, when readable
    rows: Counter[tuple[str, str]] = Counter()
    for status, shown in ((tab, rounds), (detail, rounds | categories)):
        if status == 200:
            rows[("identity", "view")] += 1
            for category in shown:
                rows[(category, "view")] += 1
    if detail == 200:
        for category in {"employment", *categories}:
            rows[(category, "api")] += 1  # the round with its entries
    for category in categories:
        rows[(category, "api")] += 1  # the list of entries
    return rows


@pytest.mark.parametrize(("role", "relation", "consent"), CELLS)
def test_the_entries_each_member_sees_and_the_log_they_leave(
    role: str,
    relation: str,
    consent: str,
    login: Callable[..., HttpClient],
) -> None:
    w = build_world(role, relation, consent)
    expected = visible_domains(role, relation, consent)
    base = f"/clients/{w.client.pk}/assessments/"
    http = login(w.viewer)

    # The user interface: the tab, and the completed version's page with its domain rows.
    tab = http.get(base)
    detail = http.get(f"{base}{w.completed.pk}/")
    assert (tab.status_code, detail.status_code) == page_statuses(role, relation, consent)
    if detail.status_code == 200:
        assert [e.domain for e in detail.context["round"].entries] == expected
        text = detail.content.decode()
        assert {d for d in DOMAINS if f'data-domain="{d}"' in text} == set(expected)

    # The API: the completed round with its entries, and the list of entries.
    api = _api(w.viewer)
    round_response = api.get(f"/api/v1/assessments/{w.completed.pk}/")
    entries_response = api.get("/api/v1/assessment-entries/", {"client": str(w.client.pk)})
    if detail.status_code == 200:
        assert round_response.status_code == 200
        assert [e["domain"] for e in round_response.json()["entries"]] == expected
    else:
        assert round_response.status_code == 404
    assert entries_response.status_code == 200
    assert sorted(e["domain"] for e in entries_response.json()["results"]) == sorted(expected)

    # The access log: exactly the reads that happened.
    logged = Counter(
        AccessLogEntry.objects.filter(membership=w.viewer, client_id=w.client.pk).values_list(
            "category", "action"
        )
    )
    assert logged == expected_log(role, relation, consent)


WRITE_CELLS = [
    (role, relation, consent)
    for role, relation, consent in CELLS
    if READS[role] and consent in {"none", "all"}
]


@pytest.mark.parametrize(("role", "relation", "consent"), WRITE_CELLS)
def test_who_may_assess_which_domain(role: str, relation: str, consent: str) -> None:
    w = build_world(role, relation, consent)
    allowed = []
    for domain in DOMAINS:
        try:
            entry_save(actor=w.viewer, assessment=w.open_round, domain=domain, need=1)
        except PermissionDenied:
            continue
        allowed.append(domain)
    assert allowed == writable_domains(role, relation, consent)
    assert DomainEntry.objects.filter(assessment=w.open_round).count() == len(allowed)
