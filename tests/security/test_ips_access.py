"""IPS work with the client under the access policy.

The expectation of every cell is restated here from docs/access-policy.md, independently of
polku.core.roles and polku.core.access: a role reads a category only if the policy's table lists
it, and then when its organisation recorded the record and it is on the care team (or is a
coordinator), or when a consent valid today shares the category with its organisation. IPS
records are employment data; benefits counselling is benefits data.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from polku.clients.models import Client
from polku.core.models import AccessLogEntry, Membership
from polku.ips.models import BenefitsCounselling, IpsCase, JobPlacement
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    EmployerFactory,
    EpisodeFactory,
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
    "benefits_counsellor": BASIC | {"benefits"},
    "employer_liaison": BASIC | {"education"},
    "health_professional": BASIC | {"health"},
    "programme_manager": set(),
    "auditor": set(),
}
CLIENT_WORK = {r for r, categories in READS.items() if categories}
RELATIONS = ["own_team", "own_org", "other_org"]
# What the client shares with the viewer's organisation.
CONSENTS: dict[str, set[str]] = {
    "none": set(),
    "basic": {"identity", "employment"},
    "with_benefits": {"identity", "employment", "benefits"},
    "benefits_withdrawn": {"identity", "employment", "benefits"},
}


def reads(role: str, relation: str, consent: str, category: str) -> bool:
    if category not in READS[role]:
        return False
    own = relation == "own_team" or (relation == "own_org" and role == "coordinator")
    # A withdrawn consent shares nothing; in that world a later one shares the basic categories.
    in_force = CONSENTS["basic"] if consent == "benefits_withdrawn" else CONSENTS[consent]
    return own or category in in_force


@dataclass
class World:
    client: Client
    viewer: Membership
    case: IpsCase
    placement: JobPlacement
    counselling: BenefitsCounselling


def build(role: str, relation: str, consent: str) -> World:
    """A client of the city with an IPS case, a job and benefits counselling, all recorded by
    the city; the viewer as `relation` says."""
    city = OrganisationFactory(name="City")
    client = ClientFactory(recorded_by=city)
    coach = MembershipFactory(organisation=city, role="employment_specialist")
    viewer_org = city if relation != "other_org" else OrganisationFactory()
    viewer = MembershipFactory(organisation=viewer_org, role=role)
    if relation in {"own_team", "other_org"} and role in CLIENT_WORK:
        CareTeamMemberFactory(client=client, membership=viewer)
    if CONSENTS[consent]:
        given = ConsentFactory(
            client=client, organisations=[viewer_org], categories=sorted(CONSENTS[consent])
        )
        if consent == "benefits_withdrawn":
            given.withdrawn_at = timezone.now()
            given.save()
            ConsentFactory(
                client=client, organisations=[viewer_org], categories=sorted(CONSENTS["basic"])
            )
    today = timezone.localdate()
    record = {"client": client, "recorded_by": city, "created_by": coach}
    episode = EpisodeFactory(client=client)
    case = IpsCase.objects.create(
        **record, episode=episode, specialist=coach, start_date=episode.start_date
    )
    placement = JobPlacement.objects.create(
        **record,
        case=case,
        employer=EmployerFactory(),
        specialist=coach,
        job_title="Myyjä",
        isco_code="522",
        competitive=True,
        start_date=today - dt.timedelta(days=20),
        hours_per_week=Decimal(30),
    )
    counselling = BenefitsCounselling.objects.create(
        **record, date=today, counsellor=coach, topics=["taxation"], notes="benefit notes"
    )
    return World(client, viewer, case, placement, counselling)


def _reads(viewer: Membership) -> list[tuple[str, str]]:
    return sorted((e.category, e.action) for e in AccessLogEntry.objects.filter(membership=viewer))


CELLS = list(itertools.product(READS, RELATIONS, CONSENTS))


@pytest.mark.parametrize(("role", "relation", "consent"), CELLS)
def test_job_coaching_shows_exactly_what_the_policy_allows(
    role: str, relation: str, consent: str, login: Login
) -> None:
    world = build(role, relation, consent)
    client, viewer = world.client, world.viewer
    sees_client = reads(role, relation, consent, "identity")
    sees_work = sees_client and reads(role, relation, consent, "employment")
    sees_benefits = sees_client and reads(role, relation, consent, "benefits")

    tab = login(viewer).get(f"/ips/clients/{client.pk}/")
    if role not in CLIENT_WORK:
        assert tab.status_code == 403
    else:
        assert tab.status_code == (200 if sees_client else 404)
    if tab.status_code == 200:
        body = tab.content.decode()
        page = tab.context["page"]
        assert (page.case is not None) is sees_work
        assert (f'id="job-{world.placement.pk}"' in body) is sees_work
        assert ("benefit notes" in body) is sees_benefits
        assert (page.counselling is not None) is ("benefits" in READS[role])

    api = _api(viewer)
    jobs = api.get("/api/v1/placements/", {"client": str(client.pk)})
    assert jobs.status_code == 200
    assert (str(world.placement.pk) in {r["id"] for r in jobs.json()["results"]}) is sees_work
    detail = api.get(f"/api/v1/ips-cases/{world.case.pk}/")
    assert detail.status_code == (200 if sees_work else 404)
    counselled = api.get("/api/v1/benefits-counselling/", {"client": str(client.pk)})
    assert counselled.json()["count"] == (1 if sees_benefits else 0)

    # The access log holds exactly the reads made, and nothing that was not shown.
    shown_on_tab = tab.status_code == 200
    expected = (
        [("identity", "view")] * shown_on_tab
        + [("employment", "view")] * (shown_on_tab and sees_work)
        + [("benefits", "view")] * (shown_on_tab and sees_benefits)
        + [("employment", "api")] * (2 if sees_work else 0)
        + [("benefits", "api")] * sees_benefits
    )
    assert _reads(viewer) == sorted(expected)
    assert set(
        AccessLogEntry.objects.filter(membership=viewer).values_list("client_id", flat=True)
    ) <= {client.pk}


@pytest.mark.parametrize(("role", "relation", "consent"), CELLS)
def test_only_the_recording_organisation_corrects_a_job(
    role: str, relation: str, consent: str, login: Login
) -> None:
    # The city recorded the job: those of its people who may work on the client (on the care
    # team, or a coordinator) correct it, by page and PATCH; others who read it (by a consent,
    # or another organisation) are refused; to the rest it is not there.
    world = build(role, relation, consent)
    sees_work = reads(role, relation, consent, "identity") and reads(
        role, relation, consent, "employment"
    )
    works_on = relation == "own_team" or (relation == "own_org" and role == "coordinator")
    corrects = sees_work and works_on
    page = login(world.viewer).get(
        f"/ips/clients/{world.client.pk}/jobs/{world.placement.pk}/edit/"
    )
    if role not in CLIENT_WORK:
        assert page.status_code == 403
    else:
        assert page.status_code == (200 if corrects else 403 if sees_work else 404)
    patched = _api(world.viewer).patch(
        f"/api/v1/placements/{world.placement.pk}/", {"hours_per_week": "32.0"}, format="json"
    )
    assert patched.status_code == (200 if corrects else 403 if sees_work else 404)
    world.placement.refresh_from_db()
    assert (world.placement.hours_per_week == Decimal(32)) is corrects


def test_a_benefits_counsellor_on_the_team_reads_the_counselling(login: Login) -> None:
    world = build("benefits_counsellor", "own_team", "none")
    page = login(world.viewer).get(f"/ips/clients/{world.client.pk}/").context["page"]
    assert [c.pk for c in page.counselling] == [world.counselling.pk]


def test_an_employer_liaison_never_reads_benefits_even_with_consent(login: Login) -> None:
    world = build("employer_liaison", "other_org", "with_benefits")
    page = login(world.viewer).get(f"/ips/clients/{world.client.pk}/").context["page"]
    assert page.counselling is None
    assert page.case == world.case
    assert ("benefits", "view") not in _reads(world.viewer)


def test_a_health_professional_reads_employment_by_the_rule_only(login: Login) -> None:
    on_team = build("health_professional", "own_team", "none")
    assert (
        login(on_team.viewer).get(f"/ips/clients/{on_team.client.pk}/").context["page"].case
        == on_team.case
    )
    off_team = build("health_professional", "own_org", "none")
    assert login(off_team.viewer).get(f"/ips/clients/{off_team.client.pk}/").status_code == 404


def test_withdrawing_the_consent_cuts_access_on_the_next_request(login: Login) -> None:
    world = build("employment_specialist", "other_org", "with_benefits")
    http = login(world.viewer)
    url = f"/ips/clients/{world.client.pk}/"
    assert http.get(url).context["page"].counselling == [world.counselling]
    world.client.consents.update(withdrawn_at=timezone.now())
    assert http.get(url).status_code == 404
    ConsentFactory(
        client=world.client,
        organisations=[world.viewer.organisation],
        categories=["identity", "employment"],
    )
    page = http.get(url).context["page"]
    assert (page.case, page.counselling) == (world.case, [])


def test_another_organisation_writes_only_with_consent_and_a_place_on_the_team(
    login: Login,
) -> None:
    world = build("employment_specialist", "other_org", "basic")
    http = login(world.viewer)
    assert http.get(f"/ips/clients/{world.client.pk}/jobs/new/").status_code == 200
    # Its own counselling records are its own organisation's data: a role that reads
    # benefits data may record them, though the city's are not shared with it.
    assert http.get(f"/ips/clients/{world.client.pk}/counselling/new/").status_code == 200
    world.client.care_team.filter(membership=world.viewer).update(removed_at=timezone.now())
    assert http.get(f"/ips/clients/{world.client.pk}/jobs/new/").status_code == 403
