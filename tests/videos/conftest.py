import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PlannedSessionFactory, PrescriptionFactory
from tests.videos.worker import video_worker  # noqa: F401 (a fixture for the tests here)


def _empty(root: Path) -> None:
    for child in ("originals", "renditions", "posters", "demos"):
        shutil.rmtree(root / child, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_video_storage(tmp_path, settings):
    """Each test starts with no stored videos, and its uploads in progress in its own folder.

    The file fields' storage is bound when the models load, so the run's private VIDEO_ROOT
    (tests/settings.py) is emptied rather than swapped.
    """
    root = Path(settings.VIDEO_ROOT)
    _empty(root)
    settings.VIDEO_UPLOAD_DIR = tmp_path / "uploads"
    yield
    _empty(root)


@pytest.fixture
def prescription(athlete):
    return PrescriptionFactory(
        session=PlannedSessionFactory(athlete=athlete, date=athlete.today()), film_request=True
    )


@pytest.fixture
def clip_dir(tmp_path) -> Path:
    directory = tmp_path / "clips"
    directory.mkdir()
    return directory


def stored_files(root: Path | None = None) -> list[str]:
    base = Path(root or settings.VIDEO_ROOT)
    if not base.exists():
        return []
    return sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file())


def accept(athlete, prescription, path, set_number=1):
    from training.videos import services

    return services.video_accept(
        athlete=athlete,
        pin=services.pin_for(prescription, set_number),
        path=path,
        original_name=path.name,
    )


def ready_video(athlete, prescription, path, set_number=1):
    from training.videos import processing

    video = accept(athlete, prescription, path, set_number)
    processing.video_process(video_id=video.pk)
    video.refresh_from_db()
    return video


@pytest.fixture
def video(athlete, prescription, clip_dir):
    from tests.videos import clips

    return ready_video(athlete, prescription, clips.h264_mp4(clip_dir))
