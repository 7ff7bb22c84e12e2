from typing import Any

from django.http import HttpRequest


def login_attempt_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The email a login attempt is counted against, whatever its capitalisation, so
    that "Coach@Example.com" and "coach@example.com" share one failure count."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username).strip().lower()
