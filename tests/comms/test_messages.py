"""The message thread between an athlete and the coaches who see them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import Coach
from comms.models import MESSAGE_MAX_LENGTH, Message, Notification, ThreadRead
from comms.selectors import (
    THREAD_PAGE_SIZE,
    athletes_with_unread_messages,
    nav_counts,
    unread_messages,
)
from comms.services import message_send, thread_mark_read
from tests.conftest import login
from tests.factories import AthleteFactory, CoachFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
THREAD = "/messages/"


def coach_thread(athlete) -> str:
    return reverse("comms:coach_thread", args=[athlete.pk])


def test_a_coach_writes_and_the_athlete_sees_an_unread_count_then_reads_and_replies(
    coach, coach_client, athlete, athlete_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(coach_thread(athlete), {"body": "How did the squats go?"})
    assert response["Location"] == coach_thread(athlete) + "#thread"

    today = athlete_client.get(reverse("training:today")).content.decode()
    assert 'id="nav-messages"' in today
    assert nav_counts(athlete.user).messages == 1
    page = athlete_client.get(THREAD).content.decode()
    assert "How did the squats go?" in page
    assert "1 unread" in page
    assert "message-new" in page
    # Reading is a POST (htmx sends it once the thread is shown; a button without JS).
    latest = Message.objects.get()
    athlete_client.post(reverse("comms:thread_read"), {"up_to": str(latest.pk)})
    assert nav_counts(athlete.user).messages == 0
    assert "unread" not in athlete_client.get(THREAD).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        athlete_client.post(THREAD, {"body": "Heavy but good."})
    assert [m.body for m in Message.objects.order_by("created_at")] == [
        "How did the squats go?",
        "Heavy but good.",
    ]
    # Each side was told, in the app and by email (the default preference).
    athlete_notice = Notification.objects.get(recipient=athlete.user)
    assert athlete_notice.kind == Notification.Kind.MESSAGE
    assert athlete_notice.link == THREAD
    assert athlete_notice.read_at is not None  # read with the thread
    coach_notice = Notification.objects.get(recipient=coach.user)
    assert coach_notice.text == f"Message from {athlete.name}: Heavy but good."
    assert coach_notice.link == coach_thread(athlete)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([athlete.user.email, coach.user.email])
    coach_page = coach_client.get(coach_thread(athlete)).content.decode()
    assert "1 unread" in coach_page


def test_the_athletes_own_message_is_never_unread_for_them(athlete):
    message_send(athlete=athlete, author=athlete.user, body="Moved my session to Friday.")
    assert nav_counts(athlete.user).messages == 0
    assert unread_messages(athlete, athlete.user).count() == 0


def test_a_head_coach_who_is_not_the_athletes_coach_reads_and_writes_the_thread(club, athlete):
    assistant = CoachFactory(club=club, role=Coach.Role.ASSISTANT)
    athlete.coach = assistant
    athlete.save()
    head = CoachFactory(club=club, role=Coach.Role.HEAD)
    message_send(athlete=athlete, author=athlete.user, body="Knee is sore.")
    client = login(head.user)
    assert "Knee is sore." in client.get(coach_thread(athlete)).content.decode()
    client.post(coach_thread(athlete), {"body": "Skip the lunges this week."})
    # The athlete's own coach heard of the athlete's message; the head coach, who had not
    # written yet, did not. Now that they have, they hear of the next one too.
    assert Notification.objects.filter(recipient=assistant.user).count() == 1
    assert not Notification.objects.filter(recipient=head.user).exists()
    message_send(athlete=athlete, author=athlete.user, body="Thanks!")
    assert Notification.objects.filter(recipient=assistant.user).count() == 2
    assert Notification.objects.filter(recipient=head.user).count() == 1


def test_an_unassigned_assistant_another_clubs_coach_and_another_athlete_get_404(
    athlete, assistant, other_coach, other_athlete
):
    message_send(athlete=athlete, author=athlete.user, body="Private words.")
    for outsider in (assistant, other_coach):
        client = login(outsider.user)
        assert client.get(coach_thread(athlete)).status_code == 404
        assert client.post(coach_thread(athlete), {"body": "Hi"}).status_code == 404
    other = login(other_athlete.user)
    assert "Private words." not in other.get(THREAD).content.decode()
    assert other.get(coach_thread(athlete)).status_code == 404
    message = Message.objects.get()
    read = other.post(reverse("comms:thread_read"), {"up_to": str(message.pk)})
    assert read.status_code == 404
    assert Message.objects.count() == 1
    assert not ThreadRead.objects.filter(user=other_athlete.user).exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write a message first."),
        (" \n\t ", "Write a message first."),
        ("x" * (MESSAGE_MAX_LENGTH + 1), f"at most {MESSAGE_MAX_LENGTH} characters"),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_an_empty_or_oversized_message_is_refused_with_a_message(
    athlete_client, coach_client, athlete, body, error
):
    fragment = athlete_client.post(THREAD, {"body": body}, **HTMX).content.decode()
    assert error in fragment
    assert "<html" not in fragment
    followed = coach_client.post(coach_thread(athlete), {"body": body}, follow=True)
    assert error in followed.content.decode()
    assert not Message.objects.exists()
    assert not Notification.objects.exists()


def test_a_message_of_the_longest_length_is_accepted(athlete_client):
    athlete_client.post(THREAD, {"body": "y" * MESSAGE_MAX_LENGTH})
    assert len(Message.objects.get().body) == MESSAGE_MAX_LENGTH


def test_sending_with_htmx_answers_with_the_thread_fragment(athlete_client):
    response = athlete_client.post(THREAD, {"body": "On my way to the gym."}, **HTMX)
    html = response.content.decode()
    assert 'id="thread"' in html
    assert "On my way to the gym." in html
    assert "<html" not in html


def test_the_coach_sends_from_the_athlete_page_and_comes_back_to_it(coach_client, athlete):
    page = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    url = coach_thread(athlete) + "?compact=1"
    assert f'action="{url}"' in page
    response = coach_client.post(url, {"body": "Nice work today."})
    assert response["Location"] == reverse("athlete_detail", args=[athlete.pk]) + "#thread"
    page = coach_client.get(reverse("athlete_detail", args=[athlete.pk])).content.decode()
    assert "Nice work today." in page


def test_a_stale_read_mark_never_makes_newer_messages_unread_again(coach, athlete):
    first = message_send(athlete=athlete, author=coach.user, body="One")
    second = message_send(athlete=athlete, author=coach.user, body="Two")
    Message.objects.filter(pk=second.pk).update(created_at=first.created_at + timedelta(1))
    second.refresh_from_db()
    thread_mark_read(athlete=athlete, user=athlete.user, up_to=second)
    thread_mark_read(athlete=athlete, user=athlete.user, up_to=first)
    assert unread_messages(athlete, athlete.user).count() == 0


def test_reading_up_to_a_message_leaves_later_ones_unread(coach, athlete):
    first = message_send(athlete=athlete, author=coach.user, body="One")
    later = message_send(athlete=athlete, author=coach.user, body="Two")
    Message.objects.filter(pk=later.pk).update(created_at=timezone.now() + timedelta(seconds=5))
    Notification.objects.filter(text__endswith="Two").update(
        created_at=timezone.now() + timedelta(seconds=5)
    )
    thread_mark_read(athlete=athlete, user=athlete.user, up_to=first)
    assert list(unread_messages(athlete, athlete.user)) == [later]
    unread = Notification.objects.filter(recipient=athlete.user, read_at__isnull=True)
    assert [n.text for n in unread] == ["Message from " + coach.user.full_name + ": Two"]


def test_long_threads_are_paged_newest_first_in_a_fixed_number_of_queries(
    coach, athlete, athlete_client, django_assert_max_num_queries
):
    start = timezone.now() - timedelta(days=30)
    Message.objects.bulk_create(
        Message(
            athlete=athlete,
            author=coach.user,
            body=f"Note {n}",
            created_at=start + timedelta(hours=n),
        )
        for n in range(THREAD_PAGE_SIZE + 5)
    )
    # Session, user, athlete, the page of messages, the unread ids and the nav counts.
    with django_assert_max_num_queries(6):
        first = athlete_client.get(THREAD).content.decode()
    assert f"Note {THREAD_PAGE_SIZE + 4}" in first
    assert "Note 4<" not in first
    assert "Older messages" in first
    older = athlete_client.get(THREAD + "?page=2").content.decode()
    assert "Note 4<" in older
    assert "Newer messages" in older
    # Nonsense page numbers are the first page, not an error.
    assert athlete_client.get(THREAD + "?page=abc").status_code == 200
    assert athlete_client.get(THREAD + "?page=99999999").status_code == 200


def test_a_deactivated_athlete_gets_no_email_for_a_message(
    coach, athlete, django_capture_on_commit_callbacks
):
    athlete.user.is_active = False
    athlete.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        message_send(athlete=athlete, author=coach.user, body="Are you back?")
    assert mail.outbox == []


def test_another_athletes_thread_is_separate(coach, athlete, club):
    other = AthleteFactory(coach=coach, club=club)
    message_send(athlete=other, author=coach.user, body="For the other runner.")
    assert nav_counts(athlete.user).messages == 0
    assert nav_counts(other.user).messages == 1


def test_the_roster_flag_lists_athletes_with_unread_messages_in_one_query(
    coach, athlete, other_athlete, club, django_assert_num_queries
):
    quiet = AthleteFactory(coach=coach, club=club)
    message_send(athlete=athlete, author=athlete.user, body="Question about Friday")
    message_send(athlete=other_athlete, author=other_athlete.user, body="Read already")
    message_send(athlete=quiet, author=coach.user, body="Only the coach wrote")
    thread_mark_read(
        athlete=other_athlete, user=coach.user, up_to=Message.objects.get(body="Read already")
    )
    with django_assert_num_queries(1):
        flagged = athletes_with_unread_messages(
            coach.user, [athlete.pk, other_athlete.pk, quiet.pk]
        )
    assert flagged == {athlete.pk}


def test_the_coachs_inbox_lists_threads_latest_first_with_unread_counts(
    coach, coach_client, athlete, other_athlete, club
):
    silent = AthleteFactory(coach=coach, club=club)
    message_send(athlete=other_athlete, author=coach.user, body="Older thread")
    message_send(athlete=athlete, author=athlete.user, body="First question")
    message_send(athlete=athlete, author=athlete.user, body="Second question")
    Message.objects.filter(body="Older thread").update(
        created_at=timezone.now() - timedelta(days=1)
    )
    html = coach_client.get(reverse("comms:inbox")).content.decode()
    assert html.index(athlete.name) < html.index(other_athlete.name)
    assert silent.name not in html
    assert "Second question" in html
    assert "First question" not in html
    assert '<span class="badge badge-accent">2</span>' in html
    assert "You:</span> Older thread" in html


def test_the_inbox_shows_an_assistant_only_their_own_athletes(club, athlete, assistant):
    own = AthleteFactory(coach=assistant, club=club)
    message_send(athlete=athlete, author=athlete.user, body="Not for the assistant")
    message_send(athlete=own, author=own.user, body="For the assistant")
    html = login(assistant.user).get(reverse("comms:inbox")).content.decode()
    assert "For the assistant" in html
    assert "Not for the assistant" not in html


def test_the_inbox_costs_the_same_queries_for_3_and_40_threads(coach, coach_client, club):
    def add(count: int) -> None:
        for _ in range(count):
            runner = AthleteFactory(coach=coach, club=club)
            message_send(athlete=runner, author=runner.user, body="Hello coach")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coach_client.get(reverse("comms:inbox")).status_code == 200
        return len(captured)

    add(3)
    few = queries()
    add(37)
    assert queries() == few
