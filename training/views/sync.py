"""The offline queue's endpoint: sets logged on the phone, sent in one batch when it can.

Answers JSON, never a login page: a phone whose session expired must keep its queue
and ask the athlete to log in again (401), not swallow a redirect.
"""

from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from athletes.models import Athlete
from coaching.requests import AuthedRequest
from core.access import View
from training.forms import RPE_VALUES
from training.selectors import slot_of
from training.sync import (
    MAX_BODY_BYTES,
    TOO_LARGE,
    BatchError,
    ItemOutcome,
    parse_batch,
    record_batch,
)
from training.views.logbook import SLOT

LOGGED_OUT = "You were logged out. Log in again: your sets are kept on this phone."


def athlete_api(view: View) -> View:
    """athlete_required for JSON: 401 instead of the login redirect, 404 for other roles."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            login_url = resolve_url(settings.LOGIN_URL)
            return JsonResponse({"error": LOGGED_OUT, "login_url": login_url}, status=401)
        if not request.user.is_athlete:  # type: ignore[union-attr]
            raise Http404("Athletes only")
        return view(request, *args, **kwargs)

    return wrapper


@athlete_api
@require_POST
@never_cache
def set_sync(request: AuthedRequest) -> HttpResponse:
    try:
        if _content_length(request) > MAX_BODY_BYTES:
            raise BatchError(TOO_LARGE, status=413)
        items = parse_batch(request.body)
    except BatchError as error:
        return JsonResponse({"error": error.message}, status=error.status)
    athlete, outcomes = record_batch(user=request.user, items=items)
    return JsonResponse({"results": [_answer(request, athlete, o) for o in outcomes]})


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BatchError("The Content-Length header is malformed.") from None


def _answer(request: AuthedRequest, athlete: Athlete, outcome: ItemOutcome) -> dict[str, Any]:
    if outcome.set_log is None:
        return {
            "client_id": outcome.client_id,
            "status": "rejected",
            "errors": outcome.errors,
            "html": None,
        }
    context = {"slot": slot_of(outcome.set_log), "athlete": athlete, "rpe_values": RPE_VALUES}
    return {
        "client_id": outcome.client_id,
        "status": "saved",
        "created": outcome.created,
        "errors": [],
        "html": render_to_string(SLOT, context, request),
    }
