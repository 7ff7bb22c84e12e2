"""The guard every browser test runs under (tests/browser/conftest.py) sees each kind of
trouble it promises to see. It watches its own list here, so the trouble made on purpose
does not fail this test's own guard."""

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import DESKTOP, _new_page, unexpected_errors

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def watched(browser: Browser, live_server):
    errors: list[str] = []
    context = browser.new_context(base_url=live_server.url, **DESKTOP)
    page = _new_page(context, errors)
    yield page, errors
    context.close()


def caught(errors: list[str], text: str) -> bool:
    return any(text in error for error in errors)


def test_the_guard_sees_an_error_answer_an_inline_style_an_uncaught_error_and_raw_syntax(
    watched: tuple[Page, list[str]],
):
    page, errors = watched
    page.goto("/no-such-page/")
    page.wait_for_timeout(200)  # console messages arrive a moment after the load
    assert caught(errors, "status 404 for GET")

    before = len(errors)
    page.goto("/accounts/login/")
    page.wait_for_timeout(200)
    assert errors[before:] == [], "a clean page adds nothing"
    page.evaluate("document.querySelector('h1').setAttribute('style', 'color: red')")
    page.wait_for_timeout(100)
    assert caught(errors, "CSP violation: style-src-attr")

    page.evaluate("setTimeout(() => { throw new Error('thrown on purpose') })")
    page.wait_for_timeout(100)
    assert caught(errors, "uncaught error on")

    page.evaluate(
        "document.querySelector('h1').append(' {% if %}');"
        "document.body.dispatchEvent(new Event('htmx:afterSettle', {bubbles: true}))"
    )
    page.wait_for_timeout(100)
    assert caught(errors, "raw template syntax after an htmx swap")


@pytest.mark.allow_browser_errors("status 404 for GET .*/gone/$", reason="an example")
def test_a_test_names_the_errors_it_expects(request: pytest.FixtureRequest):
    errors = ["status 404 for GET http://x/gone/", "status 404 for GET http://x/other/"]
    assert unexpected_errors(request.node, errors) == ["status 404 for GET http://x/other/"]
