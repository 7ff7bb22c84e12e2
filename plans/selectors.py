from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from athletes.models import Athlete, TrainingMax
from athletes.selectors import athletes_visible_to, training_maxes_by_exercise
from athletes.units import format_bodyweight_load, format_load
from coaching.models import Club, User
from comms.models import Notification
from plans.guardrails import (
    TAPER_DAYS,
    LiftPlan,
    Run,
    Warning,
    check_day,
    check_lift,
    check_taper,
    check_week,
)
from plans.loads import Gym, Load, LoadSpec, percent_of_max, warmup_load, working_load
from plans.models import (
    Block,
    Exercise,
    PlannedSession,
    PlanTemplate,
    Prescription,
    RemovedSession,
    RunSession,
    TemplatePrescription,
    TemplateSession,
)


def superset_labels(paired_with_previous: Sequence[bool]) -> list[str]:
    """The labels of a session's exercises in order: "A", "B1", "B2", "C" …, each letter a
    group of exercises done in alternation; all blank when nothing is paired."""
    if not any(paired_with_previous[1:]):
        return [""] * len(paired_with_previous)
    groups: list[list[int]] = []
    for index, paired in enumerate(paired_with_previous):
        if paired and groups:
            groups[-1].append(index)
        else:
            groups.append([index])
    labels = [""] * len(paired_with_previous)
    for number, group in enumerate(groups):
        letter = chr(ord("A") + number % 26)
        for place, index in enumerate(group, start=1):
            labels[index] = f"{letter}{place}" if len(group) > 1 else letter
    return labels


def _shared_with(club: Club) -> Q:
    """Seed exercises and the club's own, without any athlete's private (imported) ones."""
    return Q(club__isnull=True) | Q(club=club, private_to__isnull=True)


def exercises_for_club(club: Club) -> QuerySet[Exercise]:
    """The library a club's coaches choose from for everyone (templates): seed exercises and
    the club's own. An athlete's private exercises are not in it until a coach adopts them."""
    return Exercise.objects.filter(_shared_with(club), archived=False)


def exercises_for_athlete(athlete: Athlete) -> QuerySet[Exercise]:
    """What can go in this athlete's sessions and logs: the club's library plus the exercises
    their own history import brought in. Never another athlete's private ones."""
    own = Q(club_id=athlete.club_id, private_to=athlete)
    return Exercise.objects.filter(_shared_with(athlete.club) | own, archived=False)


def exercise_visible_to_coach(user: User, exercise_id: UUID) -> Exercise:
    """An exercise of the coach's library, or private to an athlete the coach sees, else 404."""
    club = user.coach.club
    exercise = (
        Exercise.objects.select_related("private_to__user")
        .filter(_shared_with(club) | _private_of_visible(user, club), pk=exercise_id)
        .first()
    )
    if exercise is None:
        raise Http404("No such exercise in your club's library")
    return exercise


def _private_of_visible(user: User, club: Club) -> Q:
    return Q(club=club, private_to__in=athletes_visible_to(user).values("pk"))


def _sessions() -> QuerySet[PlannedSession]:
    # The check-in and the report show on the session page: fetch them with it.
    return PlannedSession.objects.select_related("readiness", "report")


def library_for_coach(
    user: User, *, query: str = "", family: str = "", archived: bool = False
) -> QuerySet[Exercise]:
    """The library as the coach browses it: seed and club exercises, and the ones imported by
    athletes the coach sees (waiting to be adopted), searched and filtered."""
    club = user.coach.club
    exercises = Exercise.objects.select_related("private_to__user").filter(
        _shared_with(club) | _private_of_visible(user, club)
    )
    if not archived:
        exercises = exercises.filter(archived=False)
    if query:
        exercises = exercises.filter(Q(name__icontains=query) | Q(cue__icontains=query))
    if family:
        exercises = exercises.filter(family=family)
    return exercises.order_by("family", "name")


def club_exercise_for_coach(club: Club, exercise_id: UUID) -> Exercise:
    """One of the club's own exercises (the seed library is read-only, and an athlete's
    private one is adopted before it is edited), else 404."""
    try:
        return Exercise.objects.get(pk=exercise_id, club=club, private_to__isnull=True)
    except Exercise.DoesNotExist:
        raise Http404("No such exercise in your club's library") from None


class SessionRemoved(Http404):
    """The coach deleted the session: a page that catches this says so (410 Gone); anywhere
    else it is the plain 404 it subclasses."""

    def __init__(self, removed: RemovedSession) -> None:
        super().__init__("This session was removed")
        self.removed = removed


def session_for_athlete(athlete: Athlete, session_id: UUID) -> PlannedSession:
    try:
        return _sessions().get(pk=session_id, athlete=athlete)
    except PlannedSession.DoesNotExist:
        removed = RemovedSession.objects.filter(session_id=session_id, athlete=athlete).first()
        if removed is not None:
            raise SessionRemoved(removed) from None
        raise Http404("No such session") from None


def session_notification_count(session: PlannedSession) -> int:
    """How many of the athlete's notifications open this session."""
    link = reverse("training:session", kwargs={"session_id": session.pk})
    return Notification.objects.filter(recipient_id=session.athlete.user_id, link=link).count()


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


def gym_of(athlete: Athlete) -> Gym:
    return Gym.from_kg(
        unit=athlete.unit,
        bar_kg=athlete.bar_kg,
        plate_step_kg=athlete.plate_step_kg,
        dumbbell_step_kg=athlete.dumbbell_step_kg,
    )


def load_spec(prescription: Prescription) -> LoadSpec:
    if prescription.progression_load_kg is not None:
        # A load the coach approved from a progression suggestion replaces the rule.
        return LoadSpec(
            rule=Prescription.LoadRule.FIXED,
            equipment=prescription.exercise.equipment,
            fixed_kg=prescription.progression_load_kg,
            reps=prescription.reps,
        )
    return LoadSpec(
        rule=prescription.load_rule,
        equipment=prescription.exercise.equipment,
        percent=prescription.load_percent,
        fixed_kg=prescription.fixed_load_kg,
        target_rpe=prescription.target_rpe,
        reps=prescription.reps,
    )


def prescription_loads(
    prescription: Prescription, *, athlete: Athlete, maxes: Mapping[UUID, TrainingMax]
) -> tuple[Load, Load]:
    """(warm-up load, working load) for this athlete, rounded to what their gym has.

    `maxes` is the athlete's training maxes by exercise id (see training_maxes_by_exercise).
    """
    training_max = maxes.get(prescription.exercise_id)
    gym = gym_of(athlete)
    spec = load_spec(prescription)
    working = working_load(
        spec,
        gym=gym,
        training_max_kg=training_max.value_kg if training_max else None,
        body_mass_kg=athlete.body_mass_kg,
    )
    return warmup_load(spec, working, gym=gym), working


def planned_load(prescription: Prescription, *, athlete: Athlete, warmup: bool) -> Decimal | None:
    """The load in kg of one set of `prescription`, for this athlete, today."""
    warmup_set, working_set = prescription_loads(
        prescription, athlete=athlete, maxes=training_maxes_by_exercise(athlete)
    )
    return (warmup_set if warmup else working_set).kg


def prescription_for_athlete(
    athlete: Athlete, session_id: UUID, prescription_id: UUID
) -> Prescription:
    """An exercise of one of the athlete's sessions, fetched with both in one query, else 404."""
    try:
        return Prescription.objects.select_related("exercise", "session").get(
            pk=prescription_id, session_id=session_id, session__athlete=athlete
        )
    except Prescription.DoesNotExist:
        raise Http404("No such exercise in your sessions") from None


def prescription_for_session(session: PlannedSession, prescription_id: UUID) -> Prescription:
    try:
        return Prescription.objects.select_related("exercise").get(
            pk=prescription_id, session=session
        )
    except Prescription.DoesNotExist:
        raise Http404("No such exercise in this session") from None


def _lift_plan(
    prescription: Prescription,
    *,
    athlete: Athlete,
    maxes: Mapping[UUID, TrainingMax],
    note_missing_maxes: bool = False,
) -> LiftPlan:
    training_max = maxes.get(prescription.exercise_id)
    _warmup, working = prescription_loads(prescription, athlete=athlete, maxes=maxes)
    return LiftPlan(
        exercise=prescription.exercise.name,
        working_sets=prescription.working_sets,
        main_lift=prescription.exercise.equipment == Exercise.Equipment.BARBELL,
        percent_of_max=percent_of_max(
            working,
            training_max_kg=training_max.value_kg if training_max else None,
            body_mass_kg=athlete.body_mass_kg,
        ),
        intended_percent=(
            prescription.load_percent
            if training_max and prescription.load_rule == Prescription.LoadRule.PERCENT
            else None
        ),
        no_training_max=(
            note_missing_maxes and _needs_training_max(prescription) and training_max is None
        ),
    )


def _needs_training_max(prescription: Prescription) -> bool:
    return prescription.progression_load_kg is None and prescription.load_rule in (
        Prescription.LoadRule.PERCENT,
        Prescription.LoadRule.RPE,
    )


def session_load_lines(
    athlete: Athlete, *, prescriptions: Sequence[Prescription], maxes: Mapping[UUID, TrainingMax]
) -> list[str]:
    """Each lift as this athlete would load it, for the builder: "Back squat: 2 × 6 @ 75 kg"."""
    lines = []
    for prescription in prescriptions:
        _warmup, working = prescription_loads(prescription, athlete=athlete, maxes=maxes)
        reps = f"{prescription.reps}"
        if prescription.reps_max:
            reps += f"–{prescription.reps_max}"
        head = f"{prescription.exercise.name}: {prescription.working_sets} × {reps}"
        if working.kg is None:
            if _needs_training_max(prescription) and prescription.exercise_id not in maxes:
                missing = "no training max"
            else:
                missing = "no body mass" if working.on_bodyweight else "no load"
            lines.append(f"{head}, {missing}: the athlete picks the load")
        elif working.on_bodyweight:
            lines.append(f"{head} @ {format_bodyweight_load(working.kg, athlete.unit)}")
        else:
            hand = " per hand" if working.per_hand else ""
            lines.append(f"{head} @ {format_load(working.kg, athlete.unit)}{hand}")
    return lines


@dataclass
class Calendar:
    """An athlete's runs and strength days around some dates, fetched once."""

    runs: list[Run]
    strength_days: dict[UUID | None, date]
    maxes: Mapping[UUID, TrainingMax]

    @property
    def races(self) -> list[date]:
        return [run.day for run in self.runs if run.kind == RunSession.Kind.RACE]


def calendar_around(athlete: Athlete, start: date, end: date) -> Calendar:
    """Everything the guardrails need for sessions between `start` and `end`."""
    window = (start - timedelta(days=7), end + timedelta(days=TAPER_DAYS + 1))
    runs = [
        Run(run.date, run.kind, run.is_hard, run.start_time)
        for run in RunSession.objects.filter(athlete=athlete, date__range=window)
    ]
    sessions = PlannedSession.objects.filter(athlete=athlete, date__range=window)
    return Calendar(
        runs=runs,
        strength_days={pk: day for pk, day in sessions.values_list("pk", "date")},
        maxes=training_maxes_by_exercise(athlete),
    )


def session_guardrails(
    athlete: Athlete,
    *,
    day: date,
    prescriptions: Sequence[Prescription],
    calendar: Calendar,
    session_id: UUID | None = None,
    start_time: time | None = None,
    note_missing_maxes: bool = False,
) -> list[Warning]:
    """Every warning of the method for a (possibly unsaved) session on `day`, starting at
    `start_time` on the athlete's clock when the coach or the athlete gave one.

    `note_missing_maxes` is for the builder: while typing, a % rule without a training max
    is worth saying; on a calendar of new runners it would be on every session."""
    warnings = []
    for prescription in prescriptions:
        plan = _lift_plan(
            prescription,
            athlete=athlete,
            maxes=calendar.maxes,
            note_missing_maxes=note_missing_maxes,
        )
        warnings += check_lift(plan)
    warnings += check_day(day, calendar.runs, session_start=start_time, tz=athlete.zone)
    other_days = [d for pk, d in calendar.strength_days.items() if pk != session_id]
    monday = day - timedelta(days=day.weekday())
    warnings += check_week(monday, [*other_days, day], day=day)
    warnings += check_taper(day, calendar.races)
    return warnings


def upcoming_with_guardrails(
    athlete: Athlete, start: date, end: date
) -> list[tuple[PlannedSession, list[Warning]]]:
    """Sessions between two dates, each with the method's warnings, in a fixed number of queries."""
    sessions = list(
        PlannedSession.objects.filter(athlete=athlete, date__range=(start, end))
        .prefetch_related(
            Prefetch("prescriptions", queryset=Prescription.objects.select_related("exercise"))
        )
        .order_by("date")
    )
    calendar = calendar_around(athlete, start, end)
    return [
        (
            session,
            session_guardrails(
                athlete,
                day=session.date,
                prescriptions=list(session.prescriptions.all()),
                calendar=calendar,
                session_id=session.pk,
                start_time=session.start_time,
            ),
        )
        for session in sessions
    ]


# --- Blocks and templates ------------------------------------------------------


def templates_for_club(club: Club, *, archived: bool = False) -> QuerySet[PlanTemplate]:
    """The club's own templates, the archived ones or the others."""
    # Meta.ordering does not apply to a grouped query: order it here.
    return (
        PlanTemplate.objects.filter(club=club, archived=archived)
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("name")
    )


def starter_templates() -> QuerySet[PlanTemplate]:
    """The read-only library every club sees and copies from."""
    return (
        PlanTemplate.objects.filter(starter=True, club__isnull=True)
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("name")
    )


def template_for_coach(user: User, template_id: UUID, *, editable: bool = False) -> PlanTemplate:
    """A template of the coach's club, or a starter one unless the coach means to change it:
    any other is a 404, like a template that does not exist."""
    coach = getattr(user, "coach", None)
    try:
        if coach is None:
            raise PlanTemplate.DoesNotExist
        visible = Q(club_id=coach.club_id)
        if not editable:
            visible |= Q(club__isnull=True, starter=True)
        return PlanTemplate.objects.get(visible, pk=template_id)
    except PlanTemplate.DoesNotExist:
        raise Http404("No such template") from None


def template_session_for(template: PlanTemplate, session_id: UUID) -> TemplateSession:
    try:
        return TemplateSession.objects.select_related("template").get(
            pk=session_id, template=template
        )
    except TemplateSession.DoesNotExist:
        raise Http404("No such session") from None


def template_prescription_for(
    session: TemplateSession, prescription_id: UUID
) -> TemplatePrescription:
    try:
        return TemplatePrescription.objects.select_related("exercise", "session__template").get(
            pk=prescription_id, session=session
        )
    except TemplatePrescription.DoesNotExist:
        raise Http404("No such exercise") from None


def template_weeks(template: PlanTemplate) -> list[tuple[int, list[TemplateSession]]]:
    sessions = template.sessions.prefetch_related(
        Prefetch("prescriptions", queryset=TemplatePrescription.objects.select_related("exercise"))
    ).order_by("week", "slot")
    weeks: dict[int, list[TemplateSession]] = {}
    for session in sessions:
        weeks.setdefault(session.week, []).append(session)
    return sorted(weeks.items())


def block_for_athlete(athlete: Athlete, block_id: UUID) -> Block:
    try:
        return Block.objects.get(pk=block_id, athlete=athlete)
    except Block.DoesNotExist:
        raise Http404("No such block") from None


@dataclass
class PlannedLift:
    prescription: Prescription
    working_kg: Decimal | None  # for a bodyweight move, the load added to the body
    percent: Decimal | None

    @property
    def on_bodyweight(self) -> bool:
        return self.prescription.exercise.equipment == Exercise.Equipment.BODYWEIGHT


@dataclass
class BlockDay:
    session: PlannedSession
    lifts: list[PlannedLift]
    logged_sets: int


def block_plan(block: Block) -> list[tuple[date, list[BlockDay]]]:
    """The block week by week, every lift with its load for this athlete, in fixed queries."""
    athlete = block.athlete
    maxes = training_maxes_by_exercise(athlete)
    sessions = (
        PlannedSession.objects.filter(block=block)
        .annotate(logged_sets=Count("set_logs", filter=Q(set_logs__undone_at__isnull=True)))
        .prefetch_related(
            Prefetch("prescriptions", queryset=Prescription.objects.select_related("exercise"))
        )
        .order_by("date")
    )
    weeks: dict[date, list[BlockDay]] = {
        block.start + timedelta(days=7 * n): [] for n in range(block.weeks)
    }
    for session in sessions:
        lifts = []
        for prescription in session.prescriptions.all():
            _warmup, working = prescription_loads(prescription, athlete=athlete, maxes=maxes)
            training_max = maxes.get(prescription.exercise_id)
            # A bodyweight move's % counts the body: beside its added load it would read
            # as "0 kg 77.4 %", so the block shows the load as said aloud, without it.
            percent = None
            if not working.on_bodyweight:
                percent = percent_of_max(
                    working, training_max_kg=training_max.value_kg if training_max else None
                )
            lifts.append(PlannedLift(prescription, working.kg, percent))
        monday = session.date - timedelta(days=session.date.weekday())
        weeks.setdefault(monday, []).append(BlockDay(session, lifts, session.logged_sets))
    return sorted(weeks.items())
