"""Data in and out: thin views over portability's services and selectors."""

from collections.abc import Iterator
from typing import cast
from uuid import UUID
from zoneinfo import ZoneInfo

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from athletes.selectors import athlete_for_coach, athletes_visible_to
from coaching.access import AuthedRequest, coach_required
from coaching.dashboard import roster as dashboard_roster
from portability import exports


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
    rows = dashboard_roster(athletes_visible_to(request.user), today)
    filename = exports.export_filename(club.name, "roster", today)
    return _csv_download(exports.roster_csv(rows, zone=zone), filename)
