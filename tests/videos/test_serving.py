"""Serving clips: only to the athlete and the coaches who see them, with byte ranges."""

import pytest
from django.urls import reverse

from tests.conftest import login

pytestmark = pytest.mark.django_db


def _url(video, name="videos:video_file"):
    return reverse(name, kwargs={"video_id": video.pk})


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_athlete_gets_the_whole_rendition_with_ranges_announced(athlete_client, video):
    response = athlete_client.get(_url(video))
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    body = _body(response)
    assert body == video.rendition.read()
    assert response["Content-Length"] == str(len(body))
    assert "private" in response["Cache-Control"]


def test_a_range_of_two_bytes_is_a_206_with_the_right_content_range(athlete_client, video):
    size = video.rendition.size
    response = athlete_client.get(_url(video), HTTP_RANGE="bytes=0-1")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-1/{size}"
    assert response["Content-Length"] == "2"
    assert _body(response) == video.rendition.read()[:2]


def test_open_and_suffix_ranges_as_safari_asks_for_them(coach_client, video):
    data = video.rendition.read()
    size = len(data)
    tail = coach_client.get(_url(video), HTTP_RANGE="bytes=-100")
    assert tail.status_code == 206
    assert tail["Content-Range"] == f"bytes {size - 100}-{size - 1}/{size}"
    assert _body(tail) == data[-100:]
    rest = coach_client.get(_url(video), HTTP_RANGE=f"bytes={size - 10}-")
    assert _body(rest) == data[-10:]
    beyond_end = coach_client.get(_url(video), HTTP_RANGE=f"bytes=10-{size + 500}")
    assert beyond_end["Content-Range"] == f"bytes 10-{size - 1}/{size}"


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=5-2", "bytes=-0", "bytes=x-y"])
def test_an_unsatisfiable_range_is_a_416_naming_the_size(athlete_client, video, header):
    response = athlete_client.get(_url(video), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{video.rendition.size}"


def test_if_range_with_a_stale_validator_sends_the_whole_file(athlete_client, video):
    first = athlete_client.get(_url(video), HTTP_RANGE="bytes=0-1")
    matching = athlete_client.get(_url(video), HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE=first["ETag"])
    assert matching.status_code == 206
    stale = athlete_client.get(_url(video), HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE='"older"')
    assert stale.status_code == 200
    assert _body(stale) == video.rendition.read()


def test_the_stream_is_never_gzipped_so_ranges_stay_byte_exact(athlete_client, video):
    response = athlete_client.get(_url(video), HTTP_RANGE="bytes=0-1", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 206
    assert not response.has_header("Content-Encoding")
    assert response["Content-Length"] == "2"


def test_the_poster_is_served_to_the_coach(coach_client, video):
    response = coach_client.get(_url(video, "videos:video_poster"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert _body(response)[:2] == b"\xff\xd8"


@pytest.mark.parametrize("persona", ["other_athlete", "assistant", "other_coach"])
def test_nobody_else_gets_the_file_not_even_a_range(request, persona, video):
    client = login(request.getfixturevalue(persona).user)
    assert client.get(_url(video), HTTP_RANGE="bytes=0-1").status_code == 404
    assert client.get(_url(video, "videos:video_poster")).status_code == 404


def test_an_anonymous_visitor_gets_a_404_not_a_login_page(client, video):
    assert client.get(_url(video)).status_code == 404


def test_the_assistant_assigned_to_the_athlete_may_watch(assistant, athlete, video):
    athlete.coach = assistant
    athlete.save()
    assert login(assistant.user).get(_url(video), HTTP_RANGE="bytes=0-1").status_code == 206


def test_x_accel_mode_hands_the_checked_request_to_the_proxy(athlete_client, video, settings):
    settings.VIDEO_SERVE = "x-accel"
    response = athlete_client.get(_url(video))
    assert response["X-Accel-Redirect"] == f"/protected-videos/{video.rendition.name}"
    assert response.content == b""


def test_the_files_are_outside_every_public_url_space(athlete_client, video, settings):
    from pathlib import Path

    stored = Path(video.rendition.path).resolve()
    for public in (settings.STATIC_ROOT, settings.MEDIA_ROOT, *settings.STATICFILES_DIRS):
        assert not stored.is_relative_to(Path(public).resolve())
    # Whatever URL the storage would make up, nothing serves it.
    for field in (video.rendition, video.poster, video.original):
        assert athlete_client.get(field.url).status_code == 404


def test_presigned_mode_redirects_only_after_the_check(athlete_client, video, settings, request):
    settings.VIDEO_SERVE = "presigned"
    response = athlete_client.get(_url(video))
    assert response.status_code == 302
    assert response["Location"] == video.rendition.storage.url(video.rendition.name)
    outsider = login(request.getfixturevalue("other_coach").user)
    assert outsider.get(_url(video)).status_code == 404
