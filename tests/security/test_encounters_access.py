"""Encounters and the client timeline under the access policy.

Issue 4's done-when: a professional without consent for health data sees no health encounters
and no health items on the timeline; the client's access log shows every read.

The expectation of every cell is restated here from docs/access-policy.md, independently of
polku.core.roles and polku.core.access: a role reads a category only if the policy's table lists
it, and then when its organisation recorded the record and it is on the care team (or is a
coordinator), or when a consent valid today shares the category with its organisation. An
encounter is read as its own category; a timeline item as its record's category.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from rest_framework.test import APIClient

from polku.clients.models import Client
from polku.core.models import AccessLogEntry, Membership, Organisation
from polku.plans.models import Assessment, AssessmentStatus, DomainEntry, Encounter
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.plans.test_encounters_api import _api

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]

BASIC = {"identity", "contact", "employment"}
READS: dict[str, set[str]] = {
    "coordinator": BASIC | {"education", "benefits", "social", "health"},
    "employment_specialist": BASIC | {"education", "benefits"},
    "social_worker": BASIC | {"education", "benefits", "social"},
    "health_professional": BASIC | {"health"},
    "auditor": set(),
}
CLIENT_WORK = {"coordinator", "employment_specialist", "social_worker", "health_professional"}
RELATIONS = ["own_team", "own_org", "other_org"]
# What the client shares with the viewer's organisation.
CONSENTS: dict[str, set[str]] = {
    "none": set(),
    "basic": {"identity", "employment"},
    "with_health": {"identity", "employment", "health"},
    "health_withdrawn": {"identity", "employment", "health"},
}


def reads(role: str, relation: str, consent: str, category: str) -> bool:
    if category not in READS[role]:
        return False
    own = relation == "own_team" or (relation == "own_org" and role == "coordinator")
    # A withdrawn consent shares nothing; in that world a later one shares the basic categories.
    in_force = {"identity", "employment"} if consent == "health_withdrawn" else CONSENTS[consent]
    return own or category in in_force


@dataclass
class World:
    client: Client
    viewer: Membership
    health_encounter: Encounter
    work_encounter: Encounter
    health_entry: DomainEntry


def build(role: str, relation: str, consent: str) -> World:
    """A client of the city with a health and an employment encounter and a mental-health
    assessment entry, all recorded by the city; the viewer as `relation` says."""
    city = OrganisationFactory(name="City")
    client = ClientFactory(recorded_by=city)
    viewer_org: Organisation = city if relation != "other_org" else OrganisationFactory()
    viewer = MembershipFactory(organisation=viewer_org, role=role)
    if relation in {"own_team", "other_org"} and role in CLIENT_WORK:
        CareTeamMemberFactory(client=client, membership=viewer)
    if CONSENTS[consent]:
        given = ConsentFactory(
            client=client, organisations=[viewer_org], categories=sorted(CONSENTS[consent])
        )
        if consent == "health_withdrawn":
            given.withdrawn_at = timezone.now()
            given.save()
            # A later consent shares the basic categories only.
            ConsentFactory(
                client=client, organisations=[viewer_org], categories=["identity", "employment"]
            )

    def encounter(category: str, hours: int) -> Encounter:
        return Encounter.objects.create(
            client=client,
            kind="meeting",
            category=category,
            started_at=timezone.now() - dt.timedelta(hours=hours),
            duration_minutes=30,
            notes=f"{category} notes",
            recorded_by=city,
        )

    assessment = Assessment.objects.create(
        client=client,
        version=1,
        assessed_on=timezone.localdate() - dt.timedelta(days=3),
        status=AssessmentStatus.COMPLETED,
        recorded_by=city,
    )
    entry = DomainEntry.objects.create(
        assessment=assessment,
        client=client,
        domain="mental_health",
        category="health",
        need=3,
        recorded_by=city,
    )
    return World(client, viewer, encounter("health", 2), encounter("employment", 5), entry)


def _logged(viewer: Membership) -> set[str]:
    return set(AccessLogEntry.objects.filter(membership=viewer).values_list("category", flat=True))


CELLS = list(itertools.product(READS, RELATIONS, CONSENTS))


@pytest.mark.parametrize(("role", "relation", "consent"), CELLS)
def test_encounters_and_timeline_show_exactly_what_the_policy_allows(
    role: str, relation: str, consent: str, login: Login
) -> None:
    world = build(role, relation, consent)
    client, viewer = world.client, world.viewer
    sees_client = reads(role, relation, consent, "identity")
    sees_health = sees_client and reads(role, relation, consent, "health")
    sees_work = sees_client and reads(role, relation, consent, "employment")
    health_ids = {str(world.health_encounter.pk), str(world.health_entry.pk)}
    expected_pages = 200 if sees_client else 404

    http = login(viewer)
    tab = http.get(f"/clients/{client.pk}/encounters/")
    timeline = http.get(f"/clients/{client.pk}/timeline/")
    if role not in CLIENT_WORK:
        assert (tab.status_code, timeline.status_code) == (403, 403)
    else:
        assert (tab.status_code, timeline.status_code) == (expected_pages, expected_pages)
    if tab.status_code == 200:
        body = tab.content.decode()
        assert (f'id="encounter-{world.health_encounter.pk}"' in body) is sees_health
        assert (f'id="encounter-{world.work_encounter.pk}"' in body) is sees_work
        assert ("health notes" in body) is sees_health
        items = timeline.context["page"].items
        assert (health_ids <= {i.record_id for i in items}) is sees_health
        assert ("health" in {i.category for i in items}) is sees_health
        edit = http.get(f"/clients/{client.pk}/encounters/{world.health_encounter.pk}/edit/")
        # Invisible answers exactly like missing; visible to a reader of another organisation
        # is refused (403), since only the recording organisation corrects.
        if not sees_health:
            assert edit.status_code == 404

    api: APIClient = _api(viewer)
    listed = api.get("/api/v1/encounters/", {"client": str(client.pk)})
    assert listed.status_code == 200
    rows = {row["id"]: row["category"] for row in listed.json()["results"]}
    assert (str(world.health_encounter.pk) in rows) is sees_health
    assert (str(world.work_encounter.pk) in rows) is sees_work
    detail = api.get(f"/api/v1/encounters/{world.health_encounter.pk}/")
    assert detail.status_code == (200 if sees_health else 404)
    api_timeline = api.get("/api/v1/timeline/", {"client": str(client.pk)})
    assert api_timeline.status_code == (200 if sees_client else 404)
    if sees_client:
        results = api_timeline.json()["results"]
        assert ("health" in {r["category"] for r in results}) is sees_health

    # Every read is in the client's access log, and nothing that was not shown.
    logged = _logged(viewer)
    assert ("health" in logged) is sees_health
    assert ("employment" in logged) is sees_work
    assert ("identity" in logged) is (sees_client and role in CLIENT_WORK)
    assert set(
        AccessLogEntry.objects.filter(membership=viewer).values_list("client_id", flat=True)
    ) <= {client.pk}


def test_done_when_health_needs_the_consent_and_every_read_is_logged(login: Login) -> None:
    """A health professional of another organisation on the care team: with a consent for
    identity and employment only, no health encounter and no health item; once the client
    consents to share health data too, both appear; each page view is a new log row."""
    world = build("health_professional", "other_org", "basic")
    client, nurse = world.client, world.viewer
    http = login(nurse)

    def health_shown() -> tuple[bool, bool]:
        tab = http.get(f"/clients/{client.pk}/encounters/").content.decode()
        items = http.get(f"/clients/{client.pk}/timeline/").context["page"].items
        return (
            f'id="encounter-{world.health_encounter.pk}"' in tab,
            any(item.category == "health" for item in items),
        )

    assert health_shown() == (False, False)
    reads_before = AccessLogEntry.objects.filter(membership=nurse, client_id=client.pk).count()
    # Two pages, each logging identity and employment (the employment encounter and items).
    assert reads_before == 4
    ConsentFactory(client=client, organisations=[nurse.organisation], categories=["health"])
    assert health_shown() == (True, True)
    rows = list(
        AccessLogEntry.objects.filter(membership=nurse, client_id=client.pk)
        .order_by("seq")
        .values_list("category", "action")
    )
    # The encounters tab and the timeline: each identity, employment and now health.
    assert sorted(rows[reads_before:]) == sorted(
        [("identity", "view"), ("employment", "view"), ("health", "view")] * 2
    )
    # The client's own view of the log (the portal) reads these same rows: who, as which
    # membership, which category, when.
    assert {row.organisation_id for row in AccessLogEntry.objects.filter(client_id=client.pk)} == {
        nurse.organisation_id
    }


def test_withdrawing_the_health_consent_hides_health_on_the_next_request(login: Login) -> None:
    world = build("health_professional", "other_org", "with_health")
    http = login(world.viewer)
    url = f"/clients/{world.client.pk}/timeline/"
    assert "health" in {i.category for i in http.get(url).context["page"].items}
    world.client.consents.update(withdrawn_at=timezone.now())
    assert http.get(url).status_code == 404  # the identity went with it
    ConsentFactory(
        client=world.client,
        organisations=[world.viewer.organisation],
        categories=["identity", "employment"],
    )
    assert "health" not in {i.category for i in http.get(url).context["page"].items}
