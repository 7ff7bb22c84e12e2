"""Response headers the whole site shares."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


def private_pages(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """`Cache-Control: private, no-store` on every HTML page served to a logged-in person.

    A shared cache must never hand one athlete's page to another, and on a shared phone the
    back button must not bring back the previous person's pages. A view that set its own
    Cache-Control (the service worker script, video byte ranges, never_cache views) keeps it.
    The service worker's offline copies live in the Cache API, which HTTP caching
    directives do not govern, so no-store leaves them working.
    """

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        if (
            "Cache-Control" not in response
            and response.get("Content-Type", "").startswith("text/html")
            and request.user.is_authenticated
        ):
            response["Cache-Control"] = "private, no-store"
        return response

    return middleware
