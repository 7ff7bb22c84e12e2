import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from athletes.models import Athlete, TrainingMax
from coaching.invitations import (
    InvitationLinkError,
    Profile,
    invitation_accept,
    invitation_create,
    invitation_token,
)
from coaching.models import Invitation, User
from tests.conftest import login
from tests.factories import AthleteFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "steady-tempo-hills-42"


def invite(client, captured, **fields):
    data = {"full_name": "Nina Newcomer", "email": "nina@example.com", **fields}
    with captured(execute=True):
        return client.post(reverse("invitation_new"), data)


def link_from_outbox() -> str:
    site = re.escape(settings.SITE_URL)
    return re.search(rf"{site}(/join/\S+/)", mail.outbox[-1].body).group(1)


def join_form(**fields) -> dict[str, str]:
    return {
        "full_name": "Nina Newcomer",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "unit": "kg",
        "bar": "20kg",
        "plate_step": "1kg",
        "dumbbell_step": "2.5kg",
        "body_mass": "58.5",
        "time_zone": "America/Denver",
        "baseline_back-squat": "80",
        "baseline_deadlift": "",
        "baseline_hip-thrust": "",
        "baseline_bench-press": "",
        **fields,
    }


@pytest.fixture
def invited(coach_client, coach, django_capture_on_commit_callbacks) -> str:
    """A pending invitation from the head coach; returns the link from the email."""
    response = invite(coach_client, django_capture_on_commit_callbacks, coach=str(coach.pk))
    assert response.status_code == 302
    return link_from_outbox()


def test_an_invitation_emails_a_link_through_the_task_queue_only_after_commit(
    coach_client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        coach_client.post(
            reverse("invitation_new"),
            {"full_name": "Nina", "email": "Nina@Example.com", "coach": str(coach.pk)},
        )
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    [email] = mail.outbox
    assert email.to == ["nina@example.com"]
    assert "/join/" in email.body
    assert coach.club.name in email.subject


def test_the_invited_athlete_sets_a_password_and_profile_and_lands_on_today(client, invited, coach):
    page = client.get(invited)
    assert "Join" in page.content.decode()
    response = client.post(invited, join_form())
    assert response.status_code == 302
    assert response["Location"] == reverse("training:today")
    athlete = Athlete.objects.get(user__email="nina@example.com")
    assert athlete.coach == coach
    assert athlete.club == coach.club
    assert athlete.user.check_password(NEW_PASSWORD)
    assert athlete.plate_step_kg == Decimal(1)
    assert athlete.dumbbell_step_kg == Decimal("2.5")
    assert athlete.body_mass_kg == Decimal("58.5")
    assert athlete.time_zone == "America/Denver"
    [training_max] = TrainingMax.objects.filter(athlete=athlete)
    assert training_max.exercise.slug == "back-squat"
    assert training_max.value_kg == Decimal(80)
    # Logged in straight away: today's page answers.
    assert client.get(reverse("training:today")).status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is not None
    assert invitation.athlete_id == athlete.pk


def test_a_pound_athlete_gives_body_mass_and_baselines_in_pounds(client, invited):
    client.post(
        invited,
        join_form(
            unit="lb",
            bar="45lb",
            plate_step="5lb",
            dumbbell_step="5lb",
            body_mass="150",
            **{"baseline_back-squat": "225"},
        ),
    )
    athlete = Athlete.objects.get(user__email="nina@example.com")
    assert athlete.unit == "lb"
    assert athlete.body_mass_kg == Decimal("68.0389")
    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal("102.0583")


def test_a_used_link_says_so_and_creates_nothing_more(client, invited):
    client.post(invited, join_form())
    again = Client().post(invited, join_form(full_name="Someone else"))
    assert again.status_code == 200
    assert "already been used" in again.content.decode()
    assert User.objects.filter(email="nina@example.com").count() == 1
    assert User.objects.get(email="nina@example.com").full_name == "Nina Newcomer"


def test_an_expired_link_gets_a_clear_page_and_creates_no_account(client, invited):
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1), tick=False):
        page = client.get(invited)
        posted = client.post(invited, join_form())
    assert "has expired" in page.content.decode()
    assert "has expired" in posted.content.decode()
    assert not User.objects.filter(email="nina@example.com").exists()


def test_the_link_still_works_just_before_it_expires(client, invited):
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23), tick=False):
        response = client.post(invited, join_form())
    assert response.status_code == 302


@pytest.mark.parametrize(
    "tamper",
    [
        lambda link: link[:-3] + ("0" if link[-2] != "0" else "1") + "/",  # signature changed
        lambda link: link.replace("/join/", "/join/0"),  # id changed
        lambda link: link.split("-")[0] + "/",  # signature cut off
        lambda link: "/join/not-a-token/",
    ],
    ids=["signature", "id", "no-signature", "garbage"],
)
def test_a_tampered_link_gets_a_clear_page_and_creates_no_account(client, invited, tamper):
    link = tamper(invited)
    assert link != invited
    page = client.get(link)
    posted = client.post(link, join_form())
    for response in (page, posted):
        assert response.status_code == 200
        assert "This link doesn" in response.content.decode()
    assert not User.objects.filter(email="nina@example.com").exists()


def test_a_revoked_invitation_link_stops_working(coach_client, client, invited):
    invitation = Invitation.objects.get()
    response = coach_client.post(reverse("invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    posted = client.post(invited, join_form())
    assert "withdrew" in posted.content.decode()
    assert not User.objects.filter(email="nina@example.com").exists()
    roster = coach_client.get(reverse("roster")).content.decode()
    assert f'data-invitation="{invitation.pk}"' not in roster


def test_resending_mails_a_new_link_with_a_new_expiry_and_retires_the_old_one(
    coach_client, client, invited, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.get()
    with time_machine.travel(timezone.now() + timedelta(days=6), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            coach_client.post(reverse("invitation_resend", args=[invitation.pk]))
        new_link = link_from_outbox()
        assert new_link != invited
        assert "This link doesn" in client.get(invited).content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=12), tick=False):
        response = client.post(new_link, join_form())
    assert response.status_code == 302
    assert User.objects.filter(email="nina@example.com").exists()


def test_inviting_an_email_that_already_has_an_account_is_refused_with_a_message(
    coach_client, coach, other_coach, django_capture_on_commit_callbacks
):
    elsewhere = AthleteFactory(coach=other_coach, user__email="taken@example.com")
    response = invite(
        coach_client,
        django_capture_on_commit_callbacks,
        email="TAKEN@example.com",
        coach=str(coach.pk),
    )
    assert response.status_code == 200
    assert "already an account with this email" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert elsewhere.user.email == "taken@example.com"


def test_inviting_the_same_email_twice_points_to_resend(
    coach_client, coach, invited, django_capture_on_commit_callbacks
):
    response = invite(coach_client, django_capture_on_commit_callbacks, coach=str(coach.pk))
    assert "pending invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_an_account_created_meanwhile_makes_the_link_answer_clearly(client, invited, coach):
    AthleteFactory(coach=coach, user__email="nina@example.com")
    response = client.post(invited, join_form())
    assert "already has an account" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_a_weak_or_mismatched_password_is_refused_and_the_link_stays_usable(client, invited):
    weak = client.post(invited, join_form(password1="123", password2="123"))
    assert weak.status_code == 200
    assert "too short" in weak.content.decode()
    mismatch = client.post(invited, join_form(password2="something-else-entirely"))
    assert "two passwords are different" in mismatch.content.decode()
    assert not User.objects.filter(email="nina@example.com").exists()
    assert client.post(invited, join_form()).status_code == 302


def test_the_invitation_list_is_on_the_roster_for_the_head_coach_only_of_that_club(
    coach_client, assistant, other_coach, invited
):
    assert "nina@example.com" in coach_client.get(reverse("roster")).content.decode()
    assert "nina@example.com" not in login(assistant.user).get(reverse("roster")).content.decode()
    outsider = login(other_coach.user)
    assert "nina@example.com" not in outsider.get(reverse("roster")).content.decode()
    invitation = Invitation.objects.get()
    assert outsider.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 404
    assert outsider.post(reverse("invitation_resend", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_assistant_invites_athletes_for_themselves_only(
    assistant, coach, django_capture_on_commit_callbacks
):
    client = login(assistant.user)
    response = invite(client, django_capture_on_commit_callbacks, coach=str(coach.pk))
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    invite(client, django_capture_on_commit_callbacks, coach=str(assistant.pk))
    assert Invitation.objects.get().coach == assistant


def _profile() -> Profile:
    return Profile(
        full_name="Nina Newcomer",
        password=NEW_PASSWORD,
        unit="kg",
        bar_kg=Decimal(20),
        plate_step_kg=Decimal("2.5"),
        dumbbell_step_kg=Decimal(2),
        body_mass_kg=None,
        time_zone=None,
        baselines_kg={},
    )


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_link_submitted_twice_at_the_same_instant_creates_one_account(coach):
    invitation = invitation_create(
        invited_by=coach,
        coach=coach,
        email="nina@example.com",
        full_name="Nina",
    )
    token = invitation_token(invitation)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept() -> None:
        try:
            barrier.wait()
            invitation_accept(token=token, profile=_profile())
            outcomes.append("created")
        except InvitationLinkError as problem:
            outcomes.append(problem.title)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["This invitation has already been used", "created"]
    assert User.objects.filter(email="nina@example.com").count() == 1
