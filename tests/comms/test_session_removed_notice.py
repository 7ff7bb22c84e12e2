"""The athlete hears that the coach removed a session, by email as they prefer."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from comms.models import Notification, NotificationPreference
from comms.services import preference_save
from plans.editor import planned_session_delete
from tests.factories import PlannedSessionFactory, PrescriptionFactory, SetLogFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("choice", "status", "emails"),
    [
        (NotificationPreference.Email.EACH, Notification.Email.SENT, 1),
        (NotificationPreference.Email.DIGEST, Notification.Email.DIGEST, 0),
        (NotificationPreference.Email.NONE, Notification.Email.NOT_WANTED, 0),
    ],
)
def test_a_removed_session_is_told_to_the_athlete_as_they_prefer(
    coach, athlete, choice, status, emails, django_capture_on_commit_callbacks
):
    preference_save(user=athlete.user, email=choice, morning_reminder=False)
    session = PlannedSessionFactory(
        athlete=athlete, date=athlete.today() + timedelta(days=1), title="Strength B"
    )
    with django_capture_on_commit_callbacks(execute=True):
        planned_session_delete(session=session, removed_by=coach.user)
    [notice] = Notification.objects.filter(recipient=athlete.user)
    assert notice.text == f"Your coach removed Strength B on {session.date:%a %-d %b}."
    assert notice.email == status
    assert len(mail.outbox) == emails
    if emails:
        assert "Your coach removed Strength B" in mail.outbox[0].body


def test_nothing_is_told_when_the_delete_is_refused(
    coach, athlete, django_capture_on_commit_callbacks
):
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    SetLogFactory(prescription=PrescriptionFactory(session=session))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        planned_session_delete(session=session, removed_by=coach.user)
    assert not Notification.objects.filter(recipient=athlete.user).exists()
    assert mail.outbox == []
