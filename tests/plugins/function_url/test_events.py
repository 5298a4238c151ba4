"""The Function URL events ``kernel_function_url.source`` builds: payload 2.0 on a ``lambda-url`` domain."""

from __future__ import annotations

import kernel_function_url
import kernel_http

from kernel.events import HttpRequest


def request() -> HttpRequest:
    return HttpRequest.build(
        "POST",
        "/items/x%2Fy",
        headers=[("Host", "127.0.0.1:8000"), ("X-Many", "1"), ("X-Many", "2"), ("Cookie", "a=1; b=2")],
        query="tag=a&tag=b",
        body=b'{"n": 1}',
        is_base64=False,
        request_id="req-1",
        source_ip="10.0.0.7",
        now=1659687279.885,
    )


def test_function_url_event_is_the_http_api_payload_on_a_lambda_url_domain():
    event = kernel_function_url.source.build_event(request(), url_id="abc123")
    http_event = kernel_http.source.build_event(request())
    context, http_context = event.pop("requestContext"), http_event.pop("requestContext")
    # Headers (the client's host included), cookies, query and body are the HTTP API's.
    assert event == http_event
    assert context == {
        "accountId": "anonymous",
        "apiId": "abc123",
        "domainName": "abc123.lambda-url.us-east-1.on.aws",
        "domainPrefix": "abc123",
        "http": http_context["http"],
        "requestId": "req-1",
        "routeKey": "$default",
        "stage": "$default",
        "time": "05/Aug/2022:08:14:39 +0000",
        "timeEpoch": 1659687279885,
    }


def test_the_host_is_the_url_domain_when_the_request_names_none():
    event = kernel_function_url.source.event("GET", "/")
    domain = "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6.lambda-url.us-east-1.on.aws"
    assert event["headers"] == {"host": domain}
    assert event["requestContext"]["domainName"] == domain


def test_the_built_event_is_recognised_as_a_function_url_one_only():
    event = kernel_function_url.source.event("GET", "/", stage="prod", route_key="GET /")
    assert kernel_function_url.is_function_url_event(event)
    assert not kernel_http.is_http_api_event(event)
    # The HTTP API's options mean nothing to a Function URL.
    assert (event["rawPath"], event["routeKey"], event["requestContext"]["stage"]) == ("/", "$default", "$default")
