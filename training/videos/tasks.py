"""Celery adapters for videos: take ids, call one service.

Routed to the videos queue (settings.CELERY_TASK_ROUTES) except the email, which goes to
the default queue with the rest of the mail.
"""

from uuid import UUID

from celery import shared_task
from django.urls import reverse

from coaching.tasks import send_email
from training.videos import services
from training.videos.models import FormVideo


@shared_task(
    acks_late=True,
    # A worker killed mid-transcode leaves the message unacknowledged: it is redone.
    reject_on_worker_lost=True,
    autoretry_for=(services.TransientError,),
    retry_backoff=True,
    max_retries=3,
    # A 3-minute 4K clip takes minutes on a small machine; the sweeper waits longer still
    # (VIDEO_STUCK_MINUTES) before it calls a video stuck.
    soft_time_limit=1740,
    time_limit=1800,
)
def video_process(video_id: str) -> None:
    services.video_process(video_id=UUID(video_id))


@shared_task(acks_late=True)
def abandoned_uploads_clean() -> int:
    return services.abandoned_uploads_clean()


@shared_task(acks_late=True)
def stuck_videos_requeue() -> int:
    return len(services.stuck_videos_requeue())


@shared_task(acks_late=True)
def review_notify(video_id: str, link: str = "") -> None:
    """Email the athlete that the coach reviewed their clip."""
    video = (
        FormVideo.objects.select_related("athlete__user", "exercise", "reviewed_by")
        .filter(pk=UUID(video_id))
        .first()
    )
    if video is None or video.reviewed_at is None:
        return
    coach = video.reviewed_by.full_name if video.reviewed_by else "Your coach"
    link = link or reverse("videos:athlete_video", kwargs={"video_id": video.pk})
    send_email.delay(
        subject=f"{coach} reviewed your {video.exercise.name} video",
        body=(
            f"{coach} has reviewed your {video.exercise.name} video ({video.set_label}).\n\n"
            f"Open RunStrong to see the comments at their moments in the clip: {link}\n"
        ),
        to=[video.athlete.user.email],
    )
