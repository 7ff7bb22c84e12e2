"""A real Celery worker on this run's own videos queue, for the tests that need one."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from coaching.celery import app as celery_app
from tests.worker import ROOT, _database_url


@pytest.fixture
def video_worker():
    """A real worker on this run's own videos queue, talking to the test database."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "VIDEO_ROOT": str(django_settings.VIDEO_ROOT),
        "VIDEO_UPLOAD_DIR": str(django_settings.VIDEO_UPLOAD_DIR),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "coaching",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
            "-Q",
            django_settings.CELERY_VIDEO_QUEUE,
        ],
        cwd=ROOT,
        env=env,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager = eager
        worker.terminate()
        worker.wait(timeout=30)
