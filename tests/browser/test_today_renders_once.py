"""The phone's Today page is rendered once per visit: the service worker keeps the page's
own answer for offline use, and saving a set does not fetch it again."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_started
from playwright.sync_api import Page, expect

from tests.browser.test_offline import log_button, open_today, rows, todays_squat_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def today_gets() -> Iterator[list[str]]:
    """Every GET of /today/ that reaches the server, whoever sends it (page or worker)."""
    seen: list[str] = []

    def record(sender: Any, environ: dict[str, str], **kwargs: Any) -> None:
        if environ.get("REQUEST_METHOD") == "GET" and environ.get("PATH_INFO") == "/today/":
            seen.append(environ.get("HTTP_HX_REQUEST", "page"))

    request_started.connect(record, weak=False)
    yield seen
    request_started.disconnect(record)


def test_today_is_rendered_once_per_visit_and_not_again_after_saving(
    athlete, phone_page: Page, today_gets: list[str]
):
    todays_squat_session(athlete)
    page = phone_page

    # The phone's very first visit is not the worker's: it installs during it and asks
    # for its own copy of the page then. Every later visit is the worker's.
    open_today(page, athlete)

    today_gets.clear()
    page.reload()
    expect(page.locator("#offline-banner")).to_have_attribute("data-page-cached", "true")
    page.wait_for_timeout(1500)
    assert len(today_gets) == 1, today_gets

    today_gets.clear()
    page.goto("/history/")
    page.goto("/today/")
    expect(page.locator("#offline-banner")).to_have_attribute("data-page-cached", "true")
    page.wait_for_timeout(1500)
    assert len(today_gets) == 1, today_gets

    today_gets.clear()
    row = rows(page, "1")["1"]
    log_button(row, "1").tap()
    expect(row).to_contain_text("Saved")
    page.wait_for_timeout(6500)  # past the quiet time after which the copy was refreshed
    assert today_gets == []
