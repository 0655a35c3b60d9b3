"""Polku settings, configured from environment variables only.

Safe by default: DEBUG is off, the secret key must come from the environment outside DEBUG,
cookies are secure and HSTS is on whenever DEBUG is off. The demo (`make demo`) sets
POLKU_DEBUG=1 and keeps its generated secret key under POLKU_DATA_DIR.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
# Data never lives inside the installed package (STACK.md pitfall 7): the working directory's
# ./var unless POLKU_DATA_DIR says otherwise.
DATA_DIR = Path(os.environ.get("POLKU_DATA_DIR") or Path.cwd() / "var").resolve()

DEBUG = env_bool("POLKU_DEBUG")


def _secret_key() -> str:
    key = os.environ.get("POLKU_SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "POLKU_SECRET_KEY must be set when POLKU_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    # Demo only: keep a generated key beside the demo database so sessions and the encrypted
    # identity codes survive a restart.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "POLKU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "polku.core",
    "polku.clients",
    "polku.plans",
    "polku.employers",
    "polku.ips",
    "polku.evaluation",
    "polku.demo",
]

# Background jobs from the database (`polku db_worker`); `polku run-scheduler` enqueues the
# periodic ones (STACK.md: no scheduler for django-tasks runs on Python 3.11).
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "evaluation"]}
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "polku.core.middleware.ActiveMembershipMiddleware",
    "polku.core.middleware.RequireTwoFactorMiddleware",
    "polku.core.middleware.NoStoreMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "polku.urls"
FORM_RENDERER = "polku.core.forms.PolkuFormRenderer"
WSGI_APPLICATION = "polku.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "polku.core.context_processors.polku",
                "polku.plans.context_processors.notifications",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# PostgreSQL in production and CI via DATABASE_URL; SQLite under DATA_DIR as the embedded default.
# An empty DATABASE_URL is treated as unset (STACK.md pitfall 4).
if not os.environ.get("DATABASE_URL"):
    os.environ.pop("DATABASE_URL", None)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'polku.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL and a busy timeout let the demo server and a second command share the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# One cache shared by every application process (login rate limits must count across them);
# the table is created by a migration (core 0003), so nothing else has to run.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "polku_cache",
    },
    # API throttling counts per process: approximate by design, and no database write per read.
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

# --- Authentication ---------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
# Staff accounts are created by organisation admins, never by self-registration.
ACCOUNT_ADAPTER = "polku.core.auth.StaffAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    # Failed logins: at most 5 a minute from one address and 10 per 15 minutes for one username.
    "login_failed": "5/m/ip,10/15m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Polku"
# Roles that must use TOTP before they see anything. The default is every role whose policy lets
# it read health or social data (see polku.core.roles); "none" switches enforcement off (demo only).
POLKU_MFA_REQUIRED_ROLES = env_list("POLKU_MFA_REQUIRED_ROLES", ["default"])

SESSION_COOKIE_AGE = 30 * 60  # idle timeout: 30 minutes, renewed on every request
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("POLKU_SSL_REDIRECT")
    if env_bool("POLKU_BEHIND_TLS_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fi", "en", "sv")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["polku.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the package when collectstatic was not run

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "polku.core.api_auth.MembershipTokenAuthentication",
        "polku.core.api_auth.MembershipSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["polku.core.api_auth.HasActiveMembership"],
    "DEFAULT_PAGINATION_CLASS": "polku.core.api_support.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "polku.core.api_support.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["polku.core.api_auth.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("POLKU_API_RATE", "600/minute")},
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Polku API",
    "DESCRIPTION": (
        "Clients, programme episodes, consents, care teams and organisations. Every read is "
        "scoped by the access policy and written to the read-access log. Errors are RFC 7807 "
        "problem documents."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set: several models have a "status" or a "kind".
    "ENUM_NAME_OVERRIDES": {
        "DataCategoryEnum": "polku.core.categories.DataCategory",
        "OrganisationKindEnum": "polku.core.models.OrganisationKind",
        "AssessmentStatusEnum": "polku.plans.models.AssessmentStatus",
        "ServiceKindEnum": "polku.plans.models.ServiceKind",
        "ServiceStatusEnum": "polku.plans.models.ServiceStatus",
        "EncounterKindEnum": "polku.plans.models.EncounterKind",
        "NotificationKindEnum": "polku.plans.models.NotificationKind",
        "PlanStatusEnum": "polku.plans.models.PlanStatus",
        "GoalStatusEnum": "polku.plans.models.GoalStatus",
        "ActionStatusEnum": "polku.plans.models.ActionStatus",
        "ReferralStatusEnum": "polku.plans.models.ReferralStatus",
        "EndReasonEnum": "polku.clients.models.EndReason",
        "CaseEndReasonEnum": "polku.ips.models.CaseEndReason",
        "PlacementEndReasonEnum": "polku.ips.models.PlacementEndReason",
        "FidelityBandEnum": "polku.ips.fidelity.bands.Band",
        "FidelitySectionEnum": "polku.ips.fidelity.items.Section",
        "FidelityIndicatorUnitEnum": "polku.ips.fidelity.indicators.Unit",
        "FidelityReviewStatusEnum": "polku.ips.models.ReviewStatus",
        "VacancyStatusEnum": "polku.employers.models.VacancyStatus",
        "InteractionKindEnum": "polku.employers.models.InteractionKind",
        "InteractionPurposeEnum": "polku.employers.models.InteractionPurpose",
        "EmployerServiceKindEnum": "polku.employers.models.EmployerServiceKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "polku.core.api_support.add_problem_responses",
    ],
}

# --- Change audit --------------------------------------------------------------------------------
# Field values of personal data never go into the audit trail: masked fields record only that
# they changed (polku.core.audit.mask).
AUDITLOG_MASK_CALLABLE = "polku.core.audit.mask"
AUDITLOG_INCLUDE_ALL_MODELS = False

# --- Logging: ids only, never personal data ---------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("POLKU_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django logs the full request line of 4xx/5xx responses; our URLs carry no personal data.
        "django.request": {"level": "ERROR"},
        # WeasyPrint and fontTools report every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "matplotlib": {"level": "WARNING"},
    },
}

EMAIL_BACKEND = os.environ.get(
    "POLKU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("POLKU_FROM_EMAIL", "polku@localhost")

POLKU_ACCESS_LOG_VERIFY_BATCH = 5000
POLKU_DEMO = env_bool("POLKU_DEMO")
