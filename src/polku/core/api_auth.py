"""API authentication: bearer tokens bound to a membership, or the signed-in session."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request

from polku.core import roles
from polku.core.models import ApiToken, Membership, User

TOKEN_BYTES = 32
# Recording every use would turn each API read into a write; a minute's precision is enough.
LAST_USED_PRECISION_SECONDS = 60


def new_token_key() -> str:
    return "pk_" + secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def acting_membership(request: Request) -> Membership | None:
    return getattr(request._request, "membership", None)


class MembershipTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`; the token decides which membership the request acts as."""

    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:  # noqa: PLR2004 - keyword and key
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        key = header[1].decode(errors="replace")
        token = (
            ApiToken.objects.select_related("membership__user", "membership__organisation")
            .filter(key_digest=token_digest(key))
            .first()
        )
        if token is None or not token.is_usable() or not token.membership.is_active():
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if token.membership.role in roles.mfa_required_roles() and not is_mfa_enabled(
            token.membership.user, ["totp"]
        ):
            # The token was created behind two factors; if the authenticator is gone since,
            # the token must not outlive it.
            raise exceptions.AuthenticationFailed(
                _("Your role requires two-factor authentication. Set it up in Polku again.")
            )
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request._request.membership = token.membership  # type: ignore[attr-defined]
        request._request.api_token = token  # type: ignore[attr-defined]
        return token.membership.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="polku"'


class MembershipSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, acting as the membership chosen in the user interface."""

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="polku"'


class UserThrottle(throttling.UserRateThrottle):
    """Requests per user, counted in a process-local cache (see settings.CACHES)."""

    cache = caches["throttle"]


class HasActiveMembership(permissions.BasePermission):
    message = _("Choose an active membership to act through before using the API.")

    def has_permission(self, request: Request, view: Any) -> bool:
        membership = acting_membership(request)
        return bool(
            request.user
            and request.user.is_authenticated
            and membership is not None
            and membership.is_active()
        )


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "polku.core.api_auth.MembershipTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token created under 'API tokens' in Polku.",
        }


class SessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "polku.core.api_auth.MembershipSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
