from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from athletes.selectors import athlete_for_user
from coaching.access import AuthedRequest, athlete_required
from plans.models import PlannedSession
from plans.selectors import prescription_for_session, session_for_athlete, session_on_or_after
from training.forms import RPE_VALUES, SetLogForm
from training.selectors import SetSlot, session_sheet, slot_for
from training.services import set_log_record


def _render_session(
    request: AuthedRequest, session: PlannedSession | None, *, is_today: bool
) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    context = {
        "athlete": athlete,
        "session": session,
        "is_today": is_today,
        "cards": session_sheet(session, athlete) if session else [],
        "rpe_values": RPE_VALUES,
    }
    return render(request, "training/session.html", context)


@athlete_required
def today(request: AuthedRequest) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    session = session_on_or_after(athlete, athlete.today())
    return _render_session(
        request, session, is_today=session is not None and session.date == athlete.today()
    )


@athlete_required
def session_detail(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    session = session_for_athlete(athlete, session_id)
    return _render_session(request, session, is_today=session.date == athlete.today())


@athlete_required
@require_POST
@vary_on_headers("HX-Request")
def set_log(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    session = session_for_athlete(athlete, session_id)
    form = SetLogForm(request.POST, athlete=athlete)
    form.is_valid()
    identity = form.slot_identity()
    if identity is None:
        raise Http404("Unknown set")  # hidden fields were tampered with
    prescription = prescription_for_session(session, identity.prescription_id)
    slot = slot_for(prescription, athlete, identity.kind, identity.set_number)
    slot.client_id = identity.client_id
    if form.errors:
        return _invalid_set(request, form, slot, session)
    try:
        result = set_log_record(
            athlete=athlete,
            prescription=prescription,
            kind=identity.kind,
            set_number=identity.set_number,
            client_id=identity.client_id,
            reps=form.cleaned_data["reps"],
            load_kg=form.cleaned_data["load_kg"],
            rpe=form.cleaned_data["rpe"],
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _invalid_set(request, form, slot, session)
    if request.htmx:
        slot.logged = result.set_log
        return render(request, "training/session.html#set-slot", {"slot": slot, "athlete": athlete})
    messages.success(request, "Set saved.")
    return redirect("training:session", session_id=session.pk)


def _invalid_set(
    request: AuthedRequest, form: SetLogForm, slot: SetSlot, session: PlannedSession
) -> HttpResponse:
    """Show what was wrong next to the set; nothing was stored."""
    if request.htmx:
        context = {
            "slot": slot,
            "athlete": athlete_for_user(request.user),
            "form": form,
            "rpe_values": RPE_VALUES,
        }
        return render(request, "training/session.html#set-slot", context)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("training:session", session_id=session.pk)
