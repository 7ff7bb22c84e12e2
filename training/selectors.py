import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from athletes.models import Athlete
from athletes.selectors import training_maxes_by_exercise
from plans.models import PlannedSession, Prescription
from plans.selectors import planned_load, prescription_loads
from training.models import SetLog


@dataclass
class SetSlot:
    """One set the athlete is asked to do, with what they logged for it, if anything."""

    prescription: Prescription
    kind: str
    number: int
    reps: int
    load_kg: Decimal | None
    logged: SetLog | None = None
    # A fresh id for the form; a retry of the same form sends the same one.
    client_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def is_warmup(self) -> bool:
        return self.kind == SetLog.Kind.WARMUP

    @property
    def label(self) -> str:
        return f"W{self.number}" if self.is_warmup else str(self.number)

    @property
    def dom_id(self) -> str:
        return f"set-{self.prescription.pk}-{self.kind}-{self.number}"


@dataclass
class ExerciseCard:
    prescription: Prescription
    training_max_kg: Decimal | None
    slots: list[SetSlot]

    @property
    def done(self) -> bool:
        return all(slot.logged for slot in self.slots)


def session_sheet(session: PlannedSession, athlete: Athlete) -> list[ExerciseCard]:
    """Every exercise of a session with its set slots, loads resolved, logs attached."""
    prescriptions = list(session.prescriptions.select_related("exercise"))
    maxes = training_maxes_by_exercise(athlete)
    logs = {
        (log.prescription_id, log.kind, log.set_number): log
        for log in SetLog.objects.filter(session=session, prescription__isnull=False)
    }
    cards = []
    for prescription in prescriptions:
        training_max = maxes.get(prescription.exercise_id)
        max_kg = training_max.value_kg if training_max else None
        warmup_kg, working_kg = prescription_loads(prescription, athlete=athlete, maxes=maxes)
        slots = [
            SetSlot(prescription, SetLog.Kind.WARMUP, n, prescription.reps, warmup_kg)
            for n in range(1, prescription.warmup_sets + 1)
        ] + [
            SetSlot(prescription, SetLog.Kind.WORKING, n, prescription.reps, working_kg)
            for n in range(1, prescription.working_sets + 1)
        ]
        for slot in slots:
            slot.logged = logs.get((prescription.pk, slot.kind, slot.number))
        cards.append(ExerciseCard(prescription, max_kg, slots))
    return cards


def slot_for(prescription: Prescription, athlete: Athlete, kind: str, number: int) -> SetSlot:
    """One set slot with its resolved load, for answering a single logged set."""
    load_kg = planned_load(prescription, athlete=athlete, warmup=kind == SetLog.Kind.WARMUP)
    return SetSlot(prescription, kind, number, prescription.reps, load_kg)


def recent_set_logs(athlete: Athlete, limit: int = 50) -> QuerySet[SetLog]:
    return (
        SetLog.objects.filter(athlete=athlete)
        .select_related("exercise", "session")
        .order_by("-logged_at")[:limit]
    )
