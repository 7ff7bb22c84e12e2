"""An e1RM from a set logged without an RPE is drawn as a lower bound, on the athlete's phone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PlannedSessionFactory, PrescriptionFactory, SetLogFactory, exercise
from training.progression import estimate_1rm

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_day_without_an_rpe_shows_as_a_hollow_at_least_dot(
    athlete, phone_page, browser_errors, screenshot
):
    today = athlete.today()
    for days, rpe in ((14, Decimal(8)), (10, Decimal(8)), (7, None), (3, Decimal("8.5"))):
        session = PlannedSessionFactory(athlete=athlete, date=today - timedelta(days=days))
        prescription = PrescriptionFactory(session=session, exercise=exercise("back-squat"))
        SetLogFactory(
            prescription=prescription,
            set_number=1,
            reps=8,
            load_kg=Decimal(30),
            rpe=rpe,
            e1rm_kg=estimate_1rm(Decimal(30), 8, rpe),
        )
    log_in(phone_page, athlete.user.email)
    phone_page.goto(reverse("training:exercise_history", args=[exercise("back-squat").pk]))
    chart = phone_page.locator("#e1rm-chart")
    expect(chart.locator("svg.chart-svg circle.chart-dot-floor")).to_have_count(1)
    expect(chart.get_by_text("no RPE: at least this much")).to_be_visible()
    chart.get_by_text("Show the numbers").click()
    expect(chart.get_by_role("cell", name="at least 38 kg (no RPE)")).to_be_visible()
    screenshot(phone_page, "e1rm-lower-bound-phone")
    assert browser_errors == []
