"""Writes for form videos: resumable uploads, acceptance, processing and review."""

import contextlib
import fcntl
import hashlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, BinaryIO
from uuid import UUID

from celery import Task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from athletes.models import Athlete
from coaching.comms.notify import notify_video_reviewed, notify_video_uploaded
from coaching.models import Club, User
from core.queue import enqueue_after_commit
from plans.models import Prescription
from training.models import MAX_EXTRA_SETS, SetLog
from training.videos import isolated, media, sniff
from training.videos.models import (
    ClubVideoSettings,
    ExerciseDemo,
    FormVideo,
    VideoComment,
    VideoUpload,
)

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024  # bytes read from the request and copied to storage at a time
VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov", ".webm", ".mkv", ".3gp", ".avi"}


class UploadRefused(Exception):
    """An upload request we turn down; `status` is the HTTP answer, str() the message."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def files_delete_on_commit(*files: FieldFile) -> None:
    """Delete stored files once the transaction commits: a change rolled back keeps the
    files its rows point at."""
    for stored in files:
        if stored:
            name, storage = stored.name or "", stored.storage

            def delete(name: str = name, storage: Storage = storage) -> None:
                storage.delete(name)

            transaction.on_commit(delete)


def max_upload_bytes() -> int:
    return settings.VIDEO_MAX_UPLOAD_MB * 1024 * 1024


def too_large_message() -> str:
    return (
        f"This video is larger than {settings.VIDEO_MAX_UPLOAD_MB} MB. "
        "Trim it to the set, or film at a lower resolution."
    )


def clean_file_name(name: str) -> str:
    """The last part of a client-sent file name, without control characters, for display only.

    Stored files are always named by the video's UUID; this is what the athlete called it.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:200]


def _upload_dir() -> Path:
    directory = Path(settings.VIDEO_UPLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def upload_path(upload: VideoUpload) -> Path:
    return _upload_dir() / f"{upload.pk}.part"


def max_set_number(prescription: Prescription) -> int:
    # Working sets plus the extra sets an athlete may add.
    return prescription.working_sets + MAX_EXTRA_SETS


def _set_number(prescription: Prescription, raw: str | int | None) -> int | None:
    if raw in (None, ""):
        return None
    try:
        number = int(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise UploadRefused("Choose which set the video shows.") from None
    if not 1 <= number <= max_set_number(prescription):
        raise UploadRefused("Choose which set the video shows.")
    return number


@dataclass(frozen=True)
class Pin:
    """Where a new clip belongs."""

    prescription: Prescription
    set_number: int | None

    def fields(self, athlete: Athlete) -> dict[str, object]:
        return {
            "athlete": athlete,
            "exercise_id": self.prescription.exercise_id,
            "session_id": self.prescription.session_id,
            "prescription": self.prescription,
            "set_number": self.set_number,
        }


def pin_for(prescription: Prescription, set_number: str | int | None) -> Pin:
    return Pin(prescription=prescription, set_number=_set_number(prescription, set_number))


# --- tus: create, append, terminate ---------------------------------------------------


EXPIRED_MESSAGE = "This upload has expired or was cancelled. Choose the video again to upload it."
NOT_A_VIDEO_MESSAGE = "This file isn't a video. Choose a clip from your camera."


def upload_create(*, athlete: Athlete, pin: Pin, length: int, filename: str) -> VideoUpload:
    """An empty upload of `length` bytes; its chunks go to a temp file on local disk.

    Refused (429) when the athlete or their club already has as many uploads, or as many
    bytes, in flight as the settings allow.
    """
    if length <= 0:
        raise UploadRefused("This file is empty.")
    if length > max_upload_bytes():
        raise UploadRefused(too_large_message(), status=413)
    upload = VideoUpload(length=length, filename=clean_file_name(filename), **pin.fields(athlete))
    upload.full_clean()
    with transaction.atomic():
        # The club's row lock serialises creations of the whole club (and so of each of its
        # athletes): the counts below stay true until this one commits, so two phones at
        # the limit cannot both pass.
        list(Club.objects.select_for_update().filter(pk=athlete.club_id).values_list("pk"))
        _check_uploads_in_flight(athlete=athlete, length=length)
        upload.save()
        upload_path(upload).touch()
    return upload


def upload_idle_cutoff(now: datetime | None = None) -> datetime:
    """Uploads nobody has sent a byte to since this moment are expired."""
    return (now or timezone.now()) - timedelta(hours=settings.VIDEO_UPLOAD_IDLE_HOURS)


def _in_flight(uploads: QuerySet[VideoUpload]) -> tuple[int, int]:
    """How many live uploads, and how many bytes they announced (the disk they may take)."""
    totals = uploads.filter(updated_at__gte=upload_idle_cutoff()).aggregate(
        count=Count("pk"), size=Sum("length")
    )
    return totals["count"], totals["size"] or 0


def _check_uploads_in_flight(*, athlete: Athlete, length: int) -> None:
    mine, my_bytes = _in_flight(VideoUpload.objects.filter(athlete=athlete))
    if mine >= settings.VIDEO_MAX_CONCURRENT_UPLOADS_PER_ATHLETE:
        raise UploadRefused(
            f"You already have {mine} upload{'s' if mine != 1 else ''} in progress. "
            "Let one finish (or cancel it) before starting another.",
            status=429,
        )
    if my_bytes + length > settings.VIDEO_MAX_MB_IN_FLIGHT_PER_ATHLETE * 1024 * 1024:
        raise UploadRefused(
            "Your uploads in progress would come to more than "
            f"{settings.VIDEO_MAX_MB_IN_FLIGHT_PER_ATHLETE} MB at once. "
            "Let one finish before starting this one.",
            status=429,
        )
    club, club_bytes = _in_flight(VideoUpload.objects.filter(athlete__club_id=athlete.club_id))
    if club >= settings.VIDEO_MAX_CONCURRENT_UPLOADS_PER_CLUB:
        raise UploadRefused(
            f"Your club has {club} upload{'s' if club != 1 else ''} in progress right now. "
            "Try again in a few minutes.",
            status=429,
        )
    if club_bytes + length > settings.VIDEO_MAX_MB_IN_FLIGHT_PER_CLUB * 1024 * 1024:
        raise UploadRefused(
            "Your club's uploads in progress would come to more than "
            f"{settings.VIDEO_MAX_MB_IN_FLIGHT_PER_CLUB} MB at once. "
            "Try again in a few minutes.",
            status=429,
        )


def upload_check_live(*, upload: VideoUpload) -> None:
    """Refuse (410) an upload idle past the limit, and forget it, even before the cleaner
    runs: what the client is told does not depend on the cleaner's schedule."""
    if upload.updated_at < upload_idle_cutoff():
        _forget(upload)
        raise UploadRefused(EXPIRED_MESSAGE, status=410)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[BinaryIO]:
    """The upload's file opened for appending, held by this request only."""
    try:
        handle = path.open("r+b")
    except FileNotFoundError:
        raise UploadRefused(EXPIRED_MESSAGE, status=404) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # Another request is still appending (e.g. a retry racing a slow original).
            raise UploadRefused("This upload is busy; try again.", status=423) from None
        yield handle


CHECKSUM_ALGORITHMS = ("sha1", "sha256")


def upload_append(
    *,
    upload: VideoUpload,
    offset: int,
    body: IO[bytes],
    content_length: int | None,
    checksum: tuple[str, bytes] | None = None,
) -> VideoUpload:
    """Append a PATCH body at `offset`, streaming it to disk. The offset on disk is the truth.

    A body cut short by a dropped connection keeps what arrived, so the client resumes
    from there (HEAD tells it where). With a `checksum` (algorithm, digest) the chunk is kept
    only whole and intact: otherwise it is cut off again and the answer is 460.
    """
    if content_length is not None and offset + content_length > upload.length:
        raise UploadRefused("More bytes than the upload announced.", status=413)
    path = upload_path(upload)
    with _locked(path) as handle:
        size = handle.seek(0, 2)
        if offset != size:
            # The client's idea of the offset is stale (a PATCH it thinks failed did land).
            upload.offset = size
            VideoUpload.objects.filter(pk=upload.pk).update(offset=size)
            raise UploadRefused(f"Upload-Offset is {size}, not {offset}.", status=409)
        remaining = upload.length - size
        wanted = remaining if content_length is None else content_length
        digest = hashlib.new(checksum[0], usedforsecurity=False) if checksum else None
        try:
            while wanted > 0:
                chunk = body.read(min(CHUNK, wanted))
                if not chunk:
                    break
                handle.write(chunk)
                if digest is not None:
                    digest.update(chunk)
                wanted -= len(chunk)
        except OSError:
            logger.info("upload chunk cut short", extra={"upload": str(upload.pk)})
        finally:
            handle.flush()
            if checksum and digest and (wanted > 0 or digest.digest() != checksum[1]):
                # Cut short or damaged in transit: a chunk that can't be verified is dropped.
                handle.truncate(size)
                handle.seek(size)
            upload.offset = handle.tell()
            VideoUpload.objects.filter(pk=upload.pk).update(
                offset=upload.offset, updated_at=timezone.now()
            )
        if checksum and upload.offset == size and (content_length or 0) > 0:
            raise UploadRefused("The chunk did not match its checksum; send it again.", status=460)
        if size < sniff.HEAD_BYTES and upload.offset >= min(sniff.HEAD_BYTES, upload.length):
            # The first bytes just arrived: a file that is plainly not a video goes now, not
            # after 500 MB of it (the full check still runs on the complete file).
            handle.seek(0)
            if not sniff.looks_like_video(handle.read(sniff.HEAD_BYTES)):
                _forget(upload)
                raise UploadRefused(NOT_A_VIDEO_MESSAGE, status=415)
            handle.seek(upload.offset)
        if content_length is None and body.read(1):
            raise UploadRefused("More bytes than the upload announced.", status=413)
    return upload


def upload_complete(*, upload: VideoUpload) -> FormVideo:
    """Check the finished upload by content and keep it as a video, or refuse and forget it.

    Under the upload's lock, so a retried last PATCH racing the first makes one video, not
    two. On any other error (storage briefly down) the upload stays whole for the retry.
    """
    with _locked(upload_path(upload)):
        if not VideoUpload.objects.filter(pk=upload.pk).exists():
            raise UploadRefused("This upload is already complete.", status=404)
        if upload.prescription is None:
            _forget(upload)
            raise UploadRefused("The exercise of this upload is gone. Film it again from the card.")
        try:
            video = video_accept(
                athlete=upload.athlete,
                pin=Pin(prescription=upload.prescription, set_number=upload.set_number),
                path=upload_path(upload),
                original_name=upload.filename,
            )
        except (media.NotAVideo, UploadRefused):
            _forget(upload)
            raise
        _forget(upload)
    return video


def _forget(upload: VideoUpload) -> None:
    upload_path(upload).unlink(missing_ok=True)
    VideoUpload.objects.filter(pk=upload.pk).delete()


def upload_terminate(*, upload: VideoUpload) -> None:
    _forget(upload)


def abandoned_uploads_clean(*, now: datetime | None = None) -> int:
    """Delete uploads nobody has sent a byte to for VIDEO_UPLOAD_IDLE_HOURS, and stray
    chunk files."""
    cutoff = upload_idle_cutoff(now)
    removed = 0
    for upload in VideoUpload.objects.filter(updated_at__lt=cutoff):
        _forget(upload)
        removed += 1
    known = {f"{pk}.part" for pk in VideoUpload.objects.values_list("pk", flat=True)}
    for path in _upload_dir().glob("*.part"):
        if path.name not in known and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# --- Accepting a whole file -----------------------------------------------------------


def video_accept(
    *,
    athlete: Athlete,
    pin: Pin,
    path: Path,
    original_name: str,
) -> FormVideo:
    """Probe the file at `path`; if it is a usable clip, store it privately and queue it.

    Raises media.NotAVideo with the message for the athlete; nothing is stored then.
    """
    size = path.stat().st_size
    if size > max_upload_bytes():
        raise UploadRefused(too_large_message(), status=413)
    facts = media.probe(
        path,
        max_seconds=settings.VIDEO_MAX_SECONDS,
        max_dimension=settings.VIDEO_MAX_DIMENSION,
    )
    original_name = clean_file_name(original_name)
    video = FormVideo(
        original_name=original_name,
        size_bytes=size,
        duration=facts.duration,
        width=facts.width,
        height=facts.height,
        fps=facts.fps,
        rotation=facts.rotation,
        codec=facts.codec,
        **pin.fields(athlete),
    )
    video.set_log = _logged_set(athlete, pin)
    video.full_clean(exclude=["original"])
    suffix = Path(original_name).suffix.lower()
    if suffix not in VIDEO_SUFFIXES:
        suffix = ".webm" if facts.container == "matroska,webm" else ".mp4"
    with path.open("rb") as handle:
        # Streamed: the storage copies chunk by chunk (or moves the file on local disk).
        video.original.save(f"{video.pk}{suffix}", File(handle), save=False)
    try:
        with transaction.atomic():
            video.save()
            from training.videos import tasks

            enqueue_after_commit(tasks.video_process, str(video.pk))
            notify_video_uploaded(
                athlete=athlete,
                exercise=video.exercise.name,
                link=reverse("videos:review", kwargs={"video_id": video.pk}),
            )
    except Exception:
        video.original.delete(save=False)
        raise
    return video


def _logged_set(athlete: Athlete, pin: Pin) -> SetLog | None:
    if pin.set_number is None:
        return None
    return (
        SetLog.objects.active()
        .filter(
            athlete=athlete,
            prescription=pin.prescription,
            kind=SetLog.Kind.WORKING,
            set_number=pin.set_number,
        )
        .first()
    )


@contextlib.contextmanager
def spooled(uploaded: File) -> Iterator[Path]:
    """An uploaded file as a path on disk, to probe it: Django's own temporary file, or
    (small uploads stay in memory) written out for the time of the block."""
    temporary = getattr(uploaded, "temporary_file_path", None)
    if temporary is not None:
        yield Path(temporary())
        return
    with tempfile.NamedTemporaryFile(dir=_upload_dir(), suffix=SPOOL_SUFFIX) as spool:
        for chunk in uploaded.chunks():
            spool.write(chunk)
        spool.flush()
        yield Path(spool.name)


def video_accept_uploaded_file(*, athlete: Athlete, pin: Pin, uploaded: File) -> FormVideo:
    """The no-JavaScript path: a multipart file Django already streamed to disk."""
    name = getattr(uploaded, "name", "") or "video.mp4"
    with spooled(uploaded) as path:
        return video_accept(athlete=athlete, pin=pin, path=path, original_name=name)


# --- Processing -----------------------------------------------------------------------


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
    work = Path(tempfile.mkdtemp(prefix="video-", dir=_upload_dir()))
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


def stuck_videos_requeue(*, now: datetime | None = None) -> list[UUID]:
    """Clips whose worker died mid-job (processing for too long) go back in the queue: the
    athletes' form videos and the coaches' demonstration clips alike.

    Redis redelivers an unacknowledged message only after its visibility timeout (an hour
    by default), and the redelivered job finds the clip claimed; this makes it whole again.
    """
    from training.videos import tasks

    cutoff = (now or timezone.now()) - timedelta(seconds=settings.VIDEO_STUCK_SECONDS)
    return [
        *_stuck_requeue(FormVideo, tasks.video_process, cutoff),
        *_stuck_requeue(ExerciseDemo, tasks.demo_process, cutoff),
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


# tempfile.mkdtemp prefixes of video_process and demos.demo_process under VIDEO_UPLOAD_DIR,
# and the suffix of the spools of spooled().
WORK_DIR_PREFIXES = ("video-", "demo-")
SPOOL_SUFFIX = ".upload"


def work_dirs_clean(*, now: datetime | None = None) -> int:
    """Remove what a killed worker or request left in VIDEO_UPLOAD_DIR: processing folders
    and spools untouched for VIDEO_STUCK_SECONDS (longer than any job may run)."""
    cutoff = (now or timezone.now()).timestamp() - settings.VIDEO_STUCK_SECONDS
    removed = 0
    for path in _upload_dir().iterdir():
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


# --- Review ---------------------------------------------------------------------------


def video_comment_add(
    *,
    video: FormVideo,
    author: User,
    at_seconds: Decimal,
    text: str,
    drawing: list[list[float]] | None,
) -> VideoComment:
    comment = VideoComment(
        video=video, author=author, at_seconds=at_seconds, text=text.strip(), drawing=drawing
    )
    if video.duration is not None and comment.at_seconds is not None:
        try:
            beyond = float(comment.at_seconds) > video.duration + 0.5  # type: ignore[arg-type]
        except (TypeError, ValueError):
            beyond = False
        if beyond:
            raise ValidationError({"at_seconds": "That moment is past the end of the video."})
    comment.full_clean()
    comment.save()
    return comment


def video_mark_reviewed(*, video: FormVideo, coach: User, link: str = "") -> bool:
    """Mark the video reviewed and tell the athlete: a notification, emailed after commit as
    they chose, that opens `link` (the athlete's page of the clip by default).

    Returns False when it was already reviewed: marking twice notifies once.
    """
    with transaction.atomic():
        marked = FormVideo.objects.filter(pk=video.pk, reviewed_at__isnull=True).update(
            reviewed_at=timezone.now(), reviewed_by=coach, athlete_seen_review_at=None
        )
        if marked:
            notify_video_reviewed(
                athlete=video.athlete,
                exercise=video.exercise.name,
                link=link or reverse("videos:athlete_video", kwargs={"video_id": video.pk}),
            )
    video.refresh_from_db()
    return bool(marked)


def review_seen(*, video: FormVideo) -> None:
    if video.reviewed_at and not video.athlete_seen_review_at:
        FormVideo.objects.filter(pk=video.pk).update(athlete_seen_review_at=timezone.now())


def club_video_settings_update(*, club_id: UUID, keep_originals: bool) -> ClubVideoSettings:
    club_settings, _ = ClubVideoSettings.objects.update_or_create(
        club_id=club_id, defaults={"keep_originals": keep_originals}
    )
    return club_settings
