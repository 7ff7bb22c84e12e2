"""A club's data survives: back up the demo, wipe it, restore it, find everything again."""

import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from athletes.models import Athlete, TrainingMax
from coaching.demo import seed_demo
from tests.videos import clips
from tests.videos.conftest import ready_video
from training.models import SetLog
from training.videos.models import FormVideo

pytestmark = [
    pytest.mark.postgresql,
    # pg_dump reads the database from another connection: the data must be committed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def snapshot() -> dict[str, object]:
    """What a coach would miss if it were lost: people, logs, maxes and video files."""
    videos = FormVideo.objects.order_by("pk")
    storage = storages["videos"]
    return {
        "athletes": sorted(Athlete.objects.values_list("user__email", "coach__user__email")),
        "sets": sorted(
            (str(pk), reps, str(load))
            for pk, reps, load in SetLog.objects.values_list("pk", "reps", "load_kg")
        ),
        "maxes": sorted(
            (str(a), str(e), str(v))
            for a, e, v in TrainingMax.objects.values_list("athlete", "exercise", "value_kg")
        ),
        "videos": [
            (str(v.pk), v.status, hashlib.sha256(storage.open(v.rendition.name).read()).hexdigest())
            for v in videos
        ],
    }


@pytest.fixture
def demo_with_a_video(tmp_path: Path) -> FormVideo:
    club = seed_demo()
    athlete = club.athletes.order_by("user__email").first()
    prescription = athlete.planned_sessions.order_by("date").first().prescriptions.first()
    clip = clips.make_clip(tmp_path / "squat.mp4", width=160, height=120, seconds=1)
    video = ready_video(athlete, prescription, clip)
    assert video.status == FormVideo.Status.READY
    return video


def test_a_backup_of_the_demo_restores_every_athlete_set_and_video_after_a_wipe(
    demo_with_a_video, tmp_path
):
    before = snapshot()
    assert before["sets"]
    assert before["videos"]
    archive = tmp_path / "club.tar"

    call_command("backup", str(archive))

    # Lose everything: every table emptied, and the video files.
    call_command("flush", "--no-input")
    for name in storages["videos"].listdir("renditions")[1]:
        storages["videos"].delete(f"renditions/{name}")
    assert not Athlete.objects.exists()

    call_command("restore", str(archive), "--yes")

    assert snapshot() == before


def test_a_damaged_archive_changes_nothing(demo_with_a_video, tmp_path):
    archive = tmp_path / "club.tar"
    call_command("backup", str(archive))
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if "/renditions/" in member.name:  # one byte of the clip flipped
                content = bytearray(data.read())
                content[-1] ^= 0xFF
                data = io.BytesIO(bytes(content))
            target.addfile(member, data)
    before = snapshot()
    Athlete.objects.filter(pk=Athlete.objects.first().pk).delete()
    after_a_change = snapshot()
    assert after_a_change != before

    with pytest.raises(CommandError, match="Nothing was changed: .* damaged"):
        call_command("restore", str(damaged), "--yes")

    assert snapshot() == after_a_change


def test_restoring_asks_for_confirmation_and_refuses_what_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "notes.tar"
    not_a_backup.write_text("shopping list")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(not_a_backup))
    with pytest.raises(CommandError, match="Nothing was changed: .* not a backup archive"):
        call_command("restore", str(not_a_backup), "--yes")
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "missing.tar"), "--yes")
