"""The REST API under /api/v1/, as a program holding a token (or a signed-in browser) uses it.

Covers authentication, problem documents, pagination, each resource's reads and writes, that
every read lands in the read-access log (one insert per page), and that every write is
attributed to the token's user in the change audit.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.utils import is_mfa_enabled
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from polku.clients.models import CareTeamMember, Client, Consent, Episode, Municipality
from polku.core import roles
from polku.core import services as core_services
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, AccessLogEntry, ApiToken, Membership
from polku.core.roles import Role
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    EpisodeFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    enable_totp,
)

pytestmark = pytest.mark.django_db
C = DataCategory

SEARCH = "/api/v1/clients/search/"
# A valid henkilötunnus (IDENTIFIERS.md's example): born 13 October 1952.
HETU = "131052-308T"
PROBLEM_KEYS = {"type", "title", "status", "detail"}


def api_for(membership: Membership) -> APIClient:
    """A client program holding a fresh token of `membership` (whose user, where the role
    requires it, has an authenticator app, as the token could not be created otherwise)."""
    if membership.role in roles.mfa_required_roles() and not is_mfa_enabled(
        membership.user, ["totp"]
    ):
        enable_totp(membership.user)
    _token, key = core_services.api_token_create(actor=membership, name="integration")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def problem_of(response: Any, status: int) -> dict[str, Any]:
    """The problem document of `response`, after checking its status and media type."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    return body


def ids(response: Any) -> list[Any]:
    """The ids of a list response's rows, in order."""
    return [row["id"] for row in response.json()["results"]]


def logged() -> list[tuple[str, str]]:
    """The read-access log as (client id, category), oldest first."""
    return [
        (str(client_id), category)
        for client_id, category in AccessLogEntry.objects.order_by("seq").values_list(
            "client_id", "category"
        )
    ]


def bulk_clients(organisation: Any, count: int) -> list[Client]:
    """`count` clients in one insert: a list large enough to fill the biggest page."""
    return Client.objects.bulk_create(
        ClientFactory.build(recorded_by=organisation) for _ in range(count)
    )


def register_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "first_name": "Aino",
        "last_name": "Mäkelä",
        "gender": "woman",
        "identity_code_type": "fi_hetu",
        "identity_code": HETU,
        "phone": "040 765 4321",
    } | overrides


@pytest.fixture
def coordinator() -> Membership:
    """A coordinator: sees every client their organisation recorded; like every coordinator,
    has an authenticator app (the role reads health and social data)."""
    membership = MembershipFactory(role=Role.COORDINATOR)
    enable_totp(membership.user)
    return membership


@pytest.fixture
def api(coordinator: Membership) -> APIClient:
    return api_for(coordinator)


def test_a_request_without_credentials_is_refused_with_a_401_problem() -> None:
    response = APIClient().get("/api/v1/clients/")
    assert problem_of(response, 401) == {
        "type": "urn:polku:problem:not-authenticated",
        "title": "Not signed in",
        "status": 401,
        "detail": "Authentication credentials were not provided.",
    }
    assert response["WWW-Authenticate"] == 'Bearer realm="polku"'


def test_a_bearer_token_acts_as_the_membership_it_was_created_for() -> None:
    own = MembershipFactory(role=Role.COORDINATOR)
    elsewhere = MembershipFactory(user=own.user, role=Role.COORDINATOR)
    ours = ClientFactory(recorded_by=own.organisation)
    ClientFactory(recorded_by=elsewhere.organisation)

    response = api_for(own).get("/api/v1/clients/")

    assert response.status_code == 200
    assert ids(response) == [str(ours.pk)]
    entry = AccessLogEntry.objects.get()
    assert (entry.user_id, entry.membership_id, entry.organisation_id, entry.role) == (
        own.user_id,
        own.pk,
        own.organisation_id,
        Role.COORDINATOR,
    )


def test_a_revoked_token_is_refused(coordinator: Membership) -> None:
    token, key = core_services.api_token_create(actor=coordinator, name="integration")
    core_services.api_token_revoke(actor=coordinator, token=token)
    response = APIClient().get("/api/v1/clients/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert problem_of(response, 401)["detail"] == "Invalid, expired or revoked token."


def test_an_expired_token_is_refused(coordinator: Membership) -> None:
    token, key = core_services.api_token_create(actor=coordinator, name="integration")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    response = APIClient().get("/api/v1/clients/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert problem_of(response, 401)["detail"] == "Invalid, expired or revoked token."


def test_the_token_of_an_ended_membership_is_refused(coordinator: Membership) -> None:
    _token, key = core_services.api_token_create(actor=coordinator, name="integration")
    Membership.objects.filter(pk=coordinator.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    response = APIClient().get("/api/v1/clients/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert problem_of(response, 401)["detail"] == "Invalid, expired or revoked token."


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Bearer pk_not-a-token", "Invalid, expired or revoked token."),
        ("Bearer", "Malformed Authorization header."),
        ("Bearer two words", "Malformed Authorization header."),
    ],
)
def test_an_unknown_or_malformed_token_is_refused(header: str, detail: str) -> None:
    response = APIClient().get("/api/v1/clients/", HTTP_AUTHORIZATION=header)
    assert problem_of(response, 401)["detail"] == detail


def test_using_a_token_records_when_it_was_last_used(coordinator: Membership) -> None:
    token, key = core_services.api_token_create(actor=coordinator, name="integration")
    APIClient().get("/api/v1/programmes/", HTTP_AUTHORIZATION=f"Bearer {key}")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < dt.timedelta(minutes=1)


def test_a_signed_in_user_acts_through_the_membership_chosen_in_the_session(
    login: Callable[[Membership], HttpClient],
) -> None:
    first = MembershipFactory(role=Role.COORDINATOR)
    chosen = MembershipFactory(user=first.user, role=Role.COORDINATOR)
    ClientFactory(recorded_by=first.organisation)
    visible = ClientFactory(recorded_by=chosen.organisation)

    response = login(chosen).get("/api/v1/clients/")

    assert response.status_code == 200
    assert ids(response) == [str(visible.pk)]
    assert AccessLogEntry.objects.get().membership_id == chosen.pk


def test_a_signed_in_user_who_has_not_chosen_a_membership_is_refused(client: HttpClient) -> None:
    first = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    MembershipFactory(user=first.user, role=Role.EMPLOYMENT_SPECIALIST)
    client.force_login(first.user)
    body = problem_of(client.get("/api/v1/clients/"), 403)
    assert body["detail"] == "Choose an active membership to act through before using the API."


def test_a_session_needs_two_factor_authentication_where_the_role_requires_it(
    client: HttpClient,
) -> None:
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    client.force_login(coordinator.user)  # no authenticator app set up
    body = problem_of(client.get("/api/v1/clients/"), 403)
    assert body["type"] == "urn:polku:problem:two-factor-required"
    # A token was created by a user who had signed in with two factors, so it is enough alone.
    assert api_for(coordinator).get("/api/v1/clients/").status_code == 200


def test_a_signed_in_session_cannot_write_without_the_csrf_token(
    login: Callable[..., HttpClient],
) -> None:
    # Another site could make the browser send the session cookie, but not the CSRF token.
    specialist = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    browser = login(specialist, HttpClient(enforce_csrf_checks=True))
    response = browser.post("/api/v1/clients/", register_payload(), content_type="application/json")
    assert problem_of(response, 403)["detail"].startswith("CSRF Failed")
    assert Client.objects.count() == 0


def test_an_unexpected_error_is_a_500_problem_that_reveals_nothing(
    coordinator: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr("polku.clients.selectors.clients_visible_to", broken)
    api = api_for(coordinator)
    api.raise_request_exception = False

    response = api.get("/api/v1/clients/")

    assert problem_of(response, 500) == {
        "type": "urn:polku:problem:error",
        "title": "Server error",
        "status": 500,
        "detail": "Something went wrong on our side. The error has been logged; try again later.",
    }


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "131052-308U",
            "The control character (the last one) does not match the rest of the code: check "
            "for a typing error.",
        ),
        ("311352-308T", "The date of birth (first six characters, DDMMYY) is not a real date."),
        (
            "131052Q308T",
            "The 7th character must be a century sign: + for the 1800s; -, Y, X, W, V or U for "
            "the 1900s; A, B, C, D, E or F for the 2000s.",
        ),
        (
            "131052-308",
            "A Finnish personal identity code has 11 characters (for example 131052-308T); this "
            "one has 10.",
        ),
    ],
)
def test_an_invalid_henkilotunnus_is_refused_naming_the_wrong_part(
    api: APIClient, code: str, message: str
) -> None:
    response = api.post("/api/v1/clients/", register_payload(identity_code=code), format="json")
    assert problem_of(response, 400) == {
        "type": "urn:polku:problem:validation",
        "title": "Invalid input",
        "status": 400,
        "detail": "Correct the fields listed in 'errors' and try again.",
        "errors": {"identity_code": [message]},
    }
    assert Client.objects.count() == 0


def test_missing_fields_are_listed_one_message_each(api: APIClient) -> None:
    response = api.post("/api/v1/clients/", {"phone": "040 1"}, format="json")
    assert problem_of(response, 400)["errors"] == {
        "first_name": ["This field is required."],
        "last_name": ["This field is required."],
        "gender": ["This field is required."],
    }


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here/", "/api/v2/clients/", "/api/v1/clients/not-a-uuid/", "/api/"],
)
def test_an_unknown_api_url_answers_with_a_404_problem(api: APIClient, path: str) -> None:
    assert problem_of(api.get(path), 404) == {
        "type": "urn:polku:problem:not-found",
        "title": "Not found",
        "status": 404,
        "detail": "Not found",
    }


def test_an_invisible_client_answers_exactly_like_one_that_does_not_exist(
    api: APIClient,
) -> None:
    someone_elses = ClientFactory()  # recorded by another organisation, no consent
    answers = [
        (response.status_code, response["Content-Type"], response.content)
        for client_id in (someone_elses.pk, uuid.uuid4())
        for response in (
            api.get(f"/api/v1/clients/{client_id}/"),
            api.patch(f"/api/v1/clients/{client_id}/", {"phone": "1"}, format="json"),
        )
    ]
    assert answers[0] == answers[2]
    assert answers[1] == answers[3]
    assert problem_of(api.get(f"/api/v1/clients/{someone_elses.pk}/"), 404)["detail"] == (
        "Not found."
    )
    assert AccessLogEntry.objects.count() == 0


def test_an_unsupported_method_is_a_405_problem(api: APIClient, coordinator: Membership) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    body = problem_of(api.delete(f"/api/v1/clients/{client.pk}/"), 405)
    assert body["detail"] == 'Method "DELETE" not allowed.'
    assert Client.objects.filter(pk=client.pk).exists()


def test_a_form_encoded_body_is_refused_as_unsupported(api: APIClient) -> None:
    response = api.post("/api/v1/clients/", register_payload(), format="multipart")
    assert problem_of(response, 415)["type"] == "urn:polku:problem:unsupported-media-type"
    assert Client.objects.count() == 0


def test_malformed_json_is_a_400_problem(api: APIClient) -> None:
    response = api.post("/api/v1/clients/", '{"first_name": ', content_type="application/json")
    assert problem_of(response, 400)["title"] == "Invalid input"


@pytest.mark.parametrize(
    ("field", "value"),
    [("first_name", "Ai\x00no"), ("municipality", "0\x00"), ("identity_code", "131052\x00308T")],
)
def test_a_nul_character_in_text_is_refused_not_a_server_error(
    api: APIClient, field: str, value: str
) -> None:
    # PostgreSQL cannot store or even compare text with NUL: it must never reach a query.
    response = api.post("/api/v1/clients/", register_payload(**{field: value}), format="json")
    assert list(problem_of(response, 400)["errors"]) == [field]


def test_a_nul_character_in_a_search_is_refused(api: APIClient) -> None:
    body = problem_of(api.post(SEARCH, {"search": "Ai\x00no"}, format="json"), 400)
    assert body["errors"] == {"search": ["Null characters are not allowed."]}


# Characters such as "²" pass str.isdigit() but not int(): they must be a 400, not a 500.
def test_a_superscript_digit_in_an_identity_code_is_a_400_problem(api: APIClient) -> None:
    response = api.post(
        "/api/v1/clients/", register_payload(identity_code="1310²2-308T"), format="json"
    )
    assert list(problem_of(response, 400)["errors"]) == ["identity_code"]


def test_a_search_with_a_superscript_digit_finds_nothing(api: APIClient) -> None:
    assert api.post(SEARCH, {"search": "1310²2-308T"}, format="json").json()["count"] == 0


def test_lists_are_paginated_with_links_to_the_neighbouring_pages(
    api: APIClient, coordinator: Membership
) -> None:
    bulk_clients(coordinator.organisation, 3)
    first = api.get("/api/v1/clients/", {"page_size": 2}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    assert first["next"] == "http://testserver/api/v1/clients/?page=2&page_size=2"
    second = api.get(first["next"]).json()
    assert (second["count"], len(second["results"]), second["next"]) == (3, 1, None)
    assert second["previous"] == "http://testserver/api/v1/clients/?page_size=2"


def test_the_page_size_is_capped_at_200(api: APIClient, coordinator: Membership) -> None:
    bulk_clients(coordinator.organisation, 201)
    body = api.get("/api/v1/clients/", {"page_size": 1000}).json()
    assert (body["count"], len(body["results"])) == (201, 200)


def test_the_default_page_has_50_rows(api: APIClient, coordinator: Membership) -> None:
    bulk_clients(coordinator.organisation, 51)
    body = api.get("/api/v1/clients/").json()
    assert (body["count"], len(body["results"])) == (51, 50)


@pytest.mark.parametrize("page_size", ["abc", "0", "-5", "2.5"])
def test_a_malformed_page_size_is_a_400_problem(api: APIClient, page_size: str) -> None:
    body = problem_of(api.get("/api/v1/programmes/", {"page_size": page_size}), 400)
    assert body["errors"] == {"page_size": ["Give a whole number, 1 or more."]}


def test_a_page_past_the_end_is_a_404_problem(api: APIClient) -> None:
    body = problem_of(api.get("/api/v1/clients/", {"page": 2}), 404)
    assert body["detail"] == "Invalid page."


def test_the_client_list_shows_visible_clients_by_name(
    api: APIClient, coordinator: Membership
) -> None:
    org = coordinator.organisation
    berg = ClientFactory(recorded_by=org, first_name="Bo", last_name="Berg")
    aalto = ClientFactory(recorded_by=org, first_name="Aino", last_name="Aalto")
    ClientFactory()  # another organisation's, not shared

    response = api.get("/api/v1/clients/")

    assert ids(response) == [str(aalto.pk), str(berg.pk)]
    assert response.json()["results"][0] == {
        "id": str(aalto.pk),
        "reference": aalto.reference,
        "first_name": "Aino",
        "last_name": "Aalto",
        "date_of_birth": "1980-05-17",
        "gender": "man",
        "preferred_language": "fi",
        "municipality": None,
        "recorded_by": org.pk,
        "created_at": aalto.created_at.astimezone().isoformat(),
        "updated_at": aalto.updated_at.astimezone().isoformat(),
    }


def test_the_client_detail_shows_the_identity_code_and_contact_details(
    api: APIClient, coordinator: Membership
) -> None:
    municipality = Municipality.objects.create(code="T01", name="Testby")
    client = ClientFactory(
        recorded_by=coordinator.organisation,
        municipality=municipality,
        email="aino@example.invalid",
        street_address="Mannerheimintie 1",
        postal_code="00100",
        post_office="Helsinki",
    )
    client.set_identity_code("fi_hetu", HETU)
    client.save()

    body = api.get(f"/api/v1/clients/{client.pk}/").json()

    assert (body["identity_code_type"], body["identity_code"], body["municipality"]) == (
        "fi_hetu",
        HETU,
        "T01",
    )
    assert body["contact"] == {
        "phone": "040 123 4567",
        "email": "aino@example.invalid",
        "street_address": "Mannerheimintie 1",
        "postal_code": "00100",
        "post_office": "Helsinki",
    }


def test_contact_details_are_null_when_the_consent_shares_identity_only() -> None:
    client = ClientFactory()
    partner = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    ConsentFactory(client=client, organisations=[partner.organisation], categories=[C.IDENTITY])

    body = api_for(partner).get(f"/api/v1/clients/{client.pk}/").json()

    assert (body["id"], body["contact"]) == (str(client.pk), None)
    assert logged() == [(str(client.pk), C.IDENTITY)]


def test_registering_a_client_returns_them_and_makes_the_registrar_key_worker(
    api: APIClient, coordinator: Membership
) -> None:
    response = api.post("/api/v1/clients/", register_payload(), format="json")

    assert response.status_code == 201
    body = response.json()
    client = Client.objects.get()
    assert body["id"] == str(client.pk)
    assert (body["first_name"], body["last_name"], body["date_of_birth"]) == (
        "Aino",
        "Mäkelä",
        "1952-10-13",
    )
    assert (body["identity_code"], body["recorded_by"]) == (HETU, coordinator.organisation_id)
    assert body["contact"]["phone"] == "040 765 4321"
    assert list(
        CareTeamMember.objects.values_list("client_id", "membership_id", "is_key_worker")
    ) == [(client.pk, coordinator.pk, True)]


def test_a_possible_duplicate_is_refused_with_a_code_until_confirmed(
    api: APIClient, coordinator: Membership
) -> None:
    ClientFactory(
        recorded_by=coordinator.organisation,
        first_name="Aino",
        last_name="Mäkelä",
        date_of_birth=dt.date(1952, 10, 13),
    )
    payload = register_payload(identity_code="", date_of_birth="1952-10-13")

    refused = problem_of(api.post("/api/v1/clients/", payload, format="json"), 400)

    assert refused["code"] == "possible_duplicate"
    assert list(refused["errors"]) == ["non_field_errors"]
    confirmed = api.post(
        "/api/v1/clients/", payload | {"confirm_possible_duplicate": True}, format="json"
    )
    assert confirmed.status_code == 201
    assert Client.objects.count() == 2


def test_a_partial_update_changes_only_the_fields_sent(
    api: APIClient, coordinator: Membership
) -> None:
    municipality = Municipality.objects.create(code="T01", name="Testby")
    client = ClientFactory(
        recorded_by=coordinator.organisation, first_name="Aino", municipality=municipality
    )

    response = api.patch(
        f"/api/v1/clients/{client.pk}/",
        {"phone": "050 111 2222", "municipality": None},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["contact"]["phone"] == "050 111 2222"
    client.refresh_from_db()
    assert (client.phone, client.municipality_id, client.first_name) == (
        "050 111 2222",
        None,
        "Aino",
    )


def test_changing_contact_details_without_access_to_them_is_refused_and_changes_nothing() -> None:
    client = ClientFactory(phone="040 123 4567")
    partner = MembershipFactory(role=Role.COORDINATOR)
    ConsentFactory(client=client, organisations=[partner.organisation], categories=[C.IDENTITY])

    response = api_for(partner).patch(
        f"/api/v1/clients/{client.pk}/", {"phone": "050 999"}, format="json"
    )

    assert problem_of(response, 403)["type"] == "urn:polku:problem:forbidden"
    client.refresh_from_db()
    assert client.phone == "040 123 4567"


@pytest.fixture
def filterable(coordinator: Membership) -> dict[str, Any]:
    """Four of the coordinator's clients: in a programme now, finished, never, and elsewhere."""
    org = coordinator.organisation
    programme = ProgrammeFactory(organisation=org)
    partner_org = OrganisationFactory()
    active = ClientFactory(recorded_by=org, first_name="Aino", last_name="Aalto")
    active.set_identity_code("fi_hetu", HETU)
    active.save()
    ended = ClientFactory(recorded_by=org, first_name="Bo", last_name="Berg")
    never = ClientFactory(recorded_by=org, first_name="Cecilia", last_name="Castrén")
    other = ClientFactory(recorded_by=org, first_name="Daniel", last_name="Dahl")
    EpisodeFactory(client=active, programme=programme)
    EpisodeFactory(
        client=ended, programme=programme, end_date=timezone.localdate(), end_reason="employed"
    )
    EpisodeFactory(client=other, organisation=partner_org)
    return {
        "programme": programme,
        "partner_org": partner_org,
        "active": active,
        "ended": ended,
        "never": never,
        "other": other,
    }


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("aalto", ["active"]),
        ("aino aalto", ["active"]),
        (HETU, ["active"]),
        ("131052-308t", ["active"]),  # normalised like the stored code
        ("", ["active", "ended", "never", "other"]),
    ],
)
def test_the_client_search_takes_its_words_in_the_body(
    api: APIClient, filterable: dict[str, Any], search: str, expected: list[str]
) -> None:
    response = api.post(SEARCH, {"search": search}, format="json")
    assert ids(response) == [str(filterable[name].pk) for name in expected]


def test_searching_in_the_url_is_not_offered(api: APIClient, filterable: dict[str, Any]) -> None:
    """A name in a query string would end up in server and proxy logs: it is ignored."""
    response = api.get("/api/v1/clients/", {"search": "aalto"})
    assert len(ids(response)) == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "active"}, ["active", "other"]),
        ({"status": "ended"}, ["ended"]),
        ({"status": "none"}, ["never"]),
        ({"programme": "<programme>"}, ["active", "ended"]),
        ({"organisation": "<partner_org>"}, ["other"]),
        ({"status": ""}, ["active", "ended", "never", "other"]),  # empty means not given
    ],
)
def test_the_client_list_filters(
    api: APIClient, filterable: dict[str, Any], params: dict[str, str], expected: list[str]
) -> None:
    query = {
        name: str(filterable[value.strip("<>")].pk) if value.startswith("<") else value
        for name, value in params.items()
    }
    response = api.get("/api/v1/clients/", query)
    assert ids(response) == [str(filterable[name].pk) for name in expected]


def test_the_client_list_finds_a_client_by_reference(
    api: APIClient, filterable: dict[str, Any]
) -> None:
    ended = filterable["ended"]
    response = api.post(SEARCH, {"search": ended.reference.lower()}, format="json")
    assert ids(response) == [str(ended.pk)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"programme": "abc"}, "programme"),
        ({"programme": "1.5"}, "programme"),
        ({"organisation": str(10**30)}, "organisation"),
        ({"status": "sleeping"}, "status"),
    ],
)
def test_an_invalid_client_filter_is_a_400_problem(
    api: APIClient, params: dict[str, str], field: str
) -> None:
    assert list(problem_of(api.get("/api/v1/clients/", params), 400)["errors"]) == [field]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"search": "x" * 101}, "search"),
        ({"programme": 10**6}, "programme"),
        ({"status": "sleeping"}, "status"),
    ],
)
def test_an_invalid_search_is_a_400_problem(
    api: APIClient, body: dict[str, Any], field: str
) -> None:
    assert list(problem_of(api.post(SEARCH, body, format="json"), 400)["errors"]) == [field]


def test_starting_an_episode_records_it_for_the_actors_organisation(
    api: APIClient, coordinator: Membership
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    programme = ProgrammeFactory()
    payload = {
        "client": str(client.pk),
        "programme": programme.pk,
        "organisation": coordinator.organisation_id,
        "start_date": "2026-01-05",
        "months_unemployed": 30,
    }

    response = api.post("/api/v1/episodes/", payload, format="json")

    assert response.status_code == 201
    episode = Episode.objects.get()
    assert response.json() == {
        "id": str(episode.pk),
        "client": str(client.pk),
        "programme": programme.pk,
        "organisation": coordinator.organisation_id,
        "start_date": "2026-01-05",
        "end_date": None,
        "end_reason": "",
        "months_unemployed": 30,
        "days_on_labour_market_subsidy": None,
        "recorded_by": coordinator.organisation_id,
        "created_at": episode.created_at.astimezone().isoformat(),
    }


def test_a_second_open_episode_in_the_same_programme_is_refused(
    api: APIClient, coordinator: Membership
) -> None:
    existing = EpisodeFactory(client=ClientFactory(recorded_by=coordinator.organisation))
    payload = {
        "client": str(existing.client_id),
        "programme": existing.programme_id,
        "organisation": coordinator.organisation_id,
        "start_date": str(timezone.localdate()),
    }
    body = problem_of(api.post("/api/v1/episodes/", payload, format="json"), 400)
    assert body["errors"] == {
        "programme": ["The client already has an open episode in this programme."]
    }
    assert Episode.objects.count() == 1


def test_ending_an_episode_records_the_date_and_reason(
    api: APIClient, coordinator: Membership
) -> None:
    episode = EpisodeFactory(client=ClientFactory(recorded_by=coordinator.organisation))
    today = str(timezone.localdate())

    response = api.post(
        f"/api/v1/episodes/{episode.pk}/end/",
        {"end_date": today, "end_reason": "employed"},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["end_date"], response.json()["end_reason"]) == (today, "employed")
    episode.refresh_from_db()
    assert (str(episode.end_date), episode.end_reason) == (today, "employed")
    again = api.post(
        f"/api/v1/episodes/{episode.pk}/end/",
        {"end_date": today, "end_reason": "education"},
        format="json",
    )
    assert problem_of(again, 400)["errors"] == {"end_date": ["This episode has already ended."]}


def test_the_episode_list_shows_open_episodes_on_request(
    api: APIClient, coordinator: Membership
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    running = EpisodeFactory(client=client)
    EpisodeFactory(client=client, end_date=timezone.localdate(), end_reason="moved")
    EpisodeFactory()  # another organisation's client
    assert ids(api.get("/api/v1/episodes/", {"open": "true"})) == [str(running.pk)]
    assert problem_of(api.get("/api/v1/episodes/", {"open": "perhaps"}), 400)["errors"] == {
        "open": ["Give true or false."]
    }


def test_recording_a_consent_lets_the_partner_organisation_see_the_client(
    api: APIClient, coordinator: Membership
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    partner = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    assert api_for(partner).get(f"/api/v1/clients/{client.pk}/").status_code == 404
    payload = {
        "client": str(client.pk),
        "organisations": [partner.organisation_id],
        "categories": ["employment", "identity"],
        "method": "written",
    }

    response = api.post("/api/v1/consents/", payload, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["categories"], body["organisations"], body["status"]) == (
        ["employment", "identity"],
        [partner.organisation_id],
        "active",
    )
    assert (body["purpose"], body["valid_from"], body["recorded_by"]) == (
        "service",
        str(timezone.localdate()),
        coordinator.organisation_id,
    )
    assert api_for(partner).get(f"/api/v1/clients/{client.pk}/").status_code == 200


def test_withdrawing_a_consent_cuts_off_the_organisation_that_relied_on_it_at_once(
    api: APIClient, coordinator: Membership
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    partner = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    consent = ConsentFactory(
        client=client, organisations=[partner.organisation], categories=[C.IDENTITY]
    )
    partner_api = api_for(partner)
    assert partner_api.get(f"/api/v1/clients/{client.pk}/").status_code == 200

    response = api.post(f"/api/v1/consents/{consent.pk}/withdraw/")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    problem_of(partner_api.get(f"/api/v1/clients/{client.pk}/"), 404)
    assert partner_api.get("/api/v1/clients/").json()["count"] == 0
    again = api.post(f"/api/v1/consents/{consent.pk}/withdraw/")
    assert problem_of(again, 400)["errors"] == {
        "non_field_errors": ["This consent has already been withdrawn."]
    }


def test_adding_a_colleague_to_the_care_team(api: APIClient, coordinator: Membership) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    colleague = MembershipFactory(
        organisation=coordinator.organisation, role=Role.EMPLOYMENT_SPECIALIST, title="IPS coach"
    )

    response = api.post(
        "/api/v1/care-team-members/",
        {"client": str(client.pk), "membership": colleague.pk, "as_key_worker": True},
        format="json",
    )

    assert response.status_code == 201
    member = CareTeamMember.objects.get()
    assert response.json() == {
        "id": member.pk,
        "client": str(client.pk),
        "membership": colleague.pk,
        "member": {
            "id": colleague.pk,
            "name": colleague.user.get_full_name(),
            "organisation": coordinator.organisation_id,
            "role": "employment_specialist",
            "title": "IPS coach",
        },
        "is_key_worker": True,
        "added_at": member.added_at.astimezone().isoformat(),
    }


def test_a_member_of_another_organisation_needs_the_clients_consent_first(
    api: APIClient, coordinator: Membership
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    outsider = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)

    response = api.post(
        "/api/v1/care-team-members/",
        {"client": str(client.pk), "membership": outsider.pk},
        format="json",
    )

    assert problem_of(response, 400)["errors"] == {
        "membership": [
            f"The client has not consented to share their data with "
            f"{outsider.organisation.name}. Record a consent first."
        ]
    }
    assert CareTeamMember.objects.count() == 0


def test_removing_a_member_takes_them_off_the_team_but_keeps_the_history(
    api: APIClient, coordinator: Membership
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    member = CareTeamMemberFactory(
        client=client,
        membership=MembershipFactory(
            organisation=coordinator.organisation, role=Role.EMPLOYMENT_SPECIALIST
        ),
    )

    response = api.delete(f"/api/v1/care-team-members/{member.pk}/")

    assert (response.status_code, response.content) == (204, b"")
    member.refresh_from_db()
    assert (member.removed_at is not None, member.removed_by_id) == (True, coordinator.pk)
    assert api.get("/api/v1/care-team-members/", {"client": str(client.pk)}).json()["count"] == 0
    problem_of(api.delete(f"/api/v1/care-team-members/{member.pk}/"), 404)


def test_making_a_member_key_worker_replaces_the_previous_one(
    api: APIClient, coordinator: Membership
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    org = coordinator.organisation
    previous = CareTeamMemberFactory(
        client=client,
        membership=MembershipFactory(organisation=org, role=Role.SOCIAL_WORKER),
        is_key_worker=True,
    )
    member = CareTeamMemberFactory(
        client=client,
        membership=MembershipFactory(organisation=org, role=Role.EMPLOYMENT_SPECIALIST),
    )

    response = api.post(f"/api/v1/care-team-members/{member.pk}/make-key-worker/")

    assert (response.status_code, response.json()["is_key_worker"]) == (200, True)
    listed = api.get("/api/v1/care-team-members/", {"client": str(client.pk)}).json()["results"]
    assert [(row["id"], row["is_key_worker"]) for row in listed] == [
        (member.pk, True),
        (previous.pk, False),
    ]


def test_a_professional_who_started_after_the_server_did_can_join_a_care_team(
    api: APIClient, coordinator: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    newcomer = MembershipFactory(
        organisation=coordinator.organisation,
        role=Role.EMPLOYMENT_SPECIALIST,
        valid_from=tomorrow,
    )
    # A day passes: the server, started today, now answers tomorrow's requests.
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)

    response = api.post(
        "/api/v1/care-team-members/",
        {"client": str(client.pk), "membership": newcomer.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert CareTeamMember.objects.get().membership_id == newcomer.pk


def test_organisations_are_readable_and_not_logged(api: APIClient, coordinator: Membership) -> None:
    org = coordinator.organisation
    retired = OrganisationFactory(is_active=False, kind="health_care")

    listed = api.get("/api/v1/organisations/", {"is_active": "false"}).json()
    detail = api.get(f"/api/v1/organisations/{org.pk}/").json()

    assert [row["id"] for row in listed["results"]] == [retired.pk]
    assert detail == {
        "id": org.pk,
        "name": org.name,
        "name_fi": org.name,
        "name_sv": f"{org.name} (sv)",
        "name_en": org.name,
        "kind": "municipal_employment",
        "business_id": "",
        "country": "FI",
        "municipality": "",
        "is_active": True,
    }
    assert AccessLogEntry.objects.count() == 0


def test_programmes_are_readable(api: APIClient) -> None:
    programme = ProgrammeFactory(code="ips-pilot", target_participants=120)
    assert api.get(f"/api/v1/programmes/{programme.pk}/").json() == {
        "id": programme.pk,
        "code": "ips-pilot",
        "name": programme.name,
        "name_fi": programme.name,
        "name_sv": programme.name,
        "name_en": programme.name,
        "organisation": programme.organisation_id,
        "target_participants": 120,
        "start_date": None,
        "end_date": None,
    }
    assert ids(api.get("/api/v1/programmes/")) == [programme.pk]


def test_the_client_list_logs_one_identity_read_per_client_sent(
    api: APIClient, coordinator: Membership
) -> None:
    bulk_clients(coordinator.organisation, 3)

    sent = ids(api.get("/api/v1/clients/", {"page_size": 2}))

    assert logged() == [(client_id, C.IDENTITY) for client_id in sent]
    assert set(AccessLogEntry.objects.values_list("action", "purpose", "membership_id")) == {
        (AccessAction.API, Purpose.SERVICE, coordinator.pk)
    }


def test_the_client_detail_logs_identity_and_the_contact_details_shown(
    api: APIClient, coordinator: Membership
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    api.get(f"/api/v1/clients/{client.pk}/")
    assert logged() == [(str(client.pk), C.IDENTITY), (str(client.pk), C.CONTACT)]


def test_episode_reads_are_logged_as_employment_data(
    api: APIClient, coordinator: Membership
) -> None:
    episode = EpisodeFactory(client=ClientFactory(recorded_by=coordinator.organisation))
    api.get("/api/v1/episodes/")
    api.get(f"/api/v1/episodes/{episode.pk}/")
    assert logged() == [(str(episode.client_id), C.EMPLOYMENT)] * 2


def test_consent_and_care_team_reads_are_logged_as_identity_data(
    api: APIClient, coordinator: Membership
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    consent = ConsentFactory(client=client, organisations=[OrganisationFactory()])
    member = CareTeamMemberFactory(client=client)
    for url in (
        "/api/v1/consents/",
        f"/api/v1/consents/{consent.pk}/",
        "/api/v1/care-team-members/",
        f"/api/v1/care-team-members/{member.pk}/",
    ):
        assert api.get(url).status_code == 200
    assert logged() == [(str(client.pk), C.IDENTITY)] * 4


@pytest.mark.parametrize(
    "rows",
    [
        1,
        10,
        200,
    ],
)
def test_a_list_page_is_logged_with_a_single_insert_whatever_its_length(
    api: APIClient, coordinator: Membership, rows: int
) -> None:
    bulk_clients(coordinator.organisation, rows)

    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/v1/clients/", {"page_size": 200})

    inserts = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith('INSERT INTO "core_accesslogentry"')
    ]
    assert len(ids(response)) == rows
    assert len(inserts) == 1
    assert AccessLogEntry.objects.count() == rows


def test_what_a_write_sends_back_is_logged_as_read(api: APIClient, coordinator: Membership) -> None:
    org = coordinator.organisation
    client = ClientFactory(recorded_by=org)
    episode_id = api.post(
        "/api/v1/episodes/",
        {
            "client": str(client.pk),
            "programme": ProgrammeFactory().pk,
            "organisation": org.pk,
            "start_date": str(timezone.localdate()),
        },
        format="json",
    ).json()["id"]
    api.post(
        f"/api/v1/episodes/{episode_id}/end/",
        {"end_date": str(timezone.localdate()), "end_reason": "employed"},
        format="json",
    )
    consent_id = api.post(
        "/api/v1/consents/",
        {
            "client": str(client.pk),
            "organisations": [OrganisationFactory().pk],
            "categories": ["identity"],
            "method": "written",
        },
        format="json",
    ).json()["id"]
    api.post(f"/api/v1/consents/{consent_id}/withdraw/")
    colleague = MembershipFactory(organisation=org, role=Role.EMPLOYMENT_SPECIALIST)
    member_id = api.post(
        "/api/v1/care-team-members/",
        {"client": str(client.pk), "membership": colleague.pk},
        format="json",
    ).json()["id"]
    api.post(f"/api/v1/care-team-members/{member_id}/make-key-worker/")

    assert logged() == [(str(client.pk), C.EMPLOYMENT)] * 2 + [(str(client.pk), C.IDENTITY)] * 4


def test_a_refused_read_logs_nothing(coordinator: Membership) -> None:
    client = ClientFactory()  # not visible to the coordinator
    api = api_for(coordinator)
    api.get(f"/api/v1/clients/{client.pk}/")
    APIClient().get("/api/v1/clients/")
    assert AccessLogEntry.objects.count() == 0


def _rows_for(resource: str, coordinator: Membership, count: int) -> None:
    """`count` rows of `resource` that `coordinator` may read, each of a different client."""
    org = coordinator.organisation
    for _ in range(count):
        client = ClientFactory(recorded_by=org)
        if resource == "episodes":
            EpisodeFactory(client=client)
        elif resource == "consents":
            ConsentFactory(client=client, organisations=[OrganisationFactory()])
        elif resource == "care-team-members":
            CareTeamMemberFactory(client=client)
        elif resource == "programmes":
            ProgrammeFactory(organisation=org)


@pytest.mark.parametrize(
    "resource", ["clients", "episodes", "consents", "care-team-members", "programmes"]
)
def test_the_number_of_queries_for_a_list_does_not_grow_with_its_length(
    api: APIClient, coordinator: Membership, resource: str
) -> None:
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(f"/api/v1/{resource}/").status_code == 200
        return len(captured.captured_queries)

    _rows_for(resource, coordinator, 1)
    queries_for_page()  # the first use records the token's use and starts the log's chain
    one_row = queries_for_page()
    _rows_for(resource, coordinator, 4)
    assert queries_for_page() == one_row


def test_too_many_requests_get_a_429_problem_saying_when_to_retry(
    api: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    assert [api.get("/api/v1/programmes/").status_code for _ in range(2)] == [200, 200]

    response = api.get("/api/v1/programmes/")

    assert problem_of(response, 429)["type"] == "urn:polku:problem:too-many-requests"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_writes_through_a_token_are_attributed_to_its_user_in_the_change_audit(
    api: APIClient, coordinator: Membership
) -> None:
    partner_org = OrganisationFactory()
    before = LogEntry.objects.count()  # the fixtures' own writes (users, token)
    client_id = api.post("/api/v1/clients/", register_payload(), format="json").json()["id"]
    api.patch(f"/api/v1/clients/{client_id}/", {"phone": "050 1"}, format="json")
    consent_id = api.post(
        "/api/v1/consents/",
        {
            "client": client_id,
            "organisations": [partner_org.pk],
            "categories": ["identity"],
            "method": "verbal",
        },
        format="json",
    ).json()["id"]
    api.post(f"/api/v1/consents/{consent_id}/withdraw/")

    entries = list(LogEntry.objects.order_by("timestamp", "pk"))[before:]
    assert [(e.content_type.model, e.action, e.actor_id) for e in entries] == [
        ("client", LogEntry.Action.CREATE, coordinator.user_id),
        ("careteammember", LogEntry.Action.CREATE, coordinator.user_id),
        ("client", LogEntry.Action.UPDATE, coordinator.user_id),
        ("consent", LogEntry.Action.CREATE, coordinator.user_id),
        ("consent", LogEntry.Action.UPDATE, coordinator.user_id),  # organisations shared
        ("consentcategory", LogEntry.Action.CREATE, coordinator.user_id),  # identity shared
        ("consent", LogEntry.Action.UPDATE, coordinator.user_id),  # withdrawn
    ]
    scope = Consent.objects.get(pk=consent_id).scopes.get()
    assert [str(e.object_pk) for e in entries] == [
        client_id,
        str(CareTeamMember.objects.get().pk),
        client_id,
        consent_id,
        consent_id,
        str(scope.pk),
        consent_id,
    ]


def test_a_refused_write_leaves_no_change_audit(api: APIClient) -> None:
    before = LogEntry.objects.count()
    api.post("/api/v1/clients/", register_payload(identity_code="131052-308U"), format="json")
    assert LogEntry.objects.count() == before
    assert Consent.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (SEARCH, {"search": 163}, "search"),
        ("/api/v1/clients/", {"first_name": 42}, "first_name"),
    ],
)
def test_a_number_where_text_belongs_is_refused(
    api: APIClient, url: str, body: dict[str, Any], field: str
) -> None:
    payload = register_payload() | body if url.endswith("/clients/") else body
    response = api.post(url, payload, format="json")
    assert field in problem_of(response, 400)["errors"]
    assert Client.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    ["/api/v1/episodes/", "/api/v1/assessment-entries/", "/api/v1/referrals/", "/api/v1/actions/"],
)
def test_a_blank_id_filter_is_an_invalid_id_not_no_filter(path: str) -> None:
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    response = api_for(coordinator).get(path, {"client": "\n"})
    assert response.status_code == 400
    assert "client" in response.json()["errors"]
