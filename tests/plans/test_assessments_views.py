"""The joint assessment's pages: the flow of one assessment by several professionals, what each
sees, the forms and their errors, the access log each page leaves, and constant queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from polku.clients.models import Client
from polku.core import services as core_services
from polku.core.models import AccessLogEntry, Membership, Organisation
from polku.core.roles import Role
from polku.plans.models import Assessment, AssessmentStatus, DomainEntry
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
Login = Callable[..., HttpClient]


def _url(client: Client, *parts: object) -> str:
    return "/".join([f"/clients/{client.pk}/assessments", *map(str, parts)]) + "/"


def _logged(membership: Membership) -> list[tuple[str, str, str]]:
    return sorted(
        (str(e.client_id), e.category, e.action)
        for e in AccessLogEntry.objects.filter(membership=membership)
    )


def _api(membership: Membership) -> APIClient:
    if not is_mfa_enabled(membership.user, ["totp"]):
        enable_totp(membership.user)
    _token, key = core_services.api_token_create(actor=membership, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def _on_team(organisation: Organisation, role: str, client: Client) -> Membership:
    membership = MembershipFactory(organisation=organisation, role=role)
    CareTeamMemberFactory(client=client, membership=membership)
    return membership


def test_a_coordinator_makes_an_assessment_with_a_social_worker_and_a_health_professional(
    login: Login,
) -> None:
    """The issue's done-when, through the pages and the API."""
    city, clinic, other_clinic = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    client = ClientFactory(recorded_by=city)
    coordinator = MembershipFactory(organisation=city, role=Role.COORDINATOR)
    CareTeamMemberFactory(client=client, membership=coordinator, is_key_worker=True)
    social_worker = _on_team(city, Role.SOCIAL_WORKER, client)
    ConsentFactory(
        client=client, organisations=[clinic], categories=["identity", "employment", "health"]
    )
    nurse = _on_team(clinic, Role.HEALTH_PROFESSIONAL, client)
    # A health professional whose organisation the client shares no health data with.
    ConsentFactory(
        client=client, organisations=[other_clinic], categories=["identity", "employment"]
    )
    no_consent = _on_team(other_clinic, Role.HEALTH_PROFESSIONAL, client)

    http = login(coordinator)
    response = http.post(_url(client, "new"), {"assessed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assessment = Assessment.objects.get(client=client)
    http.post(_url(client, assessment.pk, "domains", "work"), {"need": "2", "strengths": "Drive"})
    login(social_worker, HttpClient()).post(
        _url(client, assessment.pk, "domains", "housing"), {"need": "3", "barriers": "Arrears"}
    )
    nurse_http = login(nurse, HttpClient())
    nurse_http.post(
        _url(client, assessment.pk, "domains", "mental_health"), {"need": "1", "notes": "Stable"}
    )
    assert http.post(_url(client, assessment.pk, "complete")).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    assert sorted(DomainEntry.objects.values_list("domain", "recorded_by", "created_by")) == sorted(
        [
            ("housing", city.pk, social_worker.pk),
            ("mental_health", clinic.pk, nurse.pk),
            ("work", city.pk, coordinator.pk),
        ]
    )

    AccessLogEntry.objects.all().delete()
    page = login(no_consent, HttpClient()).get(_url(client))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Work and career" in text
    assert "Mental health" not in text
    assert "Stable" not in text
    assert "Some life domains may be hidden from you by the access policy" in text
    api = _api(no_consent)
    detail = api.get(f"/api/v1/assessments/{assessment.pk}/").json()
    assert [e["domain"] for e in detail["entries"]] == ["work"]
    entries = api.get("/api/v1/assessment-entries/", {"client": str(client.pk)}).json()
    assert [e["domain"] for e in entries["results"]] == ["work"]
    cid = str(client.pk)
    # Every read that happened, and nothing else: the page (identity; the round and the work
    # entry, both employment data: one row), the API detail and the entry list (one each).
    assert _logged(no_consent) == [
        (cid, "employment", "api"),
        (cid, "employment", "api"),
        (cid, "employment", "view"),
        (cid, "identity", "view"),
    ]
    # The nurse who recorded it sees the mental-health entry, and her read is logged as health.
    nurse_page = nurse_http.get(_url(client)).content.decode()
    assert "Stable" in nurse_page
    assert (cid, "health", "view") in _logged(nurse)


@pytest.fixture
def coordinator() -> Membership:
    return MembershipFactory(role=Role.COORDINATOR)


@pytest.fixture
def person(coordinator: Membership) -> Client:
    return ClientFactory(recorded_by=coordinator.organisation)


def _completed(actor: Membership, person: Client, needs: dict[str, int]) -> Assessment:
    assessment = assessment_start(actor=actor, client=person)
    for domain, need in needs.items():
        entry_save(actor=actor, assessment=assessment, domain=domain, need=need)
    return assessment_complete(actor=actor, assessment=assessment)


def test_the_tab_shows_need_as_number_and_words_and_the_change_in_words(
    coordinator: Membership, person: Client, login: Login
) -> None:
    _completed(coordinator, person, {"work": 3, "housing": 1, "legal": 2})
    _completed(coordinator, person, {"work": 1, "housing": 2, "legal": 2, "language": 0})
    text = login(coordinator).get(_url(person)).content.decode()
    assert "1 – some need" in text
    assert "Need decreased by 2 steps" in text
    assert "Need increased by 1 step" in text
    assert "No change" in text
    assert "No earlier assessment to compare with" in text
    assert 'aria-current="page"' in text
    assert "Change in need from version 1 to version 2" in text


def test_an_open_round_offers_the_domains_the_viewer_may_assess(
    coordinator: Membership, person: Client, login: Login
) -> None:
    benefits = _on_team(coordinator.organisation, Role.BENEFITS_COUNSELLOR, person)
    assessment = assessment_start(actor=coordinator, client=person)
    entry_save(actor=coordinator, assessment=assessment, domain="work", need=1)
    page = login(benefits).get(_url(person))
    assert page.context["domains_to_add"] == [("finances", "Finances and debt")]
    # The round was opened by their own organisation, so they may complete it too.
    assert page.context["can_complete"] is True
    text = page.content.decode()
    assert _url(person, assessment.pk, "domains", "finances") in text
    # The coordinator's work entry is their organisation's, so a colleague may correct it.
    assert _url(person, assessment.pk, "domains", "work") in text


def test_no_edit_link_for_an_entry_of_another_organisation(
    coordinator: Membership, person: Client, login: Login
) -> None:
    partner = OrganisationFactory()
    ConsentFactory(client=person, organisations=[partner], categories=["identity", "employment"])
    coach = _on_team(partner, Role.EMPLOYMENT_SPECIALIST, person)
    assessment = assessment_start(actor=coordinator, client=person)
    entry_save(actor=coordinator, assessment=assessment, domain="work", need=1)
    text = login(coach).get(_url(person)).content.decode()
    assert "Work and career" in text
    assert _url(person, assessment.pk, "domains", "work") not in text
    response = login(coach).post(_url(person, assessment.pk, "domains", "work"), {"need": "3"})
    assert response.status_code == 200
    assert "Another organisation has already assessed this domain" in response.content.decode()
    assert DomainEntry.objects.get().need == 1


def test_the_entry_form_shows_field_errors_linked_to_their_inputs(
    coordinator: Membership, person: Client, login: Login
) -> None:
    assessment = assessment_start(actor=coordinator, client=person)
    response = login(coordinator).post(_url(person, assessment.pk, "domains", "housing"), {})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Please correct the errors below." in text
    assert 'aria-describedby="id_need_helptext id_need_error"' in text
    assert DomainEntry.objects.count() == 0


def test_the_entry_form_corrects_the_organisations_own_entry(
    coordinator: Membership, person: Client, login: Login
) -> None:
    assessment = assessment_start(actor=coordinator, client=person)
    entry_save(actor=coordinator, assessment=assessment, domain="housing", need=1, notes="Old")
    http = login(coordinator)
    form_page = http.get(_url(person, assessment.pk, "domains", "housing"))
    assert form_page.context["form"].initial["notes"] == "Old"
    http.post(_url(person, assessment.pk, "domains", "housing"), {"need": "2", "notes": "New"})
    assert DomainEntry.objects.values_list("need", "notes").get() == (2, "New")


def test_a_domain_outside_the_role_is_refused_and_an_unknown_one_is_not_found(
    coordinator: Membership, person: Client, login: Login
) -> None:
    social_worker = _on_team(coordinator.organisation, Role.SOCIAL_WORKER, person)
    assessment = assessment_start(actor=coordinator, client=person)
    http = login(social_worker)
    assert http.get(_url(person, assessment.pk, "domains", "physical_health")).status_code == 403
    assert (
        http.post(
            _url(person, assessment.pk, "domains", "physical_health"), {"need": "1"}
        ).status_code
        == 403
    )
    assert http.get(_url(person, assessment.pk, "domains", "astrology")).status_code == 404
    assert DomainEntry.objects.count() == 0


def test_a_completed_round_cannot_be_edited_through_the_form(
    coordinator: Membership, person: Client, login: Login
) -> None:
    assessment = _completed(coordinator, person, {"work": 1})
    response = login(coordinator).get(_url(person, assessment.pk, "domains", "work"))
    assert response.status_code == 302
    assert response["Location"] == _url(person, assessment.pk)


def test_starting_while_a_round_is_open_says_why(
    coordinator: Membership, person: Client, login: Login
) -> None:
    assessment_start(actor=coordinator, client=person)
    response = login(coordinator).post(
        _url(person, "new"), {"assessed_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert "already has an open assessment" in response.content.decode()
    assert Assessment.objects.count() == 1


def test_completing_an_empty_round_says_why(
    coordinator: Membership, person: Client, login: Login
) -> None:
    assessment = assessment_start(actor=coordinator, client=person)
    response = login(coordinator).post(_url(person, assessment.pk, "complete"), follow=True)
    assert "Assess at least one life domain before completing." in response.content.decode()
    assert Assessment.objects.get().status == AssessmentStatus.OPEN


def test_an_older_version_has_its_own_page(
    coordinator: Membership, person: Client, login: Login
) -> None:
    first = _completed(coordinator, person, {"work": 3})
    _completed(coordinator, person, {"work": 1})
    page = login(coordinator).get(_url(person, first.pk))
    assert page.status_code == 200
    assert page.context["round"].assessment == first
    assert "3 – urgent need" in page.content.decode()


def test_the_work_capacity_page_shows_the_latest_completed_round(
    coordinator: Membership, person: Client, login: Login
) -> None:
    _completed(coordinator, person, {"work": 3, "mental_health": 2})
    assessment_start(actor=coordinator, client=person)
    response = login(coordinator).get(f"/clients/{person.pk}/work-capacity/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "3 – urgent need" in text
    assert "Version 2 is open for contributions." in text
    assert "No questionnaire scores yet." in text
    cid = str(person.pk)
    assert _logged(coordinator) == [
        (cid, "employment", "view"),
        (cid, "health", "view"),
        (cid, "identity", "view"),
    ]


@pytest.mark.parametrize("suffix", ["", "new/", "{a}/", "{a}/domains/work/", "{a}/complete/"])
def test_an_invisible_client_or_round_is_not_found_and_leaves_no_log(
    coordinator: Membership, person: Client, login: Login, suffix: str
) -> None:
    assessment = assessment_start(actor=coordinator, client=person)
    stranger = MembershipFactory(role=Role.COORDINATOR)
    url = _url(person) + suffix.format(a=assessment.pk)
    assert login(stranger).get(url).status_code == 404
    assert _logged(stranger) == []
    # Another client's round under this client's address is not found either.
    other = ClientFactory(recorded_by=coordinator.organisation)
    if "{a}" in suffix:
        assert (
            login(coordinator).get(_url(other) + suffix.format(a=assessment.pk)).status_code == 404
        )


def test_the_tab_writes_one_log_insert_and_a_constant_number_of_queries(
    coordinator: Membership, person: Client, login: Login, django_assert_max_num_queries: Any
) -> None:
    http = login(coordinator)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            assert http.get(_url(person)).status_code == 200
        inserts = [
            q
            for q in captured.captured_queries
            if q["sql"].upper().startswith('INSERT INTO "CORE_ACCESSLOGENTRY"')
        ]
        return len(captured.captured_queries), len(inserts)

    _completed(coordinator, person, {"work": 1})
    small, inserts = queries()
    assert inserts == 1
    for _ in range(3):
        _completed(coordinator, person, dict.fromkeys(["work", "housing", "legal", "finances"], 2))
    assert queries() == (small, 1)
