"""Reads for the logbook pages."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import FirstValue
from django.http import Http404

from athletes.models import Athlete, TrainingMax, TrainingMaxChange, TrainingMaxSuggestion
from athletes.selectors import athletes_visible_to
from athletes.training_maxes import training_max_as_read
from coaching.models import User
from plans.loads import PER_HAND, Equipment
from plans.models import Exercise, PlannedSession, Prescription, RunSession
from plans.selectors import (
    exercises_for_athlete,
    planned_load,
    prescription_loads,
    runs_on,
    session_on_or_after,
    superset_labels,
)
from training.models import MAX_EXTRA_SETS, PainReport, ProgressionSuggestion, SetLog
from training.videos.models import ExerciseDemo, FormVideo

SIDES_OF_ONE_SIDED = (SetLog.Side.LEFT, SetLog.Side.RIGHT)


@dataclass
class SetSlot:
    """One set the athlete is asked to do, with what they logged for it, if anything."""

    prescription: Prescription
    kind: str
    number: int
    reps: int
    load_kg: Decimal | None
    side: str = SetLog.Side.BOTH
    logged: SetLog | None = None
    # A fresh id for the form; a retry of the same form sends the same one.
    client_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def is_warmup(self) -> bool:
        return self.kind == SetLog.Kind.WARMUP

    @property
    def per_hand(self) -> bool:
        return self.prescription.exercise.equipment in PER_HAND

    @property
    def on_bodyweight(self) -> bool:
        return self.prescription.exercise.equipment == Equipment.BODYWEIGHT

    @property
    def label(self) -> str:
        number = f"W{self.number}" if self.is_warmup else str(self.number)
        return number + (self.side[:1].upper() if self.side else "")

    @property
    def side_name(self) -> str:
        return SetLog.Side(self.side).label if self.side else ""

    @property
    def dom_id(self) -> str:
        side = f"-{self.side}" if self.side else ""
        return f"set-{self.prescription.pk}-{self.kind}-{self.number}{side}"


@dataclass
class LastTime:
    """What the athlete did on this exercise in their previous session of it."""

    sets: list[SetLog]

    @property
    def uniform(self) -> bool:
        return len({(s.reps, s.load_kg) for s in self.sets}) == 1

    @property
    def top_rpe(self) -> Decimal | None:
        rpes = [s.rpe for s in self.sets if s.rpe is not None]
        return max(rpes) if rpes else None


@dataclass
class ExerciseCard:
    prescription: Prescription
    training_max_kg: Decimal | None
    slots: list[SetSlot]
    last_time: LastTime | None = None
    alternatives: list[Exercise] = field(default_factory=list)
    superset: str = ""  # "B1", "B2" … when the exercise alternates with another
    demo_id: uuid.UUID | None = None  # the club's demonstration clip, when ready

    @property
    def done(self) -> bool:
        return all(slot.logged for slot in self.slots)

    @property
    def next_extra_number(self) -> int | None:
        """The number an added working set gets, or None when no more may be added."""
        working = [s.number for s in self.slots if not s.is_warmup]
        number = max(working, default=0) + 1
        limit = self.prescription.working_sets + MAX_EXTRA_SETS
        return number if number <= limit else None

    @property
    def has_logs(self) -> bool:
        return any(slot.logged for slot in self.slots)

    @property
    def on_bodyweight(self) -> bool:
        return self.prescription.exercise.equipment == Equipment.BODYWEIGHT

    @property
    def working_load_kg(self) -> Decimal | None:
        """The load of the first working set, as the plan resolves it."""
        return next((slot.load_kg for slot in self.slots if not slot.is_warmup), None)

    @property
    def needs_training_max(self) -> bool:
        """The coach's rule is a % or an RPE and there is no max to take it from. A bodyweight
        move needs none: without one it is done at bodyweight alone."""
        return (
            self.training_max_kg is None
            and not self.on_bodyweight
            and self.prescription.progression_load_kg is None
            and self.prescription.load_rule
            in (Prescription.LoadRule.PERCENT, Prescription.LoadRule.RPE)
        )


@dataclass
class DayPlan:
    """What a page of the logbook shows: the runs of one day and a strength session."""

    day: date  # the day whose runs are shown
    runs: list[RunSession]
    session: PlannedSession | None

    @property
    def session_is_later(self) -> bool:
        """The session is the next one, not one of this day."""
        return self.session is not None and self.session.date != self.day


def today_plan(athlete: Athlete) -> DayPlan:
    """Today where the athlete is: today's runs, and today's session or else the next one.

    The runs are always today's, even when the session shown is a later one: the runner
    does today's run today, whatever strength comes next.
    """
    today = athlete.today()
    return DayPlan(today, list(runs_on(athlete, today)), session_on_or_after(athlete, today))


def session_day_plan(athlete: Athlete, session: PlannedSession) -> DayPlan:
    """A session's page: the session and the runs of its own day."""
    return DayPlan(session.date, list(runs_on(athlete, session.date)), session)


def _sides(prescription: Prescription) -> tuple[str, ...]:
    return SIDES_OF_ONE_SIDED if prescription.exercise.per_side else (SetLog.Side.BOTH,)


def slots_for_prescription(
    prescription: Prescription,
    *,
    warmup_kg: Decimal | None,
    working_kg: Decimal | None,
    logs: dict[tuple[str, int, str], SetLog],
) -> list[SetSlot]:
    """The planned slots of one exercise, plus any extra working sets already logged."""
    logged_working = [n for (kind, n, _side) in logs if kind == SetLog.Kind.WORKING]
    working_count = max([prescription.working_sets, *logged_working])
    plan = [(SetLog.Kind.WARMUP, n, warmup_kg) for n in range(1, prescription.warmup_sets + 1)]
    plan += [(SetLog.Kind.WORKING, n, working_kg) for n in range(1, working_count + 1)]
    return [
        SetSlot(
            prescription,
            kind,
            number,
            prescription.reps,
            load,
            side=side,
            logged=logs.get((kind, number, side)),
        )
        for kind, number, load in plan
        for side in _sides(prescription)
    ]


def session_sheet(
    session: PlannedSession, athlete: Athlete, library: list[Exercise] | None = None
) -> list[ExerciseCard]:
    """Every exercise of a session with its set slots, loads resolved, logs attached.

    `library` is the exercises the athlete may swap to; fetched when not given.
    """
    prescriptions = list(
        session.prescriptions.select_related("exercise", "swapped_from").annotate(
            training_max_kg=_training_max_of(athlete), demo_id=_ready_demo_of(athlete)
        )
    )
    maxes = {
        p.exercise_id: training_max_as_read(
            athlete=athlete, exercise=p.exercise, value_kg=p.training_max_kg
        )
        for p in prescriptions
        if p.training_max_kg is not None
    }
    logs: dict[uuid.UUID | None, dict[tuple[str, int, str], SetLog]] = defaultdict(dict)
    own, last = _session_logs_and_last_time(
        athlete, session, {p.exercise_id for p in prescriptions}
    )
    for log in own:
        logs[log.prescription_id][(log.kind, log.set_number, log.side)] = log
    if library is None:
        library = list(exercises_for_athlete(athlete))
    cards = []
    labels = superset_labels([p.superset_with_previous for p in prescriptions])
    for prescription, label in zip(prescriptions, labels, strict=True):
        training_max = maxes.get(prescription.exercise_id)
        warmup, working = prescription_loads(prescription, athlete=athlete, maxes=maxes)
        slots = slots_for_prescription(
            prescription, warmup_kg=warmup.kg, working_kg=working.kg, logs=logs[prescription.pk]
        )
        family = prescription.exercise.family
        cards.append(
            ExerciseCard(
                prescription,
                training_max.value_kg if training_max else None,
                slots,
                last_time=last.get(prescription.exercise_id),
                alternatives=[
                    e for e in library if e.family == family and e.pk != prescription.exercise_id
                ],
                superset=label,
                demo_id=prescription.demo_id,
            )
        )
    return cards


def _training_max_of(athlete: Athlete) -> Subquery:
    """The athlete's training max of a prescription's exercise, as an annotation."""
    return Subquery(
        TrainingMax.objects.filter(athlete=athlete, exercise=OuterRef("exercise")).values(
            "value_kg"
        )[:1]
    )


def _ready_demo_of(athlete: Athlete) -> Subquery:
    """The club's ready demonstration clip of a prescription's exercise, as an annotation."""
    return Subquery(
        ExerciseDemo.objects.filter(
            club_id=athlete.club_id, exercise=OuterRef("exercise"), status=FormVideo.Status.READY
        ).values("pk")[:1]
    )


def _session_logs_and_last_time(
    athlete: Athlete, session: PlannedSession, exercise_ids: set[uuid.UUID]
) -> tuple[list[SetLog], dict[uuid.UUID, LastTime]]:
    """The session's own active planned sets, and last time of each exercise, in one query.

    The same window as last_time_by_exercise, partitioned apart for the session's own
    rows: their first session is the session itself, so the one filter keeps them all.
    """
    this_session = Q(session=session, prescription__isnull=False)
    earlier = Q(
        athlete=athlete,
        exercise_id__in=exercise_ids,
        kind=SetLog.Kind.WORKING,
        session__date__lt=session.date,
    ) & ~Q(session=session)
    is_own = Case(When(this_session, then=Value(True)), default=Value(False))
    latest_session = Window(
        FirstValue("session_id"),
        partition_by=[F("exercise_id"), is_own],
        order_by=[F("session__date").desc(), F("logged_at").desc()],
    )
    rows = (
        SetLog.objects.active()
        .filter(this_session | earlier)
        .annotate(latest_session=latest_session)
        .filter(session_id=F("latest_session"))
        .order_by("exercise_id", "set_number", "side")
    )
    own: list[SetLog] = []
    grouped: dict[uuid.UUID, list[SetLog]] = defaultdict(list)
    for set_log in rows:
        if set_log.session_id == session.pk and set_log.prescription_id is not None:
            own.append(set_log)
        else:
            grouped[set_log.exercise_id].append(set_log)
    return own, {exercise_id: LastTime(logs) for exercise_id, logs in grouped.items()}


def last_time_by_exercise(
    athlete: Athlete, session: PlannedSession, exercise_ids: set[uuid.UUID]
) -> dict[uuid.UUID, LastTime]:
    """The working sets of each exercise's most recent earlier session, in one query.

    One pass over the athlete's own earlier sets of these exercises: a window marks each
    exercise's latest session and only its sets are kept. A correlated look-up per set
    made PostgreSQL scan every club's planned sessions once per earlier set.
    """
    latest_session = Window(
        FirstValue("session_id"),
        partition_by=[F("exercise_id")],
        order_by=[F("session__date").desc(), F("logged_at").desc()],
    )
    sets = (
        SetLog.objects.active()
        .filter(
            athlete=athlete,
            exercise_id__in=exercise_ids,
            kind=SetLog.Kind.WORKING,
            session__date__lt=session.date,
        )
        .exclude(session=session)
        .annotate(latest_session=latest_session)
        .filter(session_id=F("latest_session"))
        .order_by("exercise_id", "set_number", "side")
        .only("exercise_id", "reps", "load_kg", "rpe", "set_number", "side", "session_id")
    )
    grouped: dict[uuid.UUID, list[SetLog]] = defaultdict(list)
    for set_log in sets:
        grouped[set_log.exercise_id].append(set_log)
    return {exercise_id: LastTime(logs) for exercise_id, logs in grouped.items()}


def prescriptions_to_log(
    user: User, prescription_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Prescription]:
    """The signed-in athlete's own prescriptions among these, in one query.

    Each comes with its exercise, its session and the athlete (with the club), and the
    athlete's training max of the exercise as `training_max_kg`: all that logging a set
    reads, so a set costs this query and its insert.
    """
    training_max = TrainingMax.objects.filter(
        athlete=OuterRef("session__athlete"), exercise=OuterRef("exercise")
    ).values("value_kg")[:1]
    found = (
        Prescription.objects.select_related("exercise", "session__athlete__club")
        .annotate(training_max_kg=Subquery(training_max))
        .filter(pk__in=set(prescription_ids), session__athlete__user=user)
    )
    prescriptions: dict[uuid.UUID, Prescription] = {}
    for prescription in found:
        prescription.session.athlete.user = user  # already loaded by the auth middleware
        prescriptions[prescription.pk] = prescription
    return prescriptions


def maxes_of(prescription: Prescription) -> dict[uuid.UUID, TrainingMax]:
    """The training max read along with a prescription by prescriptions_to_log."""
    value_kg = getattr(prescription, "training_max_kg", None)
    if value_kg is None:
        return {}
    athlete = prescription.session.athlete
    training_max = training_max_as_read(
        athlete=athlete, exercise=prescription.exercise, value_kg=value_kg
    )
    return {prescription.exercise_id: training_max}


def slot_for(
    prescription: Prescription, athlete: Athlete, kind: str, number: int, side: str
) -> SetSlot:
    """One set slot with its resolved load, for answering a single logged set."""
    load_kg = planned_load(prescription, athlete=athlete, warmup=kind == SetLog.Kind.WARMUP)
    return SetSlot(
        prescription,
        kind,
        number,
        prescription.reps,
        load_kg,
        side=side,
    )


def slot_of(set_log: SetLog) -> SetSlot:
    """The slot a stored set fills, rebuilt from the set's own snapshot."""
    prescription = set_log.prescription
    if prescription is None:
        raise ValueError("only planned sets fill a slot")
    return SetSlot(
        prescription,
        set_log.kind,
        set_log.set_number,
        set_log.prescribed_reps or set_log.reps,
        set_log.prescribed_load_kg,
        side=set_log.side,
        logged=None if set_log.is_undone else set_log,
    )


def set_log_for_athlete(athlete: Athlete, set_log_id: uuid.UUID) -> SetLog:
    try:
        return SetLog.objects.select_related("prescription__exercise").get(
            pk=set_log_id, athlete=athlete, prescription__isnull=False
        )
    except SetLog.DoesNotExist:
        raise Http404("No such set") from None


def recent_set_logs(athlete: Athlete, limit: int = 50) -> QuerySet[SetLog]:
    return (
        SetLog.objects.active()
        .filter(athlete=athlete)
        .select_related("exercise", "session")
        .order_by("-logged_at")[:limit]
    )


def sessions_for_coach(athlete: Athlete, start: date, end: date) -> QuerySet[PlannedSession]:
    """Sessions with what the coach needs at a glance: check-in, report, changes, sets done."""
    return (
        PlannedSession.objects.filter(athlete=athlete, date__range=(start, end))
        .select_related("readiness", "report")
        .prefetch_related(
            Prefetch(
                "prescriptions",
                queryset=Prescription.objects.select_related("exercise", "swapped_from"),
            )
        )
        .annotate(
            sets_logged=Count("set_logs", filter=Q(set_logs__undone_at__isnull=True)),
        )
        .order_by("-date")
    )


def pain_reports(athlete: Athlete, limit: int = 10) -> QuerySet[PainReport]:
    return (
        PainReport.objects.filter(athlete=athlete)
        .select_related("exercise", "session")
        .order_by("-reported_at")[:limit]
    )


def pending_suggestions(athletes: QuerySet[Athlete]) -> QuerySet[ProgressionSuggestion]:
    """Suggestions waiting for a coach, for these athletes, with what the page shows."""
    return (
        ProgressionSuggestion.objects.filter(
            athlete__in=athletes, status=ProgressionSuggestion.Status.PENDING
        )
        .select_related("athlete__user", "exercise", "based_on", "target__session")
        .order_by("athlete__user__full_name", "exercise__name")
    )


def recent_decisions(athlete: Athlete, limit: int = 8) -> QuerySet[ProgressionSuggestion]:
    return (
        ProgressionSuggestion.objects.filter(
            athlete=athlete,
            status__in=[
                ProgressionSuggestion.Status.ACCEPTED,
                ProgressionSuggestion.Status.OVERRIDDEN,
                ProgressionSuggestion.Status.DISMISSED,
            ],
        )
        .select_related("exercise", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def suggestion_for_coach(user: User, suggestion_id: uuid.UUID) -> ProgressionSuggestion:
    """A suggestion for one of the coach's athletes, else 404."""
    try:
        return ProgressionSuggestion.objects.select_related(
            "athlete__user", "exercise", "based_on", "target__session"
        ).get(pk=suggestion_id, athlete__in=athletes_visible_to(user))
    except ProgressionSuggestion.DoesNotExist:
        raise Http404("No such suggestion") from None


def training_max_history(athlete: Athlete, limit: int = 12) -> QuerySet[TrainingMaxChange]:
    return (
        TrainingMaxChange.objects.filter(athlete=athlete)
        .select_related("exercise", "changed_by")
        .order_by("-changed_at")[:limit]
    )


@dataclass(frozen=True)
class ProgressionPanel:
    pending: list[ProgressionSuggestion]
    decided: list[ProgressionSuggestion]
    max_changes: list[TrainingMaxChange]
    pending_maxes: list[TrainingMaxSuggestion]
    # Estimates the coach kept out (dismissed): still data worth seeing.
    dismissed_maxes: list[TrainingMaxSuggestion]


def progression_panel(athlete: Athlete) -> ProgressionPanel:
    """What the coach's athlete page shows about progression."""
    maxes = list(
        TrainingMaxSuggestion.objects.filter(
            athlete=athlete,
            status__in=[
                TrainingMaxSuggestion.Status.PENDING,
                TrainingMaxSuggestion.Status.DISMISSED,
            ],
        )
        .select_related("athlete__user", "exercise", "proposed_by", "decided_by")
        .order_by("-status", "-created_at")[:40]  # "pending" first
    )
    return ProgressionPanel(
        pending=list(pending_suggestions(Athlete.objects.filter(pk=athlete.pk))),
        decided=list(recent_decisions(athlete)),
        max_changes=list(training_max_history(athlete)),
        pending_maxes=sorted((s for s in maxes if s.is_pending), key=lambda s: s.exercise.name),
        dismissed_maxes=[s for s in maxes if not s.is_pending][:6],
    )
