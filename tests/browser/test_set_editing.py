"""A runner corrects and takes back logged sets on a phone, with and without signal.

Edits and undos need a connection (README, "Works offline"): with no signal they say so on
the set's row and change nothing, while new sets keep queueing on the phone. What a
page opened offline shows is the queue's truth, even when the copy on the phone is
older than the last edit or undo. Every test fails on any console error, uncaught
exception or HTTP answer of 400 or more.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, Response, expect

from tests.browser.test_offline import (
    log_button,
    lose_signal,
    open_today,
    regain_signal,
    rows,
    todays_squat_session,
)
from training.models import SetLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEEDS_SIGNAL = "No signal: editing or undoing a saved set needs a connection."


@pytest.fixture
def failed_responses(phone_page: Page) -> list[str]:
    """Every answer of 400 or more to a page, fragment, asset or the sync endpoint."""
    failed: list[str] = []

    def record(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.request.method} {response.url}")

    phone_page.on("response", record)
    return failed


def test_a_runner_logs_a_set_with_one_tap_then_corrects_its_reps_and_rpe(
    athlete, phone_page, browser_errors, failed_responses, screenshot
):
    todays_squat_session(athlete)
    page = phone_page
    open_today(page, athlete)
    row = rows(page, "1")["1"]
    timer = page.locator("#rest-timer")

    log_button(row, "1").tap()
    expect(row).to_contain_text("6 × 75 kg")
    expect(timer).to_be_visible()
    timer.get_by_role("button", name="Skip").tap()
    expect(timer).to_be_hidden()

    row.get_by_role("link", name="Edit set 1").tap()
    save = row.get_by_role("button", name="Save set 1")
    expect(save).to_be_visible()
    row.get_by_label("Reps").fill("4")
    row.get_by_label("RPE").select_option("8.5")
    screenshot(page, "set-edit-phone")
    # Readable and tappable on a 412 px screen: no field squeezed below a thumb's width.
    for field in ("Reps", "kg", "RPE", "Note"):
        box = row.get_by_label(field, exact=field == "kg").bounding_box()
        assert box is not None
        assert box["width"] >= 72, (field, box)
        assert box["height"] >= 40, (field, box)
    save.tap()

    expect(row).to_contain_text("4 × 75 kg · RPE 8.5")
    expect(row).to_contain_text("Saved")
    expect(timer).to_be_hidden()  # a correction is not a new set: no rest starts
    page.reload()
    expect(row).to_contain_text("4 × 75 kg · RPE 8.5")
    stored = SetLog.objects.get(athlete=athlete)
    assert (stored.reps, stored.load_kg, stored.rpe) == (4, Decimal(75), Decimal("8.5"))
    assert browser_errors == []
    assert failed_responses == []


def test_the_old_edit_link_of_an_undone_set_says_it_was_undone(
    athlete, phone_page, browser_errors, failed_responses
):
    todays_squat_session(athlete)
    page = phone_page
    open_today(page, athlete)
    row = rows(page, "1")["1"]
    log_button(row, "1").tap()
    expect(row).to_contain_text("Saved")
    edit_url = row.get_by_role("link", name="Edit set 1").get_attribute("href")
    assert edit_url

    row.get_by_role("button", name="Undo set 1").tap()
    expect(log_button(row, "1")).to_be_visible()
    page.goto(edit_url)

    expect(page).to_have_url(re.compile(r"/sessions/[0-9a-f-]{36}/$"))
    expect(page.get_by_text("Set 1 of Back squat was undone")).to_be_visible()
    expect(log_button(row, "1")).to_be_visible()
    assert SetLog.objects.get(athlete=athlete).is_undone
    assert browser_errors == []
    assert failed_responses == []


def test_with_no_signal_edit_and_undo_say_so_and_new_sets_are_stored_once_back_online(
    athlete, phone_page, browser_errors, failed_responses
):
    todays_squat_session(athlete)
    page = phone_page
    open_today(page, athlete)
    sets = rows(page, "1", "2")
    log_button(sets["1"], "1").tap()
    expect(sets["1"]).to_contain_text("Saved")

    lose_signal(page.context)
    sets["1"].get_by_role("link", name="Edit set 1").tap()
    expect(sets["1"].get_by_role("alert")).to_have_text(re.compile(NEEDS_SIGNAL))
    sets["1"].get_by_role("button", name="Undo set 1").tap()
    expect(sets["1"].get_by_role("alert")).to_have_text(re.compile(NEEDS_SIGNAL))
    expect(sets["1"]).to_contain_text("6 × 75 kg")
    sets["2"].get_by_label("Reps").fill("5")
    log_button(sets["2"], "2").tap()
    expect(sets["2"]).to_contain_text("Waiting for signal")

    # The copy on the phone may predate set 1; the page still shows what is true.
    page.reload()
    expect(page.get_by_role("heading", name="Back squat")).to_be_visible()
    expect(sets["1"]).to_contain_text("Saved")
    expect(sets["1"]).to_contain_text("6 × 75 kg")
    expect(sets["2"]).to_contain_text("Waiting for signal")
    expect(sets["2"].get_by_label("Reps")).to_have_value("5")
    expect(page.locator("#offline-banner")).to_contain_text("1 set waiting for signal")
    assert SetLog.objects.count() == 1

    regain_signal(page.context)
    expect(sets["2"]).to_contain_text("5 × 75 kg")
    expect(page.locator("#offline-banner")).to_be_hidden()
    assert sorted(SetLog.objects.active().values_list("set_number", "reps")) == [(1, 6), (2, 5)]
    assert SetLog.objects.count() == 2
    assert browser_errors == []
    assert failed_responses == []


def test_a_set_undone_then_logged_again_offline_shows_as_waiting_after_a_reload(
    athlete, phone_page, browser_errors, failed_responses
):
    todays_squat_session(athlete)
    page = phone_page
    open_today(page, athlete)
    banner = page.locator("#offline-banner")
    row = rows(page, "1")["1"]
    log_button(row, "1").tap()
    expect(row).to_contain_text("Saved")
    # The phone's copy of the page now shows set 1 saved (the next visit keeps it)...
    page.reload()
    expect(row).to_contain_text("Saved")
    expect(banner).to_have_attribute("data-page-cached", "true")
    # ...and the undo that follows loses the signal before the copy catches up.
    row.get_by_role("button", name="Undo set 1").tap()
    expect(log_button(row, "1")).to_be_visible()
    lose_signal(page.context)
    row.get_by_label("Reps").fill("4")
    log_button(row, "1").tap()
    expect(row).to_contain_text("Waiting for signal")

    page.reload()
    expect(page.get_by_role("heading", name="Back squat")).to_be_visible()
    expect(row).to_contain_text("Waiting for signal")
    expect(row).not_to_contain_text("Saved")
    expect(row.get_by_label("Reps")).to_have_value("4")
    expect(banner).to_contain_text("1 set waiting for signal")
    # Even if the phone could not keep the rows the server sent (storage refused them).
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page.get_by_role("heading", name="Back squat")).to_be_visible()
    expect(row).to_contain_text("Waiting for signal")
    expect(row).to_contain_text("4 × 75 kg")
    expect(row).not_to_contain_text("Saved")
    expect(row.get_by_role("button", name="Undo set 1")).to_have_count(0)
    expect(banner).to_contain_text("1 set waiting for signal")

    regain_signal(page.context)
    expect(row).to_contain_text("4 × 75 kg")
    expect(row).to_contain_text("Saved")
    expect(banner).to_be_hidden()
    stored = SetLog.objects.get(athlete=athlete)  # one row for the set, logged again
    assert (stored.reps, stored.is_undone) == (4, False)
    assert browser_errors == []
    assert failed_responses == []
