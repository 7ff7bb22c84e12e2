"""Production settings with the benchmark's own URLconf, which adds the floor view.

The harness passes DATABASE_URL, REDIS_URL and friends explicitly; the defaults
below only make `DJANGO_SETTINGS_MODULE=tests.bench.settings` importable on its own.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("PLAIN_STATIC_STORAGE", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from coaching.settings import *  # noqa: E402,F403

# Never the production URLconf: the floor view must not exist outside benchmarks.
ROOT_URLCONF = "tests.bench.urls"
