"""The athlete's side: the exercise card's film form and the no-JavaScript upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.videos import clips
from tests.videos.conftest import stored_files
from training.videos.models import FormVideo

pytestmark = pytest.mark.django_db


def _upload_url(prescription):
    return reverse(
        "videos:upload_form",
        kwargs={"session_id": prescription.session_id, "prescription_id": prescription.pk},
    )


def test_the_exercise_card_offers_to_film_the_set_without_loading_anything_yet(
    athlete_client, prescription
):
    page = athlete_client.get(reverse("training:today")).content.decode()
    assert "Film this set" in page
    assert f'hx-get="{_upload_url(prescription)}"' in page
    assert f'href="{_upload_url(prescription)}"' in page
    assert "tus.min.js" not in page  # the phone's first load stays light


def test_the_film_form_opens_the_camera_in_place_on_the_card(athlete_client, prescription):
    fragment = athlete_client.get(_upload_url(prescription), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body
    assert 'accept="video/*"' in body
    assert "capture=" in body
    assert 'enctype="multipart/form-data"' in body
    assert "vendor/tus.min.js" in body
    assert "js/video-upload.js" in body
    assert "<progress" in body
    assert '<option value="5">Set 5</option>' in body  # 2 working sets + 3 extra


def test_without_javascript_the_film_form_is_its_own_page(athlete_client, prescription):
    page = athlete_client.get(_upload_url(prescription)).content.decode()
    assert "<html" in page
    assert "Film Back squat" in page
    assert "Your coach asks for a video" in page


def test_a_card_without_a_request_still_lets_the_athlete_film(athlete_client, prescription):
    prescription.film_request = False
    prescription.save()
    page = athlete_client.get(reverse("training:today")).content.decode()
    assert "Film a set" in page


def test_the_plain_multipart_upload_stores_the_clip_and_shows_its_page(
    athlete_client, athlete, prescription, clip_dir
):
    data = clips.h264_mp4(clip_dir).read_bytes()
    response = athlete_client.post(
        _upload_url(prescription),
        {"video": SimpleUploadedFile("set.mp4", data, "video/mp4"), "set_number": "2"},
    )
    video = FormVideo.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("videos:athlete_video", kwargs={"video_id": video.pk})
    assert (video.athlete, video.prescription, video.set_number) == (athlete, prescription, 2)
    assert video.original.read() == data


def test_a_renamed_pdf_is_refused_with_a_message_and_nothing_is_stored(
    athlete_client, prescription, clip_dir
):
    response = athlete_client.post(
        _upload_url(prescription),
        {"video": SimpleUploadedFile("form.mp4", clips.pdf_named_mp4(clip_dir).read_bytes())},
        follow=True,
    )
    assert "isn&#x27;t a video" in response.content.decode()
    assert not FormVideo.objects.exists()
    assert stored_files() == []


def test_an_oversize_body_is_refused_before_it_is_read(athlete_client, prescription, settings):
    settings.VIDEO_MAX_UPLOAD_MB = 1
    response = athlete_client.post(
        _upload_url(prescription),
        {"video": SimpleUploadedFile("big.mp4", b"0" * (1024 * 1024 + 100 * 1024))},
        follow=True,
    )
    assert "larger than 1 MB" in response.content.decode()
    assert not FormVideo.objects.exists()


def test_the_clip_shows_on_the_card_with_its_state(athlete_client, athlete, prescription, clip_dir):
    from tests.videos.conftest import accept

    accept(athlete, prescription, clips.h264_mp4(clip_dir), set_number=2)
    page = athlete_client.get(reverse("training:today")).content.decode()
    assert "Video of set 2" in page
    assert "Uploaded" in page


def test_the_athlete_page_polls_while_processing_then_shows_the_player(
    athlete_client, athlete, prescription, clip_dir
):
    from tests.videos.conftest import accept
    from training.videos import processing

    video = accept(athlete, prescription, clips.h264_mp4(clip_dir))
    url = reverse("videos:athlete_video", kwargs={"video_id": video.pk})
    waiting = athlete_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 3s"' in waiting
    assert "<html" not in waiting
    processing.video_process(video_id=video.pk)
    ready = athlete_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in ready
    assert reverse("videos:video_file", kwargs={"video_id": video.pk}) in ready
