"""View decorators for the two sides of the product.

A wrong role gets the same 404 as a missing object: URLs never confirm what exists.
The roles are read from the user row (`is_coach`, `is_athlete`); the request type the
views receive, with the project's user, is coaching.requests.AuthedRequest.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def coach_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The role is on the user row already loaded; the profile is checked by the
        # access helper the view calls next.
        if not request.user.is_coach:  # type: ignore[union-attr]
            raise Http404("Coaches only")
        return view(request, *args, **kwargs)

    return wrapper


def athlete_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_athlete:  # type: ignore[union-attr]
            raise Http404("Athletes only")
        return view(request, *args, **kwargs)

    return wrapper
