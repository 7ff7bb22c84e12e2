"""The running calendar: one athlete's week of runs and strength, as the coach plans it."""

from datetime import date, timedelta
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from athletes.models import Athlete
from athletes.selectors import athlete_for_coach
from coaching.requests import AuthedRequest
from core.access import coach_required
from core.feedback import form_error_messages
from plans.calendar import monday_of, runs_between, week_for_athlete, week_start
from plans.calendar_forms import RunsImportForm, SessionMoveForm, WeekRunsForm
from plans.calendar_services import calendar_session_move, runs_import, week_runs_save
from plans.run_import import CSV_HEADER, MAX_RUNS, skipped_summary
from plans.selectors import session_for_athlete


@coach_required
@vary_on_headers("HX-Request")
def calendar_view(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    monday = week_start(request.GET.get("week"), today=athlete.today())
    return _week_page(request, athlete, monday)


@coach_required
@require_POST
def session_move_view(request: AuthedRequest, athlete_id: UUID, session_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    session = session_for_athlete(athlete, session_id)
    # Back to the week the coach was looking at, even when the session leaves it.
    monday = week_start(request.POST.get("week") or str(session.date), today=athlete.today())
    form = SessionMoveForm(request.POST)
    if form.is_valid():
        try:
            calendar_session_move(
                session=session,
                to_date=form.cleaned_data["date"],
                today=athlete.today(),
                start_time=form.cleaned_data["start_time"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        problem = " ".join(form_error_messages(form))
        return _answer(request, athlete, monday, problem=(session.pk, problem))
    notice = f"{session.title} moved to {session.date:%a %-d %b}."
    return _answer(request, athlete, monday, notice=notice)


@coach_required
@require_POST
def week_runs_view(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    monday = week_start(request.POST.get("week"), today=athlete.today())
    runs = runs_between(athlete, monday, monday + timedelta(days=6))
    form = WeekRunsForm(request.POST, monday=monday, runs=runs)
    if form.is_valid():
        try:
            saved = week_runs_save(athlete=athlete, days=form.run_days())
        except ValidationError as error:
            form.add_error(error)
        else:
            return _answer(request, athlete, monday, notice=f"Runs of the week saved: {saved}.")
    return _week_page(request, athlete, monday, runs_form=form)


@coach_required
def runs_import_view(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    posted = request.method == "POST"
    form = RunsImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        today=athlete.today(),
        zone=athlete.zone,
    )
    if posted and form.is_valid() and form.parsed is not None:
        try:
            result = runs_import(athlete=athlete, runs=form.parsed.runs)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            skipped = skipped_summary(form.parsed.skipped_events)
            messages.success(request, f"{result}. {skipped}".strip())
            return redirect(_week_url(athlete, monday_of(result.first_day or athlete.today())))
    context = {"athlete": athlete, "form": form, "header": CSV_HEADER, "max_runs": f"{MAX_RUNS:,}"}
    return render(request, "plans/runs_import.html", context)


def _week_url(athlete: Athlete, monday: date) -> str:
    return f"{reverse('plans:calendar', args=[athlete.pk])}?week={monday:%Y-%m-%d}"


def _week_page(
    request: AuthedRequest,
    athlete: Athlete,
    monday: date,
    *,
    runs_form: WeekRunsForm | None = None,
    notice: str = "",
    problem: tuple[UUID, str] | None = None,
) -> HttpResponse:
    """The week page, or only its grid for htmx (guardrails computed afresh either way)."""
    week = week_for_athlete(athlete, monday, today=athlete.today())
    if runs_form is None:
        runs_form = WeekRunsForm(monday=monday, runs=[run for d in week.days for run in d.runs])
    context = {
        "athlete": athlete,
        "week": week,
        "runs_form": runs_form,
        "notice": notice,
        "problem_session": problem[0] if problem else None,
        "problem": problem[1] if problem else "",
    }
    htmx = request.htmx
    fragment = htmx and not htmx.boosted and not htmx.history_restore_request
    template = "plans/calendar.html#week" if fragment else "plans/calendar.html"
    return render(request, template, context)


def _answer(
    request: AuthedRequest,
    athlete: Athlete,
    monday: date,
    *,
    notice: str = "",
    problem: tuple[UUID, str] | None = None,
) -> HttpResponse:
    """After a write: the grid for htmx; without JavaScript, a message and back to the week."""
    if request.htmx:
        return _week_page(request, athlete, monday, notice=notice, problem=problem)
    if problem:
        messages.error(request, problem[1])
    else:
        messages.success(request, notice)
    return redirect(_week_url(athlete, monday))
