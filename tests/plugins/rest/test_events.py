"""The REST API event the ``rest`` source builds for an HTTP request (``kernel serve``, the test client)."""

from __future__ import annotations

import base64

import pytest
from kernel_rest import source

from kernel.asgi import header_pairs
from kernel.events import HttpRequest

HEADERS = [
    (b"host", b"127.0.0.1:8000"),
    (b"user-agent", b"curl/8.5.0"),
    (b"x-many", b"1"),
    (b"x-many", b"2"),
    (b"cookie", b"a=1; b=2"),
    (b"content-type", b"application/json"),
]
QUERY = b"tag=a&tag=b&q=caf%C3%A9+au+lait"
BODY = b'{"n": 1}'


def request(method: str = "POST", path: str = "/items/x%2Fy", query: bytes = QUERY, headers=HEADERS, body: bytes = BODY):
    """The request ``kernel serve`` hands the source for one HTTP request."""
    return HttpRequest(method, path, query.decode("ascii"), tuple(header_pairs(headers)), body, None, "req-1", "10.0.0.7")


def build(http_request: HttpRequest | None = None, **options):
    return source.build_event(http_request or request(), **options)


def test_rest_event():
    event = build()
    context = event.pop("requestContext")
    assert event == {
        "resource": "/{proxy+}",
        "path": "/items/x%2Fy",
        "httpMethod": "POST",
        "headers": {
            "host": "127.0.0.1:8000",
            "user-agent": "curl/8.5.0",
            "x-many": "2",
            "cookie": "a=1; b=2",
            "content-type": "application/json",
        },
        "multiValueHeaders": {
            "host": ["127.0.0.1:8000"],
            "user-agent": ["curl/8.5.0"],
            "x-many": ["1", "2"],
            "cookie": ["a=1; b=2"],
            "content-type": ["application/json"],
        },
        "queryStringParameters": {"tag": "b", "q": "café au lait"},
        "multiValueQueryStringParameters": {"tag": ["a", "b"], "q": ["café au lait"]},
        "pathParameters": {"proxy": "items/x%2Fy"},
        "stageVariables": None,
        "body": '{"n": 1}',
        "isBase64Encoded": False,
    }
    assert context["requestId"] == "req-1"
    assert context["identity"]["sourceIp"] == "10.0.0.7"
    assert context["identity"]["userAgent"] == "curl/8.5.0"
    assert context["stage"] == "$default"
    assert context["path"] == "/items/x%2Fy"
    assert context["httpMethod"] == "POST"
    assert context["domainName"] == "127.0.0.1:8000"
    assert context["resourcePath"] == "/{proxy+}"
    assert isinstance(context["requestTimeEpoch"], int)


def test_rest_event_on_a_named_stage_and_at_the_root():
    event = build(request("GET", "/", b"", [], b""), stage="prod")
    assert event["requestContext"]["path"] == "/prod/"
    assert event["requestContext"]["stage"] == "prod"
    assert (event["resource"], event["pathParameters"]) == ("/", None)
    assert (event["headers"], event["multiValueHeaders"], event["queryStringParameters"]) == (None, None, None)
    assert (event["body"], event["isBase64Encoded"]) == (None, False)


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        (b"application/json", b'{"a": 1}', ('{"a": 1}', False)),
        (b"text/plain; charset=utf-8", "é".encode(), ("é", False)),
        (b"application/problem+json", b"{}", ("{}", False)),
        (b"application/x-www-form-urlencoded", b"a=1", ("a=1", False)),
        (b"application/octet-stream", b"abc", (base64.b64encode(b"abc").decode(), True)),
        (b"image/png", b"\x89PNG", (base64.b64encode(b"\x89PNG").decode(), True)),
        (b"text/plain", b"\xff\xfe", (base64.b64encode(b"\xff\xfe").decode(), True)),
        (None, b"abc", (base64.b64encode(b"abc").decode(), True)),
    ],
)
def test_body_is_text_only_for_text_content_types(content_type, body, expected):
    headers = [] if content_type is None else [(b"content-type", content_type)]
    event = build(request("POST", "/", b"", headers, body))
    assert (event["body"], event["isBase64Encoded"]) == expected
