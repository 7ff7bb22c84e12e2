"""Today's page on a phone's first visit: small and few requests, all to our own host.

The budget, from the issue: first load of /today/ at most 60 KB transferred (compressed)
in at most 8 requests, with no third-party hosts.

- "First load" is a fresh browser context (empty HTTP cache, no service worker) that
  only carries the session cookie of a login made in another context.
- The budget counts what the page itself requests: the document, its styles, scripts and
  images, and the service worker script that it registers. The worker's own fetches (it
  precaches the offline assets and keeps a copy of the page for use without signal) are
  counted and printed separately, and they too must stay on our own host.
- Bytes are response headers plus the body as sent (encoded). HTML goes through
  GZipMiddleware and is asserted to arrive gzipped. Static files come from the live
  server's staticfiles handler, which sends them uncompressed; in production WhiteNoise
  sends the gzip files that collectstatic writes (compresslevel 9, no brotli installed).
  So the budget is checked on the compressed size: the bytes as sent for compressed
  responses, and headers plus the gzip size of the body for the uncompressed text ones.
  Both figures are printed (pytest -s) and quoted in the assertion messages.
"""

import gzip
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Playwright, Request, expect

from tests.browser.conftest import PHONE, _new_page, log_in
from tests.browser.test_accessibility import realistic_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_REQUESTS = 8
MAX_BYTES = 60 * 1000  # "60 KB", read strictly as decimal kilobytes
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class Transfer:
    url: str
    by_worker: bool  # fetched by the service worker's own code, not by the page
    from_cache: bool  # answered by the browser's HTTP cache: nothing crossed the network
    status: int
    content_type: str
    encoding: str
    headers_bytes: int
    body_bytes: int  # as sent, encoded
    raw_bytes: int  # decoded
    gzip_bytes: int  # the body as production sends it: as sent if encoded, else gzipped

    @property
    def sent(self) -> int:
        return 0 if self.from_cache else self.headers_bytes + self.body_bytes

    @property
    def compressed(self) -> int:
        return 0 if self.from_cache else self.headers_bytes + self.gzip_bytes

    def line(self) -> str:
        who = "worker" if self.by_worker else "page"
        how = "cache" if self.from_cache else self.encoding or "identity"
        return (
            f"  {who:6} {self.status} {urlsplit(self.url).path:34} {self.content_type:22} "
            f"{how:8} sent {self.sent:6} B, compressed {self.compressed:6} B "
            f"(body {self.body_bytes:6} B, decoded {self.raw_bytes:6} B)"
        )


def measure(request: Request, *, worker_script: str) -> Transfer:
    response = request.response()
    assert response is not None, f"no response for {request.url}"
    headers = response.headers
    sizes = request.sizes()
    body = response.body() if response.status == 200 else b""
    content_type = headers.get("content-type", "").split(";")[0]
    encoding = headers.get("content-encoding", "")
    # Chromium reports a cache hit as no bytes received, i.e. a body of minus the headers;
    # and it leaves the body of the worker script out, where Content-Length still tells.
    from_cache = sizes["responseBodySize"] < 0
    sent_body = sizes["responseBodySize"] or int(headers.get("content-length", 0))
    if encoding or not content_type.startswith(COMPRESSIBLE):
        gzip_bytes = sent_body
    else:
        gzip_bytes = len(gzip.compress(body, compresslevel=9, mtime=0))
    return Transfer(
        url=request.url,
        # Chromium files the worker script under the worker, but the page asked for it.
        by_worker=request.service_worker is not None
        and urlsplit(request.url).path != worker_script,
        from_cache=from_cache,
        status=response.status,
        content_type=content_type,
        encoding=encoding,
        headers_bytes=sizes["responseHeadersSize"],
        body_bytes=max(sent_body, 0),
        raw_bytes=len(body),
        gzip_bytes=max(gzip_bytes, 0),
    )


def report(transfers: list[Transfer]) -> str:
    page = [t for t in transfers if not t.by_worker]
    worker = [t for t in transfers if t.by_worker]
    lines = ["/today/ first load on a Pixel 7, empty cache:", *(t.line() for t in transfers)]
    for who, group in (("page", page), ("service worker", worker), ("page + worker", transfers)):
        over_network = [t for t in group if not t.from_cache]
        lines.append(
            f"  {who}: {len(group)} requests ({len(over_network)} over the network), "
            f"{sum(t.sent for t in group)} B as sent by the test server, "
            f"{sum(t.compressed for t in group)} B compressed as in production"
        )
    lines.append(
        f"  budget: the page's {MAX_REQUESTS} requests; {MAX_BYTES} B compressed, "
        "checked for the page and for page + worker"
    )
    return "\n".join(lines)


def test_todays_page_first_load_on_a_phone_stays_within_the_page_weight_budget(
    athlete, browser: Browser, playwright: Playwright, live_server, browser_errors
):
    realistic_session(athlete)
    device = {
        key: value
        for key, value in playwright.devices[PHONE].items()
        if key != "default_browser_type"
    }
    login = browser.new_context(base_url=live_server.url, locale="en-GB", **device)
    login_page = _new_page(login, browser_errors)
    log_in(login_page, athlete.user.email)
    expect(login_page).to_have_url(re.compile(r"/today/$"))
    cookies = login.cookies()
    login.close()

    context = browser.new_context(base_url=live_server.url, locale="en-GB", **device)
    context.add_cookies(cookies)
    sent: list[Request] = []
    done: list[Request] = []
    failed: list[str] = []
    context.on("request", lambda request: sent.append(request))
    context.on("requestfinished", lambda request: done.append(request))
    context.on("requestfailed", lambda request: failed.append(request.url))
    page = _new_page(context, browser_errors)

    page.goto("/today/")
    expect(page.get_by_role("heading", name="Strength A")).to_be_visible()
    # The worker has installed, precached and kept a copy of the page: its fetches are over.
    expect(page.locator("#offline-banner")).to_have_attribute("data-page-cached", "true")
    while len(done) + len(failed) < len(sent):
        context.wait_for_event("requestfinished")
    worker_script = reverse("service_worker")
    transfers = [measure(request, worker_script=worker_script) for request in done]
    context.close()

    summary = report(transfers)
    print("\n" + summary)
    assert failed == [], summary
    assert browser_errors == []
    server = urlsplit(live_server.url).netloc
    elsewhere = [t.url for t in transfers if urlsplit(t.url).netloc != server]
    assert elsewhere == [], f"requests to other hosts: {elsewhere}\n{summary}"
    document = next(t for t in transfers if urlsplit(t.url).path == "/today/")
    assert document.encoding == "gzip", f"today's HTML was sent uncompressed\n{summary}"
    own = [t for t in transfers if not t.by_worker]
    assert len(own) <= MAX_REQUESTS, summary
    assert sum(t.compressed for t in own) <= MAX_BYTES, summary
    # What the phone pays for on a first visit includes the worker's own fetches.
    assert sum(t.compressed for t in transfers) <= MAX_BYTES, summary
