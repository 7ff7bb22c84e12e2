"""Background processing: claim, probe, poster, rendition; failures, retries and sweepers."""

import os
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import av
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coaching.celery import app as celery_app
from tests.factories import PlannedSessionFactory, PrescriptionFactory, SetLogFactory
from tests.videos import clips
from tests.videos.conftest import accept, ready_video, stored_files
from training.videos import files, media, processing, services, tasks
from training.videos.models import ClubVideoSettings, FormVideo, VideoUpload

pytestmark = pytest.mark.django_db


def _sweep() -> list:
    """What the stuck_videos_requeue task asks of the sweeper, without its cleaning."""
    return processing.stuck_videos_requeue(
        video_task=tasks.video_process, demo_task=tasks.demo_process
    )


# Far below what decoding 4200×4200 pictures takes (a 64×48 clip needs about 250 MB).
MEMORY_TOO_SMALL_MB = 128


@pytest.mark.parametrize(
    "make", [clips.h264_mp4, clips.hevc_mov, clips.vp9_webm, clips.rotated_mp4]
)
def test_every_phone_format_ends_ready_with_a_playable_h264_rendition(
    make, athlete, prescription, clip_dir
):
    video = ready_video(athlete, prescription, make(clip_dir))

    assert video.status == FormVideo.Status.READY
    assert video.ready_at is not None
    with av.open(video.rendition.path) as rendition:
        stream = rendition.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        upright = (48, 64) if video.rotation == 90 else (64, 48)
        assert (stream.codec_context.width, stream.codec_context.height) == upright
    assert Path(video.poster.path).read_bytes()[:2] == b"\xff\xd8"
    assert video.rendition_fps == pytest.approx(10)


def test_the_probe_facts_are_stored_for_the_review_page(athlete, prescription, clip_dir):
    video = accept(athlete, prescription, clips.rotated_mp4(clip_dir))
    assert (video.width, video.height, video.rotation) == (64, 48, 90)
    assert (video.codec, video.fps) == ("h264", 10.0)
    assert video.aspect == pytest.approx(48 / 64)


def test_processing_twice_changes_nothing(athlete, prescription, clip_dir):
    video = ready_video(athlete, prescription, clips.h264_mp4(clip_dir))
    files = stored_files()
    before = FormVideo.objects.values().get(pk=video.pk)

    processing.video_process(video_id=video.pk)
    tasks.video_process(str(video.pk))

    assert FormVideo.objects.values().get(pk=video.pk) == before
    assert stored_files() == files


def test_only_one_worker_claims_a_video(athlete, prescription, clip_dir):
    video = accept(athlete, prescription, clips.h264_mp4(clip_dir))
    assert processing.video_claim(video_id=video.pk) is True
    assert processing.video_claim(video_id=video.pk) is False
    video.refresh_from_db()
    assert (video.status, video.attempts) == (FormVideo.Status.PROCESSING, 1)


def test_a_file_that_cannot_be_decoded_fails_with_a_reason(athlete, prescription, clip_dir):
    video = accept(athlete, prescription, clips.h264_mp4(clip_dir))
    # The stored original went bad after acceptance (e.g. a storage fault).
    Path(video.original.path).write_bytes(b"not a video any more")

    processing.video_process(video_id=video.pk)

    video.refresh_from_db()
    assert video.status == FormVideo.Status.FAILED
    assert "isn't a video" in video.failure_reason


def test_a_storage_error_gives_the_video_back_for_a_retry(
    athlete, prescription, clip_dir, monkeypatch
):
    video = accept(athlete, prescription, clips.h264_mp4(clip_dir))
    original = Path(video.original.path)
    hidden = original.with_suffix(".away")
    original.rename(hidden)  # storage briefly unreachable

    with pytest.raises(processing.TransientError):
        processing.video_process(video_id=video.pk)
    video.refresh_from_db()
    assert video.status == FormVideo.Status.UPLOADED

    hidden.rename(original)
    processing.video_process(video_id=video.pk)
    video.refresh_from_db()
    assert (video.status, video.attempts) == (FormVideo.Status.READY, 2)


def test_the_club_can_choose_to_delete_originals_after_processing(athlete, prescription, clip_dir):
    ClubVideoSettings.objects.create(club=athlete.club, keep_originals=False)
    video = ready_video(athlete, prescription, clips.h264_mp4(clip_dir))
    assert not video.original
    assert [name.split("/")[0] for name in stored_files()] == ["posters", "renditions"]


def test_originals_are_kept_by_default(athlete, prescription, clip_dir):
    video = ready_video(athlete, prescription, clips.h264_mp4(clip_dir))
    assert video.original
    assert Path(video.original.path).exists()


def test_the_sweeper_requeues_a_video_whose_worker_died(
    athlete, prescription, clip_dir, django_capture_on_commit_callbacks
):
    video = accept(athlete, prescription, clips.h264_mp4(clip_dir))
    processing.video_claim(video_id=video.pk)  # ...and the worker was killed here
    FormVideo.objects.filter(pk=video.pk).update(
        processing_started_at=timezone.now() - timedelta(hours=2)
    )

    with django_capture_on_commit_callbacks(execute=True):
        requeued = _sweep()

    assert requeued == [video.pk]
    video.refresh_from_db()
    assert video.status == FormVideo.Status.READY  # the eager task ran it again


def test_the_sweeper_leaves_videos_being_processed_now_alone(athlete, prescription, clip_dir):
    video = accept(athlete, prescription, clips.h264_mp4(clip_dir))
    processing.video_claim(video_id=video.pk)
    assert _sweep() == []


def test_the_sweeper_gives_up_after_the_last_attempt(athlete, prescription, clip_dir, settings):
    settings.VIDEO_MAX_ATTEMPTS = 1
    video = accept(athlete, prescription, clips.h264_mp4(clip_dir))
    processing.video_claim(video_id=video.pk)
    FormVideo.objects.filter(pk=video.pk).update(
        processing_started_at=timezone.now() - timedelta(hours=2)
    )
    _sweep()
    video.refresh_from_db()
    assert video.status == FormVideo.Status.FAILED
    assert "several tries" in video.failure_reason


def test_abandoned_uploads_and_stray_chunks_are_cleaned(athlete, prescription):
    pin = services.pin_for(prescription, 1)
    stale = services.upload_create(athlete=athlete, pin=pin, length=100, filename="a.mp4")
    fresh = services.upload_create(athlete=athlete, pin=pin, length=100, filename="b.mp4")
    VideoUpload.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=2))
    stray = Path(settings.VIDEO_UPLOAD_DIR) / "0badc0de.part"
    stray.write_bytes(b"x")
    old = time.time() - 3 * 24 * 3600
    os.utime(stray, (old, old))

    assert tasks.abandoned_uploads_clean() == 2

    assert list(VideoUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not files.upload_path(stale).exists()
    assert files.upload_path(fresh).exists()
    assert not stray.exists()


def test_the_clip_is_pinned_to_the_logged_set_when_there_is_one(athlete, clip_dir):
    prescription = PrescriptionFactory(session=PlannedSessionFactory(athlete=athlete))
    logged = SetLogFactory(prescription=prescription, set_number=2)
    video = accept(athlete, prescription, clips.h264_mp4(clip_dir), set_number=2)
    assert video.set_log == logged
    assert video.set_label == "set 2"


def test_video_jobs_go_to_their_own_queue():
    route = celery_app.amqp.router.route({}, tasks.video_process.name)
    assert route["queue"].name == settings.CELERY_VIDEO_QUEUE
    assert settings.CELERY_VIDEO_QUEUE != settings.CELERY_TASK_DEFAULT_QUEUE
    assert tasks.video_process.acks_late is True


@pytest.mark.worker
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_on_the_videos_queue_makes_the_rendition(
    athlete, prescription, clip_dir, video_worker
):
    video = accept(athlete, prescription, clips.hevc_mov(clip_dir))
    deadline = time.monotonic() + 60
    while FormVideo.objects.get(pk=video.pk).status != FormVideo.Status.READY:
        assert video_worker.poll() is None, "the worker died"
        assert time.monotonic() < deadline, "the worker never processed the video"
        time.sleep(0.2)
    video.refresh_from_db()
    with av.open(video.rendition.path) as rendition:
        assert rendition.streams.video[0].codec_context.name == "h264"


def test_the_sweeper_queues_a_video_whose_message_was_lost(
    athlete, prescription, clip_dir, django_capture_on_commit_callbacks
):
    # Accepted while the broker was down: the row is there, no job ever ran.
    video = accept(athlete, prescription, clips.h264_mp4(clip_dir))
    FormVideo.objects.filter(pk=video.pk).update(uploaded_at=timezone.now() - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert _sweep() == [video.pk]

    video.refresh_from_db()
    assert video.status == FormVideo.Status.READY


def test_a_clip_whose_frames_outgrow_the_cap_fails_and_the_next_clip_is_processed(
    athlete, prescription, clip_dir, athlete_client
):
    # Accepted: its header and first frames are 64×64; the stream later switches to 4200×4200.
    hostile = accept(athlete, prescription, clips.resized_midstream(clip_dir))
    normal = accept(athlete, prescription, clips.h264_mp4(clip_dir), set_number=2)

    processing.video_process(video_id=hostile.pk)
    processing.video_process(video_id=normal.pk)

    hostile.refresh_from_db()
    normal.refresh_from_db()
    assert hostile.status == FormVideo.Status.FAILED
    assert "4200×4200 pixels; the largest we take is 4096" in hostile.failure_reason
    assert not hostile.rendition
    assert normal.status == FormVideo.Status.READY
    page = athlete_client.get(reverse("videos:athlete_video", kwargs={"video_id": hostile.pk}))
    assert "4200×4200 pixels" in page.content.decode()
    assert list(Path(settings.VIDEO_UPLOAD_DIR).glob("video-*")) == []


def test_a_clip_that_needs_more_memory_than_allowed_fails_with_a_reason(
    athlete, prescription, clip_dir, settings
):
    # Within the size cap here, but decoding 4200×4200 frames takes more than this ceiling.
    settings.VIDEO_MAX_DIMENSION = 8192
    settings.VIDEO_WORKER_MEMORY_MB = MEMORY_TOO_SMALL_MB
    hostile = accept(athlete, prescription, clips.resized_midstream(clip_dir))
    processing.video_process(video_id=hostile.pk)
    hostile.refresh_from_db()
    assert hostile.status == FormVideo.Status.FAILED
    assert "needs more memory than allowed" in hostile.failure_reason
    assert hostile.attempts == 1  # the clip's fault: not given back for a retry

    settings.VIDEO_WORKER_MEMORY_MB = 1024
    normal = ready_video(athlete, prescription, clips.h264_mp4(clip_dir), set_number=2)
    assert normal.status == FormVideo.Status.READY


def test_a_webm_longer_than_its_header_says_fails_at_the_length_cap(
    athlete, prescription, clip_dir, settings
):
    # Accepted before the cap came down (or past an upload check that trusted the header).
    video = accept(athlete, prescription, clips.lying_webm(clip_dir, seconds=10, claims=1))
    assert video.duration == pytest.approx(10)  # measured; its header says 1 s
    settings.VIDEO_MAX_SECONDS = 3

    processing.video_process(video_id=video.pk)

    video.refresh_from_db()
    assert video.status == FormVideo.Status.FAILED
    assert "the limit is 3 s" in video.failure_reason
    assert not video.rendition


def test_a_webm_longer_than_its_header_says_is_refused_at_upload(
    athlete, prescription, clip_dir, settings
):
    settings.VIDEO_MAX_SECONDS = 3
    with pytest.raises(media.NotAVideo, match="the limit is 3 s"):
        accept(athlete, prescription, clips.lying_webm(clip_dir, seconds=10, claims=1))
    assert not FormVideo.objects.exists()


def test_a_120_fps_clip_keeps_its_length_and_frame_rate_and_takes_comments_to_its_end(
    athlete, prescription, clip_dir, coach
):
    source = clips.make_clip(clip_dir / "slowmo.mp4", width=32, height=24, seconds=2, fps=120)
    video = ready_video(athlete, prescription, source)

    assert video.status == FormVideo.Status.READY
    assert video.rendition_fps == pytest.approx(120)
    assert video.duration == pytest.approx(2.0, abs=0.05)
    with av.open(video.rendition.path) as rendition:
        assert rendition.duration / av.time_base == pytest.approx(2.0, abs=0.05)
    comment = services.video_comment_add(
        video=video, author=coach.user, at_seconds=Decimal("1.9"), text="Knee in", drawing=None
    )
    assert comment.pk is not None


def test_a_clip_above_240_fps_is_refused_with_a_message(athlete, prescription, clip_dir):
    source = clips.make_clip(clip_dir / "fast.mp4", width=32, height=24, seconds=0.2, fps=300)
    with pytest.raises(media.NotAVideo, match="300 frames a second; the most we take is 240"):
        accept(athlete, prescription, source)
    assert not FormVideo.objects.exists()


def test_the_sweeper_requeues_a_demo_clip_whose_worker_died(
    coach, clip_dir, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import exercise
    from training.videos import demos
    from training.videos.models import ExerciseDemo

    clip = clips.h264_mp4(clip_dir)
    with django_capture_on_commit_callbacks(execute=False):
        demo = demos.demo_upload(
            club=coach.club,
            exercise=exercise("deadlift"),
            uploaded=SimpleUploadedFile("demo.mp4", clip.read_bytes()),
            by=coach.user,
        )
    # A worker claimed it two hours ago and was killed mid-transcode.
    ExerciseDemo.objects.filter(pk=demo.pk).update(
        status=FormVideo.Status.PROCESSING,
        processing_started_at=timezone.now() - timedelta(hours=2),
    )

    with django_capture_on_commit_callbacks(execute=True):
        requeued = _sweep()

    assert requeued == [demo.pk]
    demo.refresh_from_db()
    assert demo.is_ready  # the eager task made the web copy this time


def test_the_sweeper_removes_a_dead_workers_temporary_folder_but_not_a_live_one(settings):
    root = Path(settings.VIDEO_UPLOAD_DIR)
    dead = root / "video-dead"
    dead.mkdir(parents=True)
    (dead / "original.mp4").write_bytes(b"x" * 100)
    spool = root / "leftover.upload"
    spool.write_bytes(b"x")
    live = root / "demo-live"
    live.mkdir()
    (live / "demo.mp4").write_bytes(b"y")
    old = time.time() - settings.VIDEO_STUCK_SECONDS - 600
    for path in (dead / "original.mp4", dead, spool):
        os.utime(path, (old, old))

    tasks.stuck_videos_requeue()

    assert not dead.exists()
    assert not spool.exists()
    assert (live / "demo.mp4").exists()
