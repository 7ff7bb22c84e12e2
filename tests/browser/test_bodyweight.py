"""A runner logs a pull-up on a phone with one tap: bodyweight alone, nothing to type."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans.models import Block
from tests.browser.conftest import log_in
from tests.factories import PlannedSessionFactory, PrescriptionFactory, exercise
from training.models import SetLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_runner_logs_a_pull_up_with_one_tap(
    athlete, coach, phone_page, desktop_page, browser_errors, screenshot
):
    athlete.body_mass_kg = Decimal(70)
    athlete.save(update_fields=["body_mass_kg"])
    today = athlete.today()
    block = Block.objects.create(
        athlete=athlete, name="Base", start=today - timedelta(days=today.weekday()), weeks=1
    )
    session = PlannedSessionFactory(athlete=athlete, date=today, title="Strength A", block=block)
    PrescriptionFactory(session=session, exercise=exercise("pull-up"), reps=6, position=1)

    phone_page.goto("/accounts/login/")
    log_in(phone_page, athlete.user.email)
    expect(phone_page).to_have_url(re.compile(r"/today/$"))
    card = phone_page.locator("section.exercise-card").filter(
        has=phone_page.get_by_role("heading", name="Pull-up")
    )
    expect(card).not_to_contain_text("No training max yet")

    # One tap, the added load left empty: bodyweight alone.
    card.get_by_role("button", name="Log set 1", exact=True).tap()
    row = card.get_by_role("listitem").filter(has_text="Saved")
    expect(row).to_contain_text("6 pull-ups, bodyweight")
    card.scroll_into_view_if_needed()
    screenshot(phone_page, "bodyweight-today-card")

    stored = SetLog.objects.get(prescription__session=session)
    assert stored.load_kg == 0  # the added load; bodyweight alone

    log_in(desktop_page, coach.user.email)
    desktop_page.goto(reverse("plans:block_detail", args=[athlete.pk, block.pk]))
    pull_up_row = desktop_page.get_by_role("row").filter(has_text="Pull-up")
    expect(pull_up_row).to_contain_text("bodyweight")
    expect(pull_up_row).not_to_contain_text("0 kg")
    screenshot(desktop_page, "bodyweight-block-view")

    assert browser_errors == []
