"""The coach decides a training max in the queue (htmx, no reload); the runner's loads
stayed put until then and follow the decision after it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from athletes.models import TrainingMax
from athletes.services import training_max_set
from plans.selectors import planned_load
from tests.browser.conftest import log_in
from tests.factories import exercise
from tests.training.test_training_max_contract import log, squat_session
from training import suggestions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_coach_sees_what_a_training_max_would_move_and_accepts_it(
    coach, athlete, desktop_page, browser_errors, screenshot
):
    today = athlete.today()
    training_max_set(
        athlete=athlete, exercise=exercise("back-squat"), value_kg=Decimal(80), by=coach.user
    )
    for days in (12, 8, 5):
        log(
            squat_session(athlete, today - timedelta(days=days)), (5, "60", "7.5"), (5, "60", "8.5")
        )
    upcoming = squat_session(athlete, today + timedelta(days=2), reps=3)
    suggestions.recompute([athlete.pk])
    assert planned_load(upcoming, athlete=athlete, warmup=False) == Decimal(60)

    page: Page = desktop_page
    page.goto("/accounts/login/")
    log_in(page, coach.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progression").click()
    page.evaluate("window.__noReload = 1")
    card = page.locator(".suggestion", has_text="Training max 80 kg")
    expect(card).to_contain_text("Training max 80 kg → 75 kg")
    expect(card).to_contain_text(f"{upcoming.session.date:%A}'s back squat 60 kg → 57.5 kg")
    screenshot(page, "progression-queue-training-max")

    card.get_by_role("button", name="Accept 75 kg").click()

    expect(card).to_have_attribute("data-status", "accepted")
    expect(card.get_by_role("status")).to_contain_text("training max 75 kg")
    assert page.evaluate("window.__noReload") == 1
    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal("75.0939")
    assert planned_load(upcoming, athlete=athlete, warmup=False) == Decimal("57.5")
    assert browser_errors == []
