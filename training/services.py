"""Writes to the logbook. Every function here is safe to call again with the same input."""

from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from types import EllipsisType
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from athletes.models import Athlete, TrainingMax
from athletes.services import estimated_max_discard_for_set
from comms.notify import notify_pain_reported
from core.queue import enqueue_after_commit
from plans.models import Exercise, PlannedSession, Prescription, RunSession
from plans.selectors import planned_load, prescription_loads
from plans.services import planned_session_move, prescription_swap
from training import tasks
from training.models import MAX_EXTRA_SETS, PainReport, ReadinessCheckIn, SessionReport, SetLog
from training.progression import counts_for_1rm, estimate_1rm


@dataclass(frozen=True)
class SetLogResult:
    set_log: SetLog
    created: bool


@dataclass(frozen=True)
class SetValues:
    """What the athlete did in one set."""

    reps: int
    load_kg: Decimal
    rpe: Decimal | None = None
    note: str = ""


def set_log_record(
    *,
    athlete: Athlete,
    prescription: Prescription,
    kind: str,
    set_number: int,
    client_id: UUID,
    values: SetValues,
    side: str = SetLog.Side.BOTH,
    logged_at: datetime | None = None,
    maxes: Mapping[UUID, TrainingMax] | None = None,
) -> SetLogResult:
    """Store one logged set exactly once, however often the client sends it.

    A repeat of the same client id returns the row already stored, undone or
    not; a second log of a planned set that is already logged returns that
    row; a planned set that was undone is filled again by a new client id.
    `maxes` are the athlete's training maxes when the caller already has them.
    """
    # No look-up first: the insert is the check, and a replay costs one failed insert.
    _check_slot(prescription, kind=kind, set_number=set_number, side=side)
    set_log = SetLog(
        client_id=client_id,
        athlete=athlete,
        session_id=prescription.session_id,
        prescription=prescription,
        exercise_id=prescription.exercise_id,
        kind=kind,
        set_number=set_number,
        side=side,
        prescribed_reps=prescription.reps,
        prescribed_load_kg=_planned_load(prescription, athlete=athlete, kind=kind, maxes=maxes),
        logged_at=logged_at or timezone.now(),
    )
    _apply(set_log, values, exercise=prescription.exercise, athlete=athlete)
    _validate(set_log)
    # In autocommit the insert is its own transaction; inside a caller's transaction a
    # savepoint keeps a failed insert (a replay) from spoiling it.
    guard = transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()
    try:
        with guard:
            set_log.save(force_insert=True)
    except IntegrityError:
        return _resolve_conflict(
            set_log, athlete=athlete, exercise=prescription.exercise, values=values
        )
    if set_log.e1rm_kg is not None:
        _estimate_after_commit(set_log)
    return SetLogResult(set_log, created=True)


def _planned_load(
    prescription: Prescription,
    *,
    athlete: Athlete,
    kind: str,
    maxes: Mapping[UUID, TrainingMax] | None,
) -> Decimal | None:
    is_warmup = kind == SetLog.Kind.WARMUP
    if maxes is None:
        return planned_load(prescription, athlete=athlete, warmup=is_warmup)
    warmup, working = prescription_loads(prescription, athlete=athlete, maxes=maxes)
    return (warmup if is_warmup else working).kg


def _check_slot(prescription: Prescription, *, kind: str, set_number: int, side: str) -> None:
    is_warmup = kind == SetLog.Kind.WARMUP
    planned_sets = prescription.warmup_sets if is_warmup else prescription.working_sets
    if set_number > planned_sets + MAX_EXTRA_SETS:
        raise ValidationError({"set_number": "That set is not part of this exercise."})
    per_side = prescription.exercise.per_side
    if per_side and side not in (SetLog.Side.LEFT, SetLog.Side.RIGHT):
        raise ValidationError({"side": f"Log {prescription.exercise} one side at a time."})
    if not per_side and side != SetLog.Side.BOTH:
        raise ValidationError({"side": f"{prescription.exercise} is not logged per side."})


def _resolve_conflict(
    attempt: SetLog, *, athlete: Athlete, exercise: Exercise, values: SetValues
) -> SetLogResult:
    """Another row won the race for this client id or this planned set."""
    stored = SetLog.objects.filter(client_id=attempt.client_id).first()
    if stored is not None:
        return SetLogResult(_owned_by(stored, athlete), created=False)
    with transaction.atomic():
        stored = (
            SetLog.objects.select_for_update()
            .filter(
                prescription=attempt.prescription,
                kind=attempt.kind,
                set_number=attempt.set_number,
                side=attempt.side,
            )
            .first()
        )
        if stored is None:
            raise ValidationError("This set could not be saved. Please try again.")
        _owned_by(stored, athlete)
        if not stored.is_undone:
            return SetLogResult(stored, created=False)
        # The athlete undid this set and logged it again: the slot takes the new log.
        stored.client_id = attempt.client_id
        stored.undone_at = None
        stored.logged_at = attempt.logged_at
        _apply(stored, values, exercise=exercise, athlete=athlete)
        _validate(stored)
        stored.save()
    _estimate_after_commit(stored)
    return SetLogResult(stored, created=True)


def _validate(set_log: SetLog) -> None:
    """Field rules only: the related rows are already loaded, uniqueness and the check
    constraints are enforced by the database — each skipped check saves a round trip."""
    set_log.full_clean(
        exclude=["athlete", "session", "prescription", "exercise"],
        validate_unique=False,
        validate_constraints=False,
    )


def _owned_by(set_log: SetLog, athlete: Athlete) -> SetLog:
    if set_log.athlete_id != athlete.pk:
        # A client id that belongs to somebody else's set: never reveal or reuse it.
        raise ValidationError({"client_id": "This set id is already in use. Reload the page."})
    return set_log


def _apply(set_log: SetLog, values: SetValues, *, exercise: Exercise, athlete: Athlete) -> None:
    set_log.reps = values.reps
    set_log.load_kg = values.load_kg
    set_log.rpe = values.rpe
    set_log.note = values.note
    set_log.e1rm_kg = _estimate(set_log.kind, values, exercise=exercise, athlete=athlete)


def _estimate(
    kind: str, values: SetValues, *, exercise: Exercise, athlete: Athlete
) -> Decimal | None:
    """The set's e1RM. A bodyweight move lifts the body too: its estimate is of body mass +
    added load, so none without a body mass; unilateral moves are estimated per side."""
    if not counts_for_1rm(kind, values.reps, values.rpe):
        return None
    lifted = values.load_kg
    if exercise.equipment == Exercise.Equipment.BODYWEIGHT:
        if athlete.body_mass_kg is None:
            return None
        lifted += athlete.body_mass_kg
    return estimate_1rm(lifted, values.reps, values.rpe)


def _estimate_after_commit(set_log: SetLog) -> None:
    enqueue_after_commit(tasks.record_estimated_max, str(set_log.pk))


@transaction.atomic
def set_log_edit(*, set_log: SetLog, values: SetValues) -> SetLog:
    """Correct a logged set; its e1RM follows."""
    set_log = (
        SetLog.objects.select_for_update(of=("self",))
        .select_related("exercise", "athlete")
        .get(pk=set_log.pk)
    )
    if set_log.is_undone:
        raise ValidationError("This set was undone; log it again instead.")
    _apply(set_log, values, exercise=set_log.exercise, athlete=set_log.athlete)
    _validate(set_log)
    set_log.save()
    _estimate_after_commit(set_log)
    return set_log


@transaction.atomic
def set_log_undo(*, set_log: SetLog) -> SetLog:
    """Take a logged set back. The row stays so that a replay can't bring it back."""
    set_log = SetLog.objects.select_for_update().get(pk=set_log.pk)
    if not set_log.is_undone:
        set_log.undone_at = timezone.now()
        set_log.e1rm_kg = None
        set_log.save(update_fields=["undone_at", "e1rm_kg"])
        estimated_max_discard_for_set(set_log_id=set_log.pk)
    return set_log


def exercise_swap(*, prescription: Prescription, exercise: Exercise) -> Prescription:
    """Swap an exercise for another of its family, before any set of it is logged."""
    if SetLog.objects.active().filter(prescription=prescription).exists():
        raise ValidationError(
            f"Sets of {prescription.exercise} are already logged: add an exercise instead."
        )
    return prescription_swap(prescription=prescription, exercise=exercise)


def session_move(
    *,
    session: PlannedSession,
    to_date: date,
    today: date,
    start_time: time | None | EllipsisType = ...,
) -> PlannedSession:
    """Move a session the athlete hasn't started to another day (and time, when given)."""
    if SetLog.objects.active().filter(session=session).exists():
        raise ValidationError("Sets are already logged in this session, so it stays on its day.")
    return planned_session_move(
        session=session, to_date=to_date, today=today, start_time=start_time
    )


def readiness_record(
    *, athlete: Athlete, session: PlannedSession, scores: dict[str, int]
) -> ReadinessCheckIn:
    """The pre-session check-in; answering again replaces the earlier answers."""
    check_in = ReadinessCheckIn.objects.filter(session=session).first() or ReadinessCheckIn(
        athlete=athlete, session=session
    )
    for name in ReadinessCheckIn.SCORES:
        setattr(check_in, name, scores[name])
    check_in.full_clean(validate_unique=False)
    check_in.save()
    return check_in


@dataclass(frozen=True)
class PainDetails:
    location: str
    severity: int
    side: str = ""
    exercise: Exercise | None = None
    note: str = ""


@transaction.atomic
def session_finish(
    *,
    athlete: Athlete,
    session: PlannedSession,
    session_rpe: int,
    duration_minutes: int,
    note: str = "",
    pain: PainDetails | None = None,
) -> SessionReport:
    """Close a session with its effort and duration; a pain flag goes to the coach."""
    report = SessionReport.objects.select_for_update().filter(session=session).first()
    report = report or SessionReport(athlete=athlete, session=session)
    report.session_rpe = session_rpe
    report.duration_minutes = duration_minutes
    report.note = note
    report.finished_at = timezone.now()
    report.full_clean(validate_unique=False)
    report.save()
    if pain is not None:
        pain_report_create(athlete=athlete, session=session, pain=pain)
    enqueue_after_commit(tasks.progression_after_session, str(session.pk))
    return report


@transaction.atomic
def pain_report_create(
    *, athlete: Athlete, pain: PainDetails, session: PlannedSession | None = None
) -> PainReport:
    report = PainReport(
        athlete=athlete,
        session=session,
        exercise=pain.exercise,
        location=pain.location,
        side=pain.side,
        severity=pain.severity,
        note=pain.note,
    )
    report.full_clean()
    report.save()
    notify_pain_reported(
        athlete=athlete,
        location=report.get_location_display(),
        severity=report.severity,
        side=report.get_side_display().lower() if report.side else "",
    )
    return report


def run_complete(*, run: RunSession, actual_minutes: int, session_rpe: int) -> RunSession:
    """The athlete marks a run done, so it counts in the same load measure as lifting."""
    run.actual_minutes = actual_minutes
    run.session_rpe = session_rpe
    run.completed_at = run.completed_at or timezone.now()
    run.full_clean()
    run.save(update_fields=["actual_minutes", "session_rpe", "completed_at"])
    return run
