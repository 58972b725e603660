"""Production: every secret from the environment, HTTPS only. Missing values stop start-up.

docs/deploy.md lists every variable. ``OVERSIGHT_LOCAL_HTTP=true`` is for ``make serve`` only:
it lets these settings answer over plain HTTP on this machine's loopback address, and is
refused unless every allowed host is a loopback name, so it cannot open a real deployment to
plain HTTP."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, TEMPLATES, database_tuned, env, logging_config, sqlite_tuned

DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": sqlite_tuned(database_tuned(env.db("DATABASE_URL")))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer in transaction mode (docs/scaling.md), cursors cannot outlive a transaction.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DB_DISABLE_SERVER_SIDE_CURSORS", default=False
)
if env("EMAIL_BACKEND", default=""):
    # GOV.UK Notify (issue 11 item 7) instead of SMTP; its key is required.
    EMAIL_BACKEND = env("EMAIL_BACKEND")
    NOTIFY_API_KEY = env("NOTIFY_API_KEY")
    NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID")
else:
    EMAIL_CONFIG = env.email_url("EMAIL_URL")
    vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
# Links in emails (issue 11): where people reach the service; by default the first allowed
# host over HTTPS.
SITE_URL = env("SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}").rstrip("/")

# Django's database cache keeps 300 entries unless told otherwise, and past that throws a third
# away on every write: a partnership's kept figures (month ends, each lead's and manager's
# wide panels) are thousands. ``?max_entries=`` in CACHE_URL still decides (decision 0026).
CACHES = {**CACHES, "default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 50_000)

# Templates are compiled once per process and kept (issue 17 item 1). Django 5.2 already wraps
# its default loaders in the cached loader when none are named; named here so that no later
# change to TEMPLATES (a loader added, APP_DIRS turned off) quietly recompiles every template
# on every request. decision 0026.
TEMPLATES = [
    {
        **{key: value for key, value in TEMPLATES[0].items() if key != "APP_DIRS"},
        "APP_DIRS": False,
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],  # type: ignore[dict-item]
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    }
]

LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = logging_config(LOG_FORMAT, env("LOG_LEVEL", default="INFO"))

# TLS ends at the proxy in front (docs/deploy.md): it must set X-Forwarded-Proto itself,
# overwriting whatever a client sent, and the application must be reachable only through it.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER: tuple[str, str] | None = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# How many proxies stand in front of the application: the client's address for sign-in
# lockouts is that many hops from the right of X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=1)

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_HTTP = env.bool("OVERSIGHT_LOCAL_HTTP", default=False)
if LOCAL_HTTP:
    if not ALLOWED_HOSTS or set(ALLOWED_HOSTS) - LOOPBACK_HOSTS:
        raise ImproperlyConfigured(
            "OVERSIGHT_LOCAL_HTTP serves plain HTTP on this machine only: ALLOWED_HOSTS may "
            f"name only {', '.join(sorted(LOOPBACK_HOSTS))}."
        )
    # make serve: plain HTTP on loopback, for trying the production settings out. Nothing
    # else changes: DEBUG stays off, static files come from collectstatic.
    SECURE_SSL_REDIRECT = False
    SECURE_PROXY_SSL_HEADER = None
    SECURE_HSTS_SECONDS = 0
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    AXES_IPWARE_PROXY_COUNT = 0
