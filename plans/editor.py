"""The coach's edits of a planned session, one change at a time (each saved at once).

Sets already logged keep what was prescribed when they were done (a snapshot on the log),
so these edits never rewrite history; but an exercise with logged sets can't be removed,
and a session with logged sets stays on its day (plans.calendar_services).
"""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from coaching.models import User
from comms.notify import notify_plan_changed
from plans.calendar_services import calendar_session_move, logged_set_count
from plans.models import Exercise, PlannedSession, Prescription, RemovedSession

MAX_EXERCISES = 12

# Changing any of these changes the load: a load approved from a progression suggestion
# no longer applies, and the rule decides again.
LOAD_FIELDS = (
    "exercise",
    "reps",
    "reps_max",
    "load_rule",
    "load_percent",
    "fixed_load_kg",
    "target_rpe",
)


def _logged_sets(prescription: Prescription) -> int:
    # The reverse name of training.SetLog.prescription: plans never imports training.
    counted = Prescription.objects.filter(pk=prescription.pk).annotate(
        logged=Count("set_logs", filter=Q(set_logs__undone_at__isnull=True))
    )
    return counted.values_list("logged", flat=True).first() or 0


@transaction.atomic
def planned_session_update(
    *,
    session: PlannedSession,
    date: date,
    title: str,
    notes: str,
    today: date,
    start_time: time | None = None,
) -> PlannedSession:
    """New title, notes and time, and a new day unless sets are already logged."""
    if date != session.date:
        calendar_session_move(session=session, to_date=date, today=today)
    session.title = title
    session.notes = notes
    session.start_time = start_time
    session.full_clean(exclude=["athlete", "created_by", "block"])
    session.save(update_fields=["title", "notes", "start_time"])
    return session


@transaction.atomic
def prescription_update(
    *, prescription: Prescription, changes: dict[str, object]
) -> tuple[Prescription, list[str]]:
    """Apply the changed fields of one exercise; returns it with the names that changed.

    A change to the load drops a load approved from a progression suggestion.
    """
    prescription = Prescription.objects.select_for_update().get(pk=prescription.pk)
    changed = [name for name, value in changes.items() if getattr(prescription, name) != value]
    if not changed:
        return prescription, []
    for name in changed:
        setattr(prescription, name, changes[name])
    if prescription.progression_load_kg is not None and set(changed) & set(LOAD_FIELDS):
        prescription.progression_load_kg = None
        prescription.progression_note = ""
        changed += ["progression_load_kg", "progression_note"]
    prescription.full_clean(exclude=["session", "exercise", "swapped_from"])
    prescription.save(update_fields=changed)
    return prescription, changed


@transaction.atomic
def prescription_add(*, session: PlannedSession, exercise: Exercise) -> Prescription:
    """One more exercise at the end of the session, with the method's defaults."""
    PlannedSession.objects.select_for_update().filter(pk=session.pk).first()
    last = session.prescriptions.order_by("-position").values_list("position", flat=True).first()
    if session.prescriptions.count() >= MAX_EXERCISES:
        raise ValidationError(f"A session holds at most {MAX_EXERCISES} exercises.")
    prescription = Prescription(session=session, position=(last or 0) + 1, exercise=exercise)
    prescription.full_clean(exclude=["session", "exercise", "swapped_from"])
    prescription.save()
    return prescription


@transaction.atomic
def prescription_remove(*, prescription: Prescription) -> None:
    """Take an exercise out of the plan, unless the athlete has logged sets of it."""
    Prescription.objects.select_for_update().filter(pk=prescription.pk).first()
    if _logged_sets(prescription):
        raise ValidationError(
            f"Sets of {prescription.exercise} are already logged, so it stays in the session."
        )
    if prescription.session.prescriptions.count() == 1:
        raise ValidationError("A session needs at least one exercise: delete the session instead.")
    prescription.delete()


@transaction.atomic
def prescription_move(*, prescription: Prescription, up: bool) -> Prescription:
    """Swap places with the exercise above (or below)."""
    ordered = list(
        Prescription.objects.select_for_update()
        .filter(session_id=prescription.session_id)
        .order_by("position", "pk")
    )
    index = next(i for i, p in enumerate(ordered) if p.pk == prescription.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return ordered[index]
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    # A superset pairs with the exercise above: the first one can't be paired.
    ordered[0].superset_with_previous = False
    Prescription.objects.bulk_update(ordered, ["position", "superset_with_previous"])
    return ordered[other]


def planned_session_delete_refusal(session: PlannedSession) -> str:
    """Why the session can't be deleted, or "" if it can: what the athlete logged stays."""
    if logged_set_count(session):
        return "Sets are already logged in this session, so it stays."
    # The reverse name of training.SessionReport.session: plans never imports training.
    if PlannedSession.objects.filter(pk=session.pk, report__isnull=False).exists():
        return "The athlete finished this session and rated it, so it stays."
    return ""


@transaction.atomic
def planned_session_delete(*, session: PlannedSession, removed_by: User) -> RemovedSession:
    """Delete a session nobody has logged anything in, tell the athlete, and keep a record
    so the session's old links and notifications say it was removed."""
    PlannedSession.objects.select_for_update().filter(pk=session.pk).first()
    refusal = planned_session_delete_refusal(session)
    if refusal:
        raise ValidationError(refusal)
    removed = RemovedSession(
        session_id=session.pk,
        athlete=session.athlete,
        title=session.title,
        date=session.date,
        removed_at=timezone.now(),
        removed_by=removed_by,
    )
    removed.full_clean()
    session.delete()
    removed.save(force_insert=True)
    # The link opens Today: the removed session's own page would only repeat this.
    notify_plan_changed(
        athletes=[session.athlete], change=f"removed {session.title} on {session.date:%a %-d %b}"
    )
    return removed
