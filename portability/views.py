"""Data in and out: thin views over portability's services and selectors."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from athletes.models import Athlete
from athletes.selectors import athlete_for_coach, athlete_for_user, athletes_visible_to
from coaching.dashboard import FLAG_CHOICES
from coaching.dashboard import roster as dashboard_roster
from coaching.requests import AuthedRequest
from core.access import athlete_required, coach_required
from core.feedback import flash_form_errors
from core.links import site_url
from portability import exports, ics, personal_data, selectors, services
from portability.forms import DeleteAthleteForm, DeletionRequestForm, HistoryImportForm
from portability.models import CalendarFeed, DeletionRequest

# --- The panels on the coach's athlete page and the athlete's data page ----------------------


@dataclass(frozen=True)
class DataPanel:
    """What the data section of a page links to; empty strings hide a link."""

    feed_reset_url: str
    feed_url: str = ""
    webcal_url: str = ""
    sets_csv_url: str = ""
    import_url: str = ""
    delete_url: str = ""
    deletion_requested: DeletionRequest | None = None


def _feed_urls(feed: CalendarFeed | None) -> tuple[str, str]:
    """The feed's https address, and the webcal:// one that opens a calendar app."""
    if feed is None:
        return "", ""
    url = site_url(reverse("portability:calendar_feed", args=[feed.token]))
    return url, "webcal://" + url.split("://", 1)[1]


def coach_data_panel(request: AuthedRequest, athlete: Athlete) -> DataPanel:
    """The athlete page's data section, for a coach who may see the athlete. One query."""
    feed, deletion_request = selectors.data_status(athlete)
    feed_url, webcal_url = _feed_urls(feed)
    is_head = request.user.coach.is_head
    return DataPanel(
        feed_reset_url=reverse("portability:athlete_feed_reset", args=[athlete.pk]),
        feed_url=feed_url,
        webcal_url=webcal_url,
        sets_csv_url=reverse("portability:athlete_sets_csv", args=[athlete.pk]),
        import_url=reverse("portability:history_import", args=[athlete.pk]),
        delete_url=reverse("portability:athlete_delete", args=[athlete.pk]) if is_head else "",
        deletion_requested=deletion_request,
    )


# --- CSV exports ----------------------------------------------------------------------------


def _csv_download(lines: Iterator[str], filename: str) -> HttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The access decorators are typed for HttpResponse; a streamed one is served the same way.
    return cast(HttpResponse, response)


@coach_required
@require_GET
@never_cache
def athlete_sets_csv(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    filename = exports.export_filename(athlete.name, "sets", athlete.today())
    return _csv_download(exports.set_log_csv(athlete), filename)


@coach_required
@require_GET
@never_cache
def roster_csv(request: AuthedRequest) -> HttpResponse:
    club = request.user.coach.club
    zone = ZoneInfo(club.time_zone)
    today = timezone.localdate(timezone=zone)
    flag = request.GET.get("flag", "")  # the dashboard's filter, when the coach had one on
    if flag not in dict(FLAG_CHOICES):
        flag = ""
    rows = dashboard_roster(athletes_visible_to(request.user), flag=flag, viewer=request.user)
    filename = exports.export_filename(club.name, "roster", today)
    return _csv_download(exports.roster_csv(rows, zone=zone), filename)


# --- The calendar feed ----------------------------------------------------------------------


@require_safe
@never_cache
def calendar_feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """No login: calendar apps can't sign in. The unguessable token is the key."""
    feed = selectors.feed_for_token(feed_token)
    athlete = feed.athlete
    first, last = ics.feed_window(athlete.today())
    sessions = list(selectors.feed_sessions(athlete, first, last))
    urls = {s.pk: site_url(reverse("training:session", args=[s.pk])) for s in sessions}
    body = ics.plan_calendar(
        name=athlete.name,
        zone=athlete.zone,
        sessions=sessions,
        runs=selectors.feed_runs(athlete, first, last),
        session_url=urls,
        stamp=timezone.now(),
        first=first,
        last=last,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="runstrong.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@coach_required
@require_POST
def athlete_feed_reset(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    services.calendar_feed_reset(athlete=athlete)
    messages.success(request, f"{athlete.name}’s calendar has a new address.")
    return redirect("athlete_detail", athlete_id=athlete.pk)


@athlete_required
@require_POST
def my_feed_reset(request: AuthedRequest) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    services.calendar_feed_reset(athlete=athlete)
    messages.success(request, "Your calendar has a new address: subscribe to it again.")
    return redirect("portability:my_data")


# --- Lifting history from other apps -------------------------------------------------------


@coach_required
def history_import_view(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    done = reverse("athlete_detail", args=[athlete.pk])
    return _history_import(request, athlete, done_url=done, for_coach=True)


@athlete_required
def my_history_import(request: AuthedRequest) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    done = reverse("training:history")
    return _history_import(request, athlete, done_url=done, for_coach=False)


def _history_import(
    request: AuthedRequest, athlete: Athlete, *, done_url: str, for_coach: bool
) -> HttpResponse:
    """The import page, for the coach or the athlete: the same file, the same rules."""
    posted = request.method == "POST"
    form = HistoryImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        today=athlete.today(),
        initial={"unit": athlete.unit},
    )
    if posted and form.is_valid() and form.parsed is not None:
        upload = form.cleaned_data["file"]
        result = services.history_import(
            athlete=athlete, parsed=form.parsed, filename=upload.name or "", by=request.user
        )
        messages.success(request, f"{result}.{_skipped_rows(form.parsed.skipped)}")
        return redirect(done_url)
    context = {
        "athlete": athlete,
        "form": form,
        "imports": selectors.history_imports_of(athlete),
        "for_coach": for_coach,
        "back_url": done_url if for_coach else reverse("portability:my_data"),
    }
    return render(request, "portability/history_import.html", context)


def _skipped_rows(count: int) -> str:
    if not count:
        return ""
    if count == 1:
        return " 1 row that was not a lift (a rest timer, cardio) was left out."
    return f" {count} rows that were not lifts (rest timers, cardio) were left out."


# --- The athlete's own data -----------------------------------------------------------------


@athlete_required
@require_GET
def my_data(request: AuthedRequest) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    feed, deletion_request = selectors.data_status(athlete)
    feed_url, webcal_url = _feed_urls(feed)
    panel = DataPanel(
        feed_reset_url=reverse("portability:my_feed_reset"),
        feed_url=feed_url,
        webcal_url=webcal_url,
        deletion_requested=deletion_request,
    )
    context = {
        "athlete": athlete,
        "panel": panel,
        "sections": personal_data.SECTIONS,
        "deletion_form": DeletionRequestForm(),
    }
    return render(request, "portability/my_data.html", context)


@athlete_required
@require_GET
@never_cache
def my_data_export(request: AuthedRequest) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    body = personal_data.personal_data_zip(athlete, made=timezone.now())
    response = HttpResponse(body, content_type="application/zip")
    filename = exports.export_filename(athlete.name, "data", athlete.today())
    response["Content-Disposition"] = f'attachment; filename="{filename[:-4]}.zip"'
    return response


@athlete_required
@require_POST
def my_deletion_request(request: AuthedRequest) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    form = DeletionRequestForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("portability:my_data")
    services.deletion_request_create(athlete=athlete, reason=form.cleaned_data["reason"])
    messages.success(
        request, "Your head coach has your request and will delete your data and your account."
    )
    return redirect("portability:my_data")


@athlete_required
@require_POST
def my_deletion_cancel(request: AuthedRequest) -> HttpResponse:
    athlete = athlete_for_user(request.user)
    services.deletion_request_cancel(athlete=athlete)
    messages.success(request, "Your request to delete your data is withdrawn.")
    return redirect("portability:my_data")


# --- Deleting an athlete (head coaches) ------------------------------------------------------


@coach_required
def athlete_delete_view(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = selectors.athlete_for_head_coach(request.user, athlete_id)
    form = DeleteAthleteForm(
        request.POST if request.method == "POST" else None, expected=athlete.name
    )
    if request.method == "POST" and form.is_valid():
        name = services.athlete_delete(athlete=athlete)
        messages.success(request, f"{name} and everything stored about them are deleted.")
        return redirect("roster")
    context = {
        "athlete": athlete,
        "form": form,
        "counts": personal_data.counts(athlete),
        "deletion_request": selectors.deletion_request_of(athlete),
    }
    return render(request, "portability/athlete_delete.html", context)
