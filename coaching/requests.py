"""The request a view behind core.access's coach_required or athlete_required receives."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from coaching.models import User


class AuthedRequest(HttpRequest):
    """A logged-in request: `user` is the project's user, with its roles and profiles."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
