"""The tus 1.0 server: creation, resumption at the right offset, termination and the caps."""

import io

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories import AthleteFactory
from tests.videos import clips
from tests.videos.conftest import stored_files
from tests.videos.helpers import TUS, create, metadata, patch, upload_whole
from training.videos.files import upload_path
from training.videos.models import FormVideo, VideoUpload

pytestmark = pytest.mark.django_db


@pytest.fixture
def clip_bytes(clip_dir) -> bytes:
    return clips.h264_mp4(clip_dir).read_bytes()


def test_options_announce_the_version_extensions_and_the_size_cap(athlete_client, settings):
    settings.VIDEO_MAX_UPLOAD_MB = 500
    response = athlete_client.options(reverse("videos:tus_create"))
    assert response.status_code == 204
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "termination", "checksum"}
    assert "sha1" in response["Tus-Checksum-Algorithm"].split(",")
    assert response["Tus-Max-Size"] == str(500 * 1024 * 1024)


def test_creation_pins_the_upload_to_the_athletes_set(athlete_client, athlete, prescription):
    response = create(athlete_client, prescription, 1000, set_number=2)

    assert response.status_code == 201
    upload = VideoUpload.objects.get()
    assert response["Location"].endswith(
        reverse("videos:tus_upload", kwargs={"upload_id": upload.pk})
    )
    assert (upload.athlete, upload.prescription, upload.set_number) == (athlete, prescription, 2)
    assert (upload.session_id, upload.exercise_id) == (
        prescription.session_id,
        prescription.exercise_id,
    )
    assert upload_path(upload).stat().st_size == 0


def test_head_reports_the_offset_without_caching(athlete_client, prescription):
    location = create(athlete_client, prescription, 10)["Location"]
    patch(athlete_client, location, 0, b"12345")
    response = athlete_client.head(location, **TUS)
    assert response.status_code == 200
    assert (response["Upload-Offset"], response["Upload-Length"]) == ("5", "10")
    assert "no-store" in response["Cache-Control"]


def test_a_clip_sent_in_chunks_becomes_a_video_queued_for_processing(
    athlete_client, athlete, prescription, clip_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _, last = upload_whole(athlete_client, prescription, clip_bytes, chunk=1000)

    assert last.status_code == 204
    assert last["Upload-Offset"] == str(len(clip_bytes))
    video = FormVideo.objects.get()
    assert last["Video-Location"] == reverse("videos:athlete_video", kwargs={"video_id": video.pk})
    assert video.status == FormVideo.Status.UPLOADED
    assert (video.athlete, video.prescription, video.set_number) == (athlete, prescription, 1)
    assert video.original.read() == clip_bytes
    assert video.codec == "h264"
    assert video.duration == pytest.approx(1.0, abs=0.1)
    assert not VideoUpload.objects.exists()
    # Processing and the coach's notification email are queued only once the row is committed.
    assert len(callbacks) == 2


class DroppedConnection(io.BytesIO):
    """A request body whose connection drops after the bytes it holds."""

    def read(self, size=-1):
        data = super().read(size)
        if not data:
            raise ConnectionResetError("client went away")
        return data


def test_a_dropped_patch_resumes_from_what_arrived(athlete_client, prescription, clip_bytes):
    location = create(athlete_client, prescription, len(clip_bytes))["Location"]
    # The request announced the whole file, but the signal went after 700 bytes.
    patch(
        athlete_client,
        location,
        0,
        b"",
        CONTENT_LENGTH=str(len(clip_bytes)),
        CONTENT_TYPE="application/offset+octet-stream",
        **{"wsgi.input": DroppedConnection(clip_bytes[:700])},
    )

    head = athlete_client.head(location, **TUS)
    assert head["Upload-Offset"] == "700"
    resumed = patch(athlete_client, location, 700, clip_bytes[700:])

    assert resumed.status_code == 204
    assert FormVideo.objects.get().original.read() == clip_bytes


def test_a_patch_at_the_wrong_offset_is_a_conflict_and_writes_nothing(athlete_client, prescription):
    location = create(athlete_client, prescription, 100)["Location"]
    patch(athlete_client, location, 0, b"a" * 10)

    response = patch(athlete_client, location, 5, b"b" * 10)

    assert response.status_code == 409
    upload = VideoUpload.objects.get()
    assert upload.offset == 10
    assert upload_path(upload).read_bytes() == b"a" * 10


def test_more_bytes_than_announced_are_refused(athlete_client, prescription):
    location = create(athlete_client, prescription, 10)["Location"]
    response = patch(athlete_client, location, 0, b"x" * 11)
    assert response.status_code == 413
    assert VideoUpload.objects.get().offset == 0


def test_termination_deletes_the_upload_and_its_chunks(athlete_client, prescription):
    location = create(athlete_client, prescription, 100)["Location"]
    patch(athlete_client, location, 0, b"a" * 10)
    path = upload_path(VideoUpload.objects.get())

    response = athlete_client.delete(location, **TUS)

    assert response.status_code == 204
    assert not VideoUpload.objects.exists()
    assert not path.exists()
    assert athlete_client.head(location, **TUS).status_code == 404


def test_an_upload_over_the_size_cap_is_refused_at_creation_with_the_limit(
    athlete_client, prescription, settings
):
    settings.VIDEO_MAX_UPLOAD_MB = 1
    response = create(athlete_client, prescription, 1024 * 1024 + 1)
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert not VideoUpload.objects.exists()


def test_an_overlong_clip_is_refused_when_complete_and_nothing_is_kept(
    athlete_client, prescription, clip_dir, settings
):
    settings.VIDEO_MAX_SECONDS = 1
    data = clips.make_clip(clip_dir / "long.mp4", seconds=2).read_bytes()

    _, last = upload_whole(athlete_client, prescription, data)

    assert last.status_code == 422
    assert "the limit is 1 s" in last.content.decode()
    assert not FormVideo.objects.exists()
    assert not VideoUpload.objects.exists()
    assert stored_files() == []
    assert list(settings.VIDEO_UPLOAD_DIR.glob("*.part")) == []


def test_requests_without_the_protocol_version_are_refused(athlete_client, prescription):
    response = athlete_client.post(
        reverse("videos:tus_create"),
        HTTP_UPLOAD_LENGTH="10",
        HTTP_UPLOAD_METADATA=metadata(
            session=prescription.session_id, prescription=prescription.pk
        ),
    )
    assert response.status_code == 412
    assert response["Tus-Version"] == "1.0.0"


def test_a_patch_needs_the_offset_content_type(athlete_client, prescription):
    location = create(athlete_client, prescription, 10)["Location"]
    response = athlete_client.generic(
        "PATCH", location, b"x", content_type="text/plain", HTTP_UPLOAD_OFFSET="0", **TUS
    )
    assert response.status_code == 415


def test_creation_needs_an_exercise_of_the_athletes_own(athlete_client, prescription, coach):
    someone_else = AthleteFactory(coach=coach, club=coach.club)
    from tests.factories import PrescriptionFactory

    theirs = PrescriptionFactory(session__athlete=someone_else)
    assert create(athlete_client, theirs, 10).status_code == 404
    bad_set = create(athlete_client, prescription, 10, set_number=99)
    assert bad_set.status_code == 400
    assert "which set" in bad_set.content.decode()
    assert not VideoUpload.objects.exists()


def test_another_athlete_cannot_see_resume_or_delete_an_upload(
    athlete_client, prescription, other_athlete
):
    location = create(athlete_client, prescription, 10)["Location"]
    intruder = login(other_athlete.user)
    assert intruder.head(location, **TUS).status_code == 404
    assert patch(intruder, location, 0, b"x").status_code == 404
    assert intruder.delete(location, **TUS).status_code == 404
    assert VideoUpload.objects.get().offset == 0


def test_metadata_that_is_not_base64_is_refused(athlete_client):
    response = athlete_client.post(
        reverse("videos:tus_create"),
        HTTP_UPLOAD_LENGTH="10",
        HTTP_UPLOAD_METADATA="session !!!notbase64",
        **TUS,
    )
    assert response.status_code == 400


def test_a_completed_upload_cannot_be_completed_again(athlete_client, prescription, clip_bytes):
    location = create(athlete_client, prescription, len(clip_bytes))["Location"]
    upload = VideoUpload.objects.get()
    patch(athlete_client, location, 0, clip_bytes)

    # A retry of the last PATCH that arrives after the first one stored the video.
    from training.videos.files import UploadRefused
    from training.videos.services import upload_complete

    with pytest.raises(UploadRefused):
        upload_complete(upload=upload)
    assert FormVideo.objects.count() == 1
    assert athlete_client.head(location, **TUS).status_code == 404


def _sha1(data: bytes) -> str:
    import base64
    import hashlib

    return "sha1 " + base64.b64encode(hashlib.sha1(data, usedforsecurity=False).digest()).decode()


def test_a_chunk_with_a_matching_checksum_is_kept(athlete_client, prescription):
    location = create(athlete_client, prescription, 100)["Location"]
    response = patch(athlete_client, location, 0, b"a" * 10, HTTP_UPLOAD_CHECKSUM=_sha1(b"a" * 10))
    assert response.status_code == 204
    assert response["Upload-Offset"] == "10"


def test_a_chunk_damaged_in_transit_is_dropped_with_a_460(athlete_client, prescription):
    location = create(athlete_client, prescription, 100)["Location"]
    patch(athlete_client, location, 0, b"a" * 10)

    response = patch(athlete_client, location, 10, b"b" * 10, HTTP_UPLOAD_CHECKSUM=_sha1(b"c" * 10))

    assert response.status_code == 460
    upload = VideoUpload.objects.get()
    assert upload.offset == 10
    assert upload_path(upload).read_bytes() == b"a" * 10


def test_an_unknown_checksum_algorithm_is_refused(athlete_client, prescription):
    location = create(athlete_client, prescription, 100)["Location"]
    response = patch(athlete_client, location, 0, b"a", HTTP_UPLOAD_CHECKSUM="crc32 AAAA")
    assert response.status_code == 400
    assert VideoUpload.objects.get().offset == 0
