"""Celery adapters for videos: take ids, call one service.

Routed to the videos queue (settings.CELERY_TASK_ROUTES) except the email, which goes to
the default queue with the rest of the mail.
"""

from uuid import UUID

from celery import shared_task

from training.videos import processing


@shared_task(
    acks_late=True,
    # A worker killed mid-transcode leaves the message unacknowledged: it is redone.
    reject_on_worker_lost=True,
    autoretry_for=(processing.TransientError,),
    retry_backoff=True,
    max_retries=3,
    # A 3-minute 4K clip takes minutes on a small machine; the sweeper waits longer still
    # (VIDEO_STUCK_SECONDS) before it calls a video stuck.
    soft_time_limit=1740,
    time_limit=1800,
)
def video_process(video_id: str) -> None:
    processing.video_process(video_id=UUID(video_id))


@shared_task(acks_late=True)
def abandoned_uploads_clean() -> int:
    return processing.abandoned_uploads_clean()


@shared_task(acks_late=True)
def stuck_videos_requeue() -> int:
    """Every processed clip whose worker died, and the temporary files it left."""
    requeued = processing.stuck_videos_requeue(video_task=video_process, demo_task=demo_process)
    processing.work_dirs_clean()
    return len(requeued)


@shared_task(acks_late=True)
def demo_process(demo_id: str) -> None:
    processing.demo_process(demo_id=UUID(demo_id))
