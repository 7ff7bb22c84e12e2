from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from athletes.forms import TrainingMaxForm
from athletes.selectors import athlete_for_coach
from coaching.requests import AuthedRequest
from core.access import coach_required
from plans.selectors import exercises_for_athlete


@coach_required
@require_POST
def training_max_update(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    form = TrainingMaxForm(request.POST, athlete=athlete, exercises=exercises_for_athlete(athlete))
    if not form.is_valid():
        return render(
            request, "coaching/training_max_form.html", {"athlete": athlete, "max_form": form}
        )
    messages.success(request, form.save(by=request.user))
    return redirect("athlete_detail", athlete_id=athlete.pk)
