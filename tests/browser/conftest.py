"""Playwright fixtures: one Chromium for these tests, a fresh context per person per test.

pytest-playwright is not a dependency: these few fixtures launch Debian's Chromium
(Playwright's own browser download is unreachable).

Every page they open is guarded: a test fails if any page it visited printed a console
error, threw an uncaught exception, broke the Content-Security-Policy, was answered
with a status of 400 or more (page, htmx fragment or asset), or showed raw template
syntax (`{#`, `{%`, `{{`) in its text after a load or an htmx swap. A test that expects
one of these says so, with the reason, in `@pytest.mark.allow_browser_errors(...)`.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Response,
    sync_playwright,
)

from tests.conftest import CHROMIUM
from tests.factories import PASSWORD

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"viewport": {"width": 1366, "height": 800}, "locale": "en-GB"}  # a coach's laptop
PHONE = "Pixel 7"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Chromium also prints violations to the console, but only some of them as errors;
# this makes every one an error the watcher below cannot miss.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline code";
  console.error(`CSP violation: ${event.violatedDirective} blocked ${blocked}`);
});
"""

# Django shows a template tag it could not parse (a `{# #}` over two lines, a typo in
# `{% %}`) as text; checked in what the person sees, after each load and htmx swap.
REPORT_RAW_TEMPLATE_SYNTAX = """
(() => {
  const raw = /\\{[#%{]/;
  const check = (when) => {
    const text = document.body ? document.body.innerText : "";
    const found = raw.exec(text);
    if (found) {
      const around = text.slice(Math.max(0, found.index - 40), found.index + 60);
      console.error(`raw template syntax ${when}: ${JSON.stringify(around)}`);
    }
  };
  addEventListener("load", () => check("after load"));
  document.addEventListener("htmx:afterSettle", () => check("after an htmx swap"));
})();
"""
ALLOW_MARKER = "allow_browser_errors"
CHECKED = pytest.StashKey[int]()


@pytest.fixture(scope="package")
def playwright(django_db_setup: None) -> Iterator[Playwright]:
    """Playwright's driver, running only while the browser tests run.

    The sync API leaves an asyncio loop marked as running in this thread, and Django
    reacts to that in two ways:
    - the ORM refuses to run unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set here, not
      for the whole session: `manage.py check --deploy` (tests/test_env.py) rightly fails
      in a subprocess that inherits it;
    - "async" code gets its own connection objects, and those lack the snapshot of
      migrated rows (the seed exercise library) that serialized_rollback restores after
      each transactional test's flush. Handing that side the very same objects keeps one
      connection per database, so the restore works and no connection is left open.
    """
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    sync_side = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as driver:
            for alias, connection in sync_side.items():
                connections[alias] = connection
            yield driver
    finally:
        if previous is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(autouse=True)
def _links_lead_to_the_live_server(request: pytest.FixtureRequest, settings) -> None:
    """Emails and feeds link to SITE_URL; in a browser test that is the live server."""
    if "live_server" in request.fixturenames:
        settings.SITE_URL = request.getfixturevalue("live_server").url


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def unexpected_errors(item: pytest.Item, errors: list[str]) -> list[str]:
    """The errors that no `allow_browser_errors` pattern of the test (a regex) accepts."""
    allowed = [
        re.compile(pattern) for marker in item.iter_markers(ALLOW_MARKER) for pattern in marker.args
    ]
    return [error for error in errors if not any(p.search(error) for p in allowed)]


def _report(problems: list[str]) -> str:
    return "the browser guard caught:\n  " + "\n  ".join(problems)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail the test itself (not only its teardown) when a guarded page went wrong."""
    try:
        result = yield
    finally:
        errors = getattr(item, "funcargs", {}).get("browser_errors")
        if errors is not None:
            item.stash[CHECKED] = len(errors)
    if errors is not None and (problems := unexpected_errors(item, errors)):
        raise AssertionError(_report(problems))
    return result


@pytest.fixture
def browser_errors(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Everything that went wrong in any guarded page, checked after the test.

    What arrives after the test's last line (a late htmx answer, an error while the
    pages close) fails the teardown instead.
    """
    errors: list[str] = []
    yield errors
    late = errors[request.node.stash.get(CHECKED, 0) :]
    if problems := unexpected_errors(request.node, late):
        pytest.fail(_report(problems))


def _guard(page: Page, errors: list[str]) -> None:
    def on_response(response: Response) -> None:
        if response.status >= 400:
            errors.append(f"status {response.status} for {response.request.method} {response.url}")

    page.on(
        "console",
        lambda message: (
            errors.append(f"console error on {page.url}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(f"uncaught error on {page.url}: {error}"))
    page.on("response", on_response)


def _new_page(context: BrowserContext, errors: list[str]) -> Page:
    """A page of `context`; it and every page it opens later are guarded."""
    context.set_default_timeout(5_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.add_init_script(REPORT_RAW_TEMPLATE_SYNTAX)
    context.on("page", lambda opened: _guard(opened, errors))
    return context.new_page()


@pytest.fixture
def desktop_page(browser: Browser, live_server, browser_errors: list[str]) -> Iterator[Page]:
    """The coach's laptop."""
    context = browser.new_context(base_url=live_server.url, **DESKTOP)
    yield _new_page(context, browser_errors)
    context.close()


@pytest.fixture
def phone_page(
    browser: Browser, playwright: Playwright, live_server, browser_errors: list[str]
) -> Iterator[Page]:
    """The athlete's phone: a Pixel 7's screen, touch and user agent."""
    device = {
        key: value
        for key, value in playwright.devices[PHONE].items()
        if key != "default_browser_type"
    }
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **device)
    yield _new_page(context, browser_errors)
    context.close()


@pytest.fixture(scope="session")
def screenshot() -> Callable[[Page, str], None]:
    """Save a full-page PNG of `page` as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> None:
        # caret="initial": hiding the caret leaves style="" on inputs; a screenshot
        # should not change the page it shows.
        page.screenshot(
            path=SCREENSHOTS / f"{name}.png", full_page=True, scale="css", caret="initial"
        )

    return take


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would (from the login page, if already there)."""
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    # The next page's scripts (htmx) have run: a tap right after this is handled by them,
    # not by the browser's plain link-following fallback.
    page.wait_for_load_state("load")
