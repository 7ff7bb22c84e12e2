"""The athlete's history: past sessions and records, and one exercise over time."""

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from athletes.selectors import athlete_for_user
from coaching.requests import AuthedRequest
from core.access import athlete_required
from training import history as reads
from training.trends import trends


@athlete_required
@require_GET
def history(request: AuthedRequest) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    page = reads.past_sessions(athlete, page=reads.page_number(request.GET.get("page")))
    context = {
        "athlete": athlete,
        "page": page,
        # Records sum up the whole history: shown once, above the first page of sessions.
        "records": reads.personal_records(athlete) if page.number == 1 else [],
        "trends": trends(athlete) if page.number == 1 else None,
    }
    return render(request, "training/history.html", context)


@athlete_required
@require_GET
def exercise_history(request: AuthedRequest, exercise_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    exercise = reads.exercise_for_history(athlete, exercise_id)
    number = reads.page_number(request.GET.get("page"))
    records = reads.personal_records(athlete, exercise=exercise)
    # The chart covers the whole history: drawn once, above the newest sessions.
    points = reads.e1rm_points(athlete, exercise) if number == 1 else []
    context = {
        "athlete": athlete,
        "exercise": exercise,
        "record": records[0] if records else None,
        "chart": reads.e1rm_chart(points, athlete.unit),
        "page": reads.exercise_sessions(athlete, exercise, page=number),
    }
    return render(request, "training/exercise_history.html", context)
