"""Links that leave the app (emails, calendar feeds) are built from SITE_URL, never from a
request's Host header: a forged Host must not be able to point a reset or invitation link
at somebody else's server."""

from django.conf import settings


def site_url(path: str = "") -> str:
    """The absolute address of `path` (a path from `reverse`) at the site's own address."""
    return f"{settings.SITE_URL}{path}"
