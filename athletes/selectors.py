"""Who may see which athlete. Every view reaches an athlete through these."""

from uuid import UUID

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Lower
from django.http import Http404

from athletes.models import (
    Athlete,
    EstimatedMax,
    TrainingGroup,
    TrainingMax,
    TrainingMaxSuggestion,
)
from coaching.models import Coach, User


def athletes_visible_to(user: User) -> QuerySet[Athlete]:
    """The athletes a user may see: head coaches the whole club, assistants their own."""
    coach: Coach | None = getattr(user, "coach", None) if user.is_authenticated else None
    if coach is None:
        return Athlete.objects.none()
    athletes = Athlete.objects.select_related("user", "club", "coach__user")
    # Always within the coach's own club, even if a coach record were mis-assigned.
    athletes = athletes.filter(club_id=coach.club_id)
    if coach.is_head:
        return athletes
    return athletes.filter(coach=coach)


def athlete_for_coach(user: User, athlete_id: UUID) -> Athlete:
    """The athlete if this coach may see them, else 404 (never 403: ids are not confirmed)."""
    try:
        return athletes_visible_to(user).get(pk=athlete_id)
    except Athlete.DoesNotExist:
        raise Http404("No such athlete") from None


def athlete_for_user(user: User) -> Athlete:
    """The signed-in athlete's own profile, else 404."""
    athlete = None
    if user.is_authenticated:
        athlete = Athlete.objects.select_related("club").filter(user=user).first()
    if athlete is None:
        raise Http404("Not an athlete")
    athlete.user = user  # already loaded by the auth middleware
    return athlete


def training_maxes_by_exercise(athlete: Athlete) -> dict[UUID, TrainingMax]:
    maxes = TrainingMax.objects.filter(athlete=athlete).select_related("exercise")
    return {tm.exercise_id: tm for tm in maxes}


def pending_training_max_suggestions(
    athletes: QuerySet[Athlete],
) -> QuerySet[TrainingMaxSuggestion]:
    """Training maxes waiting for a coach's decision, for these athletes."""
    return (
        TrainingMaxSuggestion.objects.filter(
            athlete__in=athletes, status=TrainingMaxSuggestion.Status.PENDING
        )
        .select_related("athlete__user", "exercise", "proposed_by")
        .order_by("athlete__user__full_name", "exercise__name")
    )


def training_max_suggestion_for_coach(user: User, suggestion_id: UUID) -> TrainingMaxSuggestion:
    """A training-max suggestion for one of the coach's athletes, else 404."""
    try:
        return TrainingMaxSuggestion.objects.select_related("athlete__user", "exercise").get(
            pk=suggestion_id, athlete__in=athletes_visible_to(user)
        )
    except TrainingMaxSuggestion.DoesNotExist:
        raise Http404("No such suggestion") from None


def latest_estimates(athlete: Athlete) -> QuerySet[EstimatedMax]:
    """The most recent e1RM of each exercise, newest first, in one query: the best of its
    latest day, the same point the roster and the charts show for that day."""
    newest_of_exercise = (
        EstimatedMax.objects.filter(athlete=athlete, exercise=OuterRef("exercise"))
        .order_by("-measured_on", "-estimated_kg", "-created_at")
        .values("pk")[:1]
    )
    return (
        EstimatedMax.objects.filter(athlete=athlete, pk=Subquery(newest_of_exercise))
        .select_related("exercise")
        .order_by("-measured_on", "exercise__name")
    )


def groups_of_club(user: User) -> QuerySet[TrainingGroup]:
    """The training groups of the coach's club (every coach of the club sees them)."""
    coach: Coach | None = getattr(user, "coach", None) if user.is_authenticated else None
    if coach is None:
        return TrainingGroup.objects.none()
    return TrainingGroup.objects.filter(club_id=coach.club_id).order_by(Lower("name"))


def group_for_coach(user: User, group_id: UUID) -> TrainingGroup:
    """A group of the coach's club, else 404."""
    group = groups_of_club(user).select_related("club").filter(pk=group_id).first()
    if group is None:
        raise Http404("No such group")
    return group


def group_members_visible_to(user: User, group: TrainingGroup) -> QuerySet[Athlete]:
    """The members this coach may see: all of them for a head coach, their own for an assistant."""
    return athletes_visible_to(user).filter(training_groups=group)


def club_coaches(user: User) -> QuerySet[Coach]:
    """The coaches of the signed-in coach's club."""
    coach: Coach | None = getattr(user, "coach", None) if user.is_authenticated else None
    if coach is None:
        return Coach.objects.none()
    return (
        Coach.objects.filter(club_id=coach.club_id)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
