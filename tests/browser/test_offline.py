"""Logging sets on a phone with no signal: kept on the phone, sent once, stored once.

The phone is a Pixel 7 (tests/browser/conftest.py). `context.set_offline(True)` does not
cut the service worker's own requests, so "no signal" also aborts every request the
context makes; the service worker then answers page loads from its cache.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import BrowserContext, Locator, Page, Request, expect

from athletes.models import Athlete
from tests.browser.conftest import log_in
from tests.factories import (
    PlannedSessionFactory,
    PrescriptionFactory,
    TrainingMaxFactory,
    exercise,
)
from training.models import SetLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SYNC = "/sync/sets/"
# What Chromium prints when a request fails for want of a network, or is answered 401
# (Chromium's console line, and the guard's own line for the answer).
NO_SIGNAL = ("net::ERR_INTERNET_DISCONNECTED", "net::ERR_FAILED")
LOGGED_OUT = ("status of 401", "status 401 for POST")
# These tests cut the signal on purpose: the requests that fail then are expected.
allow_no_signal = pytest.mark.allow_browser_errors(*NO_SIGNAL)


def todays_squat_session(athlete: Athlete) -> None:
    """Today: back squat, 1 warm-up + 2 × 6 at 75 % of a 100 kg training max."""
    TrainingMaxFactory(athlete=athlete, exercise=exercise("back-squat"), value_kg=Decimal(100))
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today(), title="Strength A")
    PrescriptionFactory(session=session, exercise=exercise("back-squat"), position=1)


def rows(page: Page, *labels: str) -> dict[str, Locator]:
    """Each set's <li>, by its label, found by id so that it still matches once saved."""
    found = {}
    for label in labels:
        log_button = page.get_by_role("button", name=f"Log set {label}", exact=True)
        row = page.get_by_role("listitem").filter(has=log_button)
        found[label] = page.locator(f"#{row.get_attribute('id')}")
    return found


def log_button(row: Locator, label: str) -> Locator:
    return row.get_by_role("button", name=f"Log set {label}", exact=True)


def open_today(page: Page, athlete: Athlete) -> None:
    """Log in and wait until the service worker keeps today's page for offline use."""
    log_in(page, athlete.user.email)
    expect(page).to_have_url(re.compile(r"/today/$"))
    expect(page.locator("#offline-banner")).to_have_attribute("data-page-cached", "true")


def lose_signal(context: BrowserContext) -> None:
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def regain_signal(context: BrowserContext) -> None:
    context.unroute("**/*")
    context.set_offline(False)  # fires `online`, which sends the queue at once


@pytest.fixture
def sync_posts(phone_page: Page) -> list[Request]:
    """Every POST the page sends to the sync endpoint."""
    posts: list[Request] = []

    def record(request: Request) -> None:
        if request.method == "POST" and request.url.endswith(SYNC):
            posts.append(request)

    phone_page.on("request", record)
    return posts


def unexpected(errors: list[str], *expected: str) -> list[str]:
    return [error for error in errors if not any(e in error for e in expected)]


@allow_no_signal
def test_sets_logged_with_no_signal_survive_a_reload_and_are_stored_once_back_online(
    athlete, phone_page, browser_errors, screenshot
):
    todays_squat_session(athlete)
    page = phone_page
    open_today(page, athlete)
    sets = rows(page, "W1", "1", "2")

    lose_signal(page.context)
    sets["2"].get_by_label("Reps").fill("5")
    sets["2"].get_by_label("kg", exact=True).fill("77.5")
    for label, row in sets.items():
        log_button(row, label).tap()
        expect(row).to_contain_text("Waiting for signal")
    banner = page.locator("#offline-banner")
    expect(banner).to_contain_text("3 sets waiting for signal")

    # The page opens again from the service worker, each set still waiting, as typed.
    page.reload()
    expect(page.get_by_role("heading", name="Back squat")).to_be_visible()
    for row in sets.values():
        expect(row).to_contain_text("Waiting for signal")
    expect(sets["2"].get_by_label("Reps")).to_have_value("5")
    expect(sets["2"].get_by_label("kg", exact=True)).to_have_value("77.5")
    # The styles and scripts came from the worker's cache too.
    expect(sets["1"]).to_have_css("border-top-style", "dashed")
    assert page.evaluate("typeof window.htmx") == "object"
    screenshot(page, "today-phone-offline")
    assert SetLog.objects.count() == 0

    regain_signal(page.context)

    for row in sets.values():
        expect(row).to_contain_text("Saved")
        expect(row).not_to_contain_text("Waiting for signal")
    expect(sets["2"]).to_contain_text("5 × 77.5 kg")
    expect(banner).to_be_hidden()
    assert SetLog.objects.filter(athlete=athlete).count() == 3
    assert sorted(SetLog.objects.values_list("kind", "set_number", "reps")) == [
        ("warmup", 1, 6),
        ("working", 1, 6),
        ("working", 2, 5),
    ]
    # The saved rows work as if htmx had swapped them in: Undo answers in place.
    page.evaluate("window.__noReload = 1")
    sets["1"].get_by_role("button", name="Undo set 1").tap()
    expect(log_button(sets["1"], "1")).to_be_visible()
    assert page.evaluate("window.__noReload") == 1
    assert SetLog.objects.active().count() == 2
    assert unexpected(browser_errors, *NO_SIGNAL) == []


@allow_no_signal
def test_a_set_saved_online_shows_as_saved_when_the_page_is_reopened_with_no_signal(
    athlete, phone_page, browser_errors
):
    todays_squat_session(athlete)
    page = phone_page
    open_today(page, athlete)
    banner = page.locator("#offline-banner")
    expect(banner).to_have_attribute("data-page-copies", "1")
    row = rows(page, "1")["1"]

    log_button(row, "1").tap()
    expect(row).to_contain_text("Saved")
    # The copy is not fetched again: the saved row is kept on the phone and laid over it.

    lose_signal(page.context)
    page.reload()
    expect(page.get_by_role("heading", name="Back squat")).to_be_visible()
    expect(row).to_contain_text("Saved")
    expect(row).to_contain_text("6 × 75 kg")
    regain_signal(page.context)
    assert SetLog.objects.count() == 1
    assert unexpected(browser_errors, *NO_SIGNAL) == []


def test_a_double_tap_on_log_stores_the_set_exactly_once(
    athlete, phone_page, browser_errors, sync_posts
):
    todays_squat_session(athlete)
    open_today(phone_page, athlete)
    row = rows(phone_page, "1")["1"]
    answered: list[Request] = []
    phone_page.on("requestfinished", lambda request: answered.append(request))

    log_button(row, "1").dblclick()

    expect(row).to_contain_text("Saved")
    # However many posts the double tap sent, wait for every answer before counting rows.
    while any(post not in answered for post in sync_posts):
        phone_page.wait_for_event("requestfinished")
    assert SetLog.objects.count() == 1
    assert 1 <= len(sync_posts) <= 2
    expect(row).to_contain_text("Saved")
    assert browser_errors == []


# The sync endpoint answers 401 to the phone whose login expired: that is what it tests.
@pytest.mark.allow_browser_errors(*NO_SIGNAL, *LOGGED_OUT)
def test_a_login_that_expired_offline_asks_to_log_in_again_and_then_sends_the_set(
    athlete, phone_page, browser_errors
):
    todays_squat_session(athlete)
    page = phone_page
    open_today(page, athlete)
    row = rows(page, "1")["1"]

    lose_signal(page.context)
    Session.objects.all().delete()  # the login expires while the phone has no signal
    log_button(row, "1").tap()
    expect(row).to_contain_text("Waiting for signal")
    regain_signal(page.context)

    banner = page.locator("#offline-banner")
    expect(banner).to_contain_text(
        "You were logged out — log in again; your 1 set is kept on this phone."
    )
    assert SetLog.objects.count() == 0
    banner.get_by_role("link", name="Log in").tap()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/today/$"))
    log_in(page, athlete.user.email)

    expect(page).to_have_url(re.compile(r"/today/$"))
    expect(row).to_contain_text("Saved")
    expect(banner).to_be_hidden()
    assert SetLog.objects.filter(athlete=athlete).count() == 1
    assert unexpected(browser_errors, *NO_SIGNAL, *LOGGED_OUT) == []


def test_a_rejected_set_stays_on_its_row_with_the_reason_until_corrected(
    athlete, phone_page, browser_errors, sync_posts
):
    todays_squat_session(athlete)
    page = phone_page
    open_today(page, athlete)
    row = rows(page, "1")["1"]

    row.get_by_label("kg", exact=True).fill("900")
    log_button(row, "1").tap()

    expect(row).to_contain_text("Not saved")
    expect(row.get_by_role("alert")).to_have_text("That is more than 500 kg; check the number.")
    assert SetLog.objects.count() == 0

    # It is not sent again by itself: a reload shows it, as typed, and posts nothing.
    page.reload()
    expect(page.locator("#offline-banner")).to_have_attribute("data-sync-runs", "1")
    expect(row).to_contain_text("Not saved")
    expect(row.get_by_label("kg", exact=True)).to_have_value("900")
    assert len(sync_posts) == 1
    assert SetLog.objects.count() == 0

    # Corrected and logged again, it replaces the rejected one.
    row.get_by_label("kg", exact=True).fill("90")
    log_button(row, "1").tap()
    expect(row).to_contain_text("Saved")
    expect(row).to_contain_text("6 × 90 kg")
    assert list(SetLog.objects.values_list("load_kg", flat=True)) == [Decimal(90)]
    assert browser_errors == []


@allow_no_signal
def test_logging_out_with_sets_not_sent_asks_first_and_keeps_them_for_the_next_login(
    athlete, phone_page, browser_errors
):
    todays_squat_session(athlete)
    page = phone_page
    open_today(page, athlete)
    row = rows(page, "1")["1"]
    page.route(f"**{SYNC}", lambda route: route.abort("internetdisconnected"))
    log_button(row, "1").tap()
    expect(row).to_contain_text("Waiting for signal")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("More", exact=True).tap()  # Log out is under the nav's "More"
    log_out = page.get_by_role("button", name="Log out")
    cached_pages = "caches.keys().then(names => names.filter(n => n.includes('-pages-')))"
    assert len(page.evaluate(cached_pages)) == 1

    with page.expect_event("dialog") as asked:
        log_out.tap()
    assert asked.value.message == (
        "1 set not sent yet: kept on this phone and sent when you log in again. Log out anyway?"
    )
    asked.value.dismiss()
    expect(row).to_contain_text("Waiting for signal")
    assert page.url.endswith("/today/")

    with page.expect_event("dialog") as asked:
        log_out.tap()
    asked.value.accept()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    # A shared phone: the next person can't open this athlete's pages from the cache.
    assert page.evaluate(cached_pages) == []
    page.unroute(f"**{SYNC}")
    log_in(page, athlete.user.email)

    expect(page).to_have_url(re.compile(r"/today/$"))
    expect(row).to_contain_text("Saved")
    assert SetLog.objects.filter(athlete=athlete).count() == 1
    assert unexpected(browser_errors, *NO_SIGNAL) == []
