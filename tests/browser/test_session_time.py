"""A coach gives a strength session a time on the running calendar and watches the
six-hour rule before a hard run fire, then clear when the lift moves after the run."""

from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect

from plans.models import PlannedSession, RunSession
from plans.services import PrescriptionSpec, planned_session_create
from tests.browser.conftest import log_in
from tests.factories import exercise

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_lift_two_hours_before_intervals_warns_and_one_after_them_does_not(
    coach, athlete, desktop_page, browser_errors, screenshot
):
    page: Page = desktop_page
    monday = athlete.today() - timedelta(days=athlete.today().weekday()) + timedelta(days=7)
    tuesday = monday + timedelta(days=1)
    RunSession.objects.create(
        athlete=athlete, date=tuesday, kind="intervals", is_hard=True, start_time=time(19, 0)
    )
    planned = planned_session_create(
        athlete=athlete,
        date=tuesday,
        prescriptions=[PrescriptionSpec(exercise("back-squat"))],
        title="Strength A",
    )

    page.goto("/accounts/login/")
    log_in(page, coach.user.email)
    page.goto(f"/coach/athletes/{athlete.pk}/calendar/?week={monday.isoformat()}")
    expect(page.get_by_role("heading", name="Running calendar", level=1)).to_be_visible()
    session = page.locator(f"#session-{planned.pk}")
    warning = session.locator('li.flag[data-code="too_close_to_run"]')
    expect(warning).to_have_count(0)  # no time yet, no judgement

    session.get_by_label("at", exact=True).fill("17:00")
    session.get_by_role("button", name="Move").click()
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("2.0 h after this lift")
    expect(session).to_contain_text("17:00")
    screenshot(page, "calendar-six-hours-before-intervals-desktop")

    session.get_by_label("at", exact=True).fill("21:00")
    session.get_by_role("button", name="Move").click()
    expect(session).to_contain_text("21:00")
    expect(warning).to_have_count(0)
    planned.refresh_from_db()
    assert planned.start_time == time(21, 0)
    assert PlannedSession.objects.count() == 1
    assert browser_errors == [], "\n".join(browser_errors)
