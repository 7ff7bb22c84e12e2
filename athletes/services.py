import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from athletes.models import Athlete, EstimatedMax, TrainingGroup

# Training maxes are written by their decision module only; re-exported for callers here.
from athletes.training_maxes import training_max_set as training_max_set
from athletes.units import to_kg
from coaching.models import Club, Coach, User


@transaction.atomic
def athlete_create(
    *,
    email: str,
    full_name: str,
    password: str | None,
    coach: Coach,
    time_zone: str | None = None,
    unit: str = Athlete.Unit.KG,
) -> Athlete:
    user = User.objects.create_user(email, password, full_name=full_name, role=User.Role.ATHLETE)
    club: Club = coach.club
    athlete = Athlete(user=user, club=club, coach=coach, time_zone=time_zone or club.time_zone)
    if unit == Athlete.Unit.LB:
        athlete_use_pounds(athlete=athlete, save=False)
    athlete.full_clean()
    athlete.save()
    return athlete


# A typical pound gym: a 45 lb bar, 2.5 lb plates (5 lb a pair) and dumbbells every 5 lb.
POUND_GYM_KG = {
    "bar_kg": to_kg(Decimal(45), "lb"),
    "plate_step_kg": to_kg(Decimal(5), "lb"),
    "dumbbell_step_kg": to_kg(Decimal(5), "lb"),
}


def athlete_use_pounds(*, athlete: Athlete, save: bool = True) -> Athlete:
    """Show and round loads in pounds, with a pound gym's bar, plates and dumbbells."""
    athlete.unit = Athlete.Unit.LB
    for name, value in POUND_GYM_KG.items():
        setattr(athlete, name, value)
    if save:
        athlete.full_clean()
        athlete.save()
    return athlete


def estimated_max_record_from_set(
    *,
    athlete: Athlete,
    exercise_id: UUID,
    estimated_kg: Decimal,
    measured_on: date,
    set_log_id: UUID,
    rated: bool,
) -> EstimatedMax:
    """One e1RM history point per logged set: the unique set id makes re-runs no-ops,
    and an edited set updates its point. `rated`: the set was logged with an RPE."""
    estimate, _ = EstimatedMax.objects.update_or_create(
        set_log_id=set_log_id,
        defaults={
            "athlete": athlete,
            "exercise_id": exercise_id,
            "estimated_kg": estimated_kg,
            "measured_on": measured_on,
            "source": EstimatedMax.Source.LOGGED_SET,
            "rated": rated,
        },
    )
    return estimate


def estimated_max_discard_for_set(*, set_log_id: UUID) -> None:
    """Forget the e1RM point of a set that was undone or no longer counts."""
    EstimatedMax.objects.filter(set_log_id=set_log_id).delete()


# --- Lifecycle: deactivate, reactivate, reassign -------------------------------------------


def _end_sessions_of(user: User) -> None:
    """Log the person out everywhere: delete every stored session that carries their id."""
    from django.contrib.sessions.models import Session

    user_id = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]
    Session.objects.filter(pk__in=stale).delete()


@transaction.atomic
def athlete_deactivate(*, athlete: Athlete) -> bool:
    """Block the athlete's login and end their sessions; every record stays.

    False when they were inactive already.
    """
    changed = User.objects.filter(pk=athlete.user_id, is_active=True).update(is_active=False)
    athlete.user.is_active = False
    if changed:
        # Inactive users are refused by the auth backend on their next request anyway;
        # deleting the sessions makes the logout immediate and visible.
        _end_sessions_of(athlete.user)
    return bool(changed)


def athlete_reactivate(*, athlete: Athlete) -> bool:
    """Let the athlete log in again with their old password; False if already active."""
    changed = User.objects.filter(pk=athlete.user_id, is_active=False).update(is_active=True)
    athlete.user.is_active = True
    return bool(changed)


def athlete_reassign(*, athlete: Athlete, coach: Coach, by: Coach) -> Athlete:
    """Move an athlete to another coach of the same club. Head coaches only."""
    if not by.is_head or by.club_id != athlete.club_id:
        raise PermissionDenied("Only a head coach of the club reassigns athletes.")
    if coach.club_id != athlete.club_id:
        raise ValidationError({"coach": "Choose a coach of the athlete's club."})
    athlete.coach = coach
    athlete.full_clean()
    athlete.save(update_fields=["coach"])
    return athlete


# --- Training groups -----------------------------------------------------------------------


def has_visible_characters(text: str) -> bool:
    """False for text made only of spaces, control and invisible format characters."""
    return any(unicodedata.category(char)[0] not in "CZ" for char in text)


def _group_name_clean(*, club: Club, name: str, group: TrainingGroup | None = None) -> str:
    name = " ".join(name.split())
    if not has_visible_characters(name):
        raise ValidationError({"name": "Give the group a name."})
    clash = TrainingGroup.objects.filter(club=club, name__iexact=name)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise ValidationError({"name": f"Your club already has a group called “{name}”."})
    return name


def group_create(*, club: Club, name: str) -> TrainingGroup:
    group = TrainingGroup(club=club, name=_group_name_clean(club=club, name=name))
    group.full_clean()
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:
        raise ValidationError({"name": "Your club already has a group with that name."}) from None
    return group


def group_rename(*, group: TrainingGroup, name: str) -> TrainingGroup:
    group.name = _group_name_clean(club=group.club, name=name, group=group)
    group.full_clean()
    try:
        with transaction.atomic():
            group.save(update_fields=["name"])
    except IntegrityError:
        raise ValidationError({"name": "Your club already has a group with that name."}) from None
    return group


def group_delete(*, group: TrainingGroup) -> None:
    """The group goes; its athletes, their plans and logs stay."""
    group.delete()


def group_members_add(*, group: TrainingGroup, athletes: Sequence[Athlete]) -> int:
    """Add athletes of the group's club; returns how many were not members yet."""
    if any(athlete.club_id != group.club_id for athlete in athletes):
        raise ValidationError("Only athletes of the club can join its groups.")
    existing = set(group.members.values_list("pk", flat=True))
    new = [athlete for athlete in athletes if athlete.pk not in existing]
    group.members.add(*new)
    return len(new)


def group_member_remove(*, group: TrainingGroup, athlete: Athlete) -> None:
    group.members.remove(athlete)
