"""Editing one session of a club's template: the session editor's pattern (each change saved
at once with htmx, or with a Save button without JS). Blocks already applied from the
template are the athletes' own copies and do not change."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from coaching.requests import AuthedRequest
from core.access import coach_required
from core.feedback import carry_out, flash_form_errors, form_error_messages
from plans.forms import AddExerciseForm, PrescriptionForm
from plans.models import PlanTemplate, TemplateSession
from plans.selectors import (
    exercises_for_club,
    superset_labels,
    template_for_coach,
    template_prescription_for,
    template_session_for,
)
from plans.services import (
    template_prescription_add,
    template_prescription_remove,
    template_prescription_update,
    template_session_update,
)
from plans.template_forms import TemplateSessionForm, template_prescription_form


def _load(
    request: AuthedRequest, template_id: UUID, template_session_id: UUID
) -> tuple[PlanTemplate, TemplateSession]:
    # Only the club's own templates: a starter one is a 404 here, like another club's.
    template = template_for_coach(request.user, template_id, editable=True)
    return template, template_session_for(template, template_session_id)


def _context(
    request: AuthedRequest,
    template: PlanTemplate,
    session: TemplateSession,
    *,
    forms: dict[UUID, PrescriptionForm] | None = None,
    statuses: dict[UUID, str] | None = None,
    **extra: object,
) -> dict[str, object]:
    exercises = exercises_for_club(request.user.coach.club)
    prescriptions = list(session.prescriptions.select_related("exercise"))
    labels = superset_labels([p.superset_with_previous for p in prescriptions])
    forms, statuses = forms or {}, statuses or {}
    rows = [
        {
            "prescription": p,
            "form": forms.get(p.pk) or template_prescription_form(p, exercises=exercises),
            "label": label,
            "status": statuses.get(p.pk, ""),
        }
        for p, label in zip(prescriptions, labels, strict=True)
    ]
    return {
        "template": template,
        "session": session,
        "rows": rows,
        "add_form": AddExerciseForm(exercises=exercises),
        **extra,
    }


def _back(template: PlanTemplate, session: TemplateSession) -> HttpResponse:
    return redirect(
        "plans:template_session_edit", template_id=template.pk, template_session_id=session.pk
    )


@coach_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def template_session_edit(
    request: AuthedRequest, template_id: UUID, template_session_id: UUID
) -> HttpResponse:
    template, session = _load(request, template_id, template_session_id)
    if request.method != "POST":
        form = TemplateSessionForm(instance=session)
        context = _context(request, template, session, form=form)
        return render(request, "plans/template_session_edit.html", context)
    form = TemplateSessionForm(request.POST)
    notice = ""
    if form.is_valid():
        try:
            template_session_update(session=session, **form.cleaned_data)
            notice = "Saved."
        except ValidationError as error:
            form.add_error(None, error)
    session.refresh_from_db()
    if request.htmx:
        context = _context(request, template, session, form=form, session_notice=notice)
        return render(request, "plans/template_session_edit.html#session-fields", context)
    if form.errors:
        flash_form_errors(request, form)
    else:
        messages.success(request, f"{session.title} saved.")
    return _back(template, session)


@coach_required
@require_POST
@vary_on_headers("HX-Request")
def template_prescription_save(
    request: AuthedRequest,
    template_id: UUID,
    template_session_id: UUID,
    template_prescription_id: UUID,
) -> HttpResponse:
    template, session = _load(request, template_id, template_session_id)
    prescription = template_prescription_for(session, template_prescription_id)
    exercises = exercises_for_club(request.user.coach.club)
    form = template_prescription_form(prescription, exercises=exercises, data=request.POST)
    status = ""
    if form.is_valid():
        try:
            prescription, changed = template_prescription_update(
                prescription=prescription, changes=dict(form.cleaned_data)
            )
            status = "Saved." if changed else "No change."
            form = template_prescription_form(prescription, exercises=exercises)
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx:
        context = _context(
            request,
            template,
            session,
            forms={prescription.pk: form},
            statuses={prescription.pk: status},
        )
        return render(request, "plans/template_session_edit.html#exercises", context)
    if form.errors:
        for message in form_error_messages(form):
            messages.error(request, f"{prescription.exercise}: {message}")
    else:
        messages.success(request, f"{prescription.exercise}: {status}")
    return _back(template, session)


def _after_list_change(
    request: AuthedRequest,
    template: PlanTemplate,
    session: TemplateSession,
    problem: str,
    notice: str,
) -> HttpResponse:
    if request.htmx:
        context = _context(request, template, session, list_problem=problem, list_notice=notice)
        return render(request, "plans/template_session_edit.html#exercises", context)
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, notice)
    return _back(template, session)


@coach_required
@require_POST
@vary_on_headers("HX-Request")
def template_prescription_add_view(
    request: AuthedRequest, template_id: UUID, template_session_id: UUID
) -> HttpResponse:
    template, session = _load(request, template_id, template_session_id)
    form = AddExerciseForm(request.POST, exercises=exercises_for_club(request.user.coach.club))

    def add() -> str:
        added = template_prescription_add(session=session, exercise=form.cleaned_data["exercise"])
        return f"{added.exercise} added."

    notice, problem = carry_out(add, form)
    return _after_list_change(request, template, session, problem, notice)


@coach_required
@require_POST
@vary_on_headers("HX-Request")
def template_prescription_remove_view(
    request: AuthedRequest,
    template_id: UUID,
    template_session_id: UUID,
    template_prescription_id: UUID,
) -> HttpResponse:
    template, session = _load(request, template_id, template_session_id)
    prescription = template_prescription_for(session, template_prescription_id)

    def remove() -> str:
        template_prescription_remove(prescription=prescription)
        return f"{prescription.exercise} removed."

    notice, problem = carry_out(remove)
    return _after_list_change(request, template, session, problem, notice)
