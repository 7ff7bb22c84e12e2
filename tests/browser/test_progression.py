"""The coach in the loop, end to end: the coach accepts one progression suggestion and
overrides another in the queue (htmx, no reload); the athlete's next session shows both."""

import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from athletes.services import training_max_set
from plans.services import PrescriptionSpec, planned_session_create
from tests.browser.conftest import log_in
from tests.factories import exercise
from training import suggestions
from training.models import ProgressionSuggestion, SetLog
from training.services import SetValues, set_log_record

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def a_logged_session_and_the_next(athlete):
    squat, deadlift = exercise("back-squat"), exercise("deadlift")
    training_max_set(athlete=athlete, exercise=squat, value_kg=Decimal(100))
    training_max_set(athlete=athlete, exercise=deadlift, value_kg=Decimal(140))
    lifts = [PrescriptionSpec(squat, reps=5), PrescriptionSpec(deadlift, reps=5)]
    today = athlete.today()
    done = planned_session_create(
        athlete=athlete, date=today - timedelta(days=3), prescriptions=lifts, title="Strength A"
    )
    for prescription, load in zip(
        done.prescriptions.order_by("position"), ("80", "100"), strict=True
    ):
        for number in (1, 2):
            set_log_record(
                athlete=athlete,
                prescription=prescription,
                kind=SetLog.Kind.WORKING,
                set_number=number,
                client_id=uuid.uuid4(),
                values=SetValues(5, Decimal(load), Decimal(7)),
            )
    return planned_session_create(
        athlete=athlete, date=today + timedelta(days=1), prescriptions=lifts, title="Strength B"
    )


def test_the_coach_accepts_one_suggestion_and_overrides_another(
    coach, athlete, desktop_page, phone_page, browser_errors, screenshot
):
    upcoming = a_logged_session_and_the_next(athlete)
    suggestions.recompute([athlete.pk])  # what the task does when the session is finished
    assert ProgressionSuggestion.objects.filter(status="pending").count() == 2

    page: Page = desktop_page
    page.goto("/accounts/login/")
    log_in(page, coach.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progression").click()
    expect(page.get_by_role("heading", name="Progression suggestions", level=1)).to_be_visible()
    page.evaluate("window.__noReload = 1")

    squat = page.locator(".suggestion", has_text="Back squat")
    deadlift = page.locator(".suggestion", has_text="Deadlift")
    expect(squat).to_contain_text("80 kg → 82.5 kg")
    expect(squat).to_contain_text("both working sets")
    screenshot(page, "progression-queue-desktop")

    squat.get_by_role("button", name="Accept 82.5 kg").click()
    expect(squat).to_have_attribute("data-status", "accepted")
    expect(squat.get_by_role("status")).to_contain_text("82.5 kg in 1 upcoming session")

    deadlift.get_by_label("Or my load (kg)").fill("105")
    deadlift.get_by_role("button", name="Use my load").click()
    expect(deadlift).to_have_attribute("data-status", "overridden")
    expect(deadlift).to_contain_text("Overridden at 105 kg")
    assert page.evaluate("window.__noReload") == 1, "the page reloaded"
    screenshot(page, "progression-decided-desktop")

    phone: Page = phone_page
    phone.goto("/accounts/login/")
    log_in(phone, athlete.user.email)
    phone.goto(reverse("training:session", args=[upcoming.pk]))
    expect(phone.get_by_role("heading", name=re.compile("Strength B"))).to_be_visible()
    cards = phone.locator(".exercise-head")
    expect(cards.filter(has_text="Back squat")).to_contain_text(
        "Progression approved by your coach: 82.5 kg (last time 80 kg)"
    )
    expect(cards.filter(has_text="Deadlift")).to_contain_text(
        "Set by your coach: 105 kg (last time 100 kg)"
    )
    screenshot(phone, "progression-athlete-session-phone")
    assert browser_errors == []


def test_deciding_in_the_queue_drops_the_count_and_keeps_the_names(
    coach, athlete, desktop_page, browser_errors, screenshot
):
    a_logged_session_and_the_next(athlete)
    suggestions.recompute([athlete.pk])
    page: Page = desktop_page
    page.goto("/accounts/login/")
    log_in(page, coach.user.email)
    page.goto(reverse("progression_queue"))
    count = page.locator("#queue-count")
    expect(count).to_have_text("2")
    squat = page.locator(".suggestion", has_text="Back squat")
    deadlift = page.locator(".suggestion", has_text="Deadlift")
    squat.get_by_role("button", name="Accept 82.5 kg").click()
    expect(squat).to_have_attribute("data-status", "accepted")
    expect(count).to_have_text("1")
    deadlift.get_by_role("button", name="Dismiss").click()
    expect(deadlift).to_have_attribute("data-status", "dismissed")
    expect(count).to_have_text("0")
    for card in (squat, deadlift):
        expect(
            card.locator(".suggestion-head").get_by_role("link", name=athlete.name)
        ).to_be_visible()
    screenshot(page, "progression-queue-count-after-decisions")
    page.goto(reverse("roster"))
    screenshot(page, "roster-desktop")
    assert browser_errors == []
