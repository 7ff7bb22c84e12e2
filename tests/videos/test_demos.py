"""A club's demonstration clips: uploaded by a coach, checked by content, processed like a
form video, shown on the athlete's card and served to the club only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import login
from tests.factories import AthleteFactory, exercise
from tests.videos import clips
from tests.videos.conftest import stored_files
from training.videos.models import ExerciseDemo

pytestmark = pytest.mark.django_db


def upload(client, lift, path, name="demo.mp4"):
    return client.post(
        reverse("videos:demo", args=[lift.pk]),
        {"video": SimpleUploadedFile(name, path.read_bytes(), "video/mp4")},
        follow=True,
    )


def test_a_coach_uploads_a_demo_the_athlete_watches_it_on_the_card(
    coach_client, athlete, prescription, clip_dir, django_capture_on_commit_callbacks
):
    squat = prescription.exercise
    with django_capture_on_commit_callbacks(execute=True):
        page = upload(coach_client, squat, clips.hevc_mov(clip_dir), "squat.mov")
    assert "uploaded" in page.content.decode()
    demo = ExerciseDemo.objects.get()
    assert demo.is_ready
    assert demo.rendition.name.endswith(".mp4")

    card = (
        login(athlete.user)
        .get(reverse("training:session", args=[prescription.session_id]))
        .content.decode()
    )
    assert "Watch the demo" in card
    served = login(athlete.user).get(
        reverse("videos:demo_file", args=[demo.pk]), headers={"Range": "bytes=0-1"}
    )
    assert served.status_code == 206
    assert served["Content-Range"].startswith("bytes 0-1/")


def test_another_clubs_athlete_cannot_fetch_the_demo(
    coach_client, prescription, clip_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(coach_client, prescription.exercise, clips.h264_mp4(clip_dir))
    demo = ExerciseDemo.objects.get()
    outsider = login(AthleteFactory().user)
    assert outsider.get(reverse("videos:demo_file", args=[demo.pk])).status_code == 404


def test_a_file_that_is_not_a_video_is_refused_and_nothing_stored(coach_client, clip_dir):
    page = upload(coach_client, exercise("deadlift"), clips.pdf_named_mp4(clip_dir))
    assert "isn&#x27;t a video we can read" in page.content.decode()
    assert page.context["form"].errors
    assert not ExerciseDemo.objects.exists()
    assert stored_files() == []


def test_a_new_clip_replaces_the_old_and_removing_deletes_the_files(
    coach_client, clip_dir, django_capture_on_commit_callbacks
):
    lift = exercise("deadlift")
    with django_capture_on_commit_callbacks(execute=True):
        upload(coach_client, lift, clips.h264_mp4(clip_dir))
    first = stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        upload(coach_client, lift, clips.h264_mp4(clip_dir, "again.mp4"))
    assert ExerciseDemo.objects.count() == 1
    assert not set(first) & set(stored_files())

    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(reverse("videos:demo_remove", args=[lift.pk]))
    assert not ExerciseDemo.objects.exists()
    assert stored_files() == []


class Untouched:
    """A request body that records whether anything read it."""

    touched = False

    def read(self, *args):
        self.touched = True
        return b""

    readline = read


def test_a_demo_announcing_600_mb_is_refused_with_413_without_reading_the_body(
    coach_client, settings
):
    settings.VIDEO_MAX_UPLOAD_MB = 500
    body = Untouched()
    response = coach_client.generic(
        "POST",
        reverse("videos:demo", args=[exercise("deadlift").pk]),
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(600 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert not body.touched
    assert "larger than 500 MB" in response.content.decode()
    assert not ExerciseDemo.objects.exists()


def test_a_demo_file_over_the_cap_is_stopped_while_it_streams(coach_client, settings):
    settings.VIDEO_MAX_UPLOAD_MB = 1
    # The announced length is within the slack for the form's other fields; the file is not.
    big = SimpleUploadedFile("big.mp4", b"\x00" * (1024 * 1024 + 20 * 1024), "video/mp4")
    response = coach_client.post(
        reverse("videos:demo", args=[exercise("deadlift").pk]), {"video": big}
    )
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert not ExerciseDemo.objects.exists()
    assert stored_files() == []


def test_a_demo_upload_still_needs_the_csrf_token(coach, clip_dir):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(coach.user)
    response = client.post(
        reverse("videos:demo", args=[exercise("deadlift").pk]),
        {"video": SimpleUploadedFile("d.mp4", clips.h264_mp4(clip_dir).read_bytes())},
    )
    assert response.status_code == 403
    assert not ExerciseDemo.objects.exists()
