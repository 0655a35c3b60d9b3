"""Authentication glue: no self-registration, and security events for auditors."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from polku.core.models import SecurityEvent, SecurityEventKind, User


class StaffAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


# Authentication hooks are the one place signals are used (STACK.md: Django's own
# user_login_failed signal, in place of django-axes).
@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The typed-in username is stored only as a link to an existing user: a password typed
    # into the username field must never reach the log.
    username = credentials.get("username") or credentials.get("login") or ""
    user = User.objects.filter(username=username).first() if username else None
    SecurityEvent.objects.create(
        kind=SecurityEventKind.LOGIN_FAILED, user=user, ip_address=client_ip(request)
    )


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    SecurityEvent.objects.create(
        kind=SecurityEventKind.LOGIN, user=user, ip_address=client_ip(request)
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        SecurityEvent.objects.create(
            kind=SecurityEventKind.LOGOUT, user=user, ip_address=client_ip(request)
        )
