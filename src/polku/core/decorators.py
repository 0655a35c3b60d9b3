"""View guards: signed in, acting through an active membership, in one of the given roles."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from polku.core.models import Membership

View = Callable[..., HttpResponse]


def acting_membership(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied
    return membership


def membership_required(roles: Iterable[str] | None = None) -> Callable[[View], View]:
    """Require a signed-in user acting through an active membership (in `roles`, if given).

    Without a membership the user sees a page that says so; a membership in another role gets
    403, since the page exists but is not theirs.
    """
    allowed = frozenset(roles) if roles is not None else None

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = getattr(request, "membership", None)
            if membership is None:
                return render(request, "core/no_membership.html", status=403)
            if allowed is not None and membership.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def posted(request: HttpRequest) -> Any:
    """The submitted data for a form, or None on GET.

    `request.POST or None` would leave a form unbound (and silently valid-less) when a POST
    arrives with no fields at all.
    """
    return request.POST if request.method == "POST" else None


def form_errors_from(form: Any, error: Any) -> None:
    """Attach a service's ValidationError to a form: per field where the form has the field."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def submit(request: HttpRequest, form: Any, action: Callable[..., Any], done: str) -> bool:
    """For a valid POST, run `action(**form.cleaned_data)` (a service) and say `done`.

    A ValidationError from the service lands on the form's fields. Returns whether the write
    happened, so the view redirects or renders the form again.
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(**form.cleaned_data)
    except ValidationError as error:
        form_errors_from(form, error)
        return False
    messages.success(request, done)
    return True
