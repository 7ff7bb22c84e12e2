import pytest
from django.core.management import call_command

from comms.models import CoachNote, Message
from comms.selectors import nav_counts

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_note_and_a_thread_once_however_often_it_runs():
    call_command("seed_demo")
    call_command("seed_demo")
    assert CoachNote.objects.count() == 1
    assert Message.objects.count() == 2
    runner1 = Message.objects.first().athlete
    assert nav_counts(runner1.user).messages == 1  # the coach's answer waits for Maya
