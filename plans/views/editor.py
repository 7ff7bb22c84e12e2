"""The session editor: every change saved at once (htmx), or with a Save button without JS."""

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from athletes.models import Athlete, TrainingMax
from athletes.selectors import athlete_for_coach, training_maxes_by_exercise
from athletes.units import from_kg
from coaching.requests import AuthedRequest
from core.access import coach_required
from core.feedback import carry_out, flash_form_errors, form_error_messages
from plans.calendar_services import logged_set_count
from plans.editor import (
    planned_session_delete,
    planned_session_delete_refusal,
    planned_session_update,
    prescription_add,
    prescription_move,
    prescription_remove,
    prescription_update,
)
from plans.forms import AddExerciseForm, PlannedSessionForm, PrescriptionForm
from plans.loads import Load
from plans.models import PlannedSession, Prescription
from plans.selectors import (
    calendar_around,
    exercises_for_athlete,
    prescription_for_session,
    prescription_loads,
    session_for_athlete,
    session_guardrails,
    session_notification_count,
    superset_labels,
)
from plans.views.removed import removed_session_page


@dataclass(frozen=True)
class Row:
    """One exercise of the session as the editor shows it."""

    prescription: Prescription
    form: PrescriptionForm
    label: str
    working: Load
    status: str = ""


def _row_form(
    prescription: Prescription, athlete: Athlete, data: object = None
) -> PrescriptionForm:
    """The exercise's form: bound to what was posted, or showing what is stored, loads in
    the athlete's unit."""
    if data is not None:
        return PrescriptionForm(
            data,
            prefix=f"p-{prescription.pk}",
            exercises=exercises_for_athlete(athlete),
            unit=athlete.unit,
        )
    fixed = prescription.fixed_load_kg
    shown = None if fixed is None else f"{from_kg(fixed, athlete.unit).normalize():f}"
    return PrescriptionForm(
        instance=prescription,
        initial={"fixed_load_kg": shown},
        prefix=f"p-{prescription.pk}",
        exercises=exercises_for_athlete(athlete),
        unit=athlete.unit,
    )


def _rows(
    session: PlannedSession,
    athlete: Athlete,
    *,
    maxes: dict[UUID, TrainingMax] | None = None,
    forms: dict[UUID, PrescriptionForm] | None = None,
    statuses: dict[UUID, str] | None = None,
) -> list[Row]:
    prescriptions = list(session.prescriptions.select_related("exercise"))
    maxes = maxes if maxes is not None else training_maxes_by_exercise(athlete)
    labels = superset_labels([p.superset_with_previous for p in prescriptions])
    forms, statuses = forms or {}, statuses or {}
    return [
        Row(
            p,
            forms.get(p.pk) or _row_form(p, athlete),
            label,
            prescription_loads(p, athlete=athlete, maxes=maxes)[1],
            statuses.get(p.pk, ""),
        )
        for p, label in zip(prescriptions, labels, strict=True)
    ]


def _context(
    athlete: Athlete, session: PlannedSession, rows: list[Row] | None = None, **extra: object
) -> dict[str, object]:
    rows = rows or _rows(session, athlete)
    warnings = session_guardrails(
        athlete,
        day=session.date,
        prescriptions=[row.prescription for row in rows],
        calendar=calendar_around(athlete, session.date, session.date),
        session_id=session.pk,
        start_time=session.start_time,
    )
    return {
        "athlete": athlete,
        "session": session,
        "rows": rows,
        "warnings": warnings,
        "logged": logged_set_count(session),
        "add_form": AddExerciseForm(exercises=exercises_for_athlete(athlete)),
        **extra,
    }


def _load(
    request: AuthedRequest, athlete_id: UUID, session_id: UUID
) -> tuple[Athlete, PlannedSession]:
    athlete = athlete_for_coach(request.user, athlete_id)
    return athlete, session_for_athlete(athlete, session_id)


@coach_required
@require_http_methods(["GET", "POST"])
@removed_session_page
def session_edit(request: AuthedRequest, athlete_id: UUID, session_id: UUID) -> HttpResponse:
    athlete, session = _load(request, athlete_id, session_id)
    today = athlete.today()
    if request.method != "POST":
        form = PlannedSessionForm(instance=session, today=today)
        return render(request, "plans/session_edit.html", _context(athlete, session, form=form))
    form = PlannedSessionForm(request.POST, today=today)
    notice = ""
    if form.is_valid():
        try:
            planned_session_update(session=session, today=today, **form.cleaned_data)
            notice = "Saved."
        except ValidationError as error:
            form.add_error(None, error)
    session.refresh_from_db()
    if request.htmx:
        context = _context(athlete, session, form=form, session_notice=notice)
        return render(request, "plans/session_edit.html#session-fields", context)
    if form.errors:
        flash_form_errors(request, form)
    else:
        messages.success(request, f"{session.title} saved.")
    return redirect("plans:session_edit", athlete_id=athlete.pk, session_id=session.pk)


@coach_required
@require_POST
def prescription_save(
    request: AuthedRequest, athlete_id: UUID, session_id: UUID, prescription_id: UUID
) -> HttpResponse:
    athlete, session = _load(request, athlete_id, session_id)
    prescription = prescription_for_session(session, prescription_id)
    form = _row_form(prescription, athlete, request.POST)
    status = ""
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields if name != "DELETE"}
        try:
            prescription, changed = prescription_update(prescription=prescription, changes=changes)
            status = "Saved." if changed else "No change."
            if "progression_load_kg" in changed:
                status = "Saved: the load follows the rule again (the approved load is dropped)."
            form = _row_form(prescription, athlete)
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx:
        rows = _rows(
            session, athlete, forms={prescription.pk: form}, statuses={prescription.pk: status}
        )
        context = _context(athlete, session, rows=rows, form=None)
        return render(request, "plans/session_edit.html#exercises", context)
    if form.errors:
        for message in form_error_messages(form):
            messages.error(request, f"{prescription.exercise}: {message}")
    else:
        messages.success(request, f"{prescription.exercise}: {status}")
    return redirect("plans:session_edit", athlete_id=athlete.pk, session_id=session.pk)


def _after_list_change(
    request: AuthedRequest, athlete: Athlete, session: PlannedSession, problem: str, notice: str
) -> HttpResponse:
    if request.htmx:
        context = _context(athlete, session, list_problem=problem, list_notice=notice)
        return render(request, "plans/session_edit.html#exercises", context)
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, notice)
    return redirect("plans:session_edit", athlete_id=athlete.pk, session_id=session.pk)


@coach_required
@require_POST
def prescription_add_view(
    request: AuthedRequest, athlete_id: UUID, session_id: UUID
) -> HttpResponse:
    athlete, session = _load(request, athlete_id, session_id)
    form = AddExerciseForm(request.POST, exercises=exercises_for_athlete(athlete))

    def add() -> str:
        added = prescription_add(session=session, exercise=form.cleaned_data["exercise"])
        return f"{added.exercise} added."

    notice, problem = carry_out(add, form)
    return _after_list_change(request, athlete, session, problem, notice)


@coach_required
@require_POST
def prescription_remove_view(
    request: AuthedRequest, athlete_id: UUID, session_id: UUID, prescription_id: UUID
) -> HttpResponse:
    athlete, session = _load(request, athlete_id, session_id)
    prescription = prescription_for_session(session, prescription_id)

    def remove() -> str:
        prescription_remove(prescription=prescription)
        return f"{prescription.exercise} removed."

    notice, problem = carry_out(remove)
    return _after_list_change(request, athlete, session, problem, notice)


@coach_required
@require_POST
def prescription_move_view(
    request: AuthedRequest, athlete_id: UUID, session_id: UUID, prescription_id: UUID
) -> HttpResponse:
    athlete, session = _load(request, athlete_id, session_id)
    prescription = prescription_for_session(session, prescription_id)
    up = request.POST.get("direction") != "down"
    prescription_move(prescription=prescription, up=up)
    notice = f"{prescription.exercise} moved {'up' if up else 'down'}."
    return _after_list_change(request, athlete, session, "", notice)


@coach_required
@require_http_methods(["GET", "POST"])
@removed_session_page
def session_delete(request: AuthedRequest, athlete_id: UUID, session_id: UUID) -> HttpResponse:
    """GET asks (the confirmation page works without JavaScript); only a POST that carries
    the page's confirm field deletes."""
    athlete, session = _load(request, athlete_id, session_id)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        context = {
            "athlete": athlete,
            "session": session,
            "logged": logged_set_count(session),
            "refusal": planned_session_delete_refusal(session),
            "notified": session_notification_count(session),
        }
        return render(request, "plans/session_delete.html", context)
    try:
        planned_session_delete(session=session, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:session_edit", athlete_id=athlete.pk, session_id=session.pk)
    messages.success(
        request,
        f"{session.title} on {session.date:%a %-d %b} deleted; {athlete.name} was told.",
    )
    return redirect("athlete_detail", athlete_id=athlete.pk)
