"""Settings shared by every environment. Values come from the environment (django-environ).

Development and test settings supply safe local defaults; production settings require
every secret to be set and fail loudly when one is missing.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])


# What every connection to PostgreSQL sets (docs/decisions/0003 and 0028):
# - no JIT: the figures queries (a subquery per child over a partnership) are costly in
#   estimate but quick to run, and compiling them took longer than running them;
# - no parallel workers: a page's reads take a millisecond or two, and starting workers for
#   them cost 5-10 ms of waiting and more CPU than it saved; on two cores serving many
#   people at once, every core is already busy with a request;
# - random pages priced as the database reads them, from memory or SSD (1.1, not the
#   spinning-disc 4): at 4 the planner hashed every unsigned record rather than look up a
#   team's few sessions' records by index (18 ms against 2 ms).
POSTGRESQL_OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"


# How many prepared statements each connection keeps (core.connections; decision 0036).
DATABASE_PREPARED_MAX = env.int("DB_PREPARED_MAX", default=300)


def database_tuned(database: dict[str, Any]) -> dict[str, Any]:
    """Each PostgreSQL connection's settings (``POSTGRESQL_OPTIONS``), unless the URL names
    its own ``options``; and, unless ``DB_PREPARED_STATEMENTS=false``, psycopg prepares a
    read compiled once per process (core.prepared) on its fifth use in a connection, so that
    PostgreSQL plans it once (core.connections; decision 0036)."""
    if "postgresql" in database["ENGINE"]:
        options = database.setdefault("OPTIONS", {})
        options.setdefault("options", POSTGRESQL_OPTIONS)
        if env.bool("DB_PREPARED_STATEMENTS", default=True):
            options.setdefault("prepare_threshold", 5)
    return database


def sqlite_tuned(database: dict[str, Any]) -> dict[str, Any]:
    """SQLite (the embedded database of `make run` and `make serve`) with a web server and a
    worker side by side: write-ahead logging lets one read while the other writes, and a
    write waits its turn rather than failing."""
    if database["ENGINE"] == "django.db.backends.sqlite3" and database["NAME"] != ":memory:":
        database.setdefault("OPTIONS", {}).update(
            {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
    return database


DATABASES = {
    "default": database_tuned(
        env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A PostgreSQL read replica for the dashboards' figures (docs/scaling.md): reads inside
# core.routers.reading_from_replica() go to it; every write, and every other read, to the
# primary. Without DATABASE_REPLICA_URL the router sends everything to the primary.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = database_tuned(env.db("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["oversight.core.routers.DashboardReplicaRouter"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded demo database (`make run`) lacks two PostgreSQL refinements: covering
    # columns on the cadence indexes (decision 0025) and a unique constraint over a nullable
    # scope (decision 0023). The answers are the same without them; say nothing.
    SILENCED_SYSTEM_CHECKS = ["models.W040", "models.W047"]

# Dashboards and the wide-scope home panels of leads and line managers are kept a few minutes
# (docs/decisions/0003). One process: memory. Several (production): a shared cache, e.g.
# CACHE_URL=dbcache://oversight_cache after `manage.py createcachetable`.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    # Each process's own memory, for what nearly never changes and every page shows (the
    # partnership's name): a shared cache would cost the query it saves (decision 0026).
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "oversight-local",
        "TIMEOUT": env.int("LOCAL_CACHE_SECONDS", default=60),
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "csp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "govuk_frontend_django",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_guid",
    # Before django_tasks_db: core's db_worker (heartbeat, recovery) replaces its own.
    "oversight.core",
    "django_tasks",
    "django_tasks_db",
    "oversight.people",
    "oversight.signin",
    "oversight.contracts",
    "oversight.children",
    "oversight.supervision",
    "oversight.notifications",
    "oversight.assurance",
    "oversight.integrations",
]

MIDDLEWARE = [
    # First: a request id for every request (X-Request-ID, logs, error pages), and one log
    # line per request with its status and duration (oversight.core.observability).
    "django_guid.middleware.guid_middleware",
    "oversight.core.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, renewing an idle session at most once a minute (core.sessions).
    "oversight.core.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oversight.signin.middleware.OTPMiddleware",
    "oversight.core.kept_typing.KeptTypingMiddleware",
    # Every view is closed unless explicitly opened with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "oversight.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    # After a password, administrators, auditors, leads (and whoever an agency's policy or
    # their own choice names) reach nothing until a second factor (oversight.signin).
    "oversight.signin.middleware.SecondFactorMiddleware",
]

ROOT_URLCONF = "oversight.urls"
WSGI_APPLICATION = "oversight.wsgi.application"

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
                "oversight.core.context_processors.service",
                "oversight.people.context_processors.partnership",
            ],
            # {% csrf_token %} also carries who is typing, so a form sent after the idle
            # sign-out is kept (core.kept_typing, decision 0013); {% url %} reverses each
            # link once per process (core.reversing); |date compiles each format once.
            "builtins": [
                "oversight.core.templatetags.kept_typing",
                "oversight.core.templatetags.kept_urls",
                "oversight.core.templatetags.kept_dates",
            ],
        },
    },
]
FORM_RENDERER = "oversight.core.forms.GovukFormRenderer"

AUTH_USER_MODEL = "people.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "oversight.people.backends.UsernameOrEmailBackend",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Second factors (django-otp; decision 0009). Authenticator apps show this name.
# No backend passes the second factor by itself here:
# test settings name the test client's (oversight.signin.testing).
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Oversight")
SIGNIN_SECOND_FACTOR_PASSED_BACKENDS: list[str] = []
# Passkeys (WebAuthn, django-otp-webauthn) as a second factor only, never instead of a
# password. A passkey belongs to the host name people reach the service at (its relying
# party id is the request's host, which ALLOWED_HOSTS has checked); that origin is always
# accepted, and PASSKEY_ORIGINS may name more (https://, or http://localhost for trying out).
OTP_WEBAUTHN_RP_NAME = env("OTP_WEBAUTHN_RP_NAME", default="Oversight")
OTP_WEBAUTHN_RP_ID_CALLABLE = "oversight.signin.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "oversight.signin.passkeys.PasskeyHelper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("PASSKEY_ORIGINS", default=["http://localhost:8000"])
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "oversight.signin.passkeys"

# Sessions end after inactivity: a request renews the session, so only idle time counts; to
# spare a database write per page, at most once every SESSION_RENEW_SECONDS (core.sessions,
# decision 0026).
SESSION_ENGINE = "oversight.core.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-axes: lock an account after repeated failures from any address, counted under one
# key for every spelling of its username or email; lock an address that fails across many
# accounts (issue 10 item 1, people.backends).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = "oversight.people.backends.lockout_parameters"
AXES_USERNAME_CALLABLE = "oversight.people.backends.lockout_username"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "oversight" / "static"]
# `manage.py collectstatic` (make static, make serve, docs/deploy.md) writes each asset under a
# name with its content's hash, gzip and Brotli copies beside it; whitenoise serves them with
# a year's caching. Under DEBUG the plain names are used and no collectstatic is needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="oversight@localhost")
# Issue 11 item 7: GOV.UK Notify instead of SMTP, for public bodies that must use it:
# EMAIL_BACKEND=oversight.notifications.backends.NotifyEmailBackend and these two.
if env("EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = env("EMAIL_BACKEND")
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID", default="")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", default="")
# Issue 10 item 2: a mail server that says nothing holds a try for at most this long; a
# failed try is tried again after EMAIL_RETRY_SECONDS, doubling, EMAIL_MAX_ATTEMPTS tries in
# all (1, 2, 4, 8, 16 minutes: about half an hour), then the email is shown as not sent.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_RETRY_SECONDS = env.float("EMAIL_RETRY_SECONDS", default=60)
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=6)

# Issue 11 item 6: `manage.py crontask` queues each app's `<schedule>_jobs` at these times
# (cron, in TIME_ZONE): urgent requests left unanswered every quarter hour, the day's work
# and reminders at 06:30, the weekly digests at 07:00 on Mondays.
CRONTASK_SCHEDULES = {
    "frequent": env("CRONTASK_FREQUENT", default="*/15 * * * *"),
    "daily": env("CRONTASK_DAILY", default="30 6 * * *"),
    "weekly": env("CRONTASK_WEEKLY", default="0 7 * * 1"),
}

# Background work runs on the database-backed queue: `make worker` (manage.py db_worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker beats this often; one silent for three beats is taken for dead and its running
# tasks go back on the queue, each at most WORKER_MAX_CLAIMS times (oversight.core.worker).
WORKER_HEARTBEAT_SECONDS = env.float("WORKER_HEARTBEAT_SECONDS", default=15)
WORKER_MAX_CLAIMS = env.int("WORKER_MAX_CLAIMS", default=3)

# django-csp 4: no inline script or style without the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

PARTNERSHIP_NAME = env("PARTNERSHIP_NAME", default="")

# Issue 11: links in emails are absolute, from where the service is reached.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# An invitation's link to set a password works once, for this many days.
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)
# The API for case-management systems (issue 16, docs/api.md): a hashed API key per
# integration, one scope per endpoint, API_RATE calls per client counted in the cache, errors
# as problem details (RFC 9457), cursor pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["oversight.integrations.api.auth.IntegrationAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["oversight.integrations.api.auth.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["oversight.integrations.api.auth.PerClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {"integration": env("API_RATE", default="1200/minute")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "oversight.integrations.api.problems.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Oversight API",
    "DESCRIPTION": (
        "For agencies' case-management systems: the child register, review meetings, "
        "decisions due on the child's file, staff from HR and supervision sessions. "
        "Authenticate with Authorization: Bearer <client id>.<secret>. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ReviewMeetingKindEnum": "oversight.children.models.ReviewMeetingKind",
        "SessionKindEnum": "oversight.supervision.models.SessionType",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "oversight.integrations.api.schema.problem_responses",
    ],
}
# Webhooks (issue 16 item 4): a try waits at most WEBHOOK_TIMEOUT seconds; a failed one is
# tried again after WEBHOOK_RETRY_SECONDS, doubling, up to WEBHOOK_MAX_ATTEMPTS tries.
WEBHOOK_TIMEOUT = env.int("WEBHOOK_TIMEOUT", default=10)
WEBHOOK_RETRY_SECONDS = env.float("WEBHOOK_RETRY_SECONDS", default=60)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
# Plain http:// webhook addresses only where this is on (development and tests).
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=DEBUG)

# Closed unless switched on (issue 10 item 9): Django's own admin at /django-admin/, and the
# detailed /health/ answer for a monitor that sends this token (core.views.HealthView).
ENABLE_DJANGO_ADMIN = env.bool("ENABLE_DJANGO_ADMIN", default=False)
HEALTH_CHECK_TOKEN = env("HEALTH_CHECK_TOKEN", default="")
# /health/ready/ answers 503 when the oldest task ready to run has waited longer than this
# (the workers are stopped or swamped); 0 leaves the backlog out of the answer.
HEALTH_QUEUE_MAX_MINUTES = env.int("HEALTH_QUEUE_MAX_MINUTES", default=15)

# Logs go to standard error (systemd's journal, a container's log). LOG_FORMAT=json (the
# production default) writes one JSON object a line: one per request and one per task
# (oversight.core.observability), each with its request id, and no personal data.
LOG_FORMAT = env("LOG_FORMAT", default="text")
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,  # an id sent by the proxy is kept only if it is a UUID
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
}


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {
                "()": "django_guid.log_filters.CorrelationId",
                "correlation_id_field": "request_id",
            },
            "private": {"()": "oversight.core.observability.PrivateRequestFilter"},
        },
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
            "text": {"format": "%(levelname)s %(name)s %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id", "private"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # django-guid says at INFO whether each request brought an id.
            "django_guid": {"level": "WARNING"},
            # A 404 or 403 is in the request's own line; Django's adds nothing but noise.
            "django.request": {"level": "ERROR"},
            # The task's own line (oversight.task) says it ran; django-tasks' say it again.
            "django_tasks": {"level": "WARNING"},
        },
    }


LOGGING = logging_config(LOG_FORMAT, env("LOG_LEVEL", default="INFO"))
