"""The hourly jobs: daily digests and morning reminders at each person's own local hour,
idempotent per person per day."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.celery import app as celery_app
from comms import tasks
from comms.deliveries import digests_send, morning_reminders_send
from comms.models import Notification, ScheduledDelivery
from comms.notify import notify_video_reviewed, notify_video_uploaded
from comms.services import preference_save
from tests.factories import AthleteFactory, ClubFactory, CoachFactory, PlannedSessionFactory
from tests.test_env import _check

pytestmark = pytest.mark.django_db

# 26 November 2026: London is on UTC, New York five hours behind, Sydney eleven ahead.
LONDON_7AM = "2026-11-26 07:00:00+00:00"
NEW_YORK_7AM = "2026-11-26 12:00:00+00:00"
SYDNEY_7AM = "2026-11-25 20:00:00+00:00"  # already the 26th in Sydney


def waiting_for_digest(athlete, text: str = "Back squat") -> None:
    preference_save(user=athlete.user, email="digest", morning_reminder=False)
    notify_video_reviewed(athlete=athlete, exercise=text, link="/videos/1/")


@pytest.fixture
def new_yorker(coach):
    return AthleteFactory(coach=coach, club=coach.club, time_zone="America/New_York")


def run_digests(at: str, callbacks) -> int:
    with time_machine.travel(at, tick=False), callbacks(execute=True):
        return digests_send()


def test_the_digest_goes_at_each_persons_own_hour_and_lists_what_waited(
    athlete, new_yorker, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-11-25 15:00:00+00:00", tick=False):
        waiting_for_digest(athlete, "Back squat")
        waiting_for_digest(athlete, "Split squat")
        waiting_for_digest(new_yorker, "Deadlift")
    assert mail.outbox == []

    assert run_digests(LONDON_7AM, django_capture_on_commit_callbacks) == 1
    [email] = mail.outbox
    assert email.to == [athlete.user.email]
    assert "2 notifications" in email.subject
    assert "Thursday 26 November" in email.subject
    assert "Back squat" in email.body
    assert "Split squat" in email.body
    assert "Deadlift" not in email.body

    assert run_digests(NEW_YORK_7AM, django_capture_on_commit_callbacks) == 1
    assert mail.outbox[1].to == [new_yorker.user.email]
    assert not Notification.objects.filter(email=Notification.Email.DIGEST).exists()


def test_a_second_run_in_the_same_hour_sends_nothing_twice(
    athlete, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-11-25 15:00:00+00:00", tick=False):
        waiting_for_digest(athlete)
    assert run_digests(LONDON_7AM, django_capture_on_commit_callbacks) == 1
    assert run_digests("2026-11-26 07:20:00+00:00", django_capture_on_commit_callbacks) == 0
    # Something new after today's digest waits for tomorrow's, even within the hour.
    with time_machine.travel("2026-11-26 07:30:00+00:00", tick=False):
        notify_video_reviewed(athlete=athlete, exercise="Step-up", link="/videos/2/")
    assert run_digests("2026-11-26 07:45:00+00:00", django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    assert run_digests("2026-11-27 07:00:00+00:00", django_capture_on_commit_callbacks) == 1
    assert "Step-up" in mail.outbox[1].body
    assert ScheduledDelivery.objects.filter(user=athlete.user).count() == 2


def test_nobody_gets_a_digest_outside_their_hour_or_with_nothing_waiting(
    athlete, other_athlete, django_capture_on_commit_callbacks
):
    preference_save(user=other_athlete.user, email="digest", morning_reminder=False)
    with time_machine.travel("2026-11-25 15:00:00+00:00", tick=False):
        waiting_for_digest(athlete)
    assert run_digests("2026-11-26 06:00:00+00:00", django_capture_on_commit_callbacks) == 0
    assert run_digests("2026-11-26 08:00:00+00:00", django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert run_digests(LONDON_7AM, django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [[athlete.user.email]]


def test_digests_cost_the_same_queries_for_3_and_30_people(coach):
    def add(count: int) -> None:
        with time_machine.travel("2026-11-25 15:00:00+00:00", tick=False):
            for _ in range(count):
                runner = AthleteFactory(coach=coach, club=coach.club, time_zone="Europe/London")
                waiting_for_digest(runner)
                waiting_for_digest(runner, "Deadlift")

    def queries() -> int:
        with (
            time_machine.travel(LONDON_7AM, tick=False),
            CaptureQueriesContext(connection) as captured,
        ):
            digests_send()
        return len(captured)

    add(3)
    few = queries()
    ScheduledDelivery.objects.all().delete()
    add(27)
    assert queries() == few
    assert not Notification.objects.filter(email=Notification.Email.DIGEST).exists()


def test_a_coachs_digest_follows_the_clubs_time_zone(django_capture_on_commit_callbacks):
    coach = CoachFactory(club=ClubFactory(time_zone="Asia/Tokyo"))  # UTC+9
    runner = AthleteFactory(coach=coach, club=coach.club, time_zone="Asia/Tokyo")
    preference_save(user=coach.user, email="digest", morning_reminder=False)
    with time_machine.travel("2026-11-25 10:00:00+00:00", tick=False):
        notify_video_uploaded(athlete=runner, exercise="Hip thrust", link="/videos/3/")
    assert run_digests(LONDON_7AM, django_capture_on_commit_callbacks) == 0
    assert run_digests("2026-11-25 22:00:00+00:00", django_capture_on_commit_callbacks) == 1
    assert mail.outbox[0].to == [coach.user.email]


# --- Morning reminders ----------------------------------------------------------------------


def wants_reminder(athlete) -> None:
    preference_save(user=athlete.user, email="none", morning_reminder=True)


def run_reminders(at: str, callbacks) -> int:
    with time_machine.travel(at, tick=False), callbacks(execute=True):
        return morning_reminders_send()


def test_the_reminder_goes_at_7_local_on_a_day_with_a_session_once(
    coach, django_capture_on_commit_callbacks
):
    sydney = AthleteFactory(coach=coach, club=coach.club, time_zone="Australia/Sydney")
    wants_reminder(sydney)
    PlannedSessionFactory(athlete=sydney, date=date(2026, 11, 26), title="Hill strength")
    # 20:00 UTC on the 25th is 07:00 on the 26th in Sydney.
    assert run_reminders(SYDNEY_7AM, django_capture_on_commit_callbacks) == 1
    [email] = mail.outbox
    assert email.to == [sydney.user.email]
    assert email.subject == "Strength today: Hill strength."
    [notice] = Notification.objects.filter(recipient=sydney.user)
    assert notice.kind == Notification.Kind.REMINDER
    # Emailed although other notifications are "none": the reminder was asked for itself.
    assert notice.email == Notification.Email.SENT
    assert run_reminders("2026-11-25 20:30:00+00:00", django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=sydney.user).count() == 1


def test_no_reminder_without_a_session_that_day_or_without_asking(
    coach, athlete, django_capture_on_commit_callbacks
):
    wants_reminder(athlete)
    PlannedSessionFactory(athlete=athlete, date=date(2026, 11, 27))  # tomorrow
    not_asking = AthleteFactory(coach=coach, club=coach.club, time_zone="Europe/London")
    PlannedSessionFactory(athlete=not_asking, date=date(2026, 11, 26))
    assert run_reminders(LONDON_7AM, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_a_reminder_follows_the_athletes_zone_not_the_servers(
    coach, athlete, new_yorker, django_capture_on_commit_callbacks
):
    for runner in (athlete, new_yorker):
        wants_reminder(runner)
        PlannedSessionFactory(athlete=runner, date=date(2026, 11, 26))
    assert run_reminders(LONDON_7AM, django_capture_on_commit_callbacks) == 1
    assert mail.outbox[-1].to == [athlete.user.email]
    assert run_reminders(NEW_YORK_7AM, django_capture_on_commit_callbacks) == 1
    assert mail.outbox[-1].to == [new_yorker.user.email]


def test_two_sessions_on_the_day_are_one_reminder(athlete, django_capture_on_commit_callbacks):
    wants_reminder(athlete)
    PlannedSessionFactory(athlete=athlete, date=date(2026, 11, 26), title="Lower body")
    PlannedSessionFactory(athlete=athlete, date=date(2026, 11, 26), title="Upper body")
    assert run_reminders(LONDON_7AM, django_capture_on_commit_callbacks) == 1
    assert mail.outbox[0].subject == "Strength today: Lower body, Upper body."


def test_reminders_cost_the_same_queries_for_3_and_30_athletes(coach):
    def add(count: int) -> None:
        for _ in range(count):
            runner = AthleteFactory(coach=coach, club=coach.club, time_zone="Europe/London")
            wants_reminder(runner)
            PlannedSessionFactory(athlete=runner, date=date(2026, 11, 26))

    def queries(at: str) -> int:
        with time_machine.travel(at, tick=False), CaptureQueriesContext(connection) as captured:
            morning_reminders_send()
        return len(captured)

    add(3)
    few = queries(LONDON_7AM)
    assert Notification.objects.count() == 3
    # Forget what was sent, so that the same hour sends to all thirty.
    ScheduledDelivery.objects.all().delete()
    Notification.objects.all().delete()
    add(27)
    assert queries(LONDON_7AM) == few
    assert Notification.objects.count() == 30


def test_the_tasks_are_the_jobs(athlete, django_capture_on_commit_callbacks):
    wants_reminder(athlete)
    PlannedSessionFactory(athlete=athlete, date=date(2026, 11, 26))
    with (
        time_machine.travel(LONDON_7AM, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.send_morning_reminders.delay().get() == 1
        assert tasks.send_due_digests.delay().get() == 0
    assert len(mail.outbox) == 1


def test_the_beat_schedule_runs_both_jobs_hourly(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    tasks_scheduled = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    for name in (
        "coaching.comms.tasks.send_due_digests",
        "coaching.comms.tasks.send_morning_reminders",
    ):
        crontab = tasks_scheduled[name]
        assert crontab.minute == {0}
        assert crontab.hour == set(range(24))
        # The scheduled name is the one the worker registers (kept across the move of comms).
        assert name in celery_app.tasks


@pytest.mark.parametrize(
    ("name", "value"),
    [("NOTIFICATION_DIGEST_HOUR", "24"), ("MORNING_REMINDER_HOUR", "seven")],
)
def test_a_malformed_hour_stops_start_up_with_its_name(name, value):
    result = _check({"DEBUG": "true", name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_a_site_url_without_http_stops_start_up_with_its_name():
    result = _check({"DEBUG": "true", "SITE_URL": "runstrong.example.com"})
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr
