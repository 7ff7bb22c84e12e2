from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from athletes.models import Athlete
from coaching.models import User
from plans.models import Exercise, PlannedSession, Prescription


@dataclass(frozen=True)
class PrescriptionSpec:
    """One exercise as the coach prescribes it; the defaults are the method's."""

    exercise: Exercise
    warmup_sets: int = 1
    working_sets: int = 2
    reps: int = 6
    reps_max: int | None = None
    load_rule: str = Prescription.LoadRule.PERCENT
    load_percent: Decimal = Decimal(75)
    fixed_load_kg: Decimal | None = None
    target_rpe: Decimal | None = None
    rest_seconds: int = 120
    notes: str = ""
    film_request: bool = False


@transaction.atomic
def planned_session_create(
    *,
    athlete: Athlete,
    date: date,
    prescriptions: Sequence[PrescriptionSpec],
    title: str = "Strength",
    notes: str = "",
    created_by: User | None = None,
) -> PlannedSession:
    """A strength session with its exercises in order; all of it or nothing."""
    session = PlannedSession(
        athlete=athlete, date=date, title=title, notes=notes, created_by=created_by
    )
    session.full_clean()
    session.save()
    for position, spec in enumerate(prescriptions, start=1):
        prescription = Prescription(session=session, position=position, **asdict(spec))
        prescription.full_clean()
        prescription.save()
    return session


def prescription_swap(*, prescription: Prescription, exercise: Exercise) -> Prescription:
    """Put another exercise of the same family in place of the planned one."""
    planned = prescription.swapped_from or prescription.exercise
    if exercise.family != planned.family:
        raise ValidationError(
            f"Swap {planned} only for another {planned.get_family_display().lower()} exercise."
        )
    prescription.swapped_from = None if exercise == planned else planned
    prescription.exercise = exercise
    prescription.full_clean()
    prescription.save(update_fields=["exercise", "swapped_from"])
    return prescription


def prescription_add_by_athlete(
    *, session: PlannedSession, exercise: Exercise, working_sets: int, reps: int
) -> Prescription:
    """An exercise the athlete did that the coach had not planned."""
    last = session.prescriptions.order_by("-position").values_list("position", flat=True).first()
    prescription = Prescription(
        session=session,
        position=(last or 0) + 1,
        exercise=exercise,
        warmup_sets=0,
        working_sets=working_sets,
        reps=reps,
        added_by_athlete=True,
    )
    prescription.full_clean()
    prescription.save()
    return prescription


MOVE_WINDOW_DAYS = 7


def planned_session_move(*, session: PlannedSession, to_date: date, today: date) -> PlannedSession:
    """Move a session to another day within a week of where the coach put it."""
    planned = session.moved_from or session.date
    if to_date < today:
        raise ValidationError({"date": "A session can't be moved into the past."})
    if abs((to_date - planned).days) > MOVE_WINDOW_DAYS:
        raise ValidationError(
            {"date": f"Move it at most {MOVE_WINDOW_DAYS} days; ask your coach to re-plan."}
        )
    session.moved_from = None if to_date == planned else planned
    session.date = to_date
    session.full_clean()
    session.save(update_fields=["date", "moved_from"])
    return session
