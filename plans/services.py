from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from types import EllipsisType
from uuid import UUID, uuid4

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.text import slugify

from athletes.models import Athlete
from athletes.selectors import athletes_visible_to
from coaching.models import Club, User
from comms.notify import notify_plan_changed
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


@transaction.atomic
def exercise_adopt(*, exercise: Exercise, by: User) -> Exercise:
    """A coach adopts an exercise an athlete's import brought in: it joins the club library,
    seen by every athlete and coach of the club. Refused if the library has that name."""
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    if exercise.private_to_id is None:
        return exercise  # adopted already (a second tab, a double click)
    if not athletes_visible_to(by).filter(pk=exercise.private_to_id).exists():
        raise ValidationError("Only the athlete's coach or a head coach adopts their exercises.")
    taken = Exercise.objects.filter(
        Q(club__isnull=True) | Q(club_id=exercise.club_id, private_to__isnull=True),
        Q(slug=exercise.slug) | Q(name__iexact=exercise.name),
    )
    if taken.exists():
        raise ValidationError(
            f"The club library already has an exercise called {exercise.name}: "
            "archive or rename that one first."
        )
    exercise.private_to = None
    exercise.full_clean()
    exercise.save(update_fields=["private_to"])
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
        .prefetch_related("prescriptions__exercise")
        .order_by("date", "created_at")
    )
    if not sessions:
        raise ValidationError({"start": "There are no sessions in those weeks to save."})
    if PlanTemplate.objects.filter(club=club, name=name).exists():
        raise ValidationError({"name": "The club already has a template of that name."})
    # A template reaches every athlete: an exercise private to this one must be adopted first.
    private = sorted(
        {
            p.exercise.name
            for session in sessions
            for p in session.prescriptions.all()
            if p.exercise.private_to_id is not None
        }
    )
    if private:
        raise ValidationError(
            {
                "start": "Adopt these into the club library first (Exercise library): "
                + ", ".join(private)
                + "."
            }
        )
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


STARTER_READ_ONLY = "Starter templates are read-only: copy one into your club to change it."
TEMPLATE_MAX_EXERCISES = 12


def _editable(template: PlanTemplate) -> None:
    if template.starter or template.club_id is None:
        raise ValidationError(STARTER_READ_ONLY)


def _name_taken(club_id: UUID, name: str, exclude: UUID | None = None) -> bool:
    same = PlanTemplate.objects.filter(club_id=club_id, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    return same.exists()


@transaction.atomic
def template_update(*, template: PlanTemplate, name: str, description: str) -> PlanTemplate:
    """Rename a club's template or change its description. Blocks applied from it keep
    their own name: they are copies."""
    _editable(template)
    name = name.strip()
    if template.club_id and _name_taken(template.club_id, name, exclude=template.pk):
        raise ValidationError({"name": "The club already has a template of that name."})
    template.name, template.description = name, description.strip()
    template.full_clean()
    template.save(update_fields=["name", "description"])
    return template


def _copy_name(club: Club, name: str, *, from_starter: bool) -> str:
    """The starter's own name if the club has none of it yet, else "… (copy)", "… (copy 2)"."""
    candidates = [name] if from_starter else []
    candidates += [f"{name} (copy)", *(f"{name} (copy {n})" for n in range(2, 100))]
    for candidate in candidates:
        # Cut the name, not the suffix, so a long name still says it is a copy.
        if len(candidate) > 80:
            suffix = candidate[len(name) :]
            candidate = name[: 80 - len(suffix)].rstrip() + suffix
        if not _name_taken(club.pk, candidate):
            return candidate
    raise ValidationError({"name": "Too many copies of that template: rename some first."})


@transaction.atomic
def template_duplicate(
    *, template: PlanTemplate, club: Club, created_by: User | None = None
) -> PlanTemplate:
    """A new template of `club` with a copy of every session and exercise of `template`.

    From one of the club's templates this is "… (copy)"; from a starter template it is the
    club's own editable copy, under the starter's name.
    """
    if template.club_id not in (None, club.pk):
        raise ValidationError("Only the club's own or the starter templates can be copied.")
    copy = PlanTemplate(
        club=club,
        name=_copy_name(club, template.name, from_starter=template.starter),
        description=template.description,
        weeks=template.weeks,
        created_by=created_by,
    )
    copy.full_clean()
    copy.save()
    sources = list(template.sessions.prefetch_related("prescriptions").order_by("week", "slot"))
    sessions = TemplateSession.objects.bulk_create(
        TemplateSession(
            template=copy,
            week=source.week,
            slot=source.slot,
            weekday=source.weekday,
            title=source.title,
            notes=source.notes,
        )
        for source in sources
    )
    TemplatePrescription.objects.bulk_create(
        TemplatePrescription(session=session, **_copy_fields(p))
        for session, source in zip(sessions, sources, strict=True)
        for p in source.prescriptions.all()
    )
    return copy


def template_set_archived(*, template: PlanTemplate, archived: bool) -> PlanTemplate:
    """Archive (hidden from the list and from applying) or restore. Never deleted: blocks
    applied from it still name it."""
    _editable(template)
    template.archived = archived
    template.save(update_fields=["archived"])
    return template


@transaction.atomic
def template_session_update(
    *, session: TemplateSession, title: str, weekday: int, notes: str = ""
) -> TemplateSession:
    _editable(session.template)
    session.title, session.weekday, session.notes = title.strip(), weekday, notes
    session.full_clean()
    session.save(update_fields=["title", "weekday", "notes"])
    return session


@transaction.atomic
def template_prescription_update(
    *, prescription: TemplatePrescription, changes: dict[str, object]
) -> tuple[TemplatePrescription, list[str]]:
    """Apply the changed fields of one template exercise (validated by the session
    editor's form); returns it with the names that changed."""
    _editable(prescription.session.template)
    prescription = TemplatePrescription.objects.select_for_update().get(pk=prescription.pk)
    allowed = set(TemplatePrescription.COPIED_FIELDS) | {"exercise"}
    changes = {name: value for name, value in changes.items() if name in allowed}
    changed = [name for name, value in changes.items() if getattr(prescription, name) != value]
    for name in changed:
        setattr(prescription, name, changes[name])
    if changed:
        prescription.full_clean(exclude=["session", "exercise"])
        prescription.save(update_fields=[_column(name) for name in changed])
    return prescription, changed


def _column(name: str) -> str:
    return "exercise" if name == "exercise_id" else name


@transaction.atomic
def template_prescription_add(
    *, session: TemplateSession, exercise: Exercise
) -> TemplatePrescription:
    """One more exercise at the end of a template session, with the method's defaults: one
    warm-up and two working sets."""
    _editable(session.template)
    TemplateSession.objects.select_for_update().filter(pk=session.pk).first()
    if session.prescriptions.count() >= TEMPLATE_MAX_EXERCISES:
        raise ValidationError(f"A session holds at most {TEMPLATE_MAX_EXERCISES} exercises.")
    last = session.prescriptions.order_by("-position").values_list("position", flat=True).first()
    bodyweight = exercise.equipment == Exercise.Equipment.BODYWEIGHT
    prescription = TemplatePrescription(
        session=session,
        position=(last or 0) + 1,
        exercise=exercise,
        load_rule=(
            Prescription.LoadRule.BODYWEIGHT if bodyweight else Prescription.LoadRule.PERCENT
        ),
    )
    prescription.full_clean(exclude=["session", "exercise"])
    prescription.save()
    return prescription


@transaction.atomic
def template_prescription_remove(*, prescription: TemplatePrescription) -> None:
    _editable(prescription.session.template)
    TemplateSession.objects.select_for_update().filter(pk=prescription.session_id).first()
    if prescription.session.prescriptions.count() == 1:
        raise ValidationError("A session needs at least one exercise.")
    prescription.delete()


@dataclass(frozen=True)
class DayMapping:
    """Where each template session lands: fixed weekdays, or the athlete's hard run days.

    `weekdays[i]` is the weekday (0 = Monday) of the week's session i + 1; with
    `hard_days`, each week's sessions go on that week's hard run days in order,
    falling back to the weekdays when a week has too few.
    """

    weekdays: tuple[int, ...] = ()
    hard_days: bool = False


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class AppliedBlocks(list[Block]):
    """The blocks a template gave, one per athlete, and `fallbacks`: by athlete name, the
    weekdays their sessions went on when "hard run days" found too few hard runs."""

    fallbacks: dict[str, list[str]]


def template_apply(
    *,
    template: PlanTemplate,
    athletes: Sequence[Athlete],
    start: date,
    mapping: DayMapping,
    created_by: User | None = None,
) -> AppliedBlocks:
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
    if template.starter:
        raise ValidationError("Copy this starter template into your club first, then apply it.")
    if template.archived:
        raise ValidationError("This template is archived: restore it to apply it.")
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
        fell_back: dict[str, set[int]] = {}
        for block in blocks:
            hard = hard_days.get(block.athlete_id, {})
            for source in template_sessions:
                day = _session_day(source, block, mapping, hard)
                if mapping.hard_days and len(hard.get(source.week, [])) < source.slot:
                    fell_back.setdefault(block.athlete.name, set()).add(day.weekday())
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
    applied = AppliedBlocks(blocks)
    applied.fallbacks = {
        name: [WEEKDAY_NAMES[d] for d in sorted(days)] for name, days in fell_back.items()
    }
    return applied


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
