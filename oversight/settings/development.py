"""Local development: a fixed, clearly-unsafe secret and DEBUG, for this machine only."""

import os

os.environ.setdefault("SECRET_KEY", "development-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

from .base import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# `make run` serves and runs the task queue's worker side by side on one SQLite file: write-ahead
# logging lets one read while the other writes, and a write waits its turn rather than failing.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
