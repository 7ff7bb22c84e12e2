"""Coach programming end to end: save weeks as a template, apply it to two runners,
then re-plan one session on the running calendar and watch the method's warning.

Runs against pytest-django's live server. The seed exercise library comes from a
data migration, which a transactional test flushes, hence serialized_rollback.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from athletes.models import Athlete
from plans.calendar_services import default_is_hard
from plans.models import Block, PlannedSession, RunSession, TemplateSession
from plans.services import PrescriptionSpec, planned_session_create
from tests.browser.conftest import log_in
from tests.factories import AthleteFactory, exercise

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEMPLATE = "Base strength, two weeks"


def iso(day: date) -> str:
    """How an <input type=date> takes and gives its value."""
    return day.isoformat()


def day_title(day: date) -> str:
    """A date as the calendar writes it: "Tue 8 Dec"."""
    return f"{day:%a} {day.day} {day:%b}"


def two_weeks_of_strength(athlete: Athlete, monday: date) -> None:
    """Tuesday and Thursday sessions in the two weeks from `monday`."""
    a = [PrescriptionSpec(exercise("back-squat")), PrescriptionSpec(exercise("split-squat"))]
    b = [PrescriptionSpec(exercise("deadlift")), PrescriptionSpec(exercise("step-up"))]
    for week in (0, 7):
        tuesday = monday + timedelta(days=week + 1)
        planned_session_create(athlete=athlete, date=tuesday, prescriptions=a, title="Strength A")
        thursday = monday + timedelta(days=week + 3)
        planned_session_create(athlete=athlete, date=thursday, prescriptions=b, title="Strength B")


def hard_tuesday_easy_wednesday_hard_thursday(athlete: Athlete, monday: date) -> None:
    for week in (0, 7):
        for offset, kind in ((1, "tempo"), (2, "easy"), (3, "intervals")):
            RunSession.objects.create(
                athlete=athlete,
                date=monday + timedelta(days=week + offset),
                kind=kind,
                is_hard=default_is_hard(kind),
                planned_minutes=45,
            )


def test_a_coach_applies_a_template_to_two_runners_and_replans_around_their_runs(
    coach, athlete, desktop_page, browser_errors, screenshot
):
    page: Page = desktop_page
    maya = AthleteFactory(coach=coach, user__full_name="Maya Hill", time_zone="Europe/London")
    tom = AthleteFactory(coach=coach, user__full_name="Tom Ridge", time_zone="Europe/London")
    # The form refuses weeks already gone: the block starts next Monday.
    monday = athlete.today() - timedelta(days=athlete.today().weekday()) + timedelta(days=7)
    tuesday, wednesday, thursday = (monday + timedelta(days=n) for n in (1, 2, 3))
    two_weeks_of_strength(athlete, monday)
    for runner in (maya, tom):
        hard_tuesday_easy_wednesday_hard_thursday(runner, monday)

    # The coach saves the source athlete's two weeks as a template, from the athlete page.
    page.goto("/accounts/login/")
    log_in(page, coach.user.email)
    expect(page).to_have_url(re.compile(r"/coach/$"))
    page.get_by_role("link", name=athlete.name, exact=True).click()
    expect(page.get_by_role("heading", name=athlete.name, level=1)).to_be_visible()
    page.get_by_role("link", name="Save weeks as a template").click()
    page.get_by_label("Name", exact=True).fill(TEMPLATE)
    page.get_by_label("From the week of").fill(iso(monday))
    expect(page.get_by_label("Weeks", exact=True)).to_have_value("2")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_role("status")).to_contain_text(f"Saved as the template “{TEMPLATE}”.")

    # Templates, from the nav; the template; "Apply to athletes".
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Templates").click()
    expect(page.get_by_role("heading", name="Templates", level=1)).to_be_visible()
    page.get_by_role("link", name=TEMPLATE, exact=True).click()
    expect(page.get_by_role("heading", name=TEMPLATE, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Week 2")).to_be_visible()
    page.get_by_role("link", name="Apply to athletes").click()
    expect(page.get_by_role("heading", name=f"Apply “{TEMPLATE}”")).to_be_visible()

    page.get_by_label("Maya Hill", exact=True).check()
    page.get_by_label("Tom Ridge", exact=True).check()
    expect(page.get_by_label(athlete.name, exact=True)).not_to_be_checked()
    page.get_by_label("Start in the week of").fill(iso(monday))
    expect(page.get_by_label("On the weekdays the template was built on")).to_be_checked()
    screenshot(page, "template-apply-desktop")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"“{TEMPLATE}” applied to 2 athlete(s).")

    # Each runner has a copy of their own, on the template's Tuesdays and Thursdays.
    expected_days = [tuesday, thursday, tuesday + timedelta(7), thursday + timedelta(7)]
    copies = {}
    for runner in (maya, tom):
        sessions = list(PlannedSession.objects.filter(athlete=runner).order_by("date"))
        assert [s.date for s in sessions] == expected_days
        block = Block.objects.get(athlete=runner)
        assert {s.block_id for s in sessions} == {block.pk}
        copies[runner.pk] = sessions[0]

    # Maya's running calendar, next week (the htmx pager): hard Tue and Thu, easy Wed.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Athletes").click()
    page.get_by_role("link", name="Maya Hill", exact=True).click()
    page.get_by_role("link", name="Running calendar").click()
    expect(page.get_by_role("heading", name="Running calendar", level=1)).to_be_visible()
    page.evaluate("window.__noReload = 1")
    page.get_by_role("link", name="Next week →").click()
    expect(page).to_have_url(re.compile(rf"\?week={iso(monday)}$"))
    expect(page.locator(".week-title")).to_contain_text(f"Week of {monday.day} {monday:%b %Y}")

    week = page.locator("#week")
    session = page.locator(f"#session-{copies[maya.pk].pk}")
    easy_day_warning = session.locator('li.flag[data-code="easy_day"]')
    expect(page.locator(f"#day-{iso(tuesday)}").locator(session)).to_be_visible()
    expect(page.locator(f"#day-{iso(wednesday)} .run[data-kind=easy]")).to_be_visible()
    expect(session).to_contain_text("Fits the method.")

    # Onto the easy day: the grid swaps in place and the method objects.
    session.get_by_label("Move to").fill(iso(wednesday))
    session.get_by_role("button", name="Move").click()
    expect(week.get_by_role("status")).to_have_text(f"Strength A moved to {day_title(wednesday)}.")
    expect(page.locator(f"#day-{iso(wednesday)}").locator(session)).to_be_visible()
    expect(easy_day_warning).to_be_visible()
    expect(easy_day_warning).to_contain_text("keep easy days easy")
    screenshot(page, "calendar-easy-day-warning-desktop")
    copies[maya.pk].refresh_from_db()
    copies[tom.pk].refresh_from_db()
    assert copies[maya.pk].date == wednesday
    assert copies[tom.pk].date == tuesday, "Tom's copy stays where it was"
    assert set(
        TemplateSession.objects.filter(template__starter=False).values_list("slot", "weekday")
    ) == {(1, 1), (2, 3)}

    # Back onto the hard Tuesday: the warning is gone.
    session.get_by_label("Move to").fill(iso(tuesday))
    session.get_by_role("button", name="Move").click()
    expect(week.get_by_role("status")).to_have_text(f"Strength A moved to {day_title(tuesday)}.")
    expect(page.locator(f"#day-{iso(tuesday)}").locator(session)).to_be_visible()
    expect(easy_day_warning).to_have_count(0)
    expect(week.locator('li.flag[data-code="easy_day"]')).to_have_count(0)
    expect(session).to_contain_text("Fits the method.")
    copies[maya.pk].refresh_from_db()
    assert copies[maya.pk].date == tuesday

    assert page.evaluate("window.__noReload") == 1, "htmx swapped the week, no page load"
    assert browser_errors == [], "\n".join(browser_errors)
