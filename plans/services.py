from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from athletes.models import Athlete
from coaching.models import User
from plans.models import Exercise, PlannedSession, Prescription


@dataclass(frozen=True)
class PrescriptionSpec:
    exercise: Exercise
    warmup_sets: int = 1
    working_sets: int = 2
    reps: int = 6
    load_percent: Decimal = Decimal(75)
    rest_seconds: int = 120
    notes: str = ""


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
        prescription = Prescription(
            session=session,
            position=position,
            exercise=spec.exercise,
            warmup_sets=spec.warmup_sets,
            working_sets=spec.working_sets,
            reps=spec.reps,
            load_percent=spec.load_percent,
            rest_seconds=spec.rest_seconds,
            notes=spec.notes,
        )
        prescription.full_clean()
        prescription.save()
    return session
