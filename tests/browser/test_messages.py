"""The message thread in a real browser: the coach writes on the laptop, the athlete sees
the unread count on the phone, opens the thread and replies."""

import re

import pytest
from playwright.sync_api import expect

from comms.models import Message, Notification, ThreadRead
from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_coach_sends_a_message_and_the_athlete_reads_it_and_replies(
    coach, athlete, desktop_page, phone_page, browser_errors, screenshot
):
    coach_page = desktop_page
    log_in(coach_page, coach.user.email)
    coach_page.goto(f"/coach/athletes/{athlete.pk}/")
    thread = coach_page.locator("#thread")
    thread.get_by_label("Message", exact=True).fill("How did the split squats feel?")
    coach_page.evaluate("window.__noReload = 1")
    thread.get_by_role("button", name="Send").click()
    # htmx swaps the thread in place: the message is there and the page never reloaded.
    expect(coach_page.locator("#thread")).to_contain_text("How did the split squats feel?")
    assert coach_page.evaluate("window.__noReload") == 1
    screenshot(coach_page, "athlete-thread-desktop")

    phone = phone_page
    log_in(phone, athlete.user.email)
    expect(phone).to_have_url(re.compile(r"/today/$"))
    messages_link = phone.locator("#nav-messages")
    expect(messages_link).to_contain_text("1")
    expect(phone.locator("#nav-notifications")).to_contain_text("1")
    screenshot(phone, "today-unread-phone")

    messages_link.click()
    expect(phone.get_by_role("heading", name="Messages with your coach")).to_be_visible()
    expect(phone.locator("#thread")).to_contain_text("How did the split squats feel?")
    expect(phone.locator("#thread-unread")).to_contain_text("1 unread")
    # Shown is read: htmx posted the read mark once the thread was on screen, and its
    # no-JavaScript button went away.
    expect(phone.get_by_role("button", name="Mark as read")).to_have_count(0)
    assert ThreadRead.objects.filter(user=athlete.user).exists()
    screenshot(phone, "thread-phone")

    phone.get_by_label("Message", exact=True).fill("Wobbly on the left side, fine on the right.")
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator("#thread")).to_contain_text("Wobbly on the left side")
    phone.reload()
    expect(phone.locator("#nav-messages")).to_have_text("Messages")
    expect(phone.locator("#nav-notifications")).to_have_text("Notifications")

    assert Message.objects.filter(athlete=athlete).count() == 2
    assert Notification.objects.filter(recipient=coach.user, kind="message").count() == 1
    coach_page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    threads = coach_page.locator("#threads")
    expect(threads.get_by_role("row").filter(has_text=athlete.name)).to_contain_text("1")
    screenshot(coach_page, "inbox-desktop")
    coach_page.goto("/notifications/")
    expect(coach_page.locator("#notification-list")).to_contain_text("Wobbly on the left side")
    coach_page.get_by_role("button", name=re.compile("Wobbly on the left side")).click()
    expect(coach_page).to_have_url(re.compile(rf"/coach/athletes/{athlete.pk}/messages/$"))
    expect(coach_page.locator("#thread")).to_contain_text("Wobbly on the left side")
    assert browser_errors == []


def test_a_coach_adds_edits_and_deletes_a_private_note_in_place(
    coach, athlete, desktop_page, browser_errors, screenshot
):
    page = desktop_page
    log_in(page, coach.user.email)
    page.goto(f"/coach/athletes/{athlete.pk}/")
    page.evaluate("window.__noReload = 1")
    notes = page.locator("#coach-notes")
    notes.get_by_label("Note", exact=True).fill("Left Achilles: no plyometrics this block.")
    notes.get_by_role("button", name="Add note").click()
    expect(page.locator("#coach-notes")).to_contain_text("Left Achilles")

    page.locator("#coach-notes").get_by_role("link", name="Edit").click()
    page.locator("#coach-notes li form").get_by_role("textbox").fill("Achilles fine again.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("#coach-notes")).to_contain_text("Achilles fine again.")
    expect(page.locator("#coach-notes")).not_to_contain_text("no plyometrics")
    screenshot(page, "coach-notes-desktop")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#coach-notes").get_by_role("button", name="Delete").click()
    expect(page.locator("#coach-notes")).to_contain_text("No notes yet.")
    assert page.evaluate("window.__noReload") == 1
    assert browser_errors == []
