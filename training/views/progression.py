"""Progression: the coach decides on suggestions; the athlete enters baselines."""

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from athletes.forms import TrainingMaxForm
from athletes.models import Athlete, TrainingMax, TrainingMaxSuggestion
from athletes.selectors import (
    athlete_for_coach,
    athlete_for_user,
    athletes_visible_to,
    pending_training_max_suggestions,
    training_max_suggestion_for_coach,
    training_maxes_by_exercise,
)
from athletes.training_maxes import (
    training_max_suggestion_accept,
    training_max_suggestion_dismiss,
    training_max_suggestions_accept_all,
)
from athletes.units import format_e1rm, format_load
from coaching.requests import AuthedRequest
from core.access import athlete_required, coach_required
from core.feedback import carry_out, flash_form_errors
from plans.selectors import exercises_for_athlete
from training.forms import AutoAcceptForm, SuggestionDecisionForm
from training.models import ProgressionSuggestion
from training.selectors import (
    pending_suggestions,
    suggestion_for_coach,
    training_max_history,
)
from training.suggestions import (
    athlete_baseline_enter,
    suggestion_accept,
    suggestion_dismiss,
    suggestions_accept_all,
)


@coach_required
@require_GET
def progression_queue(request: AuthedRequest) -> HttpResponse:
    athletes = athletes_visible_to(request.user)
    suggestions = list(pending_suggestions(athletes))
    max_suggestions = list(pending_training_max_suggestions(athletes))
    context = {
        "suggestions": suggestions,
        "max_suggestions": max_suggestions,
        "waiting": len(suggestions) + len(max_suggestions),
    }
    return render(request, "training/progression_queue.html", context)


def _waiting(athletes: QuerySet[Athlete]) -> int:
    return (
        pending_suggestions(athletes).count() + pending_training_max_suggestions(athletes).count()
    )


def _decided_card(
    request: AuthedRequest,
    *,
    suggestion: ProgressionSuggestion | TrainingMaxSuggestion,
    notice: str,
    problem: str,
) -> dict[str, object]:
    """The card after a decision; in the queue it keeps the athlete's name, and the
    queue's count is swapped out of band so it drops with each decision."""
    in_queue = request.POST.get("back") == "queue"
    context: dict[str, object] = {
        "suggestion": suggestion,
        "notice": notice,
        "problem": problem,
        "show_athlete": in_queue,
        "back": "queue" if in_queue else "athlete",
    }
    if in_queue:
        context["queue_count"] = _waiting(athletes_visible_to(request.user))
    return context


def _decision_outcome(
    suggestion: ProgressionSuggestion, form: SuggestionDecisionForm, request: AuthedRequest
) -> str:
    """Carry out the coach's decision; the sentence that tells them what happened."""
    decision = form.cleaned_data["decision"]
    unit = suggestion.athlete.unit
    name = f"{suggestion.exercise} for {suggestion.athlete.name}"
    if decision == SuggestionDecisionForm.DISMISS:
        suggestion_dismiss(suggestion=suggestion, by=request.user)
        return f"{name}: suggestion dismissed, the plan stays as it is."
    load = form.cleaned_data["load"] if decision == SuggestionDecisionForm.OVERRIDE else None
    decided, applied = suggestion_accept(suggestion=suggestion, by=request.user, load_kg=load)
    final = format_load(decided.final_load_kg or decided.load_kg, unit)
    sessions = f"{applied} upcoming session{'s' if applied != 1 else ''}"
    rounded = ""
    if load is not None and decided.final_load_kg != load:
        rounded = f" (rounded from {format_load(load, unit)} to what the athlete can load)"
    return f"{name}: {final} in {sessions}{rounded}."


def _decide(
    request: AuthedRequest,
    suggestion: ProgressionSuggestion | TrainingMaxSuggestion,
    outcome: Callable[[SuggestionDecisionForm], str],
    card_template: str,
) -> HttpResponse:
    """Carry out a decision on either kind of suggestion: the decided card for htmx, a
    message and a redirect back where the coach was without it."""
    form = SuggestionDecisionForm(request.POST, unit=suggestion.athlete.unit)
    notice, problem = carry_out(lambda: outcome(form), form)
    if request.htmx:
        suggestion.refresh_from_db()
        context = _decided_card(request, suggestion=suggestion, notice=notice, problem=problem)
        return render(request, card_template, context)
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, notice)
    if request.POST.get("back") == "queue":
        return redirect("progression_queue")
    return redirect("athlete_detail", athlete_id=suggestion.athlete_id)


@coach_required
@require_POST
def suggestion_decide(request: AuthedRequest, suggestion_id: UUID) -> HttpResponse:
    suggestion = suggestion_for_coach(request.user, suggestion_id)
    return _decide(
        request,
        suggestion,
        lambda form: _decision_outcome(suggestion, form, request),
        "training/_suggestion.html",
    )


def _max_decision_outcome(
    suggestion: TrainingMaxSuggestion, form: SuggestionDecisionForm, request: AuthedRequest
) -> str:
    """Carry out the coach's decision on a training max; the sentence that says what happened."""
    name = f"{suggestion.exercise} for {suggestion.athlete.name}"
    if form.cleaned_data["decision"] == SuggestionDecisionForm.DISMISS:
        training_max_suggestion_dismiss(suggestion=suggestion, by=request.user)
        return f"{name}: the training max stays as it is, and so do the planned loads."
    value = form.cleaned_data["load"]
    if form.cleaned_data["decision"] != SuggestionDecisionForm.OVERRIDE:
        value = None
    decided = training_max_suggestion_accept(suggestion=suggestion, by=request.user, value_kg=value)
    final = format_e1rm(decided.final_kg, suggestion.athlete.unit)
    return f"{name}: training max {final}; upcoming loads follow it."


@coach_required
@require_POST
def training_max_suggestion_decide(request: AuthedRequest, max_suggestion_id: UUID) -> HttpResponse:
    suggestion = training_max_suggestion_for_coach(request.user, max_suggestion_id)
    return _decide(
        request,
        suggestion,
        lambda form: _max_decision_outcome(suggestion, form, request),
        "training/_training_max_suggestion.html",
    )


def _baseline_outcome(outcome: TrainingMax | TrainingMaxSuggestion, unit: str) -> str:
    value = format_load(outcome.value_kg, unit)
    if isinstance(outcome, TrainingMaxSuggestion):
        return (
            f"{outcome.exercise} baseline of {value} sent to your coach: "
            "your planned loads stay as they are until they decide."
        )
    return f"{outcome.exercise} training max set to {value}."


def _accept_all(request: AuthedRequest, athletes: QuerySet[Athlete]) -> None:
    # Training maxes first: a load accepted after them is the coach's fixed value anyway.
    maxes = training_max_suggestions_accept_all(
        pending_training_max_suggestions(athletes), by=request.user
    )
    accepted, left = suggestions_accept_all(pending_suggestions(athletes), by=request.user)
    accepted += maxes
    text = f"{accepted} suggestion{'s' if accepted != 1 else ''} accepted."
    if left:
        text += f" {left} wait for a session to be planned."
    messages.success(request, text)


@coach_required
@require_POST
def progression_accept_all(request: AuthedRequest) -> HttpResponse:
    _accept_all(request, athletes_visible_to(request.user))
    return redirect("progression_queue")


@coach_required
@require_POST
def athlete_suggestions_accept_all(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    _accept_all(request, athletes_visible_to(request.user).filter(pk=athlete.pk))
    return redirect("athlete_detail", athlete_id=athlete.pk)


@coach_required
@require_POST
def progression_settings(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    form = AutoAcceptForm(request.POST)
    if form.is_valid():
        athlete.auto_accept_progression = form.cleaned_data["auto_accept_progression"]
        athlete.save(update_fields=["auto_accept_progression"])
        state = "on" if athlete.auto_accept_progression else "off"
        messages.success(request, f"Automatic progression is {state} for {athlete.name}.")
    else:
        flash_form_errors(request, form)
    return redirect("athlete_detail", athlete_id=athlete.pk)


@athlete_required
@require_http_methods(["GET", "POST"])
def my_training_maxes(request: AuthedRequest) -> HttpResponse:
    """The athlete's own training maxes: baselines they enter, and how each has moved."""
    athlete = athlete_for_user(request.user)
    exercises = exercises_for_athlete(athlete)
    form = TrainingMaxForm(request.POST or None, athlete=athlete, exercises=exercises)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = athlete_baseline_enter(
            athlete=athlete,
            exercise=data["exercise"],
            value_kg=data["training_max_kg"],
            source=data["method"],
            by=request.user,
            reason=data["reason"],
        )
        messages.success(request, _baseline_outcome(outcome, athlete.unit))
        return redirect("training:training_maxes")
    maxes = training_maxes_by_exercise(athlete)
    context = {
        "athlete": athlete,
        "waiting": pending_training_max_suggestions(Athlete.objects.filter(pk=athlete.pk)),
        "training_maxes": sorted(maxes.values(), key=lambda tm: tm.exercise.name),
        "changes": training_max_history(athlete),
        "max_form": form,
    }
    return render(request, "training/training_maxes.html", context)
