"""A coach imports a running platform's calendar that mixes runs, other sports and a rest
day, and is told which events were left out and why."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from plans.models import RunSession
from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def day_title(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def event(n: int, day: date, summary: str, clock: str = "") -> str:
    start = f"DTSTART:{day:%Y%m%d}T{clock}" if clock else f"DTSTART;VALUE=DATE:{day:%Y%m%d}"
    return f"BEGIN:VEVENT\r\nUID:{n}@platform\r\n{start}\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"


def calendar(*events: str) -> bytes:
    body = "".join(events)
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//platform//EN\r\n"
    return f"{head}{body}END:VCALENDAR\r\n".encode()


def test_a_coach_imports_a_mixed_calendar_and_sees_what_was_skipped(
    coach, athlete, desktop_page, browser_errors, screenshot
):
    page: Page = desktop_page
    monday = athlete.today() - timedelta(days=athlete.today().weekday()) + timedelta(days=7)
    tuesday, wednesday, friday = (monday + timedelta(days=n) for n in (1, 2, 4))
    mixed = calendar(
        event(1, tuesday, "Tempo 3 x 10", "070000"),
        event(2, tuesday, "Swim 2 km", "180000"),
        event(3, wednesday, "Long ride"),
        event(4, friday, "Day off"),
    )

    page.goto("/accounts/login/")
    log_in(page, coach.user.email)
    expect(page).to_have_url(re.compile(r"/coach/$"))
    page.goto(reverse("plans:calendar", args=[athlete.pk]))
    page.get_by_role("link", name="Import runs").click()
    expect(page.get_by_role("heading", name="Import runs", level=1)).to_be_visible()

    # First a file with a bad event: nothing is imported, the line and the skipped are named.
    broken = mixed.replace(b"DTSTART:", b"DTSTART;TZID=Mars/Olympus:", 1)
    page.get_by_label("CSV or iCalendar (.ics) file").set_input_files(
        files=[{"name": "plan.ics", "mimeType": "text/calendar", "buffer": broken}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-problems")).to_contain_text("unknown time zone 'Mars/Olympus'")
    skipped = (
        f"Skipped 2 events: Swim 2 km ({day_title(tuesday)}) is not a run; "
        f"Long ride ({day_title(wednesday)}) is not a run."
    )
    expect(page.locator("#import-skipped")).to_have_text(skipped)
    screenshot(page, "run-import-problems-and-skipped-desktop")
    assert not RunSession.objects.exists()

    # The good file: the tempo and the rest day land on the week, the rest is listed.
    page.get_by_label("CSV or iCalendar (.ics) file").set_input_files(
        files=[{"name": "plan.ics", "mimeType": "text/calendar", "buffer": mixed}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status").first).to_contain_text(skipped)
    screenshot(page, "run-import-skipped-desktop")
    runs = RunSession.objects.filter(athlete=athlete).order_by("date")
    assert [(r.date, r.kind) for r in runs] == [(tuesday, "tempo"), (friday, "rest")]
    assert browser_errors == [], "\n".join(browser_errors)
