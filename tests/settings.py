"""Settings for the test suite: production settings, plain HTTP, fast hashing.

DATABASE_URL and REDIS_URL still come from the environment, so the same suite
runs on embedded defaults or against the real PostgreSQL and Redis.
"""

import os
import tempfile
import uuid

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("PLAIN_STATIC_STORAGE", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# A queue of this run's own, so messages left by an earlier run are never consumed.
os.environ.setdefault("CELERY_QUEUE_PREFIX", f"runstrong-test-{uuid.uuid4().hex[:8]}")

# Videos of this run go to a private temp folder; a worker started by a test inherits it.
_videos = os.environ.setdefault("VIDEO_ROOT", tempfile.mkdtemp(prefix="runstrong-test-videos-"))
os.environ.setdefault("VIDEO_UPLOAD_DIR", os.path.join(_videos, "uploads-in-progress"))

from coaching.settings import *  # noqa: E402,F403

# Tasks run in-process unless a test starts a real worker and says otherwise.
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
