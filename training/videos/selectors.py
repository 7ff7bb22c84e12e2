"""Who may see which video, and the lists the pages show. Views reach videos only here."""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from athletes.models import Athlete
from athletes.selectors import athletes_visible_to
from coaching.models import User
from plans.models import PlannedSession
from training.videos.models import FormVideo, FormVideoQuerySet, VideoUpload


def _videos() -> FormVideoQuerySet:
    return FormVideo.objects.select_related("athlete__user", "exercise", "session", "set_log")


def video_for_viewer(user: User, video_id: UUID) -> FormVideo:
    """The video if `user` is its athlete or a coach who may see that athlete, else 404."""
    videos = _videos().filter(pk=video_id)
    if user.is_athlete:
        videos = videos.filter(athlete__user=user)
    elif user.is_coach:
        videos = videos.filter(athlete__in=athletes_visible_to(user))
    else:
        videos = videos.none()
    video = videos.first()
    if video is None:
        raise Http404("No such video")
    return video


def video_for_coach(user: User, video_id: UUID) -> FormVideo:
    if not user.is_coach:
        raise Http404("No such video")
    return video_for_viewer(user, video_id)


def video_for_athlete(athlete: Athlete, video_id: UUID) -> FormVideo:
    video = _videos().filter(pk=video_id, athlete=athlete).first()
    if video is None:
        raise Http404("No such video")
    return video


def upload_for_athlete(athlete: Athlete, upload_id: UUID) -> VideoUpload:
    upload = VideoUpload.objects.filter(pk=upload_id, athlete=athlete).first()
    if upload is None:
        raise Http404("No such upload")
    return upload


def review_queue(user: User) -> QuerySet[FormVideo]:
    """Ready clips nobody has reviewed yet, of the athletes this coach sees, oldest first."""
    return (
        _videos()
        .awaiting_review()
        .filter(athlete__in=athletes_visible_to(user))
        .order_by("uploaded_at")
    )


def earlier_clips(video: FormVideo) -> QuerySet[FormVideo]:
    """The same athlete's ready clips of the same exercise from before, newest first."""
    return (
        _videos()
        .filter(
            athlete_id=video.athlete_id,
            exercise_id=video.exercise_id,
            status=FormVideo.Status.READY,
            uploaded_at__lt=video.uploaded_at,
        )
        .order_by("-uploaded_at")
    )


def video_context(athlete: Athlete, session: PlannedSession | None) -> dict[str, object]:
    """What the athlete's session page shows of videos, in one query: the clips of each
    exercise card, and the reviews the athlete has not opened yet."""
    wanted = Q(reviewed_at__isnull=False, athlete_seen_review_at__isnull=True)
    if session is not None:
        wanted |= Q(session_id=session.pk)
    clips: dict[UUID, list[FormVideo]] = {}
    reviews: list[FormVideo] = []
    videos = (
        FormVideo.objects.filter(wanted, athlete=athlete)
        .select_related("exercise")
        .order_by("uploaded_at")
    )
    for video in videos:
        if session is not None and video.session_id == session.pk and video.prescription_id:
            clips.setdefault(video.prescription_id, []).append(video)
        if video.reviewed_at and not video.athlete_seen_review_at:
            reviews.append(video)
    return {"video_clips": clips, "video_reviews": reviews[-5:]}


def recent_videos(athlete: Athlete, *, limit: int = 10) -> list[FormVideo]:
    """The athlete's latest clips, for the coach's page of that athlete."""
    return list(_videos().filter(athlete=athlete).order_by("-uploaded_at")[:limit])
