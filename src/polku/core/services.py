"""Writes of the kernel: acting membership, staff accounts, API tokens."""

from __future__ import annotations

import datetime as dt

from auditlog.context import set_actor
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.core.api_auth import new_token_key, token_digest
from polku.core.models import (
    ApiToken,
    Membership,
    SecurityEvent,
    SecurityEventKind,
    User,
)
from polku.core.roles import Role

API_TOKEN_MAX_DAYS = 365


def membership_select(*, user: User, membership_id: int, ip_address: str | None) -> Membership:
    """Check that `membership_id` is one of `user`'s active memberships and record the choice.

    Raises PermissionDenied for any other id (someone else's, ended, unknown) alike.
    """
    membership = (
        Membership.objects.active()
        .filter(user=user, pk=membership_id)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        raise PermissionDenied
    SecurityEvent.objects.create(
        kind=SecurityEventKind.MEMBERSHIP_SELECTED,
        user=user,
        membership=membership,
        ip_address=ip_address,
    )
    return membership


def _require_org_admin(actor: Membership) -> None:
    if actor.role != Role.ORGANISATION_ADMIN or not actor.is_active():
        raise PermissionDenied


@transaction.atomic
def staff_member_add(
    *,
    actor: Membership,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    title: str = "",
    password: str | None = None,
) -> Membership:
    """Give a person a role in the admin's organisation, creating their account if new.

    An existing username gets a further membership; its name and e-mail are left as they are.
    Raises ValidationError for an unknown role, a duplicate membership or a weak password.
    """
    _require_org_admin(actor)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    with set_actor(actor.user):
        user = User.objects.filter(username=username).first()
        if user is not None and user.pk == actor.user_id:
            # An admin sees no client data; granting oneself a client role would change that
            # without a second person.
            raise ValidationError({"username": _("You cannot give yourself a role.")})
        if user is None:
            user = User(username=username, first_name=first_name, last_name=last_name, email=email)
            if password:
                try:
                    validate_password(password, user)
                except ValidationError as error:
                    raise ValidationError({"password": error.messages}) from None
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.full_clean()
            user.save()
        if Membership.objects.filter(
            user=user, organisation=actor.organisation_id, role=role
        ).exists():
            raise ValidationError(
                {"role": _("This person already has this role in your organisation.")}
            )
        return Membership.objects.create(
            user=user, organisation_id=actor.organisation_id, role=role, title=title
        )


@transaction.atomic
def membership_end(
    *, actor: Membership, membership: Membership, on: dt.date | None = None
) -> Membership:
    """End a membership of the admin's own organisation (from `on`, default today)."""
    _require_org_admin(actor)
    if membership.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if membership.pk == actor.pk:
        raise ValidationError(_("You cannot end the membership you are acting through."))
    end = on or timezone.localdate()
    with set_actor(actor.user):
        membership.valid_until = max(end, membership.valid_from)
        membership.save(update_fields=["valid_until"])
    return membership


@transaction.atomic
def api_token_create(*, actor: Membership, name: str, days_valid: int = 90) -> tuple[ApiToken, str]:
    """Create a token acting as `actor`; return it and the key, which is shown only once."""
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name, e.g. the system that uses it.")})
    if not 1 <= days_valid <= API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "days_valid": _("A token is valid for 1 to %(max)d days.")
                % {"max": API_TOKEN_MAX_DAYS}
            }
        )
    key = new_token_key()
    with set_actor(actor.user):
        token = ApiToken.objects.create(
            membership=actor,
            name=name.strip(),
            prefix=key[:8],
            key_digest=token_digest(key),
            expires_at=timezone.now() + dt.timedelta(days=days_valid),
        )
    SecurityEvent.objects.create(
        kind=SecurityEventKind.TOKEN_CREATED, user=actor.user, membership=actor
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Membership, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens. Revoking twice changes nothing."""
    if token.membership.user_id != actor.user_id:
        raise PermissionDenied
    if token.revoked_at is None:
        with set_actor(actor.user):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
        SecurityEvent.objects.create(
            kind=SecurityEventKind.TOKEN_REVOKED, user=actor.user, membership=actor
        )
    return token
