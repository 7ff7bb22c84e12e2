"""Where uploads and work files sit on disk, the upload limits, and deleting stored files.

Shared by the upload services, the demonstration clips and the background processing, and
importing none of them: the modules above it import each other in one direction only.
"""

import contextlib
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from training.videos.models import VideoUpload

CHUNK = 1024 * 1024  # bytes read from the request and copied to storage at a time


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


def upload_dir() -> Path:
    """VIDEO_UPLOAD_DIR: chunks in flight, spools, and the workers' temporary folders."""
    directory = Path(settings.VIDEO_UPLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def upload_path(upload: VideoUpload) -> Path:
    return upload_dir() / f"{upload.pk}.part"


def upload_idle_cutoff(now: datetime | None = None) -> datetime:
    """Uploads nobody has sent a byte to since this moment are expired."""
    return (now or timezone.now()) - timedelta(hours=settings.VIDEO_UPLOAD_IDLE_HOURS)


def upload_forget(upload: VideoUpload) -> None:
    upload_path(upload).unlink(missing_ok=True)
    VideoUpload.objects.filter(pk=upload.pk).delete()


@contextlib.contextmanager
def spooled(uploaded: File) -> Iterator[Path]:
    """An uploaded file as a path on disk, to probe it: Django's own temporary file, or
    (small uploads stay in memory) written out for the time of the block."""
    temporary = getattr(uploaded, "temporary_file_path", None)
    if temporary is not None:
        yield Path(temporary())
        return
    with tempfile.NamedTemporaryFile(dir=upload_dir(), suffix=SPOOL_SUFFIX) as spool:
        for chunk in uploaded.chunks():
            spool.write(chunk)
        spool.flush()
        yield Path(spool.name)


# The tempfile.mkdtemp prefixes of processing.video_process and processing.demo_process
# under VIDEO_UPLOAD_DIR, and the suffix of the spools of spooled().
WORK_DIR_PREFIXES = ("video-", "demo-")
SPOOL_SUFFIX = ".upload"
