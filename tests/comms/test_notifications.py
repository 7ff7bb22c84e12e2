"""Notifications: created on each event, emailed as each person prefers, read in the app."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comms.models import Notification, NotificationPreference
from comms.notify import notify_video_reviewed, notify_video_uploaded
from comms.selectors import nav_counts
from comms.services import message_send, preference_save
from plans.calendar_services import RunDay, calendar_session_move, runs_import, week_runs_save
from plans.run_import import ImportedRun
from plans.services import (
    DayMapping,
    PrescriptionSpec,
    block_shift,
    planned_session_create,
    template_apply,
    template_save_from_athlete,
    week_copy_forward,
)
from tests.conftest import login
from tests.factories import AthleteFactory, PlannedSessionFactory, exercise
from training.services import PainDetails, session_finish, session_move

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def plan(athlete, day: date | None = None, title: str = "Strength A"):
    return planned_session_create(
        athlete=athlete,
        date=day or athlete.today(),
        title=title,
        prescriptions=[PrescriptionSpec(exercise=exercise("back-squat"))],
    )


def notices(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("created_at"))


# --- Events ---------------------------------------------------------------------------------


def test_a_planned_session_notifies_the_athlete_and_emails_them_only_after_commit(
    athlete, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session = plan(athlete, title="Hill strength")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    [notice] = notices(athlete.user)
    assert notice.kind == Notification.Kind.PLAN
    assert notice.text.startswith("Your coach planned Hill strength for ")
    assert notice.link == reverse("training:session", args=[session.pk])
    assert notice.email == Notification.Email.SENT
    [email] = mail.outbox
    assert email.to == [athlete.user.email]
    assert "Hill strength" in email.subject
    assert f"http://127.0.0.1:8000/sessions/{session.pk}/" in email.body
    assert "/notifications/settings/" in email.body


def test_a_refused_plan_notifies_nobody(athlete, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        plan(athlete, title="x" * 500)  # longer than a title may be
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_block_for_several_athletes_is_one_notification_each_in_fixed_queries(
    coach, athlete, club
):
    monday = athlete.today() - timedelta(days=athlete.today().weekday())
    plan(athlete, day=monday)
    template = template_save_from_athlete(
        club=club, name="Base", athlete=athlete, start=monday, weeks=1
    )
    Notification.objects.all().delete()

    def apply_to(count: int, weeks_ahead: int) -> int:
        runners = [AthleteFactory(coach=coach, club=club) for _ in range(count)]
        with CaptureQueriesContext(connection) as queries:
            template_apply(
                template=template,
                athletes=runners,
                start=monday + timedelta(weeks=weeks_ahead),
                mapping=DayMapping(),
            )
        for runner in runners:
            [notice] = notices(runner.user)
            assert "added the block “Base”" in notice.text
        return len(queries)

    assert apply_to(2, 2) == apply_to(12, 3)


def test_the_coach_moving_copying_or_shifting_sessions_notifies_the_athlete(coach, athlete):
    today = athlete.today()
    session = plan(athlete, day=today + timedelta(days=1))
    calendar_session_move(session=session, to_date=today + timedelta(days=2), today=today)
    assert "moved Strength A to " in notices(athlete.user)[-1].text
    week_copy_forward(athlete=athlete, week_start=today + timedelta(days=2))
    assert "copied the week of" in notices(athlete.user)[-1].text
    monday = today - timedelta(days=today.weekday())
    # The week the session was moved into, which is next week when today is a Saturday.
    template = template_save_from_athlete(
        club=athlete.club, name="Build", athlete=athlete, start=today + timedelta(days=2), weeks=1
    )
    [block] = template_apply(
        template=template,
        athletes=[athlete],
        start=monday + timedelta(weeks=4),
        mapping=DayMapping(),
    )
    block_shift(block=block, days=7, today=today)
    assert "moved the block “Build” to start on" in notices(athlete.user)[-1].text
    assert len(notices(athlete.user)) == 5


def test_changed_and_imported_runs_notify_the_athlete_once_per_action(athlete):
    today = athlete.today()
    saved = week_runs_save(
        athlete=athlete,
        days=[RunDay(day=today, kind="easy"), RunDay(day=today + timedelta(days=1), kind="tempo")],
    )
    assert saved.created == 2
    [notice] = notices(athlete.user)
    assert "changed your runs" in notice.text
    week_runs_save(athlete=athlete, days=[])  # nothing changed: nothing to say
    runs = [
        ImportedRun(
            line=n,
            day=today + timedelta(days=n),
            start=None,
            kind="easy",
            is_hard=False,
            minutes=30,
            description="",
        )
        for n in range(2, 6)
    ]
    runs_import(athlete=athlete, runs=runs)
    assert len(notices(athlete.user)) == 2
    assert "added 4 runs to your calendar" in notices(athlete.user)[-1].text


def test_the_athletes_own_move_notifies_nobody(athlete):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    session_move(
        session=session, to_date=athlete.today() + timedelta(days=1), today=athlete.today()
    )
    assert not Notification.objects.exists()


def test_a_pain_flag_notifies_the_athletes_coach_at_once(
    coach, athlete, assistant, django_capture_on_commit_callbacks
):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    with django_capture_on_commit_callbacks(execute=True):
        session_finish(
            athlete=athlete,
            session=session,
            session_rpe=7,
            duration_minutes=40,
            pain=PainDetails(location="knee", side="left", severity=6),
        )
    [notice] = notices(coach.user)
    assert notice.kind == Notification.Kind.PAIN
    assert notice.text == f"{athlete.name} reported pain: Knee (left), 6/10."
    assert notice.link == reverse("athlete_detail", args=[athlete.pk]) + "#pain-h"
    assert not notices(assistant.user)
    assert not notices(athlete.user)
    assert [m.to for m in mail.outbox] == [[coach.user.email]]


def test_a_finished_session_without_pain_notifies_nobody(athlete):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    session_finish(athlete=athlete, session=session, session_rpe=5, duration_minutes=30)
    assert not Notification.objects.exists()


def test_video_uploaded_and_reviewed_notify_the_coach_and_the_athlete(coach, athlete):
    notify_video_uploaded(athlete=athlete, exercise="Back squat", link="/videos/abc/")
    notify_video_reviewed(athlete=athlete, exercise="Back squat", link="/videos/abc/")
    [to_coach] = notices(coach.user)
    assert to_coach.kind == Notification.Kind.VIDEO_UPLOADED
    assert to_coach.text == f"{athlete.name} uploaded a form video: Back squat."
    [to_athlete] = notices(athlete.user)
    assert to_athlete.kind == Notification.Kind.VIDEO_REVIEWED
    assert to_athlete.link == "/videos/abc/"


# --- Email preferences ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "status", "emails"),
    [
        (NotificationPreference.Email.EACH, Notification.Email.SENT, 1),
        (NotificationPreference.Email.DIGEST, Notification.Email.DIGEST, 0),
        (NotificationPreference.Email.NONE, Notification.Email.NOT_WANTED, 0),
    ],
)
def test_each_notification_is_emailed_as_the_person_prefers(
    athlete, choice, status, emails, django_capture_on_commit_callbacks
):
    preference_save(user=athlete.user, email=choice, morning_reminder=False)
    with django_capture_on_commit_callbacks(execute=True):
        plan(athlete)
    [notice] = notices(athlete.user)
    assert notice.email == status
    assert len(mail.outbox) == emails


def test_the_settings_page_saves_the_choice(athlete_client, athlete, coach_client, coach):
    page = athlete_client.get(reverse("comms:preferences")).content.decode()
    assert "Remind me in the morning" in page
    assert (
        "Remind me in the morning"
        not in coach_client.get(reverse("comms:preferences")).content.decode()
    )
    response = athlete_client.post(
        reverse("comms:preferences"), {"email": "digest", "morning_reminder": "on"}
    )
    assert response.status_code == 302
    saved = NotificationPreference.objects.get(user=athlete.user)
    assert (saved.email, saved.morning_reminder) == ("digest", True)
    # A coach can't ask for the athlete's morning reminder.
    coach_client.post(reverse("comms:preferences"), {"email": "none", "morning_reminder": "on"})
    assert not NotificationPreference.objects.get(user=coach.user).morning_reminder


def test_a_forged_email_choice_is_refused_and_nothing_saved(athlete_client, athlete):
    response = athlete_client.post(reverse("comms:preferences"), {"email": "hourly"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_leaving_the_digest_drops_what_waited_for_it(athlete):
    preference_save(user=athlete.user, email="digest", morning_reminder=False)
    plan(athlete)
    preference_save(user=athlete.user, email="each", morning_reminder=False)
    assert notices(athlete.user)[0].email == Notification.Email.NOT_WANTED


# --- The list, the count, reading -----------------------------------------------------------


def test_the_nav_shows_the_unread_count_and_the_list_shows_only_ones_own(
    athlete, athlete_client, other_athlete
):
    plan(athlete, title="Mine")
    plan(other_athlete, title="Theirs")
    html = athlete_client.get(reverse("training:today")).content.decode()
    assert 'id="nav-notifications"' in html
    assert '1<span class="visually-hidden"> unread</span>' in html
    page = athlete_client.get(reverse("comms:notifications")).content.decode()
    assert "Mine" in page
    assert "Theirs" not in page


def test_marking_one_read_with_htmx_updates_the_list_and_the_nav_count(athlete, athlete_client):
    plan(athlete, title="First")
    plan(athlete, title="Second", day=athlete.today() + timedelta(days=2))
    first = notices(athlete.user)[0]
    response = athlete_client.post(reverse("comms:notification_read", args=[first.pk]), **HTMX)
    html = response.content.decode()
    assert 'id="notification-list"' in html
    assert 'id="nav-notifications" hx-swap-oob="true"' in html
    assert "<html" not in html
    first.refresh_from_db()
    assert first.read_at is not None
    assert nav_counts(athlete.user).notifications == 1


def test_mark_all_read_without_javascript(athlete, athlete_client):
    plan(athlete, title="First")
    plan(athlete, title="Second", day=athlete.today() + timedelta(days=2))
    response = athlete_client.post(reverse("comms:notifications_read_all"))
    assert response["Location"] == reverse("comms:notifications")
    assert nav_counts(athlete.user).notifications == 0


def test_opening_a_notification_reads_it_and_follows_its_link(athlete, athlete_client):
    session = plan(athlete)
    [notice] = notices(athlete.user)
    response = athlete_client.post(reverse("comms:notification_open", args=[notice.pk]))
    assert response["Location"] == reverse("training:session", args=[session.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notification_never_sends_anyone_off_the_site(athlete, athlete_client):
    notice = Notification.objects.create(
        recipient=athlete.user, kind="plan", text="x", link="https://evil.example/"
    )
    response = athlete_client.post(reverse("comms:notification_open", args=[notice.pk]))
    assert response["Location"] == reverse("comms:notifications")


def test_somebody_elses_notification_is_404(athlete, other_athlete, coach):
    plan(athlete)
    [notice] = notices(athlete.user)
    for user in (other_athlete.user, coach.user):
        client = login(user)
        assert client.post(reverse("comms:notification_read", args=[notice.pk])).status_code == 404
        assert client.post(reverse("comms:notification_open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_list_costs_the_same_queries_for_3_and_120_notifications(athlete, athlete_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert athlete_client.get(reverse("comms:notifications")).status_code == 200
        return len(captured)

    def add(count: int) -> None:
        Notification.objects.bulk_create(
            Notification(recipient=athlete.user, kind="plan", text=f"Notice {n}", link="/today/")
            for n in range(count)
        )

    add(3)
    few = queries()
    add(117)
    assert queries() == few
    assert few <= 6  # session, user, the zone, count, page, nav counts
    second = athlete_client.get(reverse("comms:notifications") + "?page=3").content.decode()
    assert "Newer" in second


def test_reading_the_thread_reads_its_message_notifications(coach, athlete, athlete_client):
    message = message_send(athlete=athlete, author=coach.user, body="Hello")
    assert nav_counts(athlete.user).notifications == 1
    athlete_client.post(reverse("comms:thread_read"), {"up_to": str(message.pk)})
    assert nav_counts(athlete.user).notifications == 0
    assert Notification.objects.get().read_at <= timezone.now()
