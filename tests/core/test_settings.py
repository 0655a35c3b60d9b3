"""Production settings come from the environment and are safe by default."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json
from django.conf import settings
import django
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "hasher": settings.PASSWORD_HASHERS[0],
    "session_secure": getattr(settings, "SESSION_COOKIE_SECURE", False),
    "csrf_secure": getattr(settings, "CSRF_COOKIE_SECURE", False),
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "session_age": settings.SESSION_COOKIE_AGE,
    "hosts": settings.ALLOWED_HOSTS,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "data_dir": str(settings.DATA_DIR),
}))
"""


def load(tmp_path: object, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("POLKU_") and k != "DATABASE_URL"
    }
    clean |= {"DJANGO_SETTINGS_MODULE": "polku.settings", "POLKU_DATA_DIR": str(tmp_path)} | env
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_without_a_secret_key_production_refuses_to_start(tmp_path: object) -> None:
    result = load(tmp_path)
    assert result.returncode != 0
    assert "POLKU_SECRET_KEY must be set" in result.stderr


def test_production_defaults_are_safe(tmp_path: object) -> None:
    result = load(
        tmp_path,
        POLKU_SECRET_KEY="x" * 50,
        POLKU_ALLOWED_HOSTS="polku.example.fi",
        DATABASE_URL="postgres://u:p@db.example:5432/polku",
    )
    values = json.loads(result.stdout)
    assert values == values | {
        "debug": False,
        "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "session_secure": True,
        "csrf_secure": True,
        "hsts": 31_536_000,
        "session_age": 1800,
        "hosts": ["polku.example.fi"],
        "engine": "django.db.backends.postgresql",
    }


@pytest.mark.parametrize("database_url", ["", None])
def test_the_demo_uses_sqlite_in_the_data_dir_and_keeps_its_generated_key(
    tmp_path: object, database_url: str | None
) -> None:
    env = {"POLKU_DEBUG": "1"} | (
        {"DATABASE_URL": database_url} if database_url is not None else {}
    )
    first = json.loads(load(tmp_path, **env).stdout)
    assert first["debug"] is True
    assert first["engine"] == "django.db.backends.sqlite3"
    assert first["data_dir"] == str(tmp_path)
    assert first["session_secure"] is False
    key_file = tmp_path / "secret-key"  # type: ignore[operator]
    key = key_file.read_text()
    load(tmp_path, **env)
    assert key_file.read_text() == key
