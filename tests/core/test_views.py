"""Kernel pages: signing in, choosing a membership, two-factor enforcement, tokens, staff,
audit pages, health, security headers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from polku.core import access_log
from polku.core.categories import Purpose
from polku.core.middleware import SESSION_KEY
from polku.core.models import (
    AccessAction,
    ApiToken,
    Membership,
    SecurityEvent,
    SecurityEventKind,
)
from polku.core.roles import Role
from polku.core.services import api_token_create
from tests.factories import (
    ClientFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    enable_totp,
    record_sign_in,
)

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
PASSWORD = "correct-horse-battery"


def sign_in(http: HttpClient, username: str, password: str = PASSWORD) -> object:
    return http.post("/accounts/login/", {"login": username, "password": password})


# --- signing in ---------------------------------------------------------------------------


def test_login_page_is_served_with_a_strict_content_security_policy(client: HttpClient) -> None:
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert response.status_code == 200
    assert nonce is not None
    assert "script-src 'self' 'nonce-" in policy
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert f'nonce="{nonce.group(1)}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_failed_login_is_recorded_without_the_typed_username(client: HttpClient) -> None:
    user = UserFactory(username="aino")
    sign_in(client, "aino", "wrong-password")
    sign_in(client, "my-secret-password-typed-in-the-wrong-field", "x")
    events = list(
        SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED)
        .order_by("at")
        .values_list("user_id", "ip_address")
    )
    assert events == [(user.pk, "127.0.0.1"), (None, "127.0.0.1")]


def test_failed_logins_are_rate_limited(client: HttpClient) -> None:
    UserFactory(username="aino")
    for _ in range(5):
        sign_in(client, "aino", "wrong-password")
    response = sign_in(client, "aino", PASSWORD)  # even the right password waits now
    assert response.context["form"].non_field_errors() == [  # type: ignore[attr-defined]
        "Too many failed login attempts. Try again later."
    ]
    assert "_auth_user_id" not in client.session


def test_a_successful_login_with_one_membership_acts_through_it(client: HttpClient) -> None:
    membership = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    response = sign_in(client, membership.user.username)
    assert response["Location"] == "/"  # type: ignore[index]
    page = client.get("/")
    assert client.session[SESSION_KEY] == membership.pk
    assert membership.organisation.name in page.content.decode()


def test_signup_is_closed(client: HttpClient) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "x",
            "email": "x@example.invalid",
            "password1": "long-password-1",
            "password2": "long-password-1",
        },
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- choosing a membership -----------------------------------------------------------------


def test_a_user_with_two_memberships_chooses_before_seeing_anything(client: HttpClient) -> None:
    first = MembershipFactory(role=Role.PROGRAMME_MANAGER)
    second = MembershipFactory(
        user=first.user, organisation=first.organisation, role=Role.EVALUATOR
    )
    client.force_login(first.user)
    assert (
        client.get("/clients/programmes/")["Location"] == "/membership/?next=/clients/programmes/"
    )

    bad = client.post("/membership/", {"membership": 999999, "next": "/"})
    assert bad.status_code == 200
    assert SESSION_KEY not in client.session

    chosen = client.post("/membership/", {"membership": second.pk, "next": "/clients/programmes/"})
    assert chosen["Location"] == "/clients/programmes/"
    page = client.get("/clients/programmes/").content.decode()
    assert "Evaluator" in page
    assert (
        SecurityEvent.objects.filter(
            kind=SecurityEventKind.MEMBERSHIP_SELECTED, membership=second
        ).count()
        == 1
    )


def test_choosing_refuses_a_foreign_redirect(client: HttpClient) -> None:
    first = MembershipFactory(role=Role.PROGRAMME_MANAGER)
    MembershipFactory(user=first.user, role=Role.EVALUATOR)
    client.force_login(first.user)
    response = client.post(
        "/membership/", {"membership": first.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_an_ended_membership_is_dropped_from_the_session(client: HttpClient, login: Login) -> None:
    membership = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    http = login(membership)
    Membership.objects.filter(pk=membership.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    response = http.get("/clients/")
    assert response.status_code == 403
    assert SESSION_KEY not in http.session


# --- two-factor authentication ----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SOCIAL_WORKER, Role.HEALTH_PROFESSIONAL])
def test_roles_reading_health_or_social_data_must_set_up_two_factor_first(
    client: HttpClient, role: str
) -> None:
    membership = MembershipFactory(role=role)
    client.force_login(membership.user)
    record_sign_in(client.session, membership.user, second_factor=False)
    assert client.get("/clients/")["Location"] == "/accounts/2fa/totp/activate/"
    api = client.get("/api/v1/clients/")
    assert api.status_code == 403
    assert api.json()["type"] == "urn:polku:problem:two-factor-required"

    enable_totp(membership.user)  # set up in this session: that counts as the second factor
    assert client.get("/clients/").status_code == 200


def test_a_password_alone_never_opens_a_session_of_a_two_factor_role(client: HttpClient) -> None:
    membership = MembershipFactory(role=Role.COORDINATOR)
    authenticator = enable_totp(membership.user)
    authenticator.created_at = timezone.now() - dt.timedelta(days=30)
    authenticator.save()
    client.force_login(membership.user)
    record_sign_in(client.session, membership.user, second_factor=False)

    response = client.get("/clients/")

    assert response["Location"] == "/accounts/login/?next=/clients/"
    assert "_auth_user_id" not in client.session


def test_roles_without_sensitive_data_are_not_forced_but_may_use_two_factor(
    client: HttpClient,
) -> None:
    membership = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    sign_in(client, membership.user.username)
    assert client.get("/clients/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200
    # Setting it up asks for the password again first (allauth's reauthentication).
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )


def test_two_factor_enforcement_is_configurable(client: HttpClient, settings: object) -> None:
    settings.POLKU_MFA_REQUIRED_ROLES = ["none"]  # type: ignore[attr-defined]
    membership = MembershipFactory(role=Role.COORDINATOR)
    client.force_login(membership.user)
    assert client.get("/clients/").status_code == 200


# --- API tokens ---------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_acts_as_its_membership(login: Login) -> None:
    membership = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    http = login(membership)
    response = http.post("/account/tokens/", {"name": "reporting", "days_valid": 30})
    key = response.context["new_key"]
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert key.startswith("pk_")
    assert key not in str(token.key_digest)
    assert key not in http.get("/account/tokens/").content.decode()

    api = HttpClient()
    assert api.get("/api/v1/clients/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    http.post(f"/account/tokens/{token.pk}/revoke/")
    assert api.get("/api/v1/clients/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_someone_elses_token_cannot_be_revoked(login: Login) -> None:
    owner = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    token, _ = api_token_create(actor=owner, name="theirs")
    http = login(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST))
    assert http.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- organisation staff -------------------------------------------------------------------------


def test_an_organisation_admin_adds_and_ends_memberships(login: Login) -> None:
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    http = login(admin)
    response = http.post(
        "/organisation/staff/",
        {
            "username": "new.coach",
            "first_name": "Uusi",
            "last_name": "Valmentaja",
            "email": "coach@example.invalid",
            "role": Role.EMPLOYMENT_SPECIALIST,
            "title": "",
            "password": "",
        },
    )
    assert response.status_code == 302
    added = Membership.objects.get(user__username="new.coach")
    assert (added.organisation_id, added.role) == (admin.organisation_id, "employment_specialist")
    assert not added.user.has_usable_password()

    http.post(f"/organisation/staff/{added.pk}/end/")
    added.refresh_from_db()
    assert added.valid_until == timezone.localdate()


def test_weak_initial_password_is_refused_with_a_field_error(login: Login) -> None:
    http = login(MembershipFactory(role=Role.ORGANISATION_ADMIN))
    response = http.post(
        "/organisation/staff/",
        {
            "username": "weak",
            "first_name": "W",
            "last_name": "P",
            "email": "w@example.invalid",
            "role": Role.AUDITOR,
            "password": "12345",
        },
    )
    assert list(response.context["form"].errors) == ["password"]
    assert not Membership.objects.filter(user__username="weak").exists()


def test_staff_pages_are_for_organisation_admins_only(login: Login) -> None:
    http = login(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST))
    assert http.get("/organisation/staff/").status_code == 403


def test_an_admin_cannot_end_a_membership_of_another_organisation(login: Login) -> None:
    other = MembershipFactory()
    http = login(MembershipFactory(role=Role.ORGANISATION_ADMIN))
    assert http.post(f"/organisation/staff/{other.pk}/end/").status_code == 404


# --- audit pages --------------------------------------------------------------------------------


def test_auditor_sees_reads_of_own_staff_and_of_own_clients_by_reference(login: Login) -> None:
    home, elsewhere = OrganisationFactory(), OrganisationFactory()
    own_client, foreign_client = (
        ClientFactory(recorded_by=home),
        ClientFactory(recorded_by=elsewhere),
    )
    colleague = MembershipFactory(organisation=home, role=Role.EMPLOYMENT_SPECIALIST)
    outsider = MembershipFactory(organisation=elsewhere, role=Role.EMPLOYMENT_SPECIALIST)
    for viewer, client in (
        (colleague, foreign_client),
        (outsider, own_client),
        (outsider, foreign_client),
    ):
        access_log.record(
            viewer, [(client.pk, "identity")], purpose=Purpose.SERVICE, action=AccessAction.VIEW
        )
    http = login(MembershipFactory(organisation=home, role=Role.AUDITOR))
    rows = http.get("/audit/access-log/").context["rows"]
    assert sorted((e.user_id, ref) for e, ref in rows) == sorted(
        [
            (colleague.user_id, foreign_client.reference),
            (outsider.user_id, own_client.reference),
        ]
    )
    page = http.get("/audit/access-log/").content.decode()
    assert own_client.last_name not in page
    filtered = http.get("/audit/access-log/", {"client": own_client.reference.lower()})
    assert [ref for _, ref in filtered.context["rows"]] == [own_client.reference]
    verified = http.post("/audit/access-log/").context["verification"]
    assert verified == access_log.Verification(True, 3)


def test_change_audit_and_sign_in_events_for_auditors_only(login: Login) -> None:
    auditor = MembershipFactory(role=Role.AUDITOR)
    coach = MembershipFactory(organisation=auditor.organisation, role=Role.EMPLOYMENT_SPECIALIST)
    http = login(auditor)
    assert http.get("/audit/changes/").status_code == 200
    assert http.get("/audit/sign-ins/").status_code == 200
    assert login(coach, HttpClient()).get("/audit/changes/").status_code == 403


# --- health and errors --------------------------------------------------------------------------


def test_healthz_reports_database_and_migrations(client: HttpClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_healthz_is_503_when_migrations_are_pending(
    client: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        lambda self, targets: [("core", "9999_future")],
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 pending"


def test_unknown_pages_answer_404_without_details(login: Login) -> None:
    http = login(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST))
    response = http.get("/no/such/page/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()


def test_the_admin_signs_in_through_the_same_login_and_needs_two_factor(
    client: HttpClient,
) -> None:
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/")["Location"].startswith("/accounts/login/")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    record_sign_in(client.session, admin, second_factor=False)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"
    enable_totp(admin)
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_form_cannot_be_used_to_sign_in(client: HttpClient) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    enable_totp(admin)
    response = client.post("/admin/login/", {"username": admin.username, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_a_token_stops_working_when_its_users_authenticator_is_removed() -> None:
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    authenticator = enable_totp(coordinator.user)
    _token, key = api_token_create(actor=coordinator, name="integration")
    api = HttpClient()
    assert api.get("/api/v1/clients/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    authenticator.delete()
    response = api.get("/api/v1/clients/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Your role requires two-factor")


def test_an_organisation_admin_cannot_give_themselves_a_role(login: Login) -> None:
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    response = login(admin).post(
        "/organisation/staff/",
        {
            "username": admin.user.username,
            "first_name": "A",
            "last_name": "B",
            "email": "a@example.invalid",
            "role": Role.COORDINATOR,
            "password": "",
        },
    )
    assert list(response.context["form"].errors) == ["username"]
    assert Membership.objects.filter(user=admin.user).count() == 1


def test_organisation_admins_must_use_two_factor(client: HttpClient) -> None:
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    client.force_login(admin.user)
    record_sign_in(client.session, admin.user, second_factor=False)
    assert client.get("/organisation/staff/")["Location"] == "/accounts/2fa/totp/activate/"


def test_api_documentation_is_served_without_inline_scripts(client: HttpClient) -> None:
    response = client.get("/api/v1/docs/")
    policy = response["Content-Security-Policy"]
    assert response.status_code == 200
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert "unsafe" not in directives["script-src"]
    assert "cdn" not in response.content.decode().lower()


def test_pages_and_api_answers_with_client_data_are_not_kept_in_caches(
    login: Callable[[Membership], HttpClient],
) -> None:
    org = OrganisationFactory()
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR)
    client = ClientFactory(recorded_by=org)
    http = login(coordinator)

    for url in (f"/clients/{client.pk}/", f"/api/v1/clients/{client.pk}/"):
        response = http.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
