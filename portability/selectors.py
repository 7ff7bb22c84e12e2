"""Reads for data in and out. Every athlete is reached through athletes/selectors.py."""

from datetime import date
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from athletes.models import Athlete
from athletes.selectors import athlete_for_coach, athletes_visible_to
from coaching.models import User
from plans.models import PlannedSession, Prescription, RunSession
from portability.models import CalendarFeed, DeletionRequest, HistoryImport


def feed_for_token(token: str) -> CalendarFeed:
    """The feed a secret address names, else 404 (a revoked token names nothing)."""
    feed = (
        CalendarFeed.objects.select_related("athlete__user").filter(token=token).first()
        if token
        else None
    )
    if feed is None:
        raise Http404("No such calendar")
    return feed


def data_status(athlete: Athlete) -> tuple[CalendarFeed | None, DeletionRequest | None]:
    """The athlete's calendar feed and deletion request, in one query."""
    found = (
        Athlete.objects.filter(pk=athlete.pk)
        .select_related("calendar_feed", "deletion_request")
        .first()
    )
    return (
        getattr(found, "calendar_feed", None),
        getattr(found, "deletion_request", None),
    )


def feed_sessions(athlete: Athlete, first: date, last: date) -> QuerySet[PlannedSession]:
    return (
        PlannedSession.objects.filter(athlete=athlete, date__range=(first, last))
        .prefetch_related(
            Prefetch("prescriptions", queryset=Prescription.objects.select_related("exercise"))
        )
        .order_by("date", "created_at")
    )


def feed_runs(athlete: Athlete, first: date, last: date) -> QuerySet[RunSession]:
    return RunSession.objects.filter(athlete=athlete, date__range=(first, last)).order_by(
        "date", "start_time"
    )


def history_imports_of(athlete: Athlete, limit: int = 5) -> list[HistoryImport]:
    return list(HistoryImport.objects.filter(athlete=athlete).order_by("-imported_at")[:limit])


def deletion_request_of(athlete: Athlete) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(athlete=athlete).first()


def athlete_for_head_coach(user: User, athlete_id: UUID) -> Athlete:
    """The athlete if this user is a head coach of their club, else 404.

    Deleting an athlete for good is the head coach's call, not an assistant's.
    """
    athlete = athlete_for_coach(user, athlete_id)
    if not user.coach.is_head:
        raise Http404("Head coaches only")
    return athlete


def deletion_requests_for(user: User) -> QuerySet[DeletionRequest]:
    """Open deletion requests a head coach should act on; nothing for anyone else."""
    coach = getattr(user, "coach", None)
    if coach is None or not coach.is_head:
        return DeletionRequest.objects.none()
    return (
        DeletionRequest.objects.filter(athlete__in=athletes_visible_to(user))
        .select_related("athlete__user")
        .order_by("requested_at")
    )
