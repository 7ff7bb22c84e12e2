import logging
import sys
from datetime import timedelta
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from athletes.forms import TrainingMaxForm
from athletes.selectors import (
    athlete_for_coach,
    athletes_visible_to,
    groups_of_club,
    latest_estimates,
    training_maxes_by_exercise,
)
from coaching.dashboard import FLAG_CHOICES
from coaching.dashboard import roster as dashboard_roster
from coaching.people import athlete_people, roster_people
from coaching.requests import AuthedRequest
from comms.views import coach_side
from core.access import coach_required
from plans.selectors import exercises_for_athlete, upcoming_with_guardrails
from portability.selectors import deletion_requests_for
from portability.views import coach_data_panel
from training.selectors import (
    pain_reports,
    progression_panel,
    recent_set_logs,
    sessions_for_coach,
)
from training.trends import trends
from training.videos.selectors import recent_videos, review_queue

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if hasattr(request.user, "coach"):
        return redirect("roster")
    if hasattr(request.user, "athlete"):
        return redirect("training:today")
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "coaching/no_role.html")


@coach_required
@vary_on_headers("HX-Request")
def roster(request: AuthedRequest) -> HttpResponse:
    club = request.user.coach.club
    flag = request.GET.get("flag", "")
    if flag not in dict(FLAG_CHOICES):
        flag = ""
    groups = list(groups_of_club(request.user))
    group = next((g for g in groups if str(g.pk) == request.GET.get("group", "")), None)
    today = timezone.localdate(timezone=ZoneInfo(club.time_zone))
    visible = athletes_visible_to(request.user)
    shown = visible.filter(user__is_active=True)
    if group is not None:
        shown = shown.filter(training_groups=group)
    rows = dashboard_roster(shown, flag=flag, viewer=request.user)  # each by their own today
    filters = {
        key: value for key, value in (("flag", flag), ("group", group and group.pk)) if value
    }
    context: dict[str, object] = {
        "rows": rows,
        "flag": flag,
        "flag_choices": FLAG_CHOICES,
        "groups": groups,
        "group": group,
        "query": urlencode(filters),
        "today": today,
        "deletion_requests": deletion_requests_for(request.user),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "coaching/roster.html#roster-table", context)
    context["people"] = roster_people(request.user, visible)
    context["videos_to_review"] = review_queue(request.user).count()
    return render(request, "coaching/roster.html", context)


@coach_required
def athlete_detail(request: AuthedRequest, athlete_id: UUID) -> HttpResponse:
    athlete = athlete_for_coach(request.user, athlete_id)
    today = athlete.today()
    maxes = training_maxes_by_exercise(athlete)
    exercises = exercises_for_athlete(athlete)
    context = {
        "athlete": athlete,
        "today": today,
        "training_maxes": sorted(maxes.values(), key=lambda tm: tm.exercise.name),
        "estimates": latest_estimates(athlete),
        "sessions": upcoming_with_guardrails(athlete, today, today + timedelta(days=60)),
        "recent": sessions_for_coach(athlete, today - timedelta(days=21), today),
        "pain_reports": pain_reports(athlete),
        "blocks": athlete.blocks.all()[:10],
        "set_logs": recent_set_logs(athlete),
        "max_form": TrainingMaxForm(athlete=athlete, exercises=exercises),
        "progression": progression_panel(athlete),
        "trends": trends(athlete),
        "people": athlete_people(request.user, athlete),
        "data_panel": coach_data_panel(request, athlete),
        "comms": coach_side(athlete, request.user),
        "form_videos": recent_videos(athlete),
    }
    return render(request, "coaching/athlete_detail.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: the database answers, and Redis when configured."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("health check: database unreachable")
        checks["database"] = "unreachable"
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except redis.RedisError:
            logger.exception("health check: redis unreachable")
            checks["redis"] = "unreachable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )


# How long a client should wait before trying again during a database outage.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A lost database connection (a restart, a failover) is temporary:
    503 with Retry-After, so phones and proxies retry. Rendered without context
    processors, which would ask the database who is logged in."""
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return defaults.server_error(request)
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
