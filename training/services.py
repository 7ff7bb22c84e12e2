from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from athletes.models import Athlete, EstimatedMax
from athletes.services import estimated_max_record_from_set
from coaching.queue import enqueue_after_commit
from plans.models import Prescription
from plans.selectors import planned_load
from training import tasks
from training.models import SetLog
from training.progression import estimate_1rm

MAX_EXTRA_SETS = 3


@dataclass(frozen=True)
class SetLogResult:
    set_log: SetLog
    created: bool


def set_log_record(
    *,
    athlete: Athlete,
    prescription: Prescription,
    kind: str,
    set_number: int,
    client_id: UUID,
    reps: int,
    load_kg: Decimal,
    rpe: Decimal | None = None,
    logged_at: datetime | None = None,
) -> SetLogResult:
    """Store one logged set exactly once, however often the client sends it.

    A repeat of the same client id, or a second log of the same planned set,
    returns the row already stored instead of writing another.
    """
    existing = SetLog.objects.filter(client_id=client_id).first()
    if existing is not None:
        return SetLogResult(_owned_by(existing, athlete), created=False)
    is_warmup = kind == SetLog.Kind.WARMUP
    planned_sets = prescription.warmup_sets if is_warmup else prescription.working_sets
    if set_number > planned_sets + MAX_EXTRA_SETS:
        raise ValidationError({"set_number": "That set is not part of this exercise."})
    set_log = SetLog(
        client_id=client_id,
        athlete=athlete,
        session_id=prescription.session_id,
        prescription=prescription,
        exercise_id=prescription.exercise_id,
        kind=kind,
        set_number=set_number,
        reps=reps,
        load_kg=load_kg,
        rpe=rpe,
        prescribed_reps=prescription.reps,
        prescribed_load_kg=planned_load(prescription, athlete=athlete, warmup=is_warmup),
        # Warm-ups are submaximal by design and never say anything about the 1RM.
        e1rm_kg=None if is_warmup else estimate_1rm(load_kg, reps, rpe),
        logged_at=logged_at or timezone.now(),
    )
    # Uniqueness is left to the database (one round trip instead of three).
    set_log.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            set_log.save(force_insert=True)
    except IntegrityError:
        # A concurrent duplicate won the race: answer with the row it stored.
        stored = (
            SetLog.objects.filter(client_id=client_id).first()
            or SetLog.objects.filter(
                prescription=prescription, kind=kind, set_number=set_number
            ).first()
        )
        if stored is None:
            raise
        return SetLogResult(_owned_by(stored, athlete), created=False)
    if set_log.e1rm_kg is not None:
        enqueue_after_commit(tasks.record_estimated_max, str(set_log.pk))
    return SetLogResult(set_log, created=True)


def _owned_by(set_log: SetLog, athlete: Athlete) -> SetLog:
    if set_log.athlete_id != athlete.pk:
        # A client id that belongs to somebody else's set: never reveal or reuse it.
        raise ValidationError({"client_id": "This set id is already in use. Reload the page."})
    return set_log


def estimated_max_from_set(*, set_log_id: UUID) -> EstimatedMax | None:
    """Record the e1RM history point of a logged set; safe to run any number of times."""
    set_log = SetLog.objects.select_related("athlete").filter(pk=set_log_id).first()
    if set_log is None or set_log.e1rm_kg is None:
        return None  # undone since, or a set that does not count
    return estimated_max_record_from_set(
        athlete=set_log.athlete,
        exercise_id=set_log.exercise_id,
        estimated_kg=set_log.e1rm_kg,
        measured_on=timezone.localdate(set_log.logged_at, timezone=set_log.athlete.zone),
        set_log_id=set_log.pk,
    )
