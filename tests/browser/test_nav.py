"""The top of every page: on a runner's phone one row with the unread counts, the rest
under "More"; the coach's laptop keeps every link in view."""

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from comms.services import message_send
from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ONE_ROW = 56  # px: a 44 px tap target and the bar's padding, on a phone


def test_a_runners_phone_shows_one_row_of_nav_with_the_unread_counts_and_more_behind_more(
    coach, athlete, phone_page, browser_errors, screenshot
):
    with transaction.atomic():  # the notification goes out on commit
        message_send(athlete=athlete, author=coach.user, body="How did the squats feel?")
    page = phone_page
    log_in(page, athlete.user.email)
    expect(page).to_have_url(re.compile(r"/today/$"))
    nav = page.get_by_role("navigation", name="Main")
    screenshot(page, "nav-runner-phone")

    bar = page.locator("header.topbar").bounding_box()
    assert bar is not None
    assert bar["height"] <= ONE_ROW, f"the nav takes {bar['height']} px before any content"
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    messages = nav.locator("#nav-messages")
    expect(messages).to_be_in_viewport()
    expect(messages).to_contain_text("1")
    expect(nav.locator("#nav-notifications")).to_be_in_viewport()
    expect(nav.locator("#nav-notifications")).to_contain_text("1")
    expect(nav.get_by_role("link", name="Today")).to_be_visible()
    history = nav.get_by_role("link", name="History")
    expect(history).to_be_hidden()

    nav.get_by_text("More", exact=True).tap()
    for name in ("History", "Maxes", "Your data", "Change password"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    screenshot(page, "nav-runner-phone-more")
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    history.tap()
    expect(page).to_have_url(re.compile(r"/history/$"))

    # The smallest phone the runner's pages are built for: still one row, nothing cut off.
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto("/today/")
    bar = page.locator("header.topbar").bounding_box()
    assert bar is not None
    assert bar["height"] <= ONE_ROW
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(nav.locator("#nav-notifications")).to_be_in_viewport(ratio=1)
    screenshot(page, "nav-runner-phone-360")
    assert browser_errors == []


def test_a_coachs_laptop_keeps_every_link_in_one_row(
    coach, desktop_page, browser_errors, screenshot
):
    page = desktop_page
    page.set_viewport_size({"width": 1366, "height": 800})
    log_in(page, coach.user.email)
    expect(page).to_have_url(re.compile(r"/coach/$"))
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Athletes", "Progression", "Templates", "Exercises", "Messages"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    expect(nav.get_by_text("More", exact=True)).to_have_count(0)
    bar = page.locator("header.topbar").bounding_box()
    assert bar is not None
    assert bar["height"] < 2 * 44, "one row of links, as before"
    screenshot(page, "nav-coach-desktop")
    assert browser_errors == []
