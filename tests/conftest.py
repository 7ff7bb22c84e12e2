"""Personas and the rules for suites that need real services.

Personas, all around one athlete of `club`:
  coach            head coach of the athlete's club, and the athlete's own coach
  assistant        assistant coach in the same club, not the athlete's coach
  other_coach      head coach of another club
  athlete          the athlete whose data the tests look at
  other_athlete    an athlete of the same club and coach
"""

import os
import shutil

import pytest
from django.conf import settings
from django.test import Client

from coaching.models import Coach
from tests.factories import AthleteFactory, ClubFactory, CoachFactory
from tests.worker import celery_worker_process  # noqa: F401 - a fixture for every suite

# `--now=YYYY-MM-DDTHH:MM`: the whole run at another instant (see tests/clock.py).
pytest_plugins = ["tests.clock"]

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _uses_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _missing(item: pytest.Item) -> str | None:
    """Why this test can't run here, or None when everything it needs is present."""
    if item.get_closest_marker("postgresql") and not _uses_postgresql():
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("worker") and not settings.REDIS_URL:
        return "needs Redis for a real Celery worker: set REDIS_URL=redis://..."
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def _is_transactional(item: pytest.Item) -> bool:
    # A django_db marker decides for itself: write serialized_rollback=True on it.
    uses = set(getattr(item, "fixturenames", ()))
    return not item.get_closest_marker("django_db") and bool(
        {"transactional_db", "live_server"} & uses
    )


def _flushes_without_restoring(item: pytest.Item) -> bool:
    """A transactional django_db marker without serialized_rollback: its flush re-creates
    the content types, and the next test that restores its snapshot collides with them."""
    marker = item.get_closest_marker("django_db")
    return bool(
        marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback")
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if offenders := [item.nodeid for item in items if _flushes_without_restoring(item)]:
        raise pytest.UsageError(
            "write django_db(transaction=True, serialized_rollback=True) on: "
            + ", ".join(offenders)
        )
    for item in items:
        if _is_transactional(item):
            # Transactional tests flush the database; serialized rollback brings back
            # what the migrations put there (the exercise library).
            item.fixturenames.append("django_db_serialized_rollback")  # type: ignore[attr-defined]
        reason = _missing(item)
        if reason is None:
            continue
        if IN_CI:
            # In CI a missing service is a broken pipeline, never a silent skip.
            item.fixturenames.insert(0, "_fail_missing_service")
        else:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def _fail_missing_service(request: pytest.FixtureRequest) -> None:
    pytest.fail(f"CI=true but this test {_missing(request.node)}")


@pytest.fixture
def club():
    return ClubFactory(time_zone="Europe/London")


@pytest.fixture
def coach(club):
    return CoachFactory(club=club, role=Coach.Role.HEAD)


@pytest.fixture
def assistant(club):
    return CoachFactory(club=club, role=Coach.Role.ASSISTANT)


@pytest.fixture
def other_coach():
    return CoachFactory()


@pytest.fixture
def athlete(coach):
    return AthleteFactory(coach=coach, club=coach.club, time_zone="Europe/London")


@pytest.fixture
def other_athlete(coach):
    return AthleteFactory(coach=coach, club=coach.club)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coach_client(coach) -> Client:
    return login(coach.user)


@pytest.fixture
def athlete_client(athlete) -> Client:
    return login(athlete.user)
