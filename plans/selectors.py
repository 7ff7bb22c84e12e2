from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from athletes.models import Athlete, TrainingMax
from athletes.selectors import training_maxes_by_exercise
from coaching.models import Club
from plans.loads import Gym, warmup_load, working_load
from plans.models import Exercise, PlannedSession, Prescription, RunSession


def exercises_for_club(club: Club) -> QuerySet[Exercise]:
    """The library a club's coaches choose from: seed exercises and their own."""
    return Exercise.objects.filter(Q(club__isnull=True) | Q(club=club), archived=False)


def _sessions() -> QuerySet[PlannedSession]:
    # The check-in and the report show on the session page: fetch them with it.
    return PlannedSession.objects.select_related("readiness", "report")


def session_for_athlete(athlete: Athlete, session_id: UUID) -> PlannedSession:
    try:
        return _sessions().get(pk=session_id, athlete=athlete)
    except PlannedSession.DoesNotExist:
        raise Http404("No such session") from None


def session_on_or_after(athlete: Athlete, day: date) -> PlannedSession | None:
    """The athlete's session on `day`, or else the next one after it."""
    return _sessions().filter(athlete=athlete, date__gte=day).order_by("date").first()


def exercises_in_session(session: PlannedSession) -> QuerySet[Exercise]:
    return Exercise.objects.filter(pk__in=session.prescriptions.values("exercise"))


def run_for_athlete(athlete: Athlete, run_id: UUID) -> RunSession:
    try:
        return RunSession.objects.get(pk=run_id, athlete=athlete)
    except RunSession.DoesNotExist:
        raise Http404("No such run") from None


def runs_on(athlete: Athlete, day: date) -> QuerySet[RunSession]:
    return RunSession.objects.filter(athlete=athlete, date=day).order_by("start_time")


def sessions_between(athlete: Athlete, start: date, end: date) -> QuerySet[PlannedSession]:
    return PlannedSession.objects.filter(athlete=athlete, date__range=(start, end)).order_by("date")


def prescription_loads(
    prescription: Prescription, *, athlete: Athlete, maxes: Mapping[UUID, TrainingMax]
) -> tuple[Decimal | None, Decimal | None]:
    """(warm-up load, working load) in kg for this athlete, rounded to their plates.

    `maxes` is the athlete's training maxes by exercise id (see training_maxes_by_exercise).
    """
    training_max = maxes.get(prescription.exercise_id)
    gym = Gym(bar_kg=athlete.bar_kg, step_kg=athlete.plate_step_kg)
    barbell = prescription.exercise.equipment == Exercise.Equipment.BARBELL
    working = working_load(
        training_max_kg=training_max.value_kg if training_max else None,
        percent=prescription.load_percent,
        gym=gym,
        barbell=barbell,
    )
    return warmup_load(working, gym, barbell=barbell), working


def planned_load(prescription: Prescription, *, athlete: Athlete, warmup: bool) -> Decimal | None:
    """The load of one set of `prescription`, for this athlete, today."""
    warmup_kg, working_kg = prescription_loads(
        prescription, athlete=athlete, maxes=training_maxes_by_exercise(athlete)
    )
    return warmup_kg if warmup else working_kg


def prescription_for_session(session: PlannedSession, prescription_id: UUID) -> Prescription:
    try:
        return Prescription.objects.select_related("exercise").get(
            pk=prescription_id, session=session
        )
    except Prescription.DoesNotExist:
        raise Http404("No such exercise in this session") from None
