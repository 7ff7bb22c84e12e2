from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from types import EllipsisType
from uuid import UUID, uuid4

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.text import slugify

from athletes.models import Athlete
from coaching.comms.notify import notify_plan_changed
from coaching.models import Club, User
from plans.guardrails import KEY_KINDS
from plans.models import (
    Block,
    Exercise,
    PlannedSession,
    PlanTemplate,
    Prescription,
    RunSession,
    TemplatePrescription,
    TemplateSession,
)


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
    superset_with_previous: bool = False
    progression: str = ""


@transaction.atomic
def planned_session_create(
    *,
    athlete: Athlete,
    date: date,
    prescriptions: Sequence[PrescriptionSpec],
    title: str = "Strength",
    notes: str = "",
    created_by: User | None = None,
    start_time: time | None = None,
) -> PlannedSession:
    """A strength session with its exercises in order; all of it or nothing."""
    session = PlannedSession(
        athlete=athlete,
        date=date,
        start_time=start_time,
        title=title,
        notes=notes,
        created_by=created_by,
    )
    session.full_clean()
    session.save()
    for position, spec in enumerate(prescriptions, start=1):
        prescription = Prescription(session=session, position=position, **asdict(spec))
        # The session and exercise are loaded and the database enforces the constraints:
        # checking them again here would cost several queries per exercise.
        prescription.full_clean(
            exclude=["session", "exercise", "swapped_from"], validate_constraints=False
        )
        prescription.save()
    notify_plan_changed(
        athletes=[athlete],
        change=f"planned {session.title} for {session.date:%A %-d %B}",
        session_id=session.pk,
    )
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


def planned_session_move(
    *,
    session: PlannedSession,
    to_date: date,
    today: date,
    start_time: time | None | EllipsisType = ...,
) -> PlannedSession:
    """Move a session to another day within a week of where the coach put it, and to
    `start_time` (None: no time) unless it is left out (`...`: the time stays)."""
    planned = session.moved_from or session.date
    if to_date < today:
        raise ValidationError({"date": "A session can't be moved into the past."})
    if abs((to_date - planned).days) > MOVE_WINDOW_DAYS:
        raise ValidationError(
            {"date": f"Move it at most {MOVE_WINDOW_DAYS} days; ask your coach to re-plan."}
        )
    session.moved_from = None if to_date == planned else planned
    session.date = to_date
    if start_time is not ...:
        session.start_time = start_time
    session.full_clean()
    session.save(update_fields=["date", "moved_from", "start_time"])
    return session


def exercise_save(*, exercise: Exercise, club: Club) -> Exercise:
    """Create or update one of the club's own exercises."""
    if not exercise._state.adding and exercise.club_id != club.pk:
        raise ValidationError("Only the club's own exercises can be changed.")
    exercise.club = club
    # Names in other scripts (Жим лёжа, 深蹲) have no ASCII slug: keep a stable random one.
    exercise.slug = slugify(exercise.name) or exercise.slug or f"exercise-{uuid4().hex[:12]}"
    exercise.full_clean()
    exercise.save()
    return exercise


def exercise_set_archived(*, exercise: Exercise, archived: bool) -> Exercise:
    """Archive (hide from new plans) or restore; exercises are never deleted while used."""
    exercise.archived = archived
    exercise.save(update_fields=["archived"])
    return exercise


# --- Blocks and templates ------------------------------------------------------


def _copy_fields(source: Prescription | TemplatePrescription) -> dict[str, object]:
    return {name: getattr(source, name) for name in TemplatePrescription.COPIED_FIELDS}


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@transaction.atomic
def template_save_from_athlete(
    *,
    club: Club,
    name: str,
    athlete: Athlete,
    start: date,
    weeks: int,
    created_by: User | None = None,
    description: str = "",
) -> PlanTemplate:
    """Save an athlete's weeks of sessions as a template the whole club can apply."""
    start = _monday(start)
    end = start + timedelta(days=7 * weeks - 1)
    sessions = list(
        PlannedSession.objects.filter(athlete=athlete, date__range=(start, end))
        .prefetch_related("prescriptions")
        .order_by("date", "created_at")
    )
    if not sessions:
        raise ValidationError({"start": "There are no sessions in those weeks to save."})
    if PlanTemplate.objects.filter(club=club, name=name).exists():
        raise ValidationError({"name": "The club already has a template of that name."})
    template = PlanTemplate(
        club=club, name=name, description=description, weeks=weeks, created_by=created_by
    )
    template.full_clean()
    template.save()
    slots: dict[int, int] = {}
    for session in sessions:
        week = (session.date - start).days // 7 + 1
        slots[week] = slots.get(week, 0) + 1
        saved = TemplateSession.objects.create(
            template=template,
            week=week,
            slot=slots[week],
            weekday=session.date.weekday(),
            title=session.title,
            notes=session.notes,
        )
        TemplatePrescription.objects.bulk_create(
            TemplatePrescription(session=saved, **_copy_fields(p))
            for p in session.prescriptions.all()
        )
    return template


@dataclass(frozen=True)
class DayMapping:
    """Where each template session lands: fixed weekdays, or the athlete's hard run days.

    `weekdays[i]` is the weekday (0 = Monday) of the week's session i + 1; with
    `hard_days`, each week's sessions go on that week's hard run days in order,
    falling back to the weekdays when a week has too few.
    """

    weekdays: tuple[int, ...] = ()
    hard_days: bool = False


def template_apply(
    *,
    template: PlanTemplate,
    athletes: Sequence[Athlete],
    start: date,
    mapping: DayMapping,
    created_by: User | None = None,
) -> list[Block]:
    """Give every athlete their own copy of the template from `start`; all or nothing.

    Refused, with every reason at once, when the block would start in the past
    for an athlete or overlap sessions they already have. An athlete named twice (chosen
    and also in a chosen training group) gets one copy.
    """
    athletes = list({athlete.pk: athlete for athlete in athletes}.values())
    start = _monday(start)
    end = start + timedelta(days=7 * template.weeks - 1)
    template_sessions = list(
        template.sessions.prefetch_related("prescriptions").order_by("week", "slot")
    )
    # The form offers only the coach's own athletes; this holds for every other caller,
    # and bulk_create() below skips the models' own club check.
    strangers = [athlete.name for athlete in athletes if athlete.club_id != template.club_id]
    if strangers:
        raise ValidationError(
            [f"{name}: an athlete of another club; nothing was applied." for name in strangers]
        )
    problems = []
    for athlete in athletes:
        if start + timedelta(days=6) < athlete.today():
            problems.append(f"{athlete.name}: the block would start in the past.")
    busy = (
        PlannedSession.objects.filter(athlete__in=athletes, date__range=(start, end))
        .values_list("athlete__user__full_name", flat=True)
        .distinct()
    )
    problems += [f"{name}: already has sessions in those weeks." for name in busy]
    if problems:
        raise ValidationError(problems)
    hard_days = _hard_days(athletes, start, end) if mapping.hard_days else {}
    with transaction.atomic():
        blocks = Block.objects.bulk_create(
            Block(
                athlete=athlete,
                name=template.name,
                start=start,
                weeks=template.weeks,
                template=template,
                created_by=created_by,
            )
            for athlete in athletes
        )
        sessions, prescriptions = [], []
        for block in blocks:
            for source in template_sessions:
                day = _session_day(source, block, mapping, hard_days.get(block.athlete_id, {}))
                session = PlannedSession(
                    athlete_id=block.athlete_id,
                    block=block,
                    date=day,
                    title=source.title,
                    notes=source.notes,
                    created_by=created_by,
                )
                sessions.append(session)
                prescriptions += [
                    Prescription(session=session, **_copy_fields(p))
                    for p in source.prescriptions.all()
                ]
        PlannedSession.objects.bulk_create(sessions)
        Prescription.objects.bulk_create(prescriptions)
        notify_plan_changed(
            athletes=athletes,
            change=f"added the block “{template.name}” from {start:%A %-d %B}",
        )
    return blocks


def _session_day(
    source: TemplateSession, block: Block, mapping: DayMapping, hard: dict[int, list[int]]
) -> date:
    weekday = source.weekday
    if len(mapping.weekdays) >= source.slot:
        weekday = mapping.weekdays[source.slot - 1]
    week_hard_days = hard.get(source.week, [])
    if mapping.hard_days and len(week_hard_days) >= source.slot:
        weekday = week_hard_days[source.slot - 1]
    return block.start + timedelta(days=7 * (source.week - 1) + weekday)


def _hard_days(
    athletes: Sequence[Athlete], start: date, end: date
) -> dict[UUID, dict[int, list[int]]]:
    """Per athlete and block week, the weekdays of hard runs that aren't the day
    before a long run, race or interval session (the method's guardrails)."""
    runs = RunSession.objects.filter(athlete__in=athletes, date__range=(start, end + timedelta(1)))
    key_days = {(r.athlete_id, r.date) for r in runs if r.kind in KEY_KINDS}
    days: dict[UUID, dict[int, list[int]]] = {}
    for run in sorted(runs, key=lambda r: r.date):
        if not run.is_hard or run.date > end:
            continue
        if (run.athlete_id, run.date + timedelta(days=1)) in key_days:
            continue
        week = (run.date - start).days // 7 + 1
        weekdays = days.setdefault(run.athlete_id, {}).setdefault(week, [])
        if run.date.weekday() not in weekdays:
            weekdays.append(run.date.weekday())
    return days


def _has_logs(sessions: QuerySet[PlannedSession]) -> bool:
    # Counted through the reverse relation: plans never imports the logbook.
    return sessions.filter(set_logs__isnull=False, set_logs__undone_at__isnull=True).exists()


@transaction.atomic
def week_copy_forward(*, athlete: Athlete, week_start: date) -> list[PlannedSession]:
    """Copy one week's sessions to the week after; refused if that week has sessions."""
    week_start = _monday(week_start)
    source = list(
        PlannedSession.objects.filter(
            athlete=athlete, date__range=(week_start, week_start + timedelta(days=6))
        ).prefetch_related("prescriptions")
    )
    if not source:
        raise ValidationError("That week has no sessions to copy.")
    target = week_start + timedelta(days=7)
    if PlannedSession.objects.filter(
        athlete=athlete, date__range=(target, target + timedelta(days=6))
    ).exists():
        raise ValidationError("The next week already has sessions: nothing was copied.")
    copies = []
    for session in source:
        copy = PlannedSession.objects.create(
            athlete=athlete,
            block=session.block,
            date=session.date + timedelta(days=7),
            title=session.title,
            notes=session.notes,
            created_by=session.created_by,
        )
        Prescription.objects.bulk_create(
            Prescription(session=copy, **_copy_fields(p)) for p in session.prescriptions.all()
        )
        copies.append(copy)
    notify_plan_changed(
        athletes=[athlete],
        change=f"copied the week of {week_start:%-d %B} to the week of {target:%-d %B}",
    )
    return copies


@transaction.atomic
def block_shift(*, block: Block, days: int, today: date) -> Block:
    """Move a whole block by `days`; refused once any of it is logged or if it would start
    in the past."""
    if not days:
        return block
    if abs(days) > 28:
        raise ValidationError("Shift a block by at most four weeks.")
    sessions = PlannedSession.objects.filter(block=block)
    if _has_logs(sessions):
        raise ValidationError("Sets are already logged in this block, so it stays where it is.")
    first = sessions.order_by("date").values_list("date", flat=True).first()
    if first is not None and first + timedelta(days=days) < today:
        raise ValidationError("The block would start in the past.")
    sessions.update(date=F("date") + timedelta(days=days))
    block.start = block.start + timedelta(days=days)
    block.save(update_fields=["start"])
    notify_plan_changed(
        athletes=[block.athlete],
        change=f"moved the block “{block.name}” to start on {block.start:%A %-d %B}",
    )
    return block
