from typing import Any

from django.conf import settings
from django.http import HttpRequest


def login_attempt_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The email a login attempt is counted against, whatever its capitalisation, so
    that "Coach@Example.com" and "coach@example.com" share one failure count."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username).strip().lower()


def client_ip(request: HttpRequest) -> str:
    """The address of the person logging in, for counting their failed attempts.

    Behind TRUSTED_PROXY_COUNT proxies (nginx in the compose stack: 1) REMOTE_ADDR is the
    nearest proxy, and each proxy appended the address it saw to X-Forwarded-For. Only
    those appended entries are trusted: counting from the right skips whatever a client
    wrote into the header itself.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    hops = settings.TRUSTED_PROXY_COUNT
    if not hops:
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    chain = [address.strip() for address in forwarded.split(",") if address.strip()]
    chain.append(remote)
    # Fewer entries than proxies: the request did not come through them all; take the
    # farthest address there is.
    return chain[-(hops + 1)] if len(chain) > hops else chain[0]
