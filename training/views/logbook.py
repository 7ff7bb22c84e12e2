"""Today's session and logging sets: one tap per set, htmx fragments, no-JS fallbacks."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from athletes.models import Athlete
from athletes.selectors import athlete_for_user
from athletes.units import from_kg
from coaching.requests import AuthedRequest
from core.access import athlete_required
from core.feedback import flash_form_errors
from plans.models import Prescription
from plans.selectors import (
    exercises_for_athlete,
    prescription_for_session,
    session_for_athlete,
)
from plans.services import prescription_add_by_athlete
from plans.views.removed import removed_session_page
from training.forms import (
    RPE_VALUES,
    AddExerciseForm,
    ExerciseChoiceForm,
    MoveSessionForm,
    SetLogForm,
    SetValuesForm,
    SlotIdentity,
)
from training.models import SetLog
from training.selectors import (
    DayPlan,
    SetSlot,
    maxes_of,
    prescriptions_to_log,
    session_day_plan,
    session_sheet,
    set_log_for_athlete,
    slot_for,
    slot_of,
    today_plan,
)
from training.services import (
    exercise_swap,
    session_move,
    set_log_edit,
    set_log_record,
    set_log_undo,
)
from training.videos.selectors import video_context

SLOT = "training/session.html#set-slot"


def _render_session(request: AuthedRequest, athlete: Athlete, plan: DayPlan) -> HttpResponse:
    today = athlete.today()
    session = plan.session
    library = list(exercises_for_athlete(athlete)) if session else []
    context = {
        "athlete": athlete,
        "session": session,
        "today": today,
        "is_today": session is not None and session.date == today,
        "session_is_later": plan.session_is_later,
        "cards": session_sheet(session, athlete, library) if session else [],
        "runs": plan.runs,
        "rpe_values": RPE_VALUES,
        "library": library,
        "move_form": MoveSessionForm(
            initial={
                "date": session.date if session else today,
                "start_time": session.start_time if session else None,
            }
        ),
        **video_context(athlete, session),
    }
    return render(request, "training/session.html", context)


def _render_slot(
    request: AuthedRequest, athlete: Athlete, slot: SetSlot, form: SetValuesForm | None = None
) -> HttpResponse:
    context = {"slot": slot, "athlete": athlete, "form": form, "rpe_values": RPE_VALUES}
    return render(request, SLOT, context)


@athlete_required
def today(request: AuthedRequest) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    return _render_session(request, athlete, today_plan(athlete))


@athlete_required
@removed_session_page
def session_detail(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    session = session_for_athlete(athlete, session_id)
    return _render_session(request, athlete, session_day_plan(athlete, session))


@athlete_required
@require_POST
@vary_on_headers("HX-Request")
def set_log(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    # The prescription brings the athlete and their training max along: one query.
    prescription = _prescription_posted(request, session_id)
    athlete = prescription.session.athlete
    form = SetLogForm(request.POST, athlete=athlete)
    form.is_valid()
    identity = form.slot_identity()
    if identity is None:
        raise Http404("Unknown set")  # hidden fields were tampered with
    form.settle_load(prescription.exercise)
    if form.errors:
        return _invalid(request, athlete, prescription, identity, form)
    try:
        result = set_log_record(
            athlete=athlete,
            prescription=prescription,
            kind=identity.kind,
            set_number=identity.set_number,
            side=identity.side,
            client_id=identity.client_id,
            values=form.set_values(),
            maxes=maxes_of(prescription),
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _invalid(request, athlete, prescription, identity, form)
    if request.htmx:
        return _render_slot(request, athlete, slot_of(result.set_log))
    messages.success(request, "Set saved.")
    return redirect("training:session", session_id=prescription.session_id)


def _prescription_posted(request: AuthedRequest, session_id: UUID) -> Prescription:
    """The athlete's own prescription the posted set belongs to, else 404."""
    try:
        prescription_id = UUID(request.POST.get("prescription", ""))
    except ValueError:
        raise Http404("Unknown set") from None  # hidden fields were tampered with
    prescription = prescriptions_to_log(request.user, [prescription_id]).get(prescription_id)
    if prescription is None or prescription.session_id != session_id:
        raise Http404("No such exercise in your sessions")
    return prescription


def _invalid(
    request: AuthedRequest,
    athlete: Athlete,
    prescription: Prescription,
    identity: SlotIdentity,
    form: SetValuesForm,
) -> HttpResponse:
    """Show what was wrong next to the set; nothing was stored."""
    if request.htmx:
        slot = slot_for(prescription, athlete, identity.kind, identity.set_number, identity.side)
        slot.client_id = identity.client_id  # a corrected retry stays the same set
        return _render_slot(request, athlete, slot, form)
    flash_form_errors(request, form)
    return redirect("training:session", session_id=prescription.session_id)


@athlete_required
@vary_on_headers("HX-Request")
def set_edit(request: AuthedRequest, set_log_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    logged = set_log_for_athlete(athlete, set_log_id)
    slot = slot_of(logged)
    if logged.is_undone:
        return _undone(request, athlete, slot)
    # htmx swaps just the row's edit form into the list; without it, the whole page.
    template = "training/set_edit.html#edit-form" if request.htmx else "training/set_edit.html"
    if request.method != "POST":
        form = SetValuesForm(athlete=athlete, initial=_initial(logged, athlete))
        context = {"slot": slot, "athlete": athlete, "form": form, "rpe_values": RPE_VALUES}
        return render(request, template, context)
    form = SetValuesForm(request.POST, athlete=athlete)
    if form.is_valid():
        try:
            slot.logged = set_log_edit(set_log=logged, values=form.set_values())
        except ValidationError as error:
            form.add_error(None, error.messages)
    if form.errors:
        context = {"slot": slot, "athlete": athlete, "form": form, "rpe_values": RPE_VALUES}
        return render(request, template, context)
    if request.htmx:
        return _render_slot(request, athlete, slot)
    messages.success(request, "Set updated.")
    return redirect("training:session", session_id=logged.session_id)


def _undone(request: AuthedRequest, athlete: Athlete, slot: SetSlot) -> HttpResponse:
    """An old edit link (another tab, the back button) of a set taken back since."""
    notice = (
        f"Set {slot.label} of {slot.prescription.exercise} was undone, so there is nothing "
        "to edit: log it again if you did it."
    )
    if request.htmx:
        # The row as it is now, ready to log again; htmx 2 swaps only 2xx answers.
        context = {"slot": slot, "athlete": athlete, "rpe_values": RPE_VALUES, "notice": notice}
        return render(request, SLOT, context)
    messages.info(request, notice)
    return redirect("training:session", session_id=slot.prescription.session_id)


def _initial(logged: SetLog, athlete: Athlete) -> dict[str, object]:
    return {
        "reps": logged.reps,
        "load_kg": from_kg(logged.load_kg, athlete.unit).normalize(),
        "rpe": f"{logged.rpe:g}" if logged.rpe is not None else "",
        "note": logged.note,
    }


@athlete_required
@require_POST
@vary_on_headers("HX-Request")
def set_undo(request: AuthedRequest, set_log_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    undone = set_log_undo(set_log=set_log_for_athlete(athlete, set_log_id))
    if request.htmx:
        return _render_slot(request, athlete, slot_of(undone))
    messages.success(request, "Set undone.")
    return redirect("training:session", session_id=undone.session_id)


@athlete_required
@require_GET
@vary_on_headers("HX-Request")
def extra_set(request: AuthedRequest, session_id: UUID, prescription_id: UUID) -> HttpResponse:
    """One more working set for an exercise, as a fragment (htmx) or the page with it."""
    athlete = athlete_for_user(request.user)
    session = session_for_athlete(athlete, session_id)
    prescription = prescription_for_session(session, prescription_id)
    card = next(c for c in session_sheet(session, athlete) if c.prescription.pk == prescription.pk)
    number = card.next_extra_number
    if number is None:
        raise Http404("No more sets may be added to this exercise")
    slots = [
        slot_for(prescription, athlete, SetLog.Kind.WORKING, number, side)
        for side in (("left", "right") if prescription.exercise.per_side else ("",))
    ]
    context = {
        "slots": slots,
        "athlete": athlete,
        "prescription": prescription,
        "rpe_values": RPE_VALUES,
    }
    template = "training/extra_set.html#slots" if request.htmx else "training/extra_set.html"
    return render(request, template, context)


@athlete_required
@require_POST
def exercise_add(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    session = session_for_athlete(athlete, session_id)
    form = AddExerciseForm(request.POST, exercises=exercises_for_athlete(athlete))
    if form.is_valid():
        prescription = prescription_add_by_athlete(session=session, **form.cleaned_data)
        messages.success(request, f"{prescription.exercise} added: your coach will see it.")
    else:
        flash_form_errors(request, form)
    return redirect("training:session", session_id=session.pk)


@athlete_required
@require_POST
def exercise_swap_view(
    request: AuthedRequest, session_id: UUID, prescription_id: UUID
) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    session = session_for_athlete(athlete, session_id)
    prescription = prescription_for_session(session, prescription_id)
    form = ExerciseChoiceForm(request.POST, exercises=exercises_for_athlete(athlete))
    if form.is_valid():
        planned = prescription.exercise
        try:
            exercise_swap(prescription=prescription, exercise=form.cleaned_data["exercise"])
            messages.success(request, f"{planned} swapped for {prescription.exercise}.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        flash_form_errors(request, form)
    return redirect("training:session", session_id=session.pk)


@athlete_required
@require_POST
def session_move_view(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    session = session_for_athlete(athlete, session_id)
    form = MoveSessionForm(request.POST)
    if form.is_valid():
        try:
            session_move(
                session=session,
                to_date=form.cleaned_data["date"],
                today=athlete.today(),
                start_time=form.cleaned_data["start_time"],
            )
            messages.success(request, f"Moved to {session.date:%A %-d %B}: your coach will see it.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        flash_form_errors(request, form)
    return redirect("training:session", session_id=session.pk)
