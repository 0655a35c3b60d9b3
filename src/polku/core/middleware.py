"""Request plumbing: the membership a user acts through, and enforced two-factor authentication."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from polku.core import roles
from polku.core.models import Membership, User

SESSION_KEY = "polku_membership_id"

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
    """Members acting in a role that handles health or social data must have TOTP set up.

    Until they do, every page except the account and two-factor pages sends them to set it up;
    the API answers 403 with a problem document.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_set_up(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": "urn:polku:problem:two-factor-required",
                        "title": _("Two-factor authentication required"),
                        "status": 403,
                        "detail": _(
                            "Your role requires two-factor authentication. Set it up "
                            "in Polku before using the API."
                        ),
                    },
                    status=403,
                    content_type="application/problem+json",
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request: HttpRequest) -> bool:
        required = roles.mfa_required_roles()
        # A bearer token decides for itself which membership an API request acts as (DRF
        # authenticates after the middleware runs); the session's choice does not apply.
        bearer = request.path.startswith("/api/") and request.META.get(
            "HTTP_AUTHORIZATION", ""
        ).lower().startswith(("bearer ", "token "))
        if not required or bearer:
            return False
        user = request.user
        membership: Membership | None = getattr(request, "membership", None)
        # Django admin users can change anyone's access, so they need two factors whenever
        # enforcement is on at all.
        admin = request.path.startswith("/admin/") and user.is_authenticated and user.is_staff
        sensitive_role = (
            membership is not None and membership.role in required and not _is_open(request.path)
        )
        return (admin or sensitive_role) and not is_mfa_enabled(user, ["totp"])
