"""The exercise library: the method's ten exercises plus the club's own."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from coaching.requests import AuthedRequest
from core.access import coach_required
from plans.forms import ExerciseForm, LibraryFilterForm
from plans.models import Exercise
from plans.selectors import club_exercise_for_coach, exercise_visible_to_coach, library_for_coach
from plans.services import exercise_adopt as adopt
from plans.services import exercise_save, exercise_set_archived


@coach_required
@vary_on_headers("HX-Request")
def library(request: AuthedRequest) -> HttpResponse:
    filters = LibraryFilterForm(request.GET)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    exercises = library_for_coach(
        request.user,
        query=criteria.get("q", ""),
        family=criteria.get("family", ""),
        archived=criteria.get("archived", False),
    )
    context = {"exercises": exercises, "filters": filters}
    if request.htmx and not request.htmx.boosted:
        return render(request, "plans/library.html#exercise-list", context)
    return render(request, "plans/library.html", context)


@coach_required
def exercise_create(request: AuthedRequest) -> HttpResponse:
    return _exercise_form(request, Exercise())


@coach_required
def exercise_edit(request: AuthedRequest, exercise_id: UUID) -> HttpResponse:
    club = request.user.coach.club
    return _exercise_form(request, club_exercise_for_coach(club, exercise_id))


def _exercise_form(request: AuthedRequest, exercise: Exercise) -> HttpResponse:
    club = request.user.coach.club
    form = ExerciseForm(request.POST or None, instance=exercise, club=club)
    if request.method == "POST" and form.is_valid():
        saved = exercise_save(exercise=form.save(commit=False), club=club)
        messages.success(request, f"{saved} is in the library.")
        return redirect("plans:library")
    return render(request, "plans/exercise_form.html", {"form": form, "exercise": exercise})


@coach_required
@require_POST
def exercise_archive(request: AuthedRequest, exercise_id: UUID) -> HttpResponse:
    exercise = club_exercise_for_coach(request.user.coach.club, exercise_id)
    archived = not exercise.archived
    exercise_set_archived(exercise=exercise, archived=archived)
    if archived:
        messages.success(request, f"{exercise} archived: it stays in past plans and logs.")
    else:
        messages.success(request, f"{exercise} is back in the library.")
    return redirect("plans:library")


@coach_required
@require_POST
def exercise_adopt(request: AuthedRequest, exercise_id: UUID) -> HttpResponse:
    """An exercise an athlete's import brought in joins the club library."""
    exercise = exercise_visible_to_coach(request.user, exercise_id)
    try:
        adopt(exercise=exercise, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"{exercise} is in the club library for every athlete.")
    return redirect("plans:library")
