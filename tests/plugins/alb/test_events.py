"""The ALB builder: the event a load balancer sends a Lambda target for one HTTP request."""

from __future__ import annotations

import base64

import kernel_alb
import pytest

from kernel.plugin_api import HttpRequest

REQUEST = HttpRequest.build(
    "POST",
    "/items/x%2Fy",
    headers=[
        ("Host", "api.example.com"),
        ("User-Agent", "curl/8.5.0"),
        ("X-Many", "1"),
        ("X-Many", "2"),
        ("Content-Type", "application/json"),
    ],
    query="tag=a&tag=b&q=caf%C3%A9+au+lait",
    body=b'{"n": 1}',
    cookies=["a=1", "b=2"],
    request_id="c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    source_ip="198.51.100.7",
    now=1_700_000_000.5,
)

ADDED = {
    # What the load balancer adds: the client's address, its HTTPS listener, a trace id.
    "x-forwarded-for": "198.51.100.7",
    "x-forwarded-port": "443",
    "x-forwarded-proto": "https",
}


def build(request: HttpRequest = REQUEST, **options) -> dict:
    return kernel_alb.source.build_event(request, **options)


@pytest.mark.parametrize("multi_value", [False, "false", "0", ""])
def test_single_value_event(multi_value):
    event = build(multi_value=multi_value)
    headers = event.pop("headers")
    assert event == {
        "requestContext": {"elb": {"targetGroupArn": kernel_alb.events.TARGET_GROUP_ARN}},
        "httpMethod": "POST",
        "path": "/items/x%2Fy",
        # ALB passes query parameters as sent, without decoding them, and keeps the last of a repeated one.
        "queryStringParameters": {"tag": "b", "q": "caf%C3%A9+au+lait"},
        "body": '{"n": 1}',
        "isBase64Encoded": False,
    }
    assert headers.pop("x-amzn-trace-id").startswith(f"Root=1-{1_700_000_000:08x}-")
    assert headers == {
        "host": "api.example.com",
        "user-agent": "curl/8.5.0",
        "x-many": "2",
        "cookie": "a=1; b=2",
        "content-type": "application/json",
        **ADDED,
    }


@pytest.mark.parametrize("multi_value", [True, "true", "1", "TRUE"])
def test_multi_value_event(multi_value):
    event = build(multi_value=multi_value)
    headers = event.pop("multiValueHeaders")
    assert "headers" not in event
    assert "queryStringParameters" not in event
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"], "q": ["caf%C3%A9+au+lait"]}
    assert len(headers.pop("x-amzn-trace-id")) == 1
    assert headers == {
        "host": ["api.example.com"],
        "user-agent": ["curl/8.5.0"],
        "x-many": ["1", "2"],
        "cookie": ["a=1; b=2"],
        "content-type": ["application/json"],
        **{name: [value] for name, value in ADDED.items()},
    }


def test_a_request_without_a_body_has_an_empty_one_and_empty_maps():
    event = build(HttpRequest.build("GET", "/"))
    assert (event["body"], event["isBase64Encoded"], event["queryStringParameters"]) == ("", False, {})
    assert event["headers"]["host"] == kernel_alb.events.LOAD_BALANCER_HOST
    multi = build(HttpRequest.build("GET", "/"), multi_value=True)
    assert (multi["body"], multi["multiValueQueryStringParameters"]) == ("", {})


def test_binary_bodies_are_base64_encoded():
    request = HttpRequest.build("PUT", "/logo", headers={"Content-Type": "image/png"}, body=b"\x89PNG")
    event = build(request)
    assert (event["body"], event["isBase64Encoded"]) == (base64.b64encode(b"\x89PNG").decode(), True)


def test_forwarding_headers_the_request_carries_are_kept():
    stated = {
        "X-Forwarded-For": "203.0.113.1",
        "X-Forwarded-Proto": "http",
        "X-Forwarded-Port": "80",
        "X-Amzn-Trace-Id": "Root=1-1-abc",
    }
    headers = build(HttpRequest.build("GET", "/", headers=stated, source_ip="10.0.0.2"))["headers"]
    assert {name: headers[name.lower()] for name in stated} == stated


def test_the_event_option_is_declared():
    assert set(kernel_alb.source.options) == {"multi_value"}
