"""The page an old link to a deleted session opens: what was removed, by whom and when."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coaching.requests import AuthedRequest
from plans.selectors import SessionRemoved


def removed_session_page[**P](
    view: Callable[Concatenate[AuthedRequest, P], HttpResponse],
) -> Callable[Concatenate[AuthedRequest, P], HttpResponse]:
    """Answer 410 Gone with a page that says the coach removed the session, where the view
    would otherwise have answered 404: the address was right once and won't be again, and
    the person who follows it deserves to know why. The view's own access checks have run
    by then (another club's coach still gets a 404 before the session is looked up)."""

    @wraps(view)
    def wrapper(request: AuthedRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SessionRemoved as gone:
            removed = gone.removed
            context = {
                "removed": removed,
                "removed_on": timezone.localtime(removed.removed_at, removed.athlete.zone),
                "for_athlete": removed.athlete.user_id == request.user.pk,
            }
            return render(request, "plans/session_removed.html", context, status=410)

    return wrapper
