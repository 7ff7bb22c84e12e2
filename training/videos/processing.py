"""What the video workers run: processing form videos and demonstration clips, and the
sweepers that requeue what a dead worker left and clean up after it.

Below training.videos.tasks, which calls it; the services that queue those tasks sit above.
"""

import logging
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

from celery import Task
from django.conf import settings
from django.core.files import File
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from core.queue import enqueue_after_commit
from training.videos import isolated, media
from training.videos.files import (
    CHUNK,
    SPOOL_SUFFIX,
    WORK_DIR_PREFIXES,
    upload_dir,
    upload_forget,
    upload_idle_cutoff,
)
from training.videos.models import ClubVideoSettings, ExerciseDemo, FormVideo, VideoUpload

logger = logging.getLogger(__name__)


def abandoned_uploads_clean(*, now: datetime | None = None) -> int:
    """Delete uploads nobody has sent a byte to for VIDEO_UPLOAD_IDLE_HOURS, and stray
    chunk files."""
    cutoff = upload_idle_cutoff(now)
    removed = 0
    for upload in VideoUpload.objects.filter(updated_at__lt=cutoff):
        upload_forget(upload)
        removed += 1
    known = {f"{pk}.part" for pk in VideoUpload.objects.values_list("pk", flat=True)}
    for path in upload_dir().glob("*.part"):
        if path.name not in known and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class TransientError(Exception):
    """Worth retrying: storage or network trouble, not the file's fault."""


def video_claim(*, video_id: UUID) -> bool:
    """Take the video for processing. Only one worker wins; a finished video is never redone."""
    claimed = FormVideo.objects.filter(pk=video_id, status=FormVideo.Status.UPLOADED).update(
        status=FormVideo.Status.PROCESSING,
        processing_started_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    return claimed == 1


def video_process(*, video_id: UUID) -> None:
    """Probe, poster and web rendition of an uploaded video. Safe to run any number of times."""
    if not video_claim(video_id=video_id):
        return
    video = FormVideo.objects.select_related("athlete").get(pk=video_id)
    work = Path(tempfile.mkdtemp(prefix="video-", dir=upload_dir()))
    try:
        source = _local_copy(video, work)
        rendition = work / f"{video.pk}.mp4"
        poster = work / f"{video.pk}.jpg"
        # In a child under a memory ceiling: a clip that needs too much fails on its own.
        result = isolated.transcode_isolated(
            source,
            rendition,
            poster,
            max_height=settings.VIDEO_RENDITION_HEIGHT,
            max_seconds=settings.VIDEO_MAX_SECONDS,
            max_dimension=settings.VIDEO_MAX_DIMENSION,
            max_fps=media.MAX_FPS,
            memory_mb=settings.VIDEO_WORKER_MEMORY_MB,
        )
        _store_results(video, rendition, poster, result)
    except media.NotAVideo as error:
        # The clip's own fault (refused by a cap, or too costly): failed for good, not retried.
        _fail(video, str(error))
    except (OSError, TransientError) as error:
        _release_or_fail(video, error)
        raise TransientError(str(error)) from error
    except Exception:
        _fail(video, "We couldn't process this video. Film the set again and upload it.")
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _local_copy(video: FormVideo, work: Path) -> Path:
    try:
        return Path(video.original.path or "")
    except NotImplementedError:
        pass  # a bucket: copy it down, chunk by chunk
    local = work / f"original{Path(video.original.name or '').suffix}"
    with video.original.open("rb") as remote, local.open("wb") as out:
        shutil.copyfileobj(remote, out, CHUNK)
    return local


def _store_results(video: FormVideo, rendition: Path, poster: Path, result: media.Probe) -> None:
    # Fixed names: a rerun overwrites nothing else and leaves no second copy behind.
    for field, path, name in (
        (video.rendition, rendition, f"{video.pk}.mp4"),
        (video.poster, poster, f"{video.pk}.jpg"),
    ):
        # A run that died after storing but before saving the row left this very name.
        field.storage.delete(field.field.generate_filename(video, name))
        with path.open("rb") as handle:
            field.save(name, File(handle), save=False)
    keep = (
        ClubVideoSettings.objects.filter(club_id=video.athlete.club_id)
        .values_list("keep_originals", flat=True)
        .first()
    )
    with transaction.atomic():
        updated = FormVideo.objects.filter(pk=video.pk, status=FormVideo.Status.PROCESSING).update(
            status=FormVideo.Status.READY,
            rendition=video.rendition.name,
            poster=video.poster.name,
            rendition_fps=result.fps,
            # Measured from the web copy's frames: the upload's header may have said less.
            duration=result.duration,
            ready_at=timezone.now(),
            failure_reason="",
        )
    if updated and keep is False and video.original:
        video.original.delete(save=False)
        FormVideo.objects.filter(pk=video.pk).update(original="")


def _fail(video: FormVideo, reason: str) -> None:
    FormVideo.objects.filter(pk=video.pk).update(
        status=FormVideo.Status.FAILED, failure_reason=reason[:300]
    )


def _release_or_fail(video: FormVideo, error: Exception) -> None:
    """Give the video back for a retry, unless it has had its tries."""
    if video.attempts + 1 > settings.VIDEO_MAX_ATTEMPTS:
        _fail(video, "We couldn't process this video after several tries. Upload it again.")
        return
    logger.warning("video processing will be retried", extra={"video": str(video.pk)})
    FormVideo.objects.filter(pk=video.pk, status=FormVideo.Status.PROCESSING).update(
        status=FormVideo.Status.UPLOADED, processing_started_at=None
    )


def stuck_videos_requeue(
    *, video_task: Task, demo_task: Task, now: datetime | None = None
) -> list[UUID]:
    """Clips whose worker died mid-job (processing for too long) go back in the queue: the
    athletes' form videos and the coaches' demonstration clips alike.

    Redis redelivers an unacknowledged message only after its visibility timeout (an hour
    by default), and the redelivered job finds the clip claimed; this makes it whole again.
    The tasks that process each kind come from the caller (training.videos.tasks), which
    imports this module.
    """
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.VIDEO_STUCK_SECONDS)
    return [
        *_stuck_requeue(FormVideo, video_task, cutoff),
        *_stuck_requeue(ExerciseDemo, demo_task, cutoff),
    ]


def _stuck_requeue(model: type[models.Model], task: Task, cutoff: datetime) -> list[UUID]:
    """Requeue `model`'s clips stuck in processing since before `cutoff` (or failed after
    their last attempt), and uploaded ones whose message was lost."""
    rows = model._default_manager
    requeued: list[UUID] = []
    processing, uploaded = FormVideo.Status.PROCESSING, FormVideo.Status.UPLOADED
    stuck = rows.filter(status=processing, processing_started_at__lt=cutoff).values_list(
        "pk", "attempts"
    )
    for pk, attempts in stuck:
        if attempts >= settings.VIDEO_MAX_ATTEMPTS:
            rows.filter(pk=pk, status=processing).update(
                status=FormVideo.Status.FAILED,
                failure_reason="We couldn't process this video after several tries. "
                "Upload it again.",
            )
            continue
        with transaction.atomic():
            if rows.filter(pk=pk, status=processing, processing_started_at__lt=cutoff).update(
                status=uploaded, processing_started_at=None
            ):
                enqueue_after_commit(task, str(pk))
                requeued.append(pk)
    # Uploaded clips whose message was lost (broker down at the time) are queued too.
    for pk in rows.filter(status=uploaded, uploaded_at__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            enqueue_after_commit(task, str(pk))
        requeued.append(pk)
    return requeued


def work_dirs_clean(*, now: datetime | None = None) -> int:
    """Remove what a killed worker or request left in VIDEO_UPLOAD_DIR: processing folders
    and spools untouched for VIDEO_STUCK_SECONDS (longer than any job may run)."""
    cutoff = (now or timezone.now()).timestamp() - settings.VIDEO_STUCK_SECONDS
    removed = 0
    for path in upload_dir().iterdir():
        try:
            if path.stat().st_mtime >= cutoff:
                continue
        except FileNotFoundError:
            continue  # its job finished meanwhile
        if path.is_dir() and path.name.startswith(WORK_DIR_PREFIXES):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
        elif path.is_file() and path.name.endswith(SPOOL_SUFFIX):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


DEMO_SECONDS = 60  # a demonstration shows a few reps, not a set


def demo_process(*, demo_id: UUID) -> None:
    """The web copy and poster of an uploaded demo; safe to run any number of times."""
    # Claimed with the time and the try, so the sweeper can requeue a clip whose worker died.
    claimed = ExerciseDemo.objects.filter(pk=demo_id, status=FormVideo.Status.UPLOADED).update(
        status=FormVideo.Status.PROCESSING,
        processing_started_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return
    demo = ExerciseDemo.objects.get(pk=demo_id)
    # Under VIDEO_UPLOAD_DIR, where the sweeper finds what a killed worker left.
    work = Path(tempfile.mkdtemp(prefix="demo-", dir=upload_dir()))
    try:
        source = work / "original"
        with demo.original.open("rb") as stored, source.open("wb") as out:
            shutil.copyfileobj(stored, out)
        rendition, poster = work / "demo.mp4", work / "demo.jpg"
        isolated.transcode_isolated(
            source,
            rendition,
            poster,
            max_height=settings.VIDEO_RENDITION_HEIGHT,
            max_seconds=min(DEMO_SECONDS, settings.VIDEO_MAX_SECONDS),
            max_dimension=settings.VIDEO_MAX_DIMENSION,
            max_fps=media.MAX_FPS,
            memory_mb=settings.VIDEO_WORKER_MEMORY_MB,
        )
        for field, path, name in (
            (demo.rendition, rendition, f"{uuid4()}.mp4"),
            (demo.poster, poster, f"{uuid4()}.jpg"),
        ):
            with path.open("rb") as handle:
                field.save(name, File(handle), save=False)
        demo.status = FormVideo.Status.READY
        demo.save(update_fields=["rendition", "poster", "status"])
    except media.NotAVideo as error:
        ExerciseDemo.objects.filter(pk=demo.pk).update(
            status=FormVideo.Status.FAILED, failure_reason=str(error)[:300]
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
