"""A Celery worker killed (SIGKILL) while it processes a form video: the video still
ends ready after a restart.

The killed job had claimed the video (status "processing"), so the message Redis hands
out again after the visibility timeout finds it taken and does nothing; the sweeper that
Celery beat runs (training.videos.tasks.stuck_videos_requeue) puts a video stuck in
processing back in the queue, and the next worker makes it whole.
"""

import time
from pathlib import Path

import pytest

from tests.fault.stack import VISIBILITY_TIMEOUT, FaultStack, kill, wait_for
from tests.videos.clips import make_clip

pytestmark = pytest.mark.fault

TASK_TIMEOUT = 60.0
# The worker's job, stuck on our lock just before it marks the video ready.
STUCK_JOB = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE wait_event_type = 'Lock' AND query ILIKE %s AND pid <> pg_backend_pid()"
)


def _status(stack: FaultStack) -> str | None:
    rows = stack.sql("SELECT status FROM videos_formvideo")
    return rows[0][0] if rows else None


def test_a_worker_killed_while_processing_a_video_leaves_it_to_be_made_ready(
    stack: FaultStack, tmp_path: Path
) -> None:
    phone = stack.phone(stack.athletes[3])
    assert phone.open_today().status_code == 200
    slot = phone.next_working_slot()
    clip = make_clip(tmp_path / "squat.mp4", width=320, height=240, seconds=1.0)
    first = stack.worker
    assert first is not None
    with stack.postgres.connect() as blocker:
        # The job reads the club's retention setting after storing the web copy and before
        # marking the video ready: hold that table so the job stops there, mid-way.
        blocker.autocommit = False
        blocker.execute("LOCK TABLE videos_clubvideosettings IN ACCESS EXCLUSIVE MODE")
        response = phone.upload_video(slot, clip)
        assert response.status_code == 302, response.text[:500]
        wait_for(
            lambda: stack.sql(STUCK_JOB, "%videos_clubvideosettings%") != [(0,)],
            timeout=TASK_TIMEOUT,
            what="the worker's video job waiting on the club's settings",
        )
        assert _status(stack) == "processing"
        kill(first)
        killed_at = time.monotonic()
        blocker.rollback()

    assert _status(stack) == "processing"
    time.sleep(max(0.0, VISIBILITY_TIMEOUT + 0.5 - (time.monotonic() - killed_at)))
    second = stack.start_worker()
    stack.wait_until_consuming(second)
    stack.send_task("training.videos.tasks.stuck_videos_requeue")  # as beat does
    wait_for(
        lambda: _status(stack) == "ready" or second.died() is not None,
        timeout=TASK_TIMEOUT,
        what="the video, queued again by the sweeper, made ready by the next worker",
    )
    assert second.died() is None
    assert _status(stack) == "ready"
    rendition = stack.sql("SELECT rendition FROM videos_formvideo")[0][0]
    assert (Path(stack.env["VIDEO_ROOT"]) / rendition).is_file()
    phone.close()
