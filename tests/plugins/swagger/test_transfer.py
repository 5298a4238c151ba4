"""The bytes a first and a repeat visit of the Swagger page transfer, measured with a modelled browser cache.

``pytest -s tests/plugins/swagger/test_transfer.py`` prints them. The browser
test in tests/e2e measures the same in Chromium, headers included.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from dataclasses import dataclass, field

import pytest
from kernel_swagger import static

from kernel import APIGatewayRestResolver
from kernel.testing import Client

# What every Swagger page of this plugin weighed before its files were served
# apart (the whole of Swagger UI written into the page), for the record:
# 1,929,247 bytes on every visit, 581,145 gzipped (compress=True), for a page
# like the one below.
INLINED_PAGE_BYTES = {False: 1_929_247, True: 581_145}


@dataclass
class Browser:
    """A client that keeps answers as a browser's HTTP cache does, and counts body bytes received.

    Bytes are the body as it travels over HTTP (gzip when gzipped, after the
    service has decoded Lambda's base64), headers left out.
    """

    client: Client
    cache: dict[str, tuple[str, bool]] = field(default_factory=dict)  # url -> (etag, immutable)
    requests: int = 0
    received: int = 0

    def fetch(self, url: str) -> str:
        """The text at ``url`` (empty when the cache answers)."""
        etag, immutable = self.cache.get(url, ("", False))
        if immutable:
            return ""  # kept for a year: not even asked
        headers = {"Accept-Encoding": "gzip, deflate, br"}
        if etag:
            headers["If-None-Match"] = etag
        reply = self.client.get(url, headers=headers)
        self.requests += 1
        raw = self.client.raw_response
        assert raw is not None
        if reply.status_code == 304:
            assert raw["body"] is None
            return ""
        assert reply.status_code == 200
        body = raw["body"]
        self.received += len(base64.b64decode(body)) if raw["isBase64Encoded"] else len(body.encode())
        self.cache[url] = (reply.headers["ETag"], "immutable" in reply.headers["Cache-Control"])
        return reply.text

    def visit(self, page: str) -> tuple[int, int]:
        """Open the page and what it links; return (requests, bytes) of this visit."""
        before = (self.requests, self.received)
        text = self.fetch(page)
        for url in re.findall(r'(?:href|src)="(\?asset=[^"]*)"', text.replace("&amp;", "&")):
            self.fetch(page + url)
        return self.requests - before[0], self.received - before[1]


def make_client(compress: bool) -> Client:
    app = APIGatewayRestResolver(plugins=["rest", "openapi", "swagger", *(["compression"] if compress else [])])
    app.enable_swagger(title="Bookstore", version="1.0.0", compress=compress)

    @app.get("/books/<book_id>")
    def get_book(book_id: str):
        return {"id": book_id}

    return Client(app)


@pytest.mark.parametrize(
    ("compress", "first_visit_limit"),
    [
        (False, 1_930_000),  # the files as they are: a first visit weighs what every visit did
        (True, 495_000),  # gzipped: about a quarter
    ],
)
def test_a_repeat_visit_transfers_nothing_but_a_304(compress, first_visit_limit):
    browser = Browser(make_client(compress))

    first = browser.visit("/swagger")
    repeat = browser.visit("/swagger")

    print(f"\ncompress={compress}: first visit {first[0]} requests, {first[1]:,} bytes;")
    print(f"  repeat visit {repeat[0]} request, {repeat[1]:,} bytes (before: {INLINED_PAGE_BYTES[compress]:,} on every visit)")
    assert first[0] == 3  # the page, the stylesheet, the script
    assert first[1] < first_visit_limit
    assert repeat == (1, 0)  # the page revalidated (304), the files straight from the cache


def test_a_new_release_of_swagger_ui_reaches_a_returning_browser_at_once(monkeypatch):
    browser = Browser(make_client(compress=True))
    browser.visit("/swagger")
    released = {}

    def new_release(name: str) -> static.Asset:
        # The same files under other digests, as a new Swagger UI would bring.
        released[name] = dataclasses.replace(original(name), digest="0123456789abcdef")
        return released[name]

    original = static.asset
    monkeypatch.setattr(static, "asset", new_release)

    requests, received = browser.visit("/swagger")

    assert requests == 3  # the page changed (200), and links new URLs, fetched at once
    assert received > 400_000
    assert sorted(url for url in browser.cache if "v=0123456789abcdef" in url) == [
        "/swagger?asset=swagger-ui-bundle.js&v=0123456789abcdef",
        "/swagger?asset=swagger-ui.css&v=0123456789abcdef",
    ]
    assert all(immutable for url, (_, immutable) in browser.cache.items() if "?asset=" in url)
