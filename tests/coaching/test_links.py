"""Every link that leaves the app is built from SITE_URL, never from the request's Host.

A request may arrive under any name ALLOWED_HOSTS accepts (an internal name, an address),
or with a Host header an attacker chose; a password-reset or invitation link built from it
would send the person, and their token, wherever that name points.
"""

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from portability.services import calendar_feed_reset
from tests.conftest import login
from tests.factories import PlannedSessionFactory

pytestmark = pytest.mark.django_db

SITE = "https://club.example"
OTHER_HOST = "internal.example"
HOSTS = ["testserver", OTHER_HOST]


@override_settings(SITE_URL=SITE, ALLOWED_HOSTS=HOSTS)
def test_a_password_reset_link_points_at_the_site_whatever_host_was_asked(
    athlete, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            reverse("password_reset"), {"email": athlete.user.email}, HTTP_HOST=OTHER_HOST
        )
    [email] = mail.outbox
    assert f"{SITE}/accounts/reset/" in email.body
    assert OTHER_HOST not in email.body


@override_settings(SITE_URL=SITE, ALLOWED_HOSTS=HOSTS)
def test_an_invitation_link_points_at_the_site_whatever_host_was_asked(
    coach, django_capture_on_commit_callbacks
):
    client = login(coach.user)
    data = {"full_name": "Nina Newcomer", "email": "nina@example.com", "coach": str(coach.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitation_new"), data, HTTP_HOST=OTHER_HOST)
    [email] = mail.outbox
    assert f"{SITE}/join/" in email.body
    assert OTHER_HOST not in email.body


@override_settings(SITE_URL=SITE, ALLOWED_HOSTS=HOSTS)
def test_the_calendar_address_and_its_event_links_point_at_the_site(athlete):
    PlannedSessionFactory(athlete=athlete, date=athlete.today())
    feed = calendar_feed_reset(athlete=athlete)
    path = reverse("portability:calendar_feed", args=[feed.token])

    page = login(athlete.user).get(reverse("portability:my_data"), HTTP_HOST=OTHER_HOST)
    assert f"{SITE}{path}" in page.content.decode()
    assert f"webcal://club.example{path}" in page.content.decode()

    ics = Client().get(path, HTTP_HOST=OTHER_HOST).content.decode()
    assert f"{SITE}/sessions/" in ics.replace("\r\n ", "")
    assert OTHER_HOST not in ics
