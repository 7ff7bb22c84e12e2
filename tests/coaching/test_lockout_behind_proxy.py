"""Login lockout behind the TLS proxy: counted per (account, client address), where the
client address is the one the trusted proxy saw, not the proxy's own.

With every request arriving from nginx's address, locking by address would let anyone
keep anyone's account locked; taking X-Forwarded-For at face value would let an attacker
write a fresh address into each attempt. Only the entries the trusted proxies appended count.
"""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # nginx, as gunicorn sees it
ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def attempt(email: str, password: str, *, seen_by_proxy: str, written_by_client: str = ""):
    """A login through one proxy, which appends the address it saw to X-Forwarded-For."""
    forwarded = ", ".join(filter(None, [written_by_client, seen_by_proxy]))
    return Client().post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_owner_logs_in_from_their_own_address_while_an_attacker_is_locked_out(coach):
    email = coach.user.email
    for _ in range(5):
        attempt(email, "guess", seen_by_proxy=ATTACKER)
    assert attempt(email, PASSWORD, seen_by_proxy=ATTACKER).status_code == 429

    assert attempt(email, PASSWORD, seen_by_proxy=OWNER).status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_an_address_the_client_writes_itself_does_not_unlock_the_attacker(coach):
    email = coach.user.email
    for _ in range(5):
        attempt(email, "guess", seen_by_proxy=ATTACKER)

    # The attacker claims to be the owner; nginx appends the address it really saw.
    response = attempt(email, PASSWORD, seen_by_proxy=ATTACKER, written_by_client=OWNER)

    assert response.status_code == 429


def test_without_a_trusted_proxy_forwarded_addresses_are_ignored(coach):
    email = coach.user.email
    for n in range(5):
        attempt(email, "guess", seen_by_proxy=f"203.0.113.{n}")

    # Directly connected (no proxy configured), REMOTE_ADDR is the client: still locked.
    assert attempt(email, PASSWORD, seen_by_proxy=OWNER).status_code == 429
