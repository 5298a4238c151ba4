"""The HTTP API events ``kernel_http.source`` builds from HTTP requests, compared with the shape AWS documents."""

from __future__ import annotations

import base64

import kernel_http

from kernel.events import HttpRequest

HEADERS = [
    ("Host", "127.0.0.1:8000"),
    ("User-Agent", "curl/8.5.0"),
    ("X-Many", "1"),
    ("x-many", "2"),
    ("Cookie", "a=1; b=2"),
    ("Content-Type", "application/json"),
]


def request(method: str = "POST", path: str = "/items/x%2Fy", **parts: object) -> HttpRequest:
    parts.setdefault("headers", HEADERS)
    parts.setdefault("query", "tag=a&tag=b&q=caf%C3%A9+au+lait")
    parts.setdefault("body", b'{"n": 1}')
    return HttpRequest.build(method, path, request_id="req-1", source_ip="10.0.0.7", now=1583348638.390, **parts)  # type: ignore[arg-type]


def test_http_api_event_of_a_request():
    event = kernel_http.source.build_event(request())
    assert event == {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/items/x%2Fy",
        "rawQueryString": "tag=a&tag=b&q=caf%C3%A9+au+lait",
        # Cookies leave the headers for their own list.
        "cookies": ["a=1", "b=2"],
        # Names in lower case, repeats joined with commas.
        "headers": {
            "host": "127.0.0.1:8000",
            "user-agent": "curl/8.5.0",
            "x-many": "1,2",
            "content-type": "application/json",
        },
        # Decoded, repeats joined with commas.
        "queryStringParameters": {"tag": "a,b", "q": "café au lait"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "r3pmxmplak",
            "domainName": "127.0.0.1:8000",
            "domainPrefix": "127",
            "http": {
                "method": "POST",
                "path": "/items/x/y",
                "protocol": "HTTP/1.1",
                "sourceIp": "10.0.0.7",
                "userAgent": "curl/8.5.0",
            },
            "requestId": "req-1",
            "routeKey": "$default",
            "stage": "$default",
            "time": "04/Mar/2020:19:03:58 +0000",
            "timeEpoch": 1583348638390,
        },
        "body": '{"n": 1}',
        "isBase64Encoded": False,
    }


def test_a_request_without_host_body_query_or_cookies():
    event = kernel_http.source.build_event(HttpRequest.build("GET", "/", now=1583348638.390))
    assert event["headers"] == {"host": "r3pmxmplak.execute-api.us-east-1.amazonaws.com"}
    assert event["rawQueryString"] == ""
    assert event["isBase64Encoded"] is False
    for absent in ("cookies", "queryStringParameters", "body", "pathParameters", "stageVariables"):
        assert absent not in event
    context = event["requestContext"]
    assert (context["domainName"], context["domainPrefix"]) == ("r3pmxmplak.execute-api.us-east-1.amazonaws.com", "r3pmxmplak")
    assert context["http"]["userAgent"] == ""
    assert "authorizer" not in context


def test_a_binary_body_arrives_base64_encoded():
    headers = [("Content-Type", "image/png")]
    event = kernel_http.source.build_event(request(headers=headers, body=b"\x89PNG"))
    assert (event["body"], event["isBase64Encoded"]) == (base64.b64encode(b"\x89PNG").decode(), True)


def test_a_named_stage_starts_the_raw_path_unless_the_raw_path_is_given():
    event = kernel_http.source.event("GET", "/items", stage="prod")
    assert (event["rawPath"], event["requestContext"]["http"]["path"]) == ("/prod/items", "/prod/items")
    assert event["requestContext"]["stage"] == "prod"
    assert kernel_http.source.event("GET", "/", stage="prod")["rawPath"] == "/prod/"
    # A custom domain mapped to the stage sends the path alone.
    assert kernel_http.source.event("GET", "/items", stage="prod", raw_path="/items")["rawPath"] == "/items"


def test_route_path_parameters_stage_variables_and_authorizer():
    authorizer = {"jwt": {"claims": {"sub": "u1"}, "scopes": ["read"]}}
    event = kernel_http.source.event(
        "GET",
        "/orders/7",
        route_key="GET /orders/{id}",
        path_parameters={"id": "7"},
        stage_variables={"table": "orders"},
        authorizer=authorizer,
    )
    assert (event["routeKey"], event["requestContext"]["routeKey"]) == ("GET /orders/{id}", "GET /orders/{id}")
    assert event["pathParameters"] == {"id": "7"}
    assert event["stageVariables"] == {"table": "orders"}
    assert event["requestContext"]["authorizer"] == authorizer


def test_the_built_event_is_recognised_and_checked_as_an_http_api_one():
    event = kernel_http.source.build_event(request())
    assert kernel_http.is_http_api_event(event)
    assert kernel_http.check_v2_event(event) is None


def test_every_option_is_documented():
    assert set(kernel_http.source.options) == {
        "stage",
        "raw_path",
        "route_key",
        "path_parameters",
        "stage_variables",
        "authorizer",
    }
