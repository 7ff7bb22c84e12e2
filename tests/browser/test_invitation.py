"""An invitation end to end: the coach invites, the runner opens the emailed link on a phone."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from athletes.models import Athlete, TrainingMax
from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_coach_invites_a_runner_who_joins_from_the_emailed_link_on_a_phone(
    coach, desktop_page, phone_page, live_server, browser_errors, screenshot
):
    coach_page = desktop_page
    coach_page.goto("/accounts/login/")
    log_in(coach_page, coach.user.email)
    coach_page.get_by_role("link", name="Invite an athlete").click()
    coach_page.get_by_label("Name").fill("Nina Newcomer")
    coach_page.get_by_label("Email").fill("nina@example.com")
    screenshot(coach_page, "invite-desktop")
    coach_page.get_by_role("button", name="Send the invitation").click()
    expect(coach_page.get_by_role("status")).to_contain_text("Invitation sent to nina@example.com")
    expect(coach_page.locator("#people")).to_contain_text("Nina Newcomer")

    # The email went out through the task queue once the invitation was committed.
    [email] = mail.outbox
    link = re.search(r"https?://\S+/join/\S+/", email.body).group(0)
    assert link.startswith(live_server.url)

    phone = phone_page
    phone.goto(link)
    expect(phone.get_by_role("heading", name=f"Join {coach.club.name}")).to_be_visible()
    expect(phone.get_by_label("Your name")).to_have_value("Nina Newcomer")
    phone.get_by_label("Password", exact=True).fill("steady-tempo-hills-42")
    phone.get_by_label("Password again").fill("steady-tempo-hills-42")
    phone.get_by_label("Show loads in").select_option("lb")
    phone.get_by_label("Your gym's barbell").select_option(label="45 lb")
    phone.get_by_label("Smallest change to the bar").select_option(
        label="5 lb (a pair of 2.5 lb plates)"
    )
    phone.get_by_label("Your gym's dumbbells go up").select_option(label="Every 5 lb")
    phone.get_by_label("Body mass (optional)").fill("132")
    expect(phone.get_by_label("Your time zone")).to_have_value(coach.club.time_zone)
    phone.get_by_label("Back squat: best single, if you know it (optional)").fill("185")
    screenshot(phone, "join-phone")
    phone.get_by_role("button", name="Create my account").click()

    expect(phone).to_have_url(re.compile(r"/today/$"))
    expect(phone.get_by_role("status")).to_contain_text("Welcome, Nina!")
    screenshot(phone, "joined-today-phone")

    athlete = Athlete.objects.get(user__email="nina@example.com")
    assert athlete.coach == coach
    assert athlete.unit == "lb"
    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal("83.9146")

    # The link was single-use: opening it again says so.
    phone.goto(link)
    expect(
        phone.get_by_role("heading", name="This invitation has already been used")
    ).to_be_visible()

    # The coach's roster now lists the runner and no longer the pending invitation.
    coach_page.goto("/coach/")
    expect(coach_page.locator("#roster-table")).to_contain_text("Nina Newcomer")
    expect(coach_page.locator("#people")).not_to_contain_text("nina@example.com")
    assert browser_errors == []
