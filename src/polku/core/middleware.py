"""Request plumbing: the membership a user acts through, and enforced two-factor authentication."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from polku.core import roles
from polku.core.models import Membership, User

SESSION_KEY = "polku_membership_id"
# Where allauth records each authentication step of the session (password, mfa, ...).
AUTHENTICATION_METHODS_SESSION_KEY = "account_authentication_methods"

# Paths a signed-in user reaches before choosing a membership or setting up two-factor
# authentication: the choice itself, the account and MFA pages, language, static files, health.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/membership/", "/admin/")


def _is_open(path: str) -> bool:
    return path.startswith(OPEN_PREFIXES)


def active_memberships(user: User) -> list[Membership]:
    return list(
        Membership.objects.active().filter(user=user).select_related("organisation", "user")
    )


class ActiveMembershipMiddleware:
    """Sets `request.membership` (or None) and `request.memberships` for signed-in users.

    With one active membership it is chosen automatically; with several, pages other than the
    chooser redirect there until one is chosen. A membership that ended meanwhile is dropped.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        user = request.user
        if isinstance(user, User) and not request.path.startswith("/static/"):
            memberships = active_memberships(user)
            request.memberships = memberships  # type: ignore[attr-defined]
            chosen_id = request.session.get(SESSION_KEY)
            chosen = next((m for m in memberships if m.pk == chosen_id), None)
            if chosen is None and len(memberships) == 1:
                chosen = memberships[0]
                request.session[SESSION_KEY] = chosen.pk
            elif chosen is None and chosen_id is not None:
                del request.session[SESSION_KEY]
            request.membership = chosen  # type: ignore[attr-defined]
            if (
                chosen is None
                and len(memberships) > 1
                and not _is_open(request.path)
                and not request.path.startswith("/api/")
            ):
                return redirect(f"/membership/?next={request.path}")
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Members acting in a role that must use two factors (and Django admin users) need an
    authenticator app, and a session that actually passed it.

    Without an authenticator every page except the account pages sends them to set one up.
    With one, a session that did not pass the second factor at sign-in (or set the app up in
    this session) is signed out: a password alone must never be enough. The API answers 403
    with a problem document instead of redirecting.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._applies(request):
            return self.get_response(request)
        user = request.user
        if not is_mfa_enabled(user, ["totp"]):
            if request.path.startswith("/api/"):
                return _two_factor_problem(
                    _(
                        "Your role requires two-factor authentication. Set it up in Polku before "
                        "using the API."
                    )
                )
            return redirect("mfa_activate_totp")
        if not session_passed_second_factor(request):
            logout(request)
            if request.path.startswith("/api/"):
                return _two_factor_problem(_("Sign in again with your authenticator app."))
            messages.info(request, _("Sign in again with your authenticator app."))
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _applies(request: HttpRequest) -> bool:
        required = roles.mfa_required_roles()
        # A bearer token decides for itself which membership an API request acts as (DRF
        # authenticates after the middleware runs; api_auth checks the token's membership).
        bearer = request.path.startswith("/api/") and request.META.get(
            "HTTP_AUTHORIZATION", ""
        ).lower().startswith(("bearer ", "token "))
        user = request.user
        if not required or bearer or not user.is_authenticated:
            return False
        membership: Membership | None = getattr(request, "membership", None)
        # Django admin users can change anyone's access, so they need two factors whenever
        # enforcement is on at all.
        admin = request.path.startswith("/admin/") and user.is_staff
        sensitive_role = (
            membership is not None and membership.role in required and not _is_open(request.path)
        )
        return admin or sensitive_role


def _two_factor_problem(detail: str) -> JsonResponse:
    return JsonResponse(
        {
            "type": "urn:polku:problem:two-factor-required",
            "title": _("Two-factor authentication required"),
            "status": 403,
            "detail": detail,
        },
        status=403,
        content_type="application/problem+json",
    )


def session_passed_second_factor(request: HttpRequest) -> bool:
    """Whether this session passed the authenticator app at sign-in, or set the app up after
    signing in (allauth records each authentication step in the session)."""
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    if any(record.get("method") == "mfa" for record in records):
        return True
    started = min((record.get("at", 0.0) for record in records), default=None)
    totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).first()
    return started is not None and totp is not None and totp.created_at.timestamp() >= started


class NoStoreMiddleware:
    """Ask browsers and proxies to keep no copy of any page or API answer.

    Nearly every response carries client data, and a shared computer's browser cache or back
    button must not show it to the next user. Static files never reach here (WhiteNoise answers
    them first, with their own long cache headers); a view that sets Cache-Control keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
