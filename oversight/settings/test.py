"""Tests: SQLite by default, PostgreSQL when DATABASE_URL is set (as in CI)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from .base import *  # noqa: F403
from .base import AUTHENTICATION_BACKENDS, CACHES, MIDDLEWARE, STORAGES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A test that starts the real worker (core/tests/test_worker.py) gives it the database queue
# and a real SMTP server (EMAIL_URL) through its environment; every other test keeps mail in
# memory and runs tasks at once.
if not env.bool("TEST_WORKER_REAL_MAIL", default=False):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {
    "default": {
        "BACKEND": env(
            "TEST_WORKER_TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
AXES_FAILURE_LIMIT = 5
# Nothing kept in a process between tests: each test's partnership is its own.
CACHES = {**CACHES, "local": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# The test servers serve static files through staticfiles' own handler.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]
# The webhook tests' receiver listens on loopback over plain http.
WEBHOOK_ALLOW_HTTP = True
# The test client's force_login signs in through the first backend listed: this one, whose
# sessions count as having passed the second factor (oversight.signin.testing; decision 0009).
# Tests of the second factor sign in with a password instead.
AUTHENTICATION_BACKENDS = [
    "oversight.signin.testing.SecondFactorPassedBackend",
    *AUTHENTICATION_BACKENDS,
]
SIGNIN_SECOND_FACTOR_PASSED_BACKENDS = ["oversight.signin.testing.SecondFactorPassedBackend"]
# Every prepared read is checked against its queryset, compiled afresh (core.prepared).
PREPARED_READS_CHECK = True
