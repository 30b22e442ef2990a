"""Settings for Liaison, read from the environment.

Two modes, chosen by ``LIAISON_ENV``:

- ``local`` (default): one machine, SQLite under ``var/``, plain HTTP on loopback, a secret key
  generated once into ``var/secret_key``. This is what ``make run`` uses.
- ``production``: refuses to start without a real ``SECRET_KEY`` (or ``SECRET_KEY_FILE``),
  requires ``ALLOWED_HOSTS``, and turns on every HTTPS protection so that
  ``manage.py check --deploy`` has nothing to say.
"""

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from liaison.core import countries as _countries
from liaison.core import rates as _rates

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LIAISON_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    """An environment variable, or the contents of the file named by ``NAME_FILE``."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """A comma-separated list of addresses or networks; a typo stops the start, not every
    request."""
    networks = env_list(name)
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {network!r} is not an address or a network."
            ) from None
    return networks


def env_rate(name: str, default: str) -> str:
    """A rate such as "60/min" (``liaison.core.rates``), or empty: no limit."""
    rate = env(name, default)
    if rate:
        try:
            _rates.Rate.parse(rate)
        except ValueError:
            raise ImproperlyConfigured(f"{name} is a rate such as 60/min (empty: off).") from None
    return rate


LIAISON_ENV = env("LIAISON_ENV", "local")
if LIAISON_ENV not in {"local", "production"}:
    raise ImproperlyConfigured("LIAISON_ENV must be 'local' or 'production'.")
PRODUCTION = LIAISON_ENV == "production"

DEBUG = env_bool("LIAISON_DEBUG", default=False)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if PRODUCTION:
        # A guessable key lets anyone forge sessions and password-reset links.
        if not key or len(key) < 50 or key.startswith("django-insecure") or len(set(key)) < 5:
            raise ImproperlyConfigured(
                "Production needs a real SECRET_KEY (or SECRET_KEY_FILE): at least 50 random "
                "characters. Generate one with: python -c 'import secrets; "
                "print(secrets.token_urlsafe(64))'"
            )
        return key
    if key:
        return key
    # Local mode: generate once and keep it, so sessions survive a restart.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "liaison.core.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_countries",
    "ninja",
    "liaison.core",
    "liaison.policy",
    "liaison.arrivals",
    "liaison.directory",
    "liaison.exchanges",
    "liaison.agenda",
    "liaison.contacts",
    "liaison.aid",
    "liaison.media",
    "liaison.assistance",
    "liaison.screening",
    "liaison.handover",
    "django_q",
    "liaison.jobs",
    "liaison.notifications",
    "liaison.duty",
    "liaison.incidents",
    "liaison.leadership",
    "liaison.retention",
]

MIDDLEWARE = [
    # First: behind a trusted proxy, the client's address (not the proxy's) is what the rate
    # limits, the sign-in lockouts and the audit trail read.
    "liaison.core.client_address.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "liaison.core.content_policy.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so that static files stay cacheable.
    "liaison.core.middleware.NoStoreMiddleware",
    # Before anything reads a cookie, the query or a form: NUL is a 400 (PostgreSQL refuses it).
    "liaison.core.input_guard.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "liaison.core.middleware.SessionIdleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "liaison.core.middleware.AuditContextMiddleware",
    "liaison.core.middleware.AccessMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaison.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL (DATABASE_URL=postgres://…) for real deployments.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'liaison.sqlite3'}",
        conn_max_age=int(env("LIAISON_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# NORMAL exists only for the declarations bench to measure what FULL costs; production refuses it.
_SQLITE_SYNCHRONOUS = env("LIAISON_SQLITE_SYNCHRONOUS", "FULL").upper()
# What acknowledging commits run with (liaison/core/rate_limit.py restores it after its own).
LIAISON_SQLITE_SYNCHRONOUS = _SQLITE_SYNCHRONOUS
if _SQLITE_SYNCHRONOUS not in {"FULL", "NORMAL"} or (PRODUCTION and _SQLITE_SYNCHRONOUS != "FULL"):
    raise ImproperlyConfigured(
        "LIAISON_SQLITE_SYNCHRONOUS must be FULL (NORMAL only outside production)."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue on busy_timeout instead of
        # one failing with "database is locked" halfway through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # FULL: a commit returns once the WAL is on disk, so a declaration answered "received"
        # survives a power loss (NORMAL syncs only at checkpoints: the last commits could roll
        # back). bench/README.md ("Declarations") measures what it costs.
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            f"PRAGMA synchronous={_SQLITE_SYNCHRONOUS};"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-20000;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else 600
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# --- Login throttling (django-axes) -----------------------------------------------------------
AXES_FAILURE_LIMIT = int(env("LIAISON_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LIAISON_LOGIN_COOLOFF_MINUTES", "15")))
# Lock the account name from that address: a shared airport NAT must not lock out every desk.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And, across every address, at most this many failed sign-ins on one account name an hour
# (liaison.core.sign_in_limits; axes has one limit only). Unknown names are counted alike, so
# the answer never tells whether an account exists.
LIAISON_ACCOUNT_FAILURE_LIMIT = int(env("LIAISON_ACCOUNT_FAILURE_LIMIT", "100"))
LIAISON_ACCOUNT_FAILURE_WINDOW = timedelta(
    minutes=int(env("LIAISON_ACCOUNT_FAILURE_WINDOW_MINUTES", "60"))
)
AXES_HANDLER = "liaison.core.sign_in_limits.AccountLimitHandler"
# The per-account count reads axes' failure log: one row per password actually checked (kept
# for the window only; axes trims it to 1,000 rows a name, far above the limit).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# A refused attempt while locked is not counted again (its password was never checked).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "liaison.core.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False

# --- Sessions and HTTPS -------------------------------------------------------------------------
SESSION_COOKIE_AGE = int(env("LIAISON_SESSION_HOURS", "12")) * 3600
# Besides that absolute limit, a staff session left alone this long is signed out (ASVS 3.3.2).
LIAISON_SESSION_IDLE_MINUTES = int(env("LIAISON_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("LIAISON_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("LIAISON_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("LIAISON_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies (addresses or networks) whose X-Forwarded-For names the client
# (liaison/core/client_address.py); empty: REMOTE_ADDR is the client.
LIAISON_TRUSTED_PROXIES = env_networks("LIAISON_TRUSTED_PROXIES")

# --- Content-Security-Policy (django-csp 4) ------------------------------------------------------
# No inline script anywhere: behaviour lives in static files (a test scans every template). Inline
# styles stay allowed: the traveler pages inline their small stylesheet on purpose (one request
# less on a roaming phone), and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Bodies larger than this are refused before a view sees them (a declaration is a few KB).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("LIAISON_MAX_BODY_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Languages ----------------------------------------------------------------------------------
# Staff pages are in Chinese and English; traveler pages add the languages of the arrivals.
LANGUAGE_CODE = "zh-hans"
STAFF_LANGUAGES = ("zh-hans", "en")
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
    ("ko", "한국어"),
    ("ja", "日本語"),
    ("it", "Italiano"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("fa", "فارسی"),
    ("ar", "العربية"),
]
LANGUAGES_BIDI = ["fa", "ar", "he", "ur"]
# Country and region names as the MFA writes them; Taiwan, Hong Kong and Macao as regions of
# China (django-countries' own setting; the list and why: liaison/core/countries.py).
COUNTRIES_OVERRIDE = _countries.COUNTRIES_OVERRIDE
TIME_ZONE = env("LIAISON_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("LIAISON_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env("LIAISON_MEDIA_ROOT", str(VAR_DIR / "media")))

# Shared between app servers on PostgreSQL (rate limits, lockouts); created by `createcachetable`.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "liaison_cache",
    },
    # The job cluster's heartbeat (every half second): kept in its own process, not written to the
    # database (Q_CLUSTER["cache"]).
    "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"},
}

# --- Liaison ------------------------------------------------------------------------------------
LIAISON_CITY = env("LIAISON_CITY", "chongqing")
LIAISON_REFERENCE_DIR = Path(env("LIAISON_REFERENCE_DIR", str(BASE_DIR / "reference")))
# Administrators must sign in with a second factor. Off only for automated tests of other things.
LIAISON_ADMIN_REQUIRES_2FA = env_bool("LIAISON_ADMIN_REQUIRES_2FA", default=True)
if PRODUCTION and not LIAISON_ADMIN_REQUIRES_2FA:
    raise ImproperlyConfigured(
        "Production refuses LIAISON_ADMIN_REQUIRES_2FA=off: administrators sign in with a second "
        "factor. Turn it off only for local tests."
    )
# The admin site never shows a TOTP key or its QR code (devices are set up by their owner).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_TOTP_ISSUER = env("LIAISON_TOTP_ISSUER", "Liaison")
# The public declaration form's and API's limit per client address ("60/min"); empty turns it
# off (bench). Addresses many travelers share — an airport's or a hotel's Wi-Fi behind one
# NAT, the arrival hall's kiosks — can be named with a limit of their own, still per address.
LIAISON_DECLARATION_RATE = env_rate("LIAISON_DECLARATION_RATE", "60/min")
LIAISON_SHARED_NETWORKS = env_networks("LIAISON_SHARED_NETWORKS")
LIAISON_SHARED_NETWORK_RATE = env_rate("LIAISON_SHARED_NETWORK_RATE", "600/min")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LIAISON_LOG_LEVEL", "INFO")},
    # WeasyPrint tells every step of every PDF at INFO; its refusals (WARNING, ERROR) stay.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # The job cluster tells every run at INFO (the jobs page has them); failures stay.
        "django-q": {"level": "WARNING"},
    },
}

# The closed-loop board's alerts: a departed batch not fully confirmed, a sample without a result,
# a declared traveler never screened, after this many hours.
LIAISON_BATCH_CONFIRM_HOURS = float(env("LIAISON_BATCH_CONFIRM_HOURS", "3"))
LIAISON_RESULT_WAIT_HOURS = float(env("LIAISON_RESULT_WAIT_HOURS", "12"))
LIAISON_UNSCREENED_HOURS = float(env("LIAISON_UNSCREENED_HOURS", "2"))
# The city's public service hotline, on every traveler's status page after the site's and the
# jurisdiction's own numbers (reference data).
LIAISON_CITY_HOTLINE = env("LIAISON_CITY_HOTLINE", "12345")

# --- Background jobs and notifications (liaison/jobs, liaison/notifications) ----------------------
# The job runner is django-q2 with its database ("ORM") broker: the queue, the schedules and the
# record of every run are tables in Liaison's own database, so it runs on SQLite as on PostgreSQL
# with several app servers; each schedule's run is created once, under a row lock (README, "Jobs").
# A job that raises is retried after LIAISON_JOB_RETRY_SECONDS, then twice, four times … that wait
# (at most LIAISON_JOB_RETRY_MAX_SECONDS), until LIAISON_JOB_ATTEMPTS attempts are spent; a job
# whose worker died is taken again after the same wait (liaison/jobs/broker.py).
LIAISON_JOB_RETRY_SECONDS = int(env("LIAISON_JOB_RETRY_SECONDS", "60"))
LIAISON_JOB_RETRY_MAX_SECONDS = int(env("LIAISON_JOB_RETRY_MAX_SECONDS", "3600"))
LIAISON_JOB_ATTEMPTS = int(env("LIAISON_JOB_ATTEMPTS", "5"))
# A job still running after this many seconds is stopped (and retried): below the retry wait.
LIAISON_JOB_TIMEOUT_SECONDS = int(env("LIAISON_JOB_TIMEOUT_SECONDS", "50"))
Q_CLUSTER = {
    "name": "liaison",
    "orm": "default",
    "broker_class": "liaison.jobs.broker.BackoffORM",
    "workers": int(env("LIAISON_JOB_WORKERS", "1")),
    "timeout": LIAISON_JOB_TIMEOUT_SECONDS,
    "retry": LIAISON_JOB_RETRY_SECONDS,
    "max_attempts": LIAISON_JOB_ATTEMPTS,
    "ack_failures": False,
    # Only the latest due time of a schedule runs after a pause, not every one missed.
    "catch_up": False,
    # The cluster looks at its processes every half second and at the schedules every 30 s.
    "guard_cycle": 0.5,
    "poll": float(env("LIAISON_JOB_POLL_SECONDS", "1")),
    # Successful runs kept per job for the jobs page; failed ones are all kept.
    "save_limit": 200,
    "save_limit_per": "group",
    "cache": "jobs",
    "label": "Background jobs",
}
# E-mail: Django's console backend by default; EMAIL_BACKEND=django.core.mail.backends.smtp.
# EmailBackend with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD(_FILE) for SMTP.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "liaison@localhost")
# SMS: a class with send(*, to, text); the default only logs (liaison/notifications/sms.py).
LIAISON_SMS_BACKEND = env("LIAISON_SMS_BACKEND", "liaison.notifications.sms.LogBackend")
# The commitments ledger: an open commitment's owner is reminded this many days before it is due
# (and again on the first day it is overdue).
LIAISON_COMMITMENT_REMINDER_DAYS = int(env("LIAISON_COMMITMENT_REMINDER_DAYS", "3"))
