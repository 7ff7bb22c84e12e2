"""Who needs attention: a pain report on the phone puts the runner first on the coach's roster."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import AthleteFactory, PlannedSessionFactory, PrescriptionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_pain_report_on_the_phone_puts_the_runner_first_on_the_roster_at_once(
    coach, desktop_page, phone_page, browser_errors, screenshot
):
    # Alphabetically last, so that only the flag can bring her to the top.
    runner = AthleteFactory(coach=coach, club=coach.club, user__full_name="Zoe Zatopek")
    for name in ("Abe Able", "Bea Brisk"):
        AthleteFactory(coach=coach, club=coach.club, user__full_name=name)
    session = PlannedSessionFactory(athlete=runner, date=runner.today(), title="Strength A")
    PrescriptionFactory(session=session)

    coach_page = desktop_page
    coach_page.goto("/accounts/login/")
    log_in(coach_page, coach.user.email)
    rows = coach_page.locator("#roster-table tbody tr")
    expect(rows.first).to_contain_text("Abe Able")

    phone = phone_page
    phone.goto("/accounts/login/")
    log_in(phone, runner.user.email)
    phone.goto(f"/sessions/{session.pk}/finish/")
    phone.get_by_label("How hard was the whole session? (0–10)").fill("7")
    phone.get_by_label("Minutes").fill("45")
    phone.get_by_label("Pain or niggle").select_option(label="Knee")
    phone.get_by_label("Severity (0–10)").fill("6")
    phone.get_by_role("button", name="Save").click()
    expect(phone).to_have_url(re.compile(rf"/sessions/{session.pk}/$"))

    # No nightly job in between: the next look at the roster shows it.
    coach_page.reload()
    expect(rows.first).to_contain_text("Zoe Zatopek")
    expect(rows.first.locator('[data-flag="pain"]')).to_have_text("Pain reported (6/10)")
    screenshot(coach_page, "roster-pain-first-desktop")

    # The filter keeps only her, swapped in by htmx without leaving the page.
    coach_page.get_by_label("Show").select_option(label="Pain reported")
    expect(rows).to_have_count(1)
    expect(coach_page).to_have_url(re.compile(r"\?flag=pain$"))
    assert browser_errors == []
