import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_coach_logs_in_with_email_and_lands_on_the_roster(client, coach):
    response = client.post(
        reverse("login"), {"username": coach.user.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("roster")


def test_an_athlete_lands_on_today(client, athlete):
    response = client.post(
        reverse("login"),
        {"username": athlete.user.email.upper(), "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("training:today")


def test_a_wrong_password_is_explained(client, coach):
    response = client.post(reverse("login"), {"username": coach.user.email, "password": "nope"})
    assert "enter a correct email address and password" in response.content.decode()


def test_logout_is_a_post_and_ends_the_session(athlete_client):
    response = athlete_client.post(reverse("logout"))
    assert response.status_code == 302
    assert athlete_client.get(reverse("training:today")).status_code == 302


def test_password_reset_mails_a_working_link_through_the_task_queue(
    client, athlete, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": athlete.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    site = re.escape(settings.SITE_URL)
    link = re.search(rf"{site}(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert done.status_code == 302
    athlete.user.refresh_from_db()
    assert athlete.user.check_password("a-brand-new-passphrase")


def test_password_reset_for_an_unknown_email_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert mail.outbox == []


def test_password_change_requires_the_old_password(athlete_client, athlete):
    response = athlete_client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "x-new-pass-1234",
            "new_password2": "x-new-pass-1234",
        },
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    athlete.user.refresh_from_db()
    assert athlete.user.check_password(PASSWORD)


def test_the_admin_is_for_staff_only(athlete_client, admin_client):
    assert athlete_client.get("/admin/").status_code == 302
    assert admin_client.get("/admin/").status_code == 200


def test_five_wrong_passwords_lock_the_login_with_a_clear_message(client, coach):
    for _ in range(5):
        client.post(reverse("login"), {"username": coach.user.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": coach.user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_earlier_failures(client, coach):
    for _ in range(4):
        client.post(reverse("login"), {"username": coach.user.email, "password": "wrong"})
    client.post(reverse("login"), {"username": coach.user.email, "password": PASSWORD})
    client.post(reverse("logout"))
    for _ in range(4):
        client.post(reverse("login"), {"username": coach.user.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": coach.user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_changing_the_emails_capitals_does_not_reset_the_count(client, coach):
    email = coach.user.email
    for variant in [email, email.upper(), email.title(), email.swapcase(), email]:
        client.post(reverse("login"), {"username": variant, "password": "wrong"})
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 429
