from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from athletes.selectors import athlete_for_coach
from coaching.access import AuthedRequest, coach_required
from plans.forms import PlannedSessionForm, PrescriptionFormSet
from plans.selectors import exercises_for_club
from plans.services import PrescriptionSpec, planned_session_create


@coach_required
def session_create(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    exercises = exercises_for_club(athlete.club)
    today = athlete.today()
    data = request.POST if request.method == "POST" else None
    form = PlannedSessionForm(data, today=today, initial={"date": today})
    formset = PrescriptionFormSet(
        data,
        prefix="lifts",
        form_kwargs={"exercises": exercises},
    )
    if data is not None and form.is_valid() and formset.is_valid():
        specs = [PrescriptionSpec(**f.cleaned_data) for f in formset.forms if f.has_changed()]
        session = planned_session_create(
            athlete=athlete, prescriptions=specs, created_by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{session.title} planned for {session.date:%A %-d %B}.")
        return redirect("athlete_detail", athlete_id=athlete.pk)
    context = {"athlete": athlete, "form": form, "formset": formset}
    return render(request, "plans/session_form.html", context)
