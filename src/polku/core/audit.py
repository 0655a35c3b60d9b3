"""Change audit (django-auditlog): every write is recorded with its actor, values masked.

Personal-data fields are masked, so the audit trail shows *that* a name or phone number changed,
who changed it and when, but never the value (STYLE.md §5: store ids, not personal data).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from auditlog.context import auditlog_value, set_actor
from auditlog.registry import auditlog
from django.db import models

if TYPE_CHECKING:
    from polku.core.models import Membership

# Stored secrets and their search digests never appear in the trail at all.
SECRET_FIELDS = ("password", "identity_code_encrypted", "key_digest")


def mask(value: str) -> str:
    """Record that a personal-data field changed, never its value."""
    del value
    return "•••"


@contextmanager
def acting(actor: Membership) -> Iterator[None]:
    """Attribute the writes inside the block to `actor`'s user in the change audit.

    Nests inside the request's audit context (AuditlogMiddleware) without losing its client
    address, and restores it afterwards: django-auditlog's own set_actor() overwrites the outer
    context, which would leave the outer signal receiver connected for good.
    """
    # The outer value may also be a stale one left behind by an earlier request in this thread
    # (django-auditlog never resets it), so the inner context is always set afresh.
    outer = auditlog_value.get(None)
    address = (outer or {}).get("remote_addr"), (outer or {}).get("remote_port")
    try:
        with set_actor(actor.user, remote_addr=address[0], remote_port=address[1]):
            yield
    finally:
        if outer is not None:
            auditlog_value.set(outer)


def register(model: type[models.Model], *, m2m_fields: set[str] | None = None) -> None:
    """Put `model` under change audit, masking the fields its personal_data declares."""
    personal = getattr(model, "personal_data", {})
    field_names = {f.name for f in model._meta.get_fields()}
    masked = [name for name in personal if name in field_names]
    if "identity_code" in personal:
        # The code itself is encrypted and excluded; its digest, masked, shows that it changed.
        masked += ["identity_code_type", "identity_code_digest"]
    # Reverse relations (a client's episodes, say) are not the row's own values.
    reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
    auditlog.register(
        model,
        mask_fields=masked,
        exclude_fields=[f for f in SECRET_FIELDS if f in field_names] + ["last_login", *reverse],
        m2m_fields=m2m_fields or set(),
    )


def register_models() -> None:
    from polku.core.models import ApiToken, Membership, Organisation, User  # noqa: PLC0415

    for model in (Organisation, Membership, User, ApiToken):
        register(model)
