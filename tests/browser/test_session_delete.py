"""The coach deletes a planned session on a laptop after a confirmation page; the runner is
told on the phone, and the notification they already had opens a "removed" page (410)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, Response, expect

from comms.notify import notify_plan_changed
from plans.models import PlannedSession, RemovedSession
from tests.browser.conftest import log_in
from tests.factories import PlannedSessionFactory, PrescriptionFactory, exercise

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _statuses(page: Page) -> list[tuple[int, str]]:
    seen: list[tuple[int, str]] = []

    def watch(response: Response) -> None:
        if response.status >= 400:
            seen.append((response.status, response.url))

    page.on("response", watch)
    return seen


# The removed session's old address answers 410 Gone on purpose.
@pytest.mark.allow_browser_errors("status 410 ", "status of 410")
def test_the_coach_confirms_the_delete_and_the_runners_old_link_says_it_was_removed(
    coach, athlete, desktop_page, phone_page, browser_errors, screenshot
):
    session = PlannedSessionFactory(
        athlete=athlete, date=athlete.today() + timedelta(days=3), title="Strength A"
    )
    PrescriptionFactory(session=session, exercise=exercise("back-squat"))
    notify_plan_changed(athletes=[athlete], change="planned Strength A", session_id=session.pk)
    day = f"{session.date:%a %-d %b}"

    laptop = desktop_page
    laptop_failures = _statuses(laptop)
    laptop.goto("/accounts/login/")
    log_in(laptop, coach.user.email)
    laptop.goto(f"/coach/athletes/{athlete.pk}/sessions/{session.pk}/")
    laptop.get_by_role("link", name="Delete this session…").click()

    # The confirmation page names the session, its date and what the runner will be told.
    expect(laptop.get_by_role("heading", level=1)).to_have_text(
        f"Delete Strength A, {session.date:%A %-d %B}?"
    )
    expect(laptop.get_by_test_id("delete-session")).to_contain_text(
        f"Your coach removed Strength A on {day}."
    )
    screenshot(laptop, "session-delete-confirmation")
    assert PlannedSession.objects.filter(pk=session.pk).exists()
    laptop.get_by_role("button", name=f"Delete and tell {athlete.name}").click()
    expect(laptop).to_have_url(re.compile(rf"/coach/athletes/{athlete.pk}/$"))
    expect(laptop.get_by_text(f"{athlete.name} was told")).to_be_visible()
    assert not PlannedSession.objects.filter(pk=session.pk).exists()
    assert RemovedSession.objects.filter(session_id=session.pk).exists()

    # On the phone: the new notification, and the old one opens the "removed" page.
    phone = phone_page
    phone_statuses = _statuses(phone)
    phone.goto("/accounts/login/")
    log_in(phone, athlete.user.email)
    phone.goto("/notifications/")
    expect(phone.get_by_text(f"Your coach removed Strength A on {day}.")).to_be_visible()
    with phone.expect_response(re.compile(rf"/sessions/{session.pk}/$")) as gone:
        phone.get_by_role("button", name="Your coach planned Strength A.").click()
    assert gone.value.status == 410  # deliberate: the address was right once, never again
    expect(phone.get_by_role("heading", level=1)).to_have_text("This session was removed")
    expect(phone.get_by_test_id("session-removed")).to_contain_text("was removed by your coach on")
    screenshot(phone, "session-removed-phone")
    phone.get_by_role("link", name="Go to Today").click()
    expect(phone).to_have_url(re.compile(r"/today/$"))

    assert laptop_failures == []
    assert [status for status, url in phone_statuses] == [410]
    # Chromium logs the deliberate 410 as a failed load; nothing else may appear.
    assert any("410" in error for error in browser_errors), "the old link answered 410"
