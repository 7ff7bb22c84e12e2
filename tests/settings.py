"""Settings for the test suite: production settings, plain HTTP, fast hashing.

DATABASE_URL and REDIS_URL still come from the environment, so the same suite
runs on embedded defaults or against the real PostgreSQL and Redis.
"""

import atexit
import os
import shutil
import tempfile
import uuid

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("PLAIN_STATIC_STORAGE", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# A queue of this run's own, so messages left by an earlier run are never consumed.
os.environ.setdefault("CELERY_QUEUE_PREFIX", f"runstrong-test-{uuid.uuid4().hex[:8]}")

# Videos of this run go to a private temp folder, removed at the end; a worker started by a
# test inherits it (and leaves the removing to the run that made it).
if "VIDEO_ROOT" not in os.environ:
    os.environ["VIDEO_ROOT"] = tempfile.mkdtemp(prefix="runstrong-test-videos-")
    atexit.register(shutil.rmtree, os.environ["VIDEO_ROOT"], ignore_errors=True)
os.environ.setdefault("VIDEO_UPLOAD_DIR", os.path.join(os.environ["VIDEO_ROOT"], "uploads"))

from coaching.settings import *  # noqa: E402,F403

# "No GET changes anything" (SECURITY.md) is checked on every request the suite makes.
READ_ONLY_GET_CHECK = True

# Tasks run in-process unless a test starts a real worker and says otherwise.
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
