"""Two runs of an hourly job at the same instant still send each email once (PostgreSQL)."""

import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.utils import timezone

from comms import tasks
from comms.deliveries import digests_send, morning_reminders_send
from comms.models import Notification, ScheduledDelivery
from comms.notify import notify_video_reviewed
from comms.services import preference_save
from tests.factories import AthleteFactory, PlannedSessionFactory

LONDON_7AM = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _at_once(job: Callable[..., int], count: int = 2) -> tuple[list[int], list[Exception]]:
    barrier = threading.Barrier(count)
    results: list[int] = []
    errors: list[Exception] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(job(now=LONDON_7AM))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def test_two_digest_runs_at_once_send_one_digest(athlete):
    preference_save(user=athlete.user, email="digest")
    notify_video_reviewed(athlete=athlete, exercise="Back squat", link="/videos/1/")
    Notification.objects.update(created_at=LONDON_7AM - timedelta(hours=12))

    results, errors = _at_once(digests_send)

    assert errors == []
    assert sorted(results) == [0, 1]
    assert len(mail.outbox) == 1
    assert ScheduledDelivery.objects.count() == 1


def test_two_reminder_runs_at_once_send_one_reminder(athlete):
    preference_save(user=athlete.user, email="none", morning_reminder=True)
    PlannedSessionFactory(athlete=athlete, date=date(2026, 11, 26), title="Hill strength")

    results, errors = _at_once(morning_reminders_send)

    assert errors == []
    assert sorted(results) == [0, 1]
    assert [m.subject for m in mail.outbox] == ["Strength today: Hill strength."]
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER).count() == 1


def _zone_at(hour: int) -> str | None:
    """A time zone whose clock is in `hour` now, with a few minutes of it left."""
    now = timezone.now()
    if now.minute >= 58:
        return None
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "posix/", "right/")):
            continue
        local = now.astimezone(ZoneInfo(name))
        if local.hour == hour and local.minute == now.minute:
            return name
    return None


@pytest.mark.worker
def test_a_real_worker_runs_the_reminder_job_and_a_rerun_sends_nothing_more(
    coach,
    celery_worker_process,
):
    zone = _zone_at(settings.MORNING_REMINDER_HOUR)
    if zone is None:
        pytest.skip("too close to the hour to pick a zone reliably")
    runner = AthleteFactory(coach=coach, club=coach.club, time_zone=zone)
    preference_save(user=runner.user, email="none", morning_reminder=True)
    PlannedSessionFactory(athlete=runner, date=runner.today(), title="Strength B")

    tasks.send_morning_reminders.delay()
    reminders = Notification.objects.filter(recipient=runner.user, kind="reminder")
    deadline = time.monotonic() + 30
    while not reminders.exists():
        assert celery_worker_process.poll() is None, "the worker died"
        assert time.monotonic() < deadline, "the worker never sent the reminder"
        time.sleep(0.2)
    tasks.send_morning_reminders.delay()
    time.sleep(3)  # the solo worker takes well under a second for the rerun
    assert reminders.count() == 1
    assert reminders.get().text == "Strength today: Strength B."
