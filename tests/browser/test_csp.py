"""The coach's busiest forms keep to the strict Content-Security-Policy while htmx swaps them.

The guard of tests/browser/conftest.py fails each test on any CSP violation. A person
resizes a text box (Chromium then writes its size into the box's style attribute);
htmx used to copy such attributes onto the swapped-in fields with setAttribute, which
the policy (no inline styles) refuses, once per field.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from plans.models import RunSession
from tests.browser.conftest import log_in
from tests.factories import PlannedSessionFactory, PrescriptionFactory, exercise

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What the browser itself does when a person drags a field's resize handle: CSSOM,
# which the policy allows, leaving a style attribute on the element.
RESIZE_EVERY_FIELD = """(selector) => {
  for (const field of document.querySelectorAll(selector)) field.style.height = "3.5rem";
  return document.querySelectorAll(selector).length;
}"""


def resize_every_field(page: Page, selector: str) -> None:
    assert page.evaluate(RESIZE_EVERY_FIELD, selector) > 0


def test_the_running_calendar_swaps_weeks_and_saves_runs_without_a_csp_violation(
    coach, athlete, desktop_page, browser_errors, screenshot
):
    page = desktop_page
    today = athlete.today()
    monday = today - timedelta(days=today.weekday())
    RunSession.objects.create(
        athlete=athlete, date=monday + timedelta(days=1), kind="tempo", is_hard=True
    )
    planned = PlannedSessionFactory(
        athlete=athlete, date=monday + timedelta(days=1), title="Strength A"
    )

    log_in(page, coach.user.email)
    expect(page).to_have_url(re.compile(r"/coach/$"))
    page.goto(f"/coach/athletes/{athlete.pk}/calendar/")
    expect(page.get_by_role("heading", name="Running calendar", level=1)).to_be_visible()
    page.get_by_text("Enter the runs of this week").click()
    resize_every_field(page, "#week input, #week select, #week textarea")

    page.get_by_role("button", name="Save the week’s runs").click()
    expect(page.locator("#week").get_by_role("status")).to_be_visible()
    resize_every_field(page, "#week input, #week select, #week textarea")
    page.get_by_role("link", name="Next week →").click()
    expect(page).to_have_url(re.compile(r"\?week="))
    page.get_by_role("link", name="← Previous week").click()
    expect(page.locator(f"#session-{planned.pk}")).to_be_visible()
    screenshot(page, "calendar-desktop")
    assert browser_errors == []


def test_the_session_editor_saves_each_change_without_a_csp_violation(
    coach, athlete, desktop_page, browser_errors
):
    page = desktop_page
    session = PlannedSessionFactory(
        athlete=athlete, date=athlete.today() + timedelta(days=1), title="Strength A"
    )
    PrescriptionFactory(session=session, exercise=exercise("back-squat"), position=1)
    PrescriptionFactory(session=session, exercise=exercise("split-squat"), position=2)

    log_in(page, coach.user.email)
    expect(page).to_have_url(re.compile(r"/coach/$"))
    page.goto(f"/coach/athletes/{athlete.pk}/sessions/{session.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strength A")
    resize_every_field(page, "input:not([type=hidden]), select, textarea")

    page.locator("#session-fields").get_by_label("Title").fill("Strength B")
    page.locator("#session-fields").get_by_label("Title").press("Tab")
    expect(page.locator("#session-fields").get_by_role("status")).to_be_visible()
    page.locator("#exercises").get_by_label("Reps").first.fill("5")
    page.locator("#exercises").get_by_label("Reps").first.press("Tab")
    expect(page.locator("#exercises").get_by_role("status")).to_be_visible()
    page.get_by_role("button", name="Move Split squat up").click()
    expect(page.locator("#exercises .prescription-row").first).to_contain_text("Split squat")
    session.refresh_from_db()
    assert session.title == "Strength B"
    assert browser_errors == []
