"""What an upload may cost the server: uploads and bytes in flight per athlete and per club,
idle uploads expired, and a first chunk that is not a video refused."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from tests.conftest import login
from tests.factories import AthleteFactory, PlannedSessionFactory, PrescriptionFactory
from tests.videos import clips
from tests.videos.helpers import TUS, create, patch
from training.videos import files, services, tasks
from training.videos.models import VideoUpload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _parts(settings) -> list[str]:
    return sorted(p.name for p in settings.VIDEO_UPLOAD_DIR.glob("*.part"))


def test_an_athlete_cannot_open_more_uploads_than_the_limit_and_nothing_is_created(
    athlete_client, prescription, settings
):
    settings.VIDEO_MAX_CONCURRENT_UPLOADS_PER_ATHLETE = 2
    assert create(athlete_client, prescription, 1000).status_code == 201
    assert create(athlete_client, prescription, 1000).status_code == 201

    refused = create(athlete_client, prescription, 1000)

    assert refused.status_code == 429
    assert "You already have 2 uploads in progress" in refused.content.decode()
    assert refused["Tus-Resumable"] == "1.0.0"
    assert VideoUpload.objects.count() == 2
    assert len(_parts(settings)) == 2


def test_a_finished_or_cancelled_upload_frees_its_place(athlete_client, prescription, settings):
    settings.VIDEO_MAX_CONCURRENT_UPLOADS_PER_ATHLETE = 1
    location = create(athlete_client, prescription, 1000)["Location"]
    assert create(athlete_client, prescription, 1000).status_code == 429

    athlete_client.delete(location, **TUS)

    assert create(athlete_client, prescription, 1000).status_code == 201


def test_an_athlete_cannot_hold_more_bytes_in_flight_than_the_limit(
    athlete_client, prescription, settings
):
    settings.VIDEO_MAX_MB_IN_FLIGHT_PER_ATHLETE = 1
    assert create(athlete_client, prescription, 600 * 1024).status_code == 201

    refused = create(athlete_client, prescription, 600 * 1024)

    assert refused.status_code == 429
    assert "more than 1 MB at once" in refused.content.decode()
    assert VideoUpload.objects.count() == 1
    # A smaller clip still fits beside the first.
    assert create(athlete_client, prescription, 300 * 1024).status_code == 201


def test_a_club_cannot_have_more_uploads_in_flight_than_its_limit(
    athlete_client, athlete, prescription, other_athlete, other_coach, settings
):
    settings.VIDEO_MAX_CONCURRENT_UPLOADS_PER_CLUB = 2
    theirs = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=other_athlete, date=other_athlete.today())
    )
    assert create(athlete_client, prescription, 1000).status_code == 201
    assert create(login(other_athlete.user), theirs, 1000).status_code == 201

    refused = create(athlete_client, prescription, 1000)

    assert refused.status_code == 429
    assert "Your club has 2 uploads in progress" in refused.content.decode()
    assert VideoUpload.objects.count() == 2
    # Another club is not held back by this one.
    outsider = AthleteFactory(coach=other_coach, club=other_coach.club)
    outside = PrescriptionFactory(
        session=PlannedSessionFactory(athlete=outsider, date=outsider.today())
    )
    assert create(login(outsider.user), outside, 1000).status_code == 201


def test_a_club_cannot_hold_more_bytes_in_flight_than_its_limit(
    athlete, prescription, other_athlete, settings
):
    settings.VIDEO_MAX_MB_IN_FLIGHT_PER_CLUB = 1
    theirs = PrescriptionFactory(session=PlannedSessionFactory(athlete=other_athlete))
    services.upload_create(
        athlete=other_athlete, pin=services.pin_for(theirs, 1), length=700 * 1024, filename=""
    )

    message = "Your club.s uploads in progress would come to more than 1 MB"
    with pytest.raises(files.UploadRefused, match=message) as refused:
        services.upload_create(
            athlete=athlete, pin=services.pin_for(prescription, 1), length=700 * 1024, filename=""
        )
    assert refused.value.status == 429
    assert VideoUpload.objects.count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_creations_at_once_at_the_limit_let_exactly_one_through(athlete, settings):
    settings.VIDEO_MAX_CONCURRENT_UPLOADS_PER_ATHLETE = 2
    prescription = PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete))
    pin = services.pin_for(prescription, 1)
    services.upload_create(athlete=athlete, pin=pin, length=1000, filename="")
    barrier = threading.Barrier(2)
    created, refused = [], []

    def phone() -> None:
        try:
            barrier.wait()
            created.append(
                services.upload_create(athlete=athlete, pin=pin, length=1000, filename="")
            )
        except files.UploadRefused as error:
            refused.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=phone) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert (len(created), len(refused)) == (1, 1)
    assert refused[0].status == 429
    assert VideoUpload.objects.count() == 2


def test_an_idle_upload_is_expired_by_the_cleaner_and_its_patch_says_so(
    athlete_client, prescription, settings
):
    settings.VIDEO_UPLOAD_IDLE_HOURS = 6
    location = create(athlete_client, prescription, 1000)["Location"]
    VideoUpload.objects.update(updated_at=timezone.now() - timedelta(hours=7))

    assert tasks.abandoned_uploads_clean() == 1

    assert not VideoUpload.objects.exists()
    assert _parts(settings) == []
    response = patch(athlete_client, location, 0, b"\x00" * 10)
    assert response.status_code in (404, 410)
    assert "This upload has expired" in response.content.decode()
    assert response["Tus-Resumable"] == "1.0.0"


def test_an_upload_idle_past_the_limit_is_refused_even_before_the_cleaner_runs(
    athlete_client, prescription, settings
):
    settings.VIDEO_UPLOAD_IDLE_HOURS = 6
    location = create(athlete_client, prescription, 1000)["Location"]
    VideoUpload.objects.update(updated_at=timezone.now() - timedelta(hours=7))

    response = patch(athlete_client, location, 0, b"\x00" * 10)

    assert response.status_code == 410
    assert "This upload has expired" in response.content.decode()
    assert not VideoUpload.objects.exists()
    assert _parts(settings) == []


def test_an_upload_idle_for_less_than_the_limit_still_resumes(
    athlete_client, prescription, clip_dir, settings
):
    settings.VIDEO_UPLOAD_IDLE_HOURS = 6
    data = clips.h264_mp4(clip_dir).read_bytes()
    location = create(athlete_client, prescription, len(data))["Location"]
    patch(athlete_client, location, 0, data[:1000])
    VideoUpload.objects.update(updated_at=timezone.now() - timedelta(hours=5))

    tasks.abandoned_uploads_clean()
    response = patch(athlete_client, location, 1000, data[1000:])

    assert response.status_code == 204
    assert "Video-Location" in response


def test_a_first_chunk_of_plain_text_is_refused_and_nothing_stays_on_disk(
    athlete_client, prescription, settings
):
    location = create(athlete_client, prescription, 5000)["Location"]

    response = patch(athlete_client, location, 0, b"Dear coach, here is my squat video. " * 20)

    assert response.status_code == 415
    assert "isn't a video" in response.content.decode()
    assert not VideoUpload.objects.exists()
    assert _parts(settings) == []


@pytest.mark.parametrize("make", [clips.h264_mp4, clips.hevc_mov, clips.vp9_webm])
def test_the_first_chunk_of_each_phone_format_is_accepted(
    make, athlete_client, prescription, clip_dir
):
    data = make(clip_dir).read_bytes()
    location = create(athlete_client, prescription, len(data))["Location"]

    response = patch(athlete_client, location, 0, data[:64])

    assert response.status_code == 204
    assert response["Upload-Offset"] == "64"
