from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db import transaction

from athletes.models import Athlete, EstimatedMax, TrainingMax, TrainingMaxChange
from athletes.units import to_kg
from coaching.models import Club, Coach, User
from plans.models import Exercise


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


def training_max_set(
    *,
    athlete: Athlete,
    exercise: Exercise,
    value_kg: Decimal,
    source: str = TrainingMaxChange.Source.COACH,
    by: User | None = None,
    reason: str = "",
) -> TrainingMax:
    """Set the athlete's training max (current best 1RM estimate) on one exercise, and
    record the change in its history."""
    with transaction.atomic():
        training_max = (
            TrainingMax.objects.select_for_update()
            .filter(athlete=athlete, exercise=exercise)
            .first()
        )
        previous = training_max.value_kg if training_max else None
        if training_max is None:
            training_max = TrainingMax(athlete=athlete, exercise=exercise)
        training_max.value_kg = value_kg
        training_max.full_clean()
        training_max.save()
        if previous != training_max.value_kg:
            TrainingMaxChange.objects.create(
                athlete=athlete,
                exercise=exercise,
                value_kg=training_max.value_kg,
                previous_kg=previous,
                source=source,
                reason=reason[:300],
                changed_by=by,
            )
    return training_max


def estimated_max_record_from_set(
    *,
    athlete: Athlete,
    exercise_id: UUID,
    estimated_kg: Decimal,
    measured_on: date,
    set_log_id: UUID,
) -> EstimatedMax:
    """One e1RM history point per logged set: the unique set id makes re-runs no-ops,
    and an edited set updates its point."""
    estimate, _ = EstimatedMax.objects.update_or_create(
        set_log_id=set_log_id,
        defaults={
            "athlete": athlete,
            "exercise_id": exercise_id,
            "estimated_kg": estimated_kg,
            "measured_on": measured_on,
            "source": EstimatedMax.Source.LOGGED_SET,
        },
    )
    return estimate


def estimated_max_discard_for_set(*, set_log_id: UUID) -> None:
    """Forget the e1RM point of a set that was undone or no longer counts."""
    EstimatedMax.objects.filter(set_log_id=set_log_id).delete()
