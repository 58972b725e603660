"""Local development: a fixed, clearly-unsafe secret and DEBUG, for this machine only."""

import os

os.environ.setdefault("SECRET_KEY", "development-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

from .base import *  # noqa: F403
from .base import sqlite_tuned

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# `make run` serves and runs the task queue's worker side by side on one SQLite file.
DATABASES["default"] = sqlite_tuned(DATABASES["default"])  # noqa: F405
