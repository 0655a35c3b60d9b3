"""Encryption at rest for identity codes, and a keyed digest to find and deduplicate them.

Identity codes are stored encrypted (Fernet: AES-128-CBC + HMAC-SHA256) with a separate keyed
HMAC-SHA256 digest column for exact search and the uniqueness constraint, as the City of
Helsinki's benefit backend does (STYLE.md §9). Both keys are derived from POLKU_SECRET_KEY with
distinct labels, so a leaked database dump alone reveals no identity code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet
from django.conf import settings


def _derive(label: bytes) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), label, hashlib.sha256).digest()


@cache
def _fernet(secret_key: str) -> Fernet:
    del secret_key  # part of the cache key only, so a changed setting derives a new key
    return Fernet(base64.urlsafe_b64encode(_derive(b"polku/identity-code/encryption/v1")))


def encrypt(plaintext: str) -> str:
    return _fernet(settings.SECRET_KEY).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.SECRET_KEY).decrypt(token.encode()).decode()


def access_log_key() -> bytes:
    """The key of the read-access log's hash chain."""
    return _derive(b"polku/access-log/chain/v1")


def digest(normalised_code: str) -> str:
    """Keyed digest of a normalised identity code: equal codes give equal digests."""
    key = _derive(b"polku/identity-code/digest/v1")
    return hmac.new(key, normalised_code.encode(), hashlib.sha256).hexdigest()
