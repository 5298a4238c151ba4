"""Swagger UI in a real browser: the page lists the operations, "Try it out" works, and its files are cached."""

from __future__ import annotations

import json
from typing import Any

import pytest

# Swagger UI renders asynchronously; these bound each wait, they assert nothing about speed.
WAIT_MS = 30_000


@pytest.fixture
def swagger_page(browser, bookstore_on_a_stage):
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(f"console: {message.text}") if message.type == "error" else None)
    # Everything the page needs comes from the app: no request may leave for the internet.
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(bookstore_on_a_stage) else route.abort(),
    )
    page.goto(f"{bookstore_on_a_stage}/swagger")
    page.wait_for_selector(".opblock", timeout=WAIT_MS)
    yield page, problems
    context.close()


def test_the_page_shows_the_apps_operations(swagger_page):
    page, problems = swagger_page

    operations = [
        (block.locator(".opblock-summary-method").inner_text(), block.locator(".opblock-summary-path").inner_text())
        for block in page.locator(".opblock").all()
    ]

    assert page.title() == "Bookstore"
    assert page.locator(".info .title").inner_text().startswith("Bookstore")
    assert sorted(operations) == [("GET", "/books"), ("GET", "/books/{book_id}"), ("POST", "/books")]
    assert problems == []


def test_try_it_out_calls_the_api_and_shows_its_answer(swagger_page, bookstore_on_a_stage):
    page, problems = swagger_page
    operation = page.locator(".opblock-get").filter(has=page.locator('.opblock-summary-path[data-path="/books/{book_id}"]'))

    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator('tr[data-param-name="book_id"] input').fill("2")
    operation.locator("button.execute").click()
    answer = operation.locator(".live-responses-table tbody tr.response").first
    answer.wait_for(timeout=WAIT_MS)

    assert answer.locator(".response-col_status").inner_text().strip() == "200"
    shown = json.loads(answer.locator(".response-col_description pre.microlight").first.inner_text())
    assert shown == {"title": "Kindred", "author": "Octavia E. Butler", "year": 1979, "id": 2}
    # Called where the browser found the page, not at the stage the event claimed.
    assert operation.locator(".request-url pre").inner_text().strip() == f"{bookstore_on_a_stage}/books/2"
    assert problems == []


def test_the_page_and_its_document_come_from_the_app(bookstore_on_a_stage, browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        reply = page.goto(f"{bookstore_on_a_stage}/swagger?format=json")
        document = reply.json()
        redirect = page.goto(f"{bookstore_on_a_stage}/swagger?format=oauth2-redirect")
        redirect_type = redirect.headers["content-type"]
    finally:
        context.close()

    assert reply.headers["content-type"] == "application/json"
    assert document["info"]["title"] == "Bookstore"
    assert document["servers"] == [{"url": "/prod"}]  # the event's stage, for clients that read the document
    assert redirect_type == "text/html"


# -- what the browser fetches, first and again -----------------------------------------


class Traffic:
    """What a page fetched, from Chromium's DevTools protocol: the bytes each URL took on the wire.

    (Not ``page.route``: Playwright turns the HTTP cache off while routing, and
    the cache is what these tests are about.) Bytes are as received: headers
    and body, compressed when the answer was.
    """

    def __init__(self, context: Any, page: Any) -> None:
        self._urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.from_cache: set[str] = set()
        self.encodings: dict[str, str] = {}
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.requestServedFromCache", self._cached)
        session.on("Network.responseReceived", self._received)
        session.on("Network.loadingFinished", self._finished)

    def _sent(self, event: dict[str, Any]) -> None:
        url = event["request"]["url"]
        if not url.startswith("data:"):
            self._urls[event["requestId"]] = url

    def _cached(self, event: dict[str, Any]) -> None:
        url = self._urls.get(event["requestId"])
        if url is not None:
            self.from_cache.add(url)

    def _received(self, event: dict[str, Any]) -> None:
        url = self._urls.get(event["requestId"])
        if url is not None:
            headers = {name.lower(): value for name, value in event["response"]["headers"].items()}
            self.encodings[url] = headers.get("content-encoding", "")

    def _finished(self, event: dict[str, Any]) -> None:
        url = self._urls.get(event["requestId"])
        if url is not None:
            self.sizes[url] = int(event["encodedDataLength"])

    def visit(self, page: Any, url: str | None = None) -> dict[str, int]:
        """Open ``url`` (or reload), wait for Swagger UI, and return the bytes each URL took."""
        self.sizes.clear()
        self.from_cache.clear()
        if url is None:
            page.reload()
        else:
            page.goto(url)
        page.wait_for_selector(".opblock", timeout=WAIT_MS)
        page.wait_for_load_state("networkidle")
        return dict(self.sizes)


def asset_of(url: str) -> str:
    """The file a Swagger UI asset URL names (``swagger-ui.css``...)."""
    return url.split("?asset=")[1].split("&")[0]


def by_file(sizes: dict[str, int], page_url: str) -> dict[str, int]:
    """Sizes keyed "page", "swagger-ui.css", "swagger-ui-bundle.js"; nothing else may have been fetched."""
    named = {}
    for url, size in sizes.items():
        if url == page_url:
            named["page"] = size
        else:
            assert url.startswith(f"{page_url}?asset="), f"the page fetched {url}"
            named[asset_of(url)] = size
    return named


def test_a_repeat_visit_fetches_no_file_again_and_only_revalidates_the_page(browser, bookstore):
    context = browser.new_context()
    try:
        page = context.new_page()
        traffic = Traffic(context, page)
        url = f"{bookstore}/swagger"

        first = by_file(traffic.visit(page, url), url)
        again = by_file(traffic.visit(page), url)
        cached = set(traffic.from_cache)
        later = by_file(traffic.visit(page, url), url)
    finally:
        context.close()

    # First visit: the page and its two files, nothing else (no favicon, nothing
    # from the internet), the files as they are (the bookstore does not compress).
    assert set(first) == {"page", "swagger-ui.css", "swagger-ui-bundle.js"}
    assert first["page"] < 10_000
    assert 1_700_000 < first["swagger-ui-bundle.js"] < 1_750_000
    assert 180_000 < first["swagger-ui.css"] < 200_000
    # Reload and a later visit: the files come from the browser's cache without
    # a request, the page is revalidated and answered 304 (headers only).
    for visit in (again, later):
        assert visit["page"] < 1_000
        assert visit.get("swagger-ui.css", 0) == 0
        assert visit.get("swagger-ui-bundle.js", 0) == 0
        assert sum(visit.values()) < 1_000
    assert {asset_of(url) for url in cached} == {"swagger-ui.css", "swagger-ui-bundle.js"}


def test_gzipped_files_under_a_path_prefix_work_and_are_cached(browser, compressed_api):
    context = browser.new_context()
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda message: problems.append(f"console: {message.text}") if message.type == "error" else None)
        traffic = Traffic(context, page)
        url = f"{compressed_api}/api/swagger"

        first = by_file(traffic.visit(page, url), url)
        encodings = {asset_of(url): value for url, value in traffic.encodings.items() if "?asset=" in url}
        operation = page.locator(".opblock-get")
        operation.locator(".opblock-summary").click()
        operation.locator("button.try-out__btn").click()
        operation.locator('tr[data-param-name="ping_id"] input').fill("7")
        operation.locator("button.execute").click()
        answer = operation.locator(".live-responses-table tbody tr.response").first
        answer.wait_for(timeout=WAIT_MS)
        status = answer.locator(".response-col_status").inner_text().strip()
        shown = json.loads(answer.locator(".response-col_description pre.microlight").first.inner_text())
        called = operation.locator(".request-url pre").inner_text().strip()
        # A later visit (the URL without the operation's deep link, which Swagger
        # UI would warn about on a reload: its operation id holds "_").
        again = by_file(traffic.visit(page, url), url)
    finally:
        context.close()

    assert encodings == {"swagger-ui.css": "gzip", "swagger-ui-bundle.js": "gzip"}
    assert first["page"] < 3_000
    assert 440_000 < first["swagger-ui-bundle.js"] < 480_000
    assert 25_000 < first["swagger-ui.css"] < 32_000
    assert sum(first.values()) < 520_000
    assert (status, shown) == ("200", {"id": 7, "pong": "yes"})
    assert called == f"{compressed_api}/api/pings/7"  # under the prefix the page was found at
    assert sum(again.values()) < 1_000
    assert problems == []
