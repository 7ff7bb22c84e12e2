"""Who may see which video, and the lists the pages show. Views reach videos only here."""

from uuid import UUID

from django.db.models import QuerySet
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


def videos_of_session(athlete: Athlete, session_id: UUID) -> dict[UUID, list[FormVideo]]:
    """The session's clips by prescription, for the exercise cards."""
    by_prescription: dict[UUID, list[FormVideo]] = {}
    for video in FormVideo.objects.filter(athlete=athlete, session_id=session_id).order_by(
        "uploaded_at"
    ):
        if video.prescription_id:
            by_prescription.setdefault(video.prescription_id, []).append(video)
    return by_prescription


def unseen_reviews(athlete: Athlete) -> QuerySet[FormVideo]:
    """Reviewed clips the athlete has not opened since the review: the in-app notice."""
    return _videos().filter(
        athlete=athlete, reviewed_at__isnull=False, athlete_seen_review_at__isnull=True
    )


def athlete_videos(athlete: Athlete) -> QuerySet[FormVideo]:
    return _videos().filter(athlete=athlete)


def video_context(athlete: Athlete, session: PlannedSession | None) -> dict[str, object]:
    """What the athlete's session page shows of videos: clips per card, unseen reviews."""
    return {
        "video_clips": videos_of_session(athlete, session.pk) if session else {},
        "video_reviews": list(unseen_reviews(athlete)[:5]),
    }
