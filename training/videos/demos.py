"""A club's demonstration clips of its exercises: uploaded by a coach, checked by content,
turned into a web copy in the background like a form video, and shown to the club."""

import shutil
import tempfile
from pathlib import Path
from uuid import UUID, uuid4

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from coaching.models import Club, User
from core.queue import enqueue_after_commit
from plans.models import Exercise
from training.videos import isolated, media
from training.videos.models import ExerciseDemo, FormVideo
from training.videos.services import (
    UploadRefused,
    _upload_dir,
    clean_file_name,
    files_delete_on_commit,
    max_upload_bytes,
    spooled,
    too_large_message,
)

DEMO_SECONDS = 60  # a demonstration shows a few reps, not a set


def demo_upload(*, club: Club, exercise: Exercise, uploaded: File, by: User) -> ExerciseDemo:
    """Check the clip by its content, store it privately and queue its web copy; it replaces
    the club's earlier demo of the exercise. Raises media.NotAVideo or UploadRefused with
    the message for the coach, storing nothing."""
    if (uploaded.size or 0) > max_upload_bytes():
        raise UploadRefused(too_large_message(), status=413)
    with spooled(uploaded) as path:
        facts = media.probe(
            path,
            max_seconds=min(DEMO_SECONDS, settings.VIDEO_MAX_SECONDS),
            max_dimension=settings.VIDEO_MAX_DIMENSION,
        )
        with transaction.atomic():
            demo, _ = ExerciseDemo.objects.select_for_update().get_or_create(
                club=club, exercise=exercise
            )
            _delete_files(demo)
            demo.status = FormVideo.Status.UPLOADED
            demo.failure_reason = ""
            demo.processing_started_at, demo.attempts = None, 0
            demo.duration = facts.duration
            demo.uploaded_by = by
            suffix = Path(clean_file_name(uploaded.name or "demo.mp4")).suffix.lower() or ".mp4"
            with path.open("rb") as handle:
                # Fresh names: the old files are deleted only once this commits.
                demo.original.save(f"{uuid4()}{suffix}", File(handle), save=False)
            demo.save()
            from training.videos import tasks

            enqueue_after_commit(tasks.demo_process, str(demo.pk))
    return demo


def _delete_files(demo: ExerciseDemo) -> None:
    files_delete_on_commit(demo.original, demo.rendition, demo.poster)


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
    work = Path(tempfile.mkdtemp(prefix="demo-", dir=_upload_dir()))
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


@transaction.atomic
def demo_delete(*, demo: ExerciseDemo) -> None:
    _delete_files(demo)
    demo.delete()


def demo_for_club(club: Club, exercise: Exercise) -> ExerciseDemo | None:
    return ExerciseDemo.objects.filter(club=club, exercise=exercise).first()


def ready_demo_for_viewer(user: User, demo_id: UUID) -> ExerciseDemo:
    """A ready demo of the viewer's own club (its coaches and athletes), else 404."""
    club_id = None
    if user.is_authenticated:
        coach = getattr(user, "coach", None)
        athlete = getattr(user, "athlete", None)
        club_id = coach.club_id if coach else athlete.club_id if athlete else None
    if club_id is None:
        raise Http404("No such demonstration clip")
    demo = ExerciseDemo.objects.filter(
        pk=demo_id, club_id=club_id, status=FormVideo.Status.READY
    ).first()
    if demo is None:
        raise Http404("No such demonstration clip")
    return demo


def ready_demos(club_id: UUID, exercise_ids: set[UUID]) -> dict[UUID, ExerciseDemo]:
    """The club's ready demos of these exercises, by exercise: one query."""
    return {
        demo.exercise_id: demo
        for demo in ExerciseDemo.objects.filter(
            club_id=club_id, exercise_id__in=exercise_ids, status=FormVideo.Status.READY
        )
    }
