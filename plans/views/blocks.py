"""Blocks and templates: save a block for reuse, apply it to athletes, move it around."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from athletes.selectors import athlete_for_coach, athletes_visible_to, groups_of_club
from coaching.requests import AuthedRequest
from core.access import coach_required
from core.feedback import flash_form_errors
from plans.forms import BlockShiftForm, TemplateApplyForm, TemplateSaveForm, WeekCopyForm
from plans.models import PlanTemplate
from plans.selectors import (
    block_for_athlete,
    block_plan,
    starter_templates,
    template_for_coach,
    template_weeks,
    templates_for_club,
)
from plans.services import (
    block_shift,
    template_apply,
    template_duplicate,
    template_save_from_athlete,
    template_set_archived,
    template_update,
    week_copy_forward,
)
from plans.template_forms import TemplateEditForm


def _errors(request: AuthedRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@coach_required
def template_list(request: AuthedRequest) -> HttpResponse:
    club = request.user.coach.club
    context = {
        "templates": templates_for_club(club),
        "starters": starter_templates(),
        "archived": templates_for_club(club, archived=True),
    }
    return render(request, "plans/template_list.html", context)


def _detail_context(
    template: PlanTemplate, form: TemplateEditForm | None = None
) -> dict[str, object]:
    if form is None and not template.starter:
        form = TemplateEditForm(
            initial={"name": template.name, "description": template.description}
        )
    return {"template": template, "weeks": template_weeks(template), "edit_form": form}


@coach_required
def template_detail(request: AuthedRequest, template_id: UUID) -> HttpResponse:
    template = template_for_coach(request.user, template_id)
    return render(request, "plans/template_detail.html", _detail_context(template))


@coach_required
@require_POST
@vary_on_headers("HX-Request")
def template_edit(request: AuthedRequest, template_id: UUID) -> HttpResponse:
    """Rename a template or change its description: the head of its page, in place."""
    template = template_for_coach(request.user, template_id, editable=True)
    form = TemplateEditForm(request.POST)
    notice = ""
    if form.is_valid():
        try:
            template_update(template=template, **form.cleaned_data)
            notice = "Saved."
        except ValidationError as error:
            _add_to_form(form, error)
    template.refresh_from_db()
    if request.htmx:
        context = _detail_context(template, form if form.errors else None) | {"notice": notice}
        return render(request, "plans/template_detail.html#template-head", context)
    if form.errors:
        flash_form_errors(request, form)
    else:
        messages.success(request, f"Saved “{template}”.")
    return redirect("plans:template_detail", template_id=template.pk)


@coach_required
@require_POST
def template_duplicate_view(request: AuthedRequest, template_id: UUID) -> HttpResponse:
    """A copy of one of the club's templates, or a starter copied into the club."""
    template = template_for_coach(request.user, template_id)
    try:
        copy = template_duplicate(
            template=template, club=request.user.coach.club, created_by=request.user
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect("plans:template_detail", template_id=template.pk)
    messages.success(request, f"Copied as “{copy}”: yours to edit.")
    return redirect("plans:template_detail", template_id=copy.pk)


@coach_required
@require_POST
def template_archive(request: AuthedRequest, template_id: UUID) -> HttpResponse:
    template = template_for_coach(request.user, template_id, editable=True)
    archived = request.POST.get("archived") != "no"
    template_set_archived(template=template, archived=archived)
    if archived:
        messages.success(request, f"“{template}” archived: restore it from the list's Archived.")
        return redirect("plans:template_list")
    messages.success(request, f"“{template}” restored.")
    return redirect("plans:template_detail", template_id=template.pk)


@coach_required
def template_save(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    form = TemplateSaveForm(request.POST or None, initial={"start": athlete.today()})
    if request.method == "POST" and form.is_valid():
        try:
            template = template_save_from_athlete(
                club=athlete.club, athlete=athlete, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_to_form(form, error)
        else:
            messages.success(request, f"Saved as the template “{template}”.")
            return redirect("plans:template_detail", template_id=template.pk)
    return render(request, "plans/template_save.html", {"athlete": athlete, "form": form})


@coach_required
def template_apply_view(request: AuthedRequest, template_id: UUID) -> HttpResponse:
    template = template_for_coach(request.user, template_id)
    if template.starter or template.archived:
        # A starter is copied into the club first (then it can be adjusted); an archived
        # template is restored first. The page says so instead of a form.
        return render(request, "plans/template_apply.html", {"template": template})
    form = TemplateApplyForm(
        request.POST or None,
        # A deactivated athlete keeps their plan but gets no new one.
        athletes=athletes_visible_to(request.user).filter(user__is_active=True),
        groups=groups_of_club(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            blocks = template_apply(
                template=template,
                athletes=form.cleaned_data["targets"],
                start=form.cleaned_data["start"],
                mapping=form.day_mapping(),
                created_by=request.user,
            )
        except ValidationError as error:
            _add_to_form(form, error)
        else:
            messages.success(request, f"“{template}” applied to {len(blocks)} athlete(s).")
            for name, weekdays in blocks.fallbacks.items():
                days = " and ".join(
                    [", ".join(weekdays[:-1]), weekdays[-1]] if len(weekdays) > 1 else weekdays
                )
                messages.warning(
                    request,
                    f"{name}: no hard run days to use, so the sessions went on {days}"
                    " (the template's days). Enter their runs and move the sessions to hard days.",
                )
            return redirect("plans:template_detail", template_id=template.pk)
    return render(request, "plans/template_apply.html", {"template": template, "form": form})


def _add_to_form(
    form: TemplateSaveForm | TemplateApplyForm | TemplateEditForm, error: ValidationError
) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@coach_required
def block_detail(request: AuthedRequest, athlete_id: UUID, block_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    block = block_for_athlete(athlete, block_id)
    context = {
        "athlete": athlete,
        "plan_block": block,
        "weeks": block_plan(block),
        "shift_form": BlockShiftForm(initial={"days": 7}),
    }
    return render(request, "plans/block_detail.html", context)


@coach_required
@require_POST
def block_week_copy(request: AuthedRequest, athlete_id: UUID, block_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    block = block_for_athlete(athlete, block_id)
    form = WeekCopyForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            copies = week_copy_forward(athlete=athlete, week_start=form.cleaned_data["week"])
            messages.success(request, f"{len(copies)} session(s) copied to the next week.")
        except ValidationError as error:
            _errors(request, error)
    return redirect("plans:block_detail", athlete_id=athlete.pk, block_id=block.pk)


@coach_required
@require_POST
def block_shift_view(request: AuthedRequest, athlete_id: UUID, block_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    block = block_for_athlete(athlete, block_id)
    form = BlockShiftForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            block_shift(block=block, days=form.cleaned_data["days"], today=athlete.today())
            messages.success(request, f"Block moved by {form.cleaned_data['days']} day(s).")
        except ValidationError as error:
            _errors(request, error)
    return redirect("plans:block_detail", athlete_id=athlete.pk, block_id=block.pk)
