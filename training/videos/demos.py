"""A club's demonstration clips of its exercises: uploaded by a coach, checked by content,
turned into a web copy in the background like a form video, and shown to the club."""

from pathlib import Path
from uuid import UUID, uuid4

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import Http404

from coaching.models import Club, User
from core.queue import enqueue_after_commit
from plans.models import Exercise
from training.videos import media, tasks
from training.videos.files import (
    UploadRefused,
    clean_file_name,
    files_delete_on_commit,
    max_upload_bytes,
    spooled,
    too_large_message,
)
from training.videos.models import ExerciseDemo, FormVideo
from training.videos.processing import DEMO_SECONDS


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
            enqueue_after_commit(tasks.demo_process, str(demo.pk))
    return demo


def _delete_files(demo: ExerciseDemo) -> None:
    files_delete_on_commit(demo.original, demo.rendition, demo.poster)


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
