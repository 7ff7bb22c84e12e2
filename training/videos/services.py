"""Writes for form videos: resumable uploads, acceptance, processing and review."""

import contextlib
import fcntl
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, BinaryIO
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from athletes.models import Athlete
from coaching.models import Club, User
from comms.notify import notify_video_reviewed, notify_video_uploaded
from core.queue import enqueue_after_commit
from plans.models import Prescription
from training.models import MAX_EXTRA_SETS, SetLog
from training.videos import media, sniff, tasks
from training.videos.files import (
    CHUNK,
    UploadRefused,
    clean_file_name,
    max_upload_bytes,
    spooled,
    too_large_message,
    upload_forget,
    upload_idle_cutoff,
    upload_path,
)
from training.videos.models import (
    ClubVideoSettings,
    FormVideo,
    VideoComment,
    VideoUpload,
)

logger = logging.getLogger(__name__)

VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov", ".webm", ".mkv", ".3gp", ".avi"}


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
        upload_forget(upload)
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
                upload_forget(upload)
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
            upload_forget(upload)
            raise UploadRefused("The exercise of this upload is gone. Film it again from the card.")
        try:
            video = video_accept(
                athlete=upload.athlete,
                pin=Pin(prescription=upload.prescription, set_number=upload.set_number),
                path=upload_path(upload),
                original_name=upload.filename,
            )
        except (media.NotAVideo, UploadRefused):
            upload_forget(upload)
            raise
        upload_forget(upload)
    return video


def upload_terminate(*, upload: VideoUpload) -> None:
    upload_forget(upload)


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


def video_accept_uploaded_file(*, athlete: Athlete, pin: Pin, uploaded: File) -> FormVideo:
    """The no-JavaScript path: a multipart file Django already streamed to disk."""
    name = getattr(uploaded, "name", "") or "video.mp4"
    with spooled(uploaded) as path:
        return video_accept(athlete=athlete, pin=pin, path=path, original_name=name)


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
