import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PlannedSessionFactory, PrescriptionFactory


@pytest.fixture(autouse=True)
def _fresh_video_storage(tmp_path, settings):
    """Each test stores its videos in its own private folder."""
    root = tmp_path / "private-videos"
    settings.STORAGES = {
        **settings.STORAGES,
        "videos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    settings.VIDEO_ROOT = root
    settings.VIDEO_UPLOAD_DIR = tmp_path / "uploads"
    yield
    shutil.rmtree(root, ignore_errors=True)


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
