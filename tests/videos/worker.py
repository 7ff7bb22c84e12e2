"""A real Celery worker on this run's own videos queue, for the tests that need one."""

import subprocess
from collections.abc import Iterator

import pytest
from django.conf import settings

from tests.worker import running_worker


@pytest.fixture
def video_worker() -> Iterator[subprocess.Popen[bytes]]:
    """A real worker on the videos queue, with the test run's private video folders."""
    folders = {
        "VIDEO_ROOT": str(settings.VIDEO_ROOT),
        "VIDEO_UPLOAD_DIR": str(settings.VIDEO_UPLOAD_DIR),
    }
    with running_worker(settings.CELERY_VIDEO_QUEUE, **folders) as worker:
        yield worker
