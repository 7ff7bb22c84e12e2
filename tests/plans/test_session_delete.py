"""Deleting a planned session: the coach is asked first, the athlete is told, what was logged
stays, and the session's old links say it was removed (410 Gone) instead of a bare 404."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from comms.models import Notification
from comms.notify import notify_plan_changed
from plans.models import PlannedSession, RemovedSession
from tests.conftest import login
from tests.factories import PlannedSessionFactory, PrescriptionFactory, SetLogFactory, exercise
from training.models import SessionReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(athlete):
    session = PlannedSessionFactory(
        athlete=athlete, date=athlete.today() + timedelta(days=3), title="Strength A"
    )
    PrescriptionFactory(session=session, exercise=exercise("back-squat"), position=1)
    # The athlete was told when it was planned: that notification opens the session.
    notify_plan_changed(athletes=[athlete], change="planned Strength A", session_id=session.pk)
    return session


def url(name, session):
    return reverse(name, args=[session.athlete_id, session.pk])


def athlete_link(session):
    return reverse("training:session", kwargs={"session_id": session.pk})


def day(session):
    return f"{session.date:%a %-d %b}"


def test_the_coach_is_asked_first_on_a_page_that_names_the_session_and_who_is_told(
    coach_client, athlete, session
):
    response = coach_client.get(url("plans:session_delete", session))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Delete Strength A, {session.date:%A %-d %B}?" in page
    assert f"Your coach removed Strength A on {day(session)}." in page
    assert f"The 1 notification {athlete.name} already had about this session" in page
    assert 'name="confirm" value="yes"' in page
    assert PlannedSession.objects.filter(pk=session.pk).exists()
    # The editor links to this page rather than deleting at once.
    editor = coach_client.get(url("plans:session_edit", session)).content.decode()
    assert f'href="{url("plans:session_delete", session)}"' in editor


def test_a_post_without_the_confirmation_deletes_nothing(coach_client, athlete, session):
    response = coach_client.post(url("plans:session_delete", session))
    assert response.status_code == 200
    assert "Delete and tell" in response.content.decode()
    assert PlannedSession.objects.filter(pk=session.pk).exists()
    assert not RemovedSession.objects.exists()


def test_a_confirmed_delete_tells_the_athlete_and_keeps_a_record(
    coach_client, coach, athlete, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(url("plans:session_delete", session), {"confirm": "yes"})
    assert response["Location"] == reverse("athlete_detail", args=[athlete.pk])
    assert not PlannedSession.objects.filter(pk=session.pk).exists()
    removed = RemovedSession.objects.get()
    assert (removed.session_id, removed.athlete, removed.title, removed.date) == (
        session.pk,
        athlete,
        "Strength A",
        session.date,
    )
    assert removed.removed_by == coach.user
    told = Notification.objects.filter(recipient=athlete.user).order_by("-created_at").first()
    assert told.text == f"Your coach removed Strength A on {day(session)}."
    assert told.kind == Notification.Kind.PLAN
    assert told.link == reverse("training:today")
    assert [m.subject for m in mail.outbox] == [told.text]


def test_the_athletes_old_link_says_the_session_was_removed_with_410(
    coach_client, athlete_client, athlete, session
):
    coach_client.post(url("plans:session_delete", session), {"confirm": "yes"})
    old = Notification.objects.get(recipient=athlete.user, text__contains="planned")
    assert old.link == athlete_link(session)

    response = athlete_client.get(old.link)
    page = response.content.decode()
    assert response.status_code == 410
    assert "<h1>This session was removed</h1>" in page
    assert (
        f"<strong>Strength A</strong> on {session.date:%A %-d %B} was removed by your coach on"
        in page
    )
    assert 'class="topbar"' in page  # the normal layout, with its navigation
    assert reverse("training:today") in page


def test_the_coaches_old_links_say_the_session_was_removed_with_410(
    coach_client, coach, athlete, session
):
    coach_client.post(url("plans:session_delete", session), {"confirm": "yes"})
    for name in ("plans:session_edit", "plans:session_delete"):
        response = coach_client.get(url(name, session))
        assert response.status_code == 410
        page = response.content.decode()
        assert f"<strong>Strength A</strong> for {athlete.name}" in page
        assert f"was removed by {coach.user.full_name}" in page


def test_another_clubs_coach_can_neither_delete_nor_see_the_removed_page(
    coach_client, other_coach, athlete, session
):
    outsider = login(other_coach.user)
    assert outsider.get(url("plans:session_delete", session)).status_code == 404
    assert (
        outsider.post(url("plans:session_delete", session), {"confirm": "yes"}).status_code == 404
    )
    assert PlannedSession.objects.filter(pk=session.pk).exists()

    coach_client.post(url("plans:session_delete", session), {"confirm": "yes"})
    assert outsider.get(url("plans:session_edit", session)).status_code == 404
    assert outsider.get(url("plans:session_delete", session)).status_code == 404


def test_another_athlete_gets_a_plain_404_for_the_removed_session(
    coach_client, other_athlete, session
):
    coach_client.post(url("plans:session_delete", session), {"confirm": "yes"})
    response = login(other_athlete.user).get(athlete_link(session))
    assert response.status_code == 404
    assert "Strength A" not in response.content.decode()


def test_a_session_with_logged_sets_stays_and_the_page_says_why(coach_client, athlete, session):
    SetLogFactory(prescription=session.prescriptions.get())
    page = coach_client.get(url("plans:session_delete", session)).content.decode()
    assert "Sets are already logged in this session, so it stays." in page
    assert f"{athlete.name} logged 1 set in it" in page
    assert 'name="confirm"' not in page

    response = coach_client.post(
        url("plans:session_delete", session), {"confirm": "yes"}, follow=True
    )
    assert "Sets are already logged in this session, so it stays." in response.content.decode()
    assert PlannedSession.objects.filter(pk=session.pk).exists()
    assert not RemovedSession.objects.exists()
    assert not Notification.objects.filter(text__contains="removed").exists()


def test_a_finished_session_with_its_rating_stays(coach_client, athlete, session):
    SessionReport.objects.create(
        session=session, athlete=athlete, session_rpe=7, duration_minutes=40
    )
    coach_client.post(url("plans:session_delete", session), {"confirm": "yes"})
    assert PlannedSession.objects.filter(pk=session.pk).exists()
    assert SessionReport.objects.filter(session=session).exists()
