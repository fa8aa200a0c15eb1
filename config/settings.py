"""Settings for every environment, read from environment variables.

The embedded default (no variables set) runs on one machine with no services: SQLite, Celery
tasks executed in-process, SMS printed to the console. Scaled out, the same code reads
``DATABASE_URL``, ``CELERY_BROKER_URL``, Twilio credentials and so on. A malformed value stops
start-up with a message that names the variable.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.field_keys import field_keys

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use yes/no, true/false or 1/0.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -----------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
# A development key only with DEBUG on: a published key would let anyone sign sessions,
# password-reset links and calendar tokens of her choosing.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set it to a long random value (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`), or DEBUG=yes on a "
            "development machine."
        )
    SECRET_KEY = "django-insecure-development-only-set-SECRET_KEY"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", PUBLIC_BASE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "core",
    "accounts",
    "venues",
    "volunteers",
    "notifications",
    "activities",
    "signin",
    "matching",
    "auditlog",
    "mediation",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "core.middleware.DomainErrorMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    # Who and from where, for the audit log of disputes (django-auditlog).
    "mediation.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.navigation.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
    if _db.get("ENGINE") not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ImproperlyConfigured(
            "DATABASE_URL must point to PostgreSQL (postgres://…) or SQLite (sqlite:///…)."
        )
    if _db["ENGINE"].endswith("postgresql") and not _db.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL names no database: postgres://user@host:5432/<database>."
        )
    _db["CONN_HEALTH_CHECKS"] = True
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Kept between requests as PostgreSQL's is: opening the file and running the pragmas
            # below cost a request about 7 ms of CPU.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            # WAL lets readers go on while one writer commits; a write waits up to 20 s for the
            # lock instead of failing at once, and IMMEDIATE transactions take the write lock at
            # BEGIN, which is what serialises concurrent sign-ups on SQLite.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Where `make backup` (manage.py backup) writes: SQLite's online backup or a pg_dump file.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))

# --- Cache ----------------------------------------------------------------------------------

_redis_url = env_str("REDIS_URL") or (
    env_str("CELERY_BROKER_URL") if env_str("CELERY_BROKER_URL").startswith("redis") else ""
)
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, each reading her volunteer profile with her user row (signin.backends).
AUTHENTICATION_BACKENDS = [
    "signin.backends.ModelBackend",
    "signin.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# Email and password, or a mobile number and a code sent by SMS (allauth's phone support; the
# number lives on the volunteer profile, see signin.adapter).
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = 2
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "signin.adapter.AccountAdapter"
ACCOUNT_FORMS = {"request_login_code": "signin.forms.RequestLoginCodeForm"}
ACCOUNT_SIGNUP_FORM_CLASS = "signin.signup.SignupNameForm"
# Confirming the address in the browser she signed up in signs her in and opens her page.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "home"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    # SMS codes, per number (key) and per address: against SMS pumping.
    "request_login_code": "10/m/ip,3/m/key,6/h/key",
    "verify_phone": "1/30s/key,3/m/ip",
}
# A second factor (allauth's MFA): TOTP with recovery codes, or passkeys. Offered to everyone;
# required, once DEBUG is off, of whoever a rule in SECOND_FACTOR_REQUIRED_FOR names (see
# accounts.second_factor: an app extends the list with its own rule).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Women's Federation volunteers")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", not DEBUG)
# bench/load.py: mounts a bare DRF list of the same rows as "shifts for me", its ceiling.
BENCH_CEILING = env_bool("BENCH_CEILING", False)
# Checked in this order on every request: the mediation rule reads her roles (coordinator areas
# included) in one query, which the coordinator rule then reads from the request's cache.
SECOND_FACTOR_REQUIRED_FOR = [
    "accounts.second_factor.is_staff_member",
    "mediation.selectors.user_can_open_disputes",
    "venues.selectors.is_coordinator",
]

# The client's address, for the rate limits above and the API's: the number of proxies of ours in
# front of the site, each appending to X-Forwarded-For (0: none, REMOTE_ADDR is the client).
# Entries a client adds herself stand before those and are never read.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# API tokens (django-rest-knox, accounts.ApiToken): stored as digests, expiring after this many
# days, ended by POST /api/v1/auth/logout/ and by any change of the password.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
# The same rows as read to authenticate, with her profile (signin.models.SignedInToken).
KNOX_TOKEN_MODEL = "signin.SignedInToken"
# knox's own migrations would make a table for the model ours replaces: none is wanted.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": None,
}

ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PUBLIC_BASE_URL.startswith("https") else "http"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Without a broker the email is sent inside the request that caused it: a mail server that
# hangs must not hold it for long (the attempt is retried by the email outbox sweep).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@women-volunteers.invalid")

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# 24-hour times in English as in Chinese (config/formats/en).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- Static files ---------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

# --- Security (production values unless DEBUG) ----------------------------------------------

_HTTPS = PUBLIC_BASE_URL.startswith("https://")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Served over https: plain http is redirected, and browsers are told to use https for a year.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own static files: no inline script or event handler runs, so injected
# markup cannot run code. Styles may be inline (allauth's, the admin's and Swagger UI's pages
# use style attributes); images may be data: URIs (the QR code of two-step sign-in).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- REST API -------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
    # The client address for throttles, read as allauth reads it (TRUSTED_PROXY_COUNT).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Women's Federation volunteer platform API",
    "DESCRIPTION": "Volunteers, venues, activities, shifts and sign-ups.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AssignmentStatusEnum": "activities.models.Assignment.Status",
        "SlotStatusEnum": "activities.models.Slot.Status",
        "ActivityStatusEnum": "activities.models.Activity.Status",
        "MatchRunStatusEnum": "matching.models.MatchRun.Status",
        "AttendanceEnum": [("attended", "Attended"), ("no_show", "No-show")],
        "DisputeKindEnum": "mediation.models.Dispute.Kind",
        "DisputeStatusEnum": "mediation.models.Dispute.Status",
        "DisputeSourceEnum": "mediation.models.Dispute.Source",
        "DisputeLevelEnum": "mediation.models.Dispute.Level",
        "PartnerKindEnum": "mediation.models.PartnerContact.Kind",
        "MediationRunStatusEnum": "mediation.models.MediationRun.Status",
        "MediationRoleEnum": "mediation.models.MediatorAssignment.Role",
        "TeamMembershipRoleEnum": "volunteers.models.TeamMembership.Role",
    },
}

# --- Celery ---------------------------------------------------------------------------------

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or "")
# Without a broker every task runs in the calling process, right after the transaction commits.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Handing a task over happens after a change has committed, inside the request: a broker that
# is down or slow must cost the request seconds, not minutes. Whatever is not handed over is
# described by a committed row that the periodic sweeps pick up (notifications.outbox_dispatch).
CELERY_BROKER_TIMEOUT_SECONDS = env_int("CELERY_BROKER_TIMEOUT_SECONDS", 2)
CELERY_BROKER_CONNECTION_TIMEOUT = CELERY_BROKER_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": CELERY_BROKER_TIMEOUT_SECONDS,
    "socket_timeout": CELERY_BROKER_TIMEOUT_SECONDS * 2,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_TIMEOUT = CELERY_BROKER_TIMEOUT_SECONDS * 2
# The result store is subscribed to when a task is sent; by default it would try for 20 s.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
}
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "generate-slots": {
        "task": "activities.tasks.generate_slots",
        "schedule": timedelta(hours=1),
    },
    # Texts held back by quiet hours or retries, and any whose task was lost, go out.
    "sms-outbox-dispatch": {
        "task": "notifications.outbox_dispatch",
        "schedule": timedelta(minutes=1),
    },
    # Emails (calendar invitations) whose retry is due, and any whose task was lost.
    "email-outbox-dispatch": {
        "task": "notifications.email_outbox_dispatch",
        "schedule": timedelta(minutes=1),
    },
    # Matcher runs whose task never reached a worker (the broker was down) are handed over.
    "matcher-runs-requeue": {
        "task": "matching.runs_requeue",
        "schedule": timedelta(minutes=1),
    },
    "mediation-runs-requeue": {
        "task": "mediation.tasks.runs_requeue",
        "schedule": timedelta(minutes=1),
    },
    "sms-reminders": {
        "task": "activities.tasks.reminders_send",
        "schedule": timedelta(minutes=5),
    },
    "sms-backfill-rounds": {
        "task": "activities.tasks.backfill_advance",
        "schedule": timedelta(minutes=1),
    },
    "mediation-follow-up-reminders": {
        "task": "mediation.tasks.follow_ups_remind",
        "schedule": timedelta(minutes=30),
    },
    "mediation-retention": {
        "task": "mediation.tasks.retention_erase",
        "schedule": timedelta(hours=24),
    },
}

# --- Product settings -----------------------------------------------------------------------

# Largest upload taken (a volunteers' spreadsheet), checked before the body is read.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 2) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES

SLOT_HORIZON_WEEKS = env_int("SLOT_HORIZON_WEEKS", 12)
SIGNUP_CANCEL_CUTOFF_HOURS = env_int("SIGNUP_CANCEL_CUTOFF_HOURS", 2)
CHECKIN_WINDOW_BEFORE_MINUTES = env_int("CHECKIN_WINDOW_BEFORE_MINUTES", 60)
CHECKIN_WINDOW_AFTER_MINUTES = env_int("CHECKIN_WINDOW_AFTER_MINUTES", 60)
REMINDER_HOURS_BEFORE = [int(h) for h in env_list("REMINDER_HOURS_BEFORE", "24,2")]
QUIET_HOURS_START = env_str("QUIET_HOURS_START", "21:00")
QUIET_HOURS_END = env_str("QUIET_HOURS_END", "08:00")
BACKFILL_OFFER_MINUTES = env_int("BACKFILL_OFFER_MINUTES", 30)
CALENDAR_ALARM_MINUTES = env_int("CALENDAR_ALARM_MINUTES", 120)
# How far back a person's calendar feed reaches (days of past shifts kept in it).
CALENDAR_FEED_PAST_DAYS = env_int("CALENDAR_FEED_PAST_DAYS", 90)
# Sources of a person's feed entries (dotted paths of notifications.calendar.FeedProvider).
CALENDAR_FEED_PROVIDERS = [
    "activities.calendar.ShiftFeedProvider",
    "mediation.calendar.SessionFeedProvider",
]
COORDINATOR_CONTACT = env_str("COORDINATOR_CONTACT", "+862112345678")
# Whose public holidays "not on public holidays" skips (ISO 3166 code, python-holidays).
PUBLIC_HOLIDAYS_COUNTRY = env_str("PUBLIC_HOLIDAYS_COUNTRY", "CN")
# Time the matcher may spend on one run (split over its weeks), in seconds.
MATCHER_TIME_LIMIT_SECONDS = env_int("MATCHER_TIME_LIMIT_SECONDS", 20)

SMS_BACKEND = env_str("SMS_BACKEND", "console")
if SMS_BACKEND not in {"console", "locmem", "twilio"}:
    raise ImproperlyConfigured("SMS_BACKEND must be one of console, locmem, twilio.")
if SMS_BACKEND == "console" and not DEBUG:
    # The console backend prints every text, sign-in codes included, into the logs.
    raise ImproperlyConfigured(
        "SMS_BACKEND is console (the default), which prints sign-in codes into the logs: set "
        "SMS_BACKEND=twilio with its TWILIO_* variables, or DEBUG=yes on a development machine."
    )
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")
TWILIO_MESSAGING_SERVICE_SID = env_str("TWILIO_MESSAGING_SERVICE_SID")
TWILIO_API_BASE_URL = env_str("TWILIO_API_BASE_URL", "https://api.twilio.com").rstrip("/")
if SMS_BACKEND == "twilio" and not (
    TWILIO_ACCOUNT_SID
    and TWILIO_AUTH_TOKEN
    and (TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID)
):
    raise ImproperlyConfigured(
        "SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
        "TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID."
    )

# Seconds the Twilio client waits for an answer before the attempt counts as "maybe sent".
TWILIO_TIMEOUT_SECONDS = env_int("TWILIO_TIMEOUT_SECONDS", 15)
# Sending an SMS: attempts before it is marked failed, backoff between them (exponential with
# jitter, seconds), and how long a text may wait at the provider when nothing sooner applies.
SMS_MAX_ATTEMPTS = env_int("SMS_MAX_ATTEMPTS", 6)
SMS_RETRY_BASE_SECONDS = env_int("SMS_RETRY_BASE_SECONDS", 30)
SMS_RETRY_MAX_SECONDS = env_int("SMS_RETRY_MAX_SECONDS", 1800)
SMS_VALIDITY_SECONDS = env_int("SMS_VALIDITY_SECONDS", 4 * 3600)
# How long one send attempt owns a message; after that a stuck attempt is looked up and resumed.
SMS_LEASE_SECONDS = env_int("SMS_LEASE_SECONDS", 120)
# Against SMS pumping: sign-in codes and automatic replies per number and hour.
SMS_CODES_PER_NUMBER_PER_HOUR = env_int("SMS_CODES_PER_NUMBER_PER_HOUR", 5)
SMS_REPLIES_PER_NUMBER_PER_HOUR = env_int("SMS_REPLIES_PER_NUMBER_PER_HOUR", 10)
# A slot cancelled less than this many hours before its start is told even in quiet hours.
SMS_URGENT_HOURS = env_int("SMS_URGENT_HOURS", 12)
# Last-minute backfill: a seat freed less than this many hours ahead is offered by SMS.
BACKFILL_WINDOW_HOURS = env_int("BACKFILL_WINDOW_HOURS", 24)
BACKFILL_ROUND_SIZE = env_int("BACKFILL_ROUND_SIZE", 5)

# Mediation: follow-up visits after a case is resolved (days), and how long the personal data
# of a closed case is kept before the retention task erases it (days after closing).
MEDIATION_FOLLOW_UP_DAYS = [int(d) for d in env_list("MEDIATION_FOLLOW_UP_DAYS", "7,30")]
MEDIATION_RETENTION_DAYS = env_int("MEDIATION_RETENTION_DAYS", 730)
# Time the mediation matcher may spend on one run, in seconds.
MEDIATION_MATCHER_TIME_LIMIT_SECONDS = env_int("MEDIATION_MATCHER_TIME_LIMIT_SECONDS", 10)

# Reports: below a street, a count smaller than this is shown as "fewer than N", so that a
# single case or person cannot be recognised.
REPORTS_MIN_COUNT = env_int("REPORTS_MIN_COUNT", 5)

# Fields encrypted at rest (django-fernet-encrypted-fields): the first key encrypts, all decrypt.
# The embedded default keeps a generated key in a file beside the database (config/field_keys.py).
_local_key_file = env_str("FIELD_ENCRYPTION_KEY_FILE") or str(
    Path(DATABASES["default"]["NAME"]).with_name("field-encryption.key")
    if DATABASES["default"]["ENGINE"].endswith("sqlite3")
    else BASE_DIR / "field-encryption.key"
)
FIELD_ENCRYPTION_KEY, FIELD_ENCRYPTION_KEY_IS_LOCAL = field_keys(
    env_str("FIELD_ENCRYPTION_KEY"), local=Path(_local_key_file)
)
# The library derives each Fernet key from SECRET_KEY (and SECRET_KEY_FALLBACKS) and these.
SALT_KEY = FIELD_ENCRYPTION_KEY
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Human-readable labels used in several apps.
WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
