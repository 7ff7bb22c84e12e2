"""The coach's people pages: deactivate and reactivate, reassign, training groups."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from athletes.forms import GroupMembersForm, GroupNameForm
from athletes.selectors import (
    athlete_for_coach,
    athletes_visible_to,
    club_coaches,
    group_for_coach,
    group_members_visible_to,
    groups_of_club,
)
from athletes.services import (
    athlete_deactivate,
    athlete_reactivate,
    athlete_reassign,
    group_create,
    group_delete,
    group_member_remove,
    group_members_add,
    group_rename,
)
from coaching.forms import ReassignForm
from coaching.requests import AuthedRequest
from core.access import coach_required
from core.feedback import flash_form_errors


def _flash(request: AuthedRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _head_only(request: AuthedRequest) -> None:
    # Same 404 as a missing object: an assistant is not told what exists.
    if not request.user.coach.is_head:
        raise Http404("Head coaches only")


# --- Lifecycle -----------------------------------------------------------------------------


@coach_required
@require_POST
def athlete_deactivate_view(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    if athlete_deactivate(athlete=athlete):
        messages.success(
            request, f"{athlete.name} can no longer log in. Everything they logged is kept."
        )
    return redirect("athlete_detail", athlete_id=athlete.pk)


@coach_required
@require_POST
def athlete_reactivate_view(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    if athlete_reactivate(athlete=athlete):
        messages.success(request, f"{athlete.name} can log in again.")
    else:
        messages.info(request, f"{athlete.name} is already active.")
    return redirect("athlete_detail", athlete_id=athlete.pk)


@coach_required
@require_POST
def athlete_reassign_view(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    _head_only(request)
    athlete = athlete_for_coach(request.user, athlete_id)
    form = ReassignForm(request.POST, coaches=club_coaches(request.user))
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("athlete_detail", athlete_id=athlete.pk)
    try:
        athlete_reassign(athlete=athlete, coach=form.cleaned_data["coach"], by=request.user.coach)
    except PermissionDenied:
        raise Http404("Head coaches only") from None
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, f"{athlete.name} is now coached by {athlete.coach.user}.")
    return redirect("athlete_detail", athlete_id=athlete.pk)


# --- Training groups -----------------------------------------------------------------------


@coach_required
def group_list(request: AuthedRequest) -> HttpResponse:
    visible = athletes_visible_to(request.user).values("pk")
    groups = groups_of_club(request.user).annotate(
        size=Count("members", filter=Q(members__in=visible), distinct=True)
    )
    form = GroupNameForm(request.POST or None)
    if request.method == "POST":
        _head_only(request)
        if form.is_valid():
            try:
                group = group_create(club=request.user.coach.club, name=form.cleaned_data["name"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, f"Group “{group}” created: now add its athletes.")
                return redirect("athletes:group_detail", group_id=group.pk)
    return render(request, "athletes/group_list.html", {"groups": groups, "form": form})


@coach_required
def group_detail(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    group = group_for_coach(request.user, group_id)
    members = group_members_visible_to(request.user, group)
    candidates = athletes_visible_to(request.user).exclude(training_groups=group)
    form = GroupMembersForm(request.POST or None, athletes=candidates)
    if request.method == "POST" and form.is_valid():
        added = group_members_add(group=group, athletes=list(form.cleaned_data["athletes"]))
        messages.success(request, f"{added} athlete(s) added to “{group}”.")
        return redirect("athletes:group_detail", group_id=group.pk)
    context = {
        "group": group,
        "members": members,
        "form": form,
        "rename_form": GroupNameForm(initial={"name": group.name}),
    }
    return render(request, "athletes/group_detail.html", context)


@coach_required
@require_POST
def group_rename_view(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    _head_only(request)
    group = group_for_coach(request.user, group_id)
    form = GroupNameForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            group_rename(group=group, name=form.cleaned_data["name"])
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, f"Group renamed to “{group}”.")
    return redirect("athletes:group_detail", group_id=group.pk)


@coach_required
@require_POST
def group_delete_view(request: AuthedRequest, group_id: UUID) -> HttpResponse:
    _head_only(request)
    group = group_for_coach(request.user, group_id)
    group_delete(group=group)
    messages.success(request, f"Group “{group}” deleted; its athletes and their plans stay.")
    return redirect("athletes:group_list")


@coach_required
@require_POST
def group_member_remove_view(
    request: AuthedRequest, group_id: UUID, athlete_id: UUID
) -> HttpResponse:
    group = group_for_coach(request.user, group_id)
    athlete = athlete_for_coach(request.user, athlete_id)
    group_member_remove(group=group, athlete=athlete)
    messages.success(request, f"{athlete.name} left “{group}”.")
    return redirect("athletes:group_detail", group_id=group.pk)
