"""Before and after: the readiness check-in, finishing a session, marking a run done."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from athletes.selectors import athlete_for_user
from coaching.requests import AuthedRequest
from core.access import athlete_required
from core.feedback import flash_form_errors
from plans.selectors import exercises_in_session, run_for_athlete, session_for_athlete
from training.forms import FinishSessionForm, ReadinessForm, RunDoneForm
from training.models import ReadinessCheckIn, SessionReport
from training.services import readiness_record, run_complete, session_finish


@athlete_required
def readiness(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    session = session_for_athlete(athlete, session_id)
    existing = ReadinessCheckIn.objects.filter(session=session).first()
    form = ReadinessForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        readiness_record(athlete=athlete, session=session, scores=form.cleaned_data)
        messages.success(request, "Check-in saved: your coach will see it.")
        return redirect("training:session", session_id=session.pk)
    return render(request, "training/readiness.html", {"session": session, "form": form})


@athlete_required
def finish(request: AuthedRequest, session_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    session = session_for_athlete(athlete, session_id)
    existing = SessionReport.objects.filter(session=session).first()
    initial = {}
    if existing:
        initial = {
            "session_rpe": existing.session_rpe,
            "duration_minutes": existing.duration_minutes,
            "note": existing.note,
        }
    form = FinishSessionForm(
        request.POST or None, initial=initial, exercises=exercises_in_session(session)
    )
    if request.method == "POST" and form.is_valid():
        report = session_finish(
            athlete=athlete,
            session=session,
            session_rpe=form.cleaned_data["session_rpe"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            note=form.cleaned_data["note"],
            pain=form.pain(),
        )
        messages.success(
            request, f"Session saved: load {report.session_load} (RPE × minutes). Well done."
        )
        return redirect("training:session", session_id=session.pk)
    return render(request, "training/finish.html", {"session": session, "form": form})


@athlete_required
@require_POST
def run_done(request: AuthedRequest, run_id: UUID) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    run = run_for_athlete(athlete, run_id)
    form = RunDoneForm(request.POST)
    if form.is_valid():
        run_complete(run=run, **form.cleaned_data)
        messages.success(request, f"{run.get_kind_display()} run saved.")
    else:
        flash_form_errors(request, form)
    return redirect("training:today")
