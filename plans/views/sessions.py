from uuid import UUID

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import HttpResponse
from django.shortcuts import redirect, render

from athletes.models import Athlete
from athletes.selectors import athlete_for_coach
from coaching.requests import AuthedRequest
from core.access import coach_required
from plans.forms import PlannedSessionForm, PrescriptionForm, PrescriptionFormSet
from plans.models import Prescription
from plans.selectors import (
    calendar_around,
    exercises_for_athlete,
    session_guardrails,
    session_load_lines,
)
from plans.services import PrescriptionSpec, planned_session_create


@coach_required
def session_create(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    exercises = exercises_for_athlete(athlete)
    today = athlete.today()
    data = request.POST if request.method == "POST" else None
    form = PlannedSessionForm(data, today=today, initial={"date": today})
    formset = PrescriptionFormSet(
        data, prefix="lifts", form_kwargs={"exercises": exercises, "unit": athlete.unit}
    )
    if request.htmx and data is not None and "preview" in data:
        return _guardrails_preview(request, athlete, form, formset)
    if data is not None and form.is_valid() and formset.is_valid():
        specs = [PrescriptionSpec(**f.cleaned_data) for f in formset.forms if f.has_changed()]
        session = planned_session_create(
            athlete=athlete, prescriptions=specs, created_by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{session.title} planned for {session.date:%A %-d %B}.")
        return redirect("athlete_detail", athlete_id=athlete.pk)
    context = {"athlete": athlete, "form": form, "formset": formset}
    return render(request, "plans/session_form.html", context)


def _guardrails_preview(
    request: AuthedRequest,
    athlete: Athlete,
    form: PlannedSessionForm,
    formset: BaseFormSet[PrescriptionForm],
) -> HttpResponse:
    """The method's warnings for the session as typed so far; nothing is saved."""
    day = form.cleaned_data["date"] if form.is_valid() else athlete.today()
    prescriptions = [
        Prescription(**f.cleaned_data) for f in formset.forms if f.has_changed() and f.is_valid()
    ]
    calendar = calendar_around(athlete, day, day)
    warnings = session_guardrails(
        athlete,
        day=day,
        prescriptions=prescriptions,
        calendar=calendar,
        start_time=form.cleaned_data.get("start_time") if form.is_valid() else None,
        note_missing_maxes=True,
    )
    loads = session_load_lines(athlete, prescriptions=prescriptions, maxes=calendar.maxes)
    context = {"athlete": athlete, "warnings": warnings, "loads": loads, "previewed": True}
    return render(request, "plans/session_form.html#guardrails", context)
