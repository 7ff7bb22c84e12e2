"""Private coach notes on the coach's athlete page."""

import pytest
from django.urls import reverse

from coaching.models import Coach
from comms.models import NOTE_MAX_LENGTH, CoachNote
from comms.services import note_create
from tests.conftest import login
from tests.factories import CoachFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def detail(athlete) -> str:
    return reverse("athlete_detail", args=[athlete.pk])


def create_url(athlete) -> str:
    return reverse("comms:note_create", args=[athlete.pk])


def test_a_coach_adds_a_note_and_sees_it_on_the_athlete_page(coach, coach_client, athlete):
    response = coach_client.post(create_url(athlete), {"body": "Left Achilles: no jumps."})
    assert response.status_code == 302
    assert response["Location"] == detail(athlete) + "#coach-notes"
    note = CoachNote.objects.get()
    assert (note.athlete, note.author, note.body) == (
        athlete,
        coach.user,
        "Left Achilles: no jumps.",
    )
    assert "Left Achilles: no jumps." in coach_client.get(detail(athlete)).content.decode()


def test_adding_a_note_with_htmx_answers_with_the_notes_fragment(coach_client, athlete):
    response = coach_client.post(create_url(athlete), {"body": "Strong week."}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="coach-notes"' in html
    assert "Strong week." in html
    assert "<html" not in html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something in the note first."),
        ("   \n ", "Write something in the note first."),
        ("x" * (NOTE_MAX_LENGTH + 1), f"at most {NOTE_MAX_LENGTH} characters"),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_an_empty_or_oversized_note_is_refused_with_a_message(coach_client, athlete, body, message):
    fragment = coach_client.post(create_url(athlete), {"body": body}, **HTMX).content.decode()
    assert message in fragment
    no_js = coach_client.post(create_url(athlete), {"body": body}, follow=True)
    assert message in no_js.content.decode()
    assert not CoachNote.objects.exists()


def test_the_head_coach_reads_an_assistants_note_but_cannot_change_it(coach_client, athlete, club):
    assistant = CoachFactory(club=club, role=Coach.Role.ASSISTANT)
    athlete.coach = assistant
    athlete.save()
    note = note_create(athlete=athlete, author=assistant.user, body="Assigned to me now.")
    html = coach_client.get(detail(athlete)).content.decode()
    assert "Assigned to me now." in html
    assert reverse("comms:note_edit", args=[athlete.pk, note.pk]) not in html
    edit = reverse("comms:note_edit", args=[athlete.pk, note.pk])
    assert coach_client.post(edit, {"body": "Overwritten"}).status_code == 404
    delete = reverse("comms:note_delete", args=[athlete.pk, note.pk])
    assert coach_client.post(delete).status_code == 404
    note.refresh_from_db()
    assert note.body == "Assigned to me now."
    # The assistant, whose athlete it is, edits their own note.
    response = login(assistant.user).post(edit, {"body": "Edited by the author"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Edited by the author"


def test_an_unassigned_assistant_and_another_clubs_coach_get_404(athlete, assistant, other_coach):
    note = note_create(athlete=athlete, author=athlete.coach.user, body="Private.")
    for outsider in (assistant, other_coach):
        client = login(outsider.user)
        assert client.get(detail(athlete)).status_code == 404
        assert client.post(create_url(athlete), {"body": "Sneaky"}).status_code == 404
        edit = reverse("comms:note_edit", args=[athlete.pk, note.pk])
        assert client.get(edit).status_code == 404
    assert CoachNote.objects.count() == 1


def test_the_athlete_never_sees_a_coach_note(coach, athlete, athlete_client):
    note_create(athlete=athlete, author=coach.user, body="Private: low confidence on squats.")
    for url in (
        reverse("training:today"),
        reverse("training:history"),
        reverse("comms:thread"),
        reverse("comms:notifications"),
    ):
        response = athlete_client.get(url)
        assert response.status_code == 200
        assert "low confidence" not in response.content.decode()
    assert athlete_client.get(detail(athlete)).status_code == 404


def test_a_coach_edits_a_note_with_htmx_and_without(coach, coach_client, athlete):
    note = note_create(athlete=athlete, author=coach.user, body="First take.")
    edit = reverse("comms:note_edit", args=[athlete.pk, note.pk])
    form = coach_client.get(edit, **HTMX).content.decode()
    assert f'id="note-{note.pk}"' in form
    assert "First take." in form
    assert "<html" not in form
    assert "<html" in coach_client.get(edit).content.decode()

    saved = coach_client.post(edit, {"body": "Second take."}, **HTMX)
    assert saved["HX-Retarget"] == "#coach-notes"
    assert "Second take." in saved.content.decode()
    response = coach_client.post(edit, {"body": "Third take."})
    assert response["Location"] == detail(athlete) + "#coach-notes"
    note.refresh_from_db()
    assert note.body == "Third take."

    refused = coach_client.post(edit, {"body": ""}, **HTMX)
    assert "Write something in the note first." in refused.content.decode()
    note.refresh_from_db()
    assert note.body == "Third take."


def test_a_coach_deletes_their_note(coach, coach_client, athlete):
    kept = note_create(athlete=athlete, author=coach.user, body="Keep me.")
    gone = note_create(athlete=athlete, author=coach.user, body="Delete me.")
    url = reverse("comms:note_delete", args=[athlete.pk, gone.pk])
    assert coach_client.get(url).status_code == 405
    fragment = coach_client.post(url, **HTMX).content.decode()
    assert "Delete me." not in fragment
    assert "Keep me." in fragment
    assert list(CoachNote.objects.all()) == [kept]


def test_a_note_of_another_athlete_is_not_reachable_through_this_athlete(
    coach, coach_client, athlete, other_athlete
):
    note = note_create(athlete=other_athlete, author=coach.user, body="Other runner.")
    edit = reverse("comms:note_edit", args=[athlete.pk, note.pk])
    assert coach_client.get(edit).status_code == 404
