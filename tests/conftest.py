from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.test import Client as HttpClient

from polku.core import roles
from polku.core.middleware import SESSION_KEY
from polku.core.models import Membership
from tests.factories import enable_totp, record_sign_in

# Playwright's sync API runs an event loop in the test thread; Django's ORM must be allowed to
# run there (STACK.md pitfall 5).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_throttle_counts() -> None:
    """API throttling counts live in a process-local cache, not in the rolled-back database."""
    caches["throttle"].clear()


@pytest.fixture(autouse=True)
def _english_by_default(settings: object) -> None:
    """Pages render in English unless a test asks for Finnish or Swedish explicitly."""
    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]


@pytest.fixture
def login(client: HttpClient) -> Callable[[Membership], HttpClient]:
    """Sign `client` in as the membership's user, acting through that membership.

    Users whose role requires two-factor authentication get an authenticator first, as a real
    user of that role would have.
    """

    def _login(membership: Membership, http: HttpClient | None = None) -> HttpClient:
        http = http or client
        two_factor = membership.role in roles.mfa_required_roles()
        if two_factor:
            enable_totp(membership.user)
        http.force_login(membership.user)
        session = http.session
        session[SESSION_KEY] = membership.pk
        record_sign_in(session, membership.user, second_factor=two_factor)
        return http

    return _login
