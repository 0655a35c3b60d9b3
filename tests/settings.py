"""Settings for the test suite: production settings plus a fixed, test-only secret key."""

import os
import tempfile

os.environ.setdefault("POLKU_SECRET_KEY", "polku-test-suite-only-not-a-secret-0123456789")
os.environ.setdefault("POLKU_DATA_DIR", os.path.join(tempfile.gettempdir(), "polku-tests"))

from polku.settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Fast hashing in tests; production's Argon2 is asserted in tests/core/test_settings.py.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# WhiteNoise expects collectstatic's output directory to exist (production runs collectstatic).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
