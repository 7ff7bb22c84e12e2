"""Coach notes, the message thread (both sides) and notifications.

Every htmx action answers with its fragment, and without JavaScript with a redirect.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import retarget

from athletes.models import Athlete
from athletes.selectors import athlete_for_coach, athlete_for_user
from coaching.models import User
from coaching.requests import AuthedRequest
from comms import selectors, services
from comms.forms import MessageForm, NoteForm, PreferenceForm, ReadUpToForm
from comms.models import CoachNote
from core.access import athlete_required, coach_required
from core.feedback import flash_form_errors

SECTION = "comms/_athlete_comms.html"
THREAD = "comms/_thread.html#thread"
NOTIFICATIONS = "comms/notifications.html"


def coach_side(
    athlete: Athlete, user: User, *, note_form: NoteForm | None = None
) -> dict[str, object]:
    """What the coach's athlete page shows of notes and the thread (one context entry)."""
    return {
        **_notes_context(athlete, note_form),
        "thread": selectors.thread_for(athlete, user, size=selectors.COMPACT_THREAD_SIZE),
        "message_form": MessageForm(),
        **_thread_urls(athlete, coach=True, compact=True),
    }


def _notes_context(athlete: Athlete, note_form: NoteForm | None = None) -> dict[str, object]:
    return {
        "athlete": athlete,
        "notes": list(selectors.notes_for(athlete)),
        "note_form": note_form or NoteForm(),
        # Times as the coach's day runs: the club's.
        "zone": athlete.club.time_zone,
    }


def _thread_urls(athlete: Athlete, *, coach: bool, compact: bool = False) -> dict[str, str]:
    if coach:
        # From the athlete page, answers come back to the athlete page.
        back = "?compact=1" if compact else ""
        send = reverse("comms:coach_thread", kwargs={"athlete_id": athlete.pk})
        read = reverse("comms:coach_thread_read", kwargs={"athlete_id": athlete.pk})
        return {"send_url": send + back, "read_url": read + back}
    return {"send_url": reverse("comms:thread"), "read_url": reverse("comms:thread_read")}


def _partial(request: AuthedRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


# --- Coach notes -----------------------------------------------------------------------------


def _notes_fragment(
    request: AuthedRequest, athlete: Athlete, form: NoteForm | None = None
) -> HttpResponse:
    context = {"comms": _notes_context(athlete, form)}
    return render(request, f"{SECTION}#coach-notes", context)


def _back_to_notes(athlete: Athlete) -> HttpResponse:
    return redirect(reverse("athlete_detail", kwargs={"athlete_id": athlete.pk}) + "#coach-notes")


@coach_required
@require_POST
def note_create(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_create(athlete=athlete, author=request.user, body=form.cleaned_data["body"])
    elif not _partial(request):
        flash_form_errors(request, form)
    if _partial(request):
        # A fresh form once saved; the typed text with its errors otherwise.
        return _notes_fragment(request, athlete, None if form.is_valid() else form)
    return _back_to_notes(athlete)


@coach_required
@vary_on_headers("HX-Request")
def note_edit(request: AuthedRequest, athlete_id: UUID, note_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    note = selectors.own_note(athlete=athlete, user=request.user, note_id=note_id)
    form = NoteForm(
        request.POST or None, initial={"body": note.body}, auto_id=f"id_note_{note.pk}_%s"
    )
    if request.method == "POST" and form.is_valid():
        services.note_update(note=note, body=form.cleaned_data["body"])
        if _partial(request):
            # The form replaced one note; the saved list replaces the whole section.
            return retarget(_notes_fragment(request, athlete), "#coach-notes")
        messages.success(request, "Note saved.")
        return _back_to_notes(athlete)
    context = {"athlete": athlete, "note": note, "form": form}
    if _partial(request):
        return render(request, "comms/note_edit.html#note-edit", context)
    return render(request, "comms/note_edit.html", context)


@coach_required
@require_POST
def note_delete(request: AuthedRequest, athlete_id: UUID, note_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    note: CoachNote = selectors.own_note(athlete=athlete, user=request.user, note_id=note_id)
    services.note_delete(note=note)
    if _partial(request):
        return _notes_fragment(request, athlete)
    messages.success(request, "Note deleted.")
    return _back_to_notes(athlete)


# --- The thread ------------------------------------------------------------------------------


def _thread_response(
    request: AuthedRequest, athlete: Athlete, *, coach: bool, form: MessageForm | None = None
) -> HttpResponse:
    compact = coach and request.GET.get("compact") == "1"
    size = selectors.COMPACT_THREAD_SIZE if compact else selectors.THREAD_PAGE_SIZE
    context = {
        "athlete": athlete,
        "thread": selectors.thread_for(
            athlete, request.user, page=request.GET.get("page"), size=size
        ),
        "message_form": form or MessageForm(),
        "compact": compact,
        "coach_view": coach,
        # Times as the reader's day runs: the club's for coaches, the athlete's own.
        "zone": athlete.club.time_zone if coach else athlete.time_zone,
        **_thread_urls(athlete, coach=coach, compact=compact),
    }
    if _partial(request):
        return render(request, THREAD, context)
    template = "comms/coach_thread.html" if coach else "comms/athlete_thread.html"
    return render(request, template, context)


def _send(request: AuthedRequest, athlete: Athlete, *, coach: bool) -> HttpResponse:
    form = MessageForm(request.POST)
    if form.is_valid():
        services.message_send(athlete=athlete, author=request.user, body=form.cleaned_data["body"])
        if _partial(request):
            return _thread_response(request, athlete, coach=coach)
        messages.success(request, "Message sent.")
    elif _partial(request):
        return _thread_response(request, athlete, coach=coach, form=form)
    else:
        flash_form_errors(request, form)
    return _after_thread_action(request, athlete, coach=coach)


def _after_thread_action(request: AuthedRequest, athlete: Athlete, *, coach: bool) -> HttpResponse:
    if not coach:
        return redirect(reverse("comms:thread") + "#thread")
    if request.GET.get("compact") == "1":
        return redirect(reverse("athlete_detail", kwargs={"athlete_id": athlete.pk}) + "#thread")
    return redirect(reverse("comms:coach_thread", kwargs={"athlete_id": athlete.pk}) + "#thread")


def _mark_read(request: AuthedRequest, athlete: Athlete, *, coach: bool) -> HttpResponse:
    form = ReadUpToForm(request.POST)
    up_to = form.cleaned_data["up_to"] if form.is_valid() else None
    message = selectors.message_in_thread(athlete, up_to)
    services.thread_mark_read(athlete=athlete, user=request.user, up_to=message)
    if _partial(request):
        # An empty 200 (htmx swaps nothing on 204): the button it came from goes away.
        return HttpResponse()
    return _after_thread_action(request, athlete, coach=coach)


@coach_required
@vary_on_headers("HX-Request")
def coach_thread(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    if request.method == "POST":
        return _send(request, athlete, coach=True)
    return _thread_response(request, athlete, coach=True)


@coach_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    """Every thread of the coach's athletes, the latest first, with what is unread."""
    context = {
        "page": selectors.threads_for_coach(request.user, page=request.GET.get("page")),
        "zone": selectors.zone_for(request.user),
    }
    return render(request, "comms/inbox.html", context)


@coach_required
@require_POST
def coach_thread_read(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    return _mark_read(request, athlete, coach=True)


@athlete_required
@vary_on_headers("HX-Request")
def thread(request: AuthedRequest) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    if request.method == "POST":
        return _send(request, athlete, coach=False)
    return _thread_response(request, athlete, coach=False)


@athlete_required
@require_POST
def thread_read(request: AuthedRequest) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    return _mark_read(request, athlete, coach=False)


# --- Notifications ---------------------------------------------------------------------------


def _notifications_response(request: AuthedRequest) -> HttpResponse:
    context = {
        "page": selectors.notifications_for(request.user, page=request.GET.get("page")),
        "zone": selectors.zone_for(request.user),
    }
    if _partial(request):
        return render(request, f"{NOTIFICATIONS}#notification-list", context)
    return render(request, NOTIFICATIONS, context)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def notifications(request: AuthedRequest) -> HttpResponse:
    return _notifications_response(request)


@login_required
@require_POST
def notification_read(request: AuthedRequest, notification_id: UUID) -> HttpResponse:
    notification = selectors.notification_for(request.user, notification_id)
    services.notification_mark_read(notification=notification)
    if _partial(request):
        return _notifications_response(request)
    return redirect("comms:notifications")


@login_required
@require_POST
def notification_open(request: AuthedRequest, notification_id: UUID) -> HttpResponse:
    notification = selectors.notification_for(request.user, notification_id)
    services.notification_mark_read(notification=notification)
    link = notification.link
    if not link or not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect("comms:notifications")
    return redirect(link)


@login_required
@require_POST
def notifications_read_all(request: AuthedRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    if _partial(request):
        return _notifications_response(request)
    return redirect("comms:notifications")


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    preference = selectors.preference_for(request.user)
    initial = {"email": preference.email, "morning_reminder": preference.morning_reminder}
    form = PreferenceForm(request.POST or None, initial=initial, is_athlete=request.user.is_athlete)
    if request.method == "POST" and form.is_valid():
        services.preference_save(
            user=request.user,
            email=form.cleaned_data["email"],
            morning_reminder=form.cleaned_data.get("morning_reminder", False),
        )
        messages.success(request, "Notification settings saved.")
        return redirect("comms:preferences")
    context = {"form": form, "is_athlete": request.user.is_athlete}
    return render(request, "comms/preferences.html", context)
