from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from athletes.forms import TrainingMaxForm
from athletes.selectors import athlete_for_coach
from athletes.services import training_max_set
from athletes.units import format_load
from coaching.access import AuthedRequest, coach_required
from plans.selectors import exercises_for_club


@coach_required
@require_POST
def training_max_update(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    form = TrainingMaxForm(
        request.POST, athlete=athlete, exercises=exercises_for_club(athlete.club)
    )
    if not form.is_valid():
        return render(
            request, "coaching/training_max_form.html", {"athlete": athlete, "max_form": form}
        )
    exercise = form.cleaned_data["exercise"]
    value_kg = form.cleaned_data["training_max_kg"]
    training_max_set(
        athlete=athlete,
        exercise=exercise,
        value_kg=value_kg,
        source=form.cleaned_data["method"],
        by=request.user,
        reason=form.cleaned_data["reason"],
    )
    messages.success(
        request, f"{exercise} training max set to {format_load(value_kg, athlete.unit)}."
    )
    return redirect("athlete_detail", athlete_id=athlete.pk)
