"""Inviting athletes: the coach's side (invite, resend, revoke) and the link the athlete opens."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from athletes.selectors import club_coaches
from coaching.forms import InvitationAcceptForm, InvitationForm
from coaching.invitations import (
    BASELINE_LIFTS,
    InvitationLinkError,
    invitation_accept,
    invitation_create,
    invitation_for_coach,
    invitation_from_token,
    invitation_resend,
    invitation_revoke,
)
from coaching.models import Coach
from coaching.requests import AuthedRequest
from core.access import coach_required
from plans.models import Exercise


def _coaches_for_inviting(coach: Coach):  # type: ignore[no-untyped-def]
    # A head coach invites for any coach of the club; an assistant for themselves.
    coaches = club_coaches(coach.user)
    return coaches if coach.is_head else coaches.filter(pk=coach.pk)


@coach_required
def invitation_new(request: AuthedRequest) -> HttpResponse:
    coach = request.user.coach
    form = InvitationForm(
        request.POST or None, coaches=_coaches_for_inviting(coach), initial={"coach": coach}
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(
                invited_by=coach,
                coach=form.cleaned_data["coach"],
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("roster")
    return render(request, "coaching/invitation_form.html", {"form": form})


@coach_required
@require_POST
def invitation_resend_view(request: AuthedRequest, invitation_id: UUID) -> HttpResponse:
    invitation = invitation_for_coach(request.user.coach, invitation_id)
    invitation_resend(invitation=invitation)
    messages.success(
        request, f"A new link was sent to {invitation.email}; the old one no longer works."
    )
    return redirect("roster")


@coach_required
@require_POST
def invitation_revoke_view(request: AuthedRequest, invitation_id: UUID) -> HttpResponse:
    invitation = invitation_for_coach(request.user.coach, invitation_id)
    if invitation_revoke(invitation=invitation):
        messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect("roster")


@never_cache
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link is the credential. A bad link gets a page that says why."""
    try:
        invitation = invitation_from_token(token)
    except InvitationLinkError as problem:
        return render(request, "coaching/invitation_problem.html", {"problem": problem})
    lifts = list(Exercise.objects.filter(club__isnull=True, slug__in=BASELINE_LIFTS))
    lifts.sort(key=lambda lift: BASELINE_LIFTS.index(lift.slug))
    form = InvitationAcceptForm(
        request.POST or None,
        email=invitation.email,
        lifts=lifts,
        initial={"full_name": invitation.full_name, "time_zone": invitation.club.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            athlete = invitation_accept(token=token, profile=form.profile())
        except InvitationLinkError as problem:
            return render(request, "coaching/invitation_problem.html", {"problem": problem})
        login(request, athlete.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {athlete.user.get_short_name()}! This is your day.")
        return redirect("training:today")
    context = {"form": form, "invitation": invitation}
    return render(request, "coaching/invitation_accept.html", context)
