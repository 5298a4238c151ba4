"""The events each source's ``local`` module builds, compared with the shapes AWS documents."""

from __future__ import annotations

import base64

import pytest

from kernel import App, plugins
from kernel.asgi import ASGIAdapter, header_pairs
from kernel.events import HttpRequest
from tests.serve.harness import call
from tests.serve.sources import CASES

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
    """The request the adapter hands a source for one HTTP request."""
    return HttpRequest(method, path, query.decode("ascii"), tuple(header_pairs(headers)), body, None, "req-1", "10.0.0.7")


def build(source: str, http_request: HttpRequest | None = None, **options):
    ((_, plugin),) = plugins.load([source])
    return plugin.build_event(http_request or request(), **options)


def test_rest_event():
    event = build("rest")
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
    event = build("rest", request("GET", "/", b"", [], b""), stage="prod")
    assert event["requestContext"]["path"] == "/prod/"
    assert event["requestContext"]["stage"] == "prod"
    assert (event["resource"], event["pathParameters"]) == ("/", None)
    assert (event["headers"], event["multiValueHeaders"], event["queryStringParameters"]) == (None, None, None)
    assert (event["body"], event["isBase64Encoded"]) == (None, False)


def test_http_api_event():
    event = build("http")
    context = event.pop("requestContext")
    assert event == {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/items/x%2Fy",
        "rawQueryString": "tag=a&tag=b&q=caf%C3%A9+au+lait",
        "cookies": ["a=1", "b=2"],
        "headers": {
            "host": "127.0.0.1:8000",
            "user-agent": "curl/8.5.0",
            "x-many": "1,2",
            "content-type": "application/json",
        },
        "queryStringParameters": {"tag": "a,b", "q": "café au lait"},
        "body": '{"n": 1}',
        "isBase64Encoded": False,
    }
    assert context["http"] == {
        "method": "POST",
        "path": "/items/x/y",
        "protocol": "HTTP/1.1",
        "sourceIp": "10.0.0.7",
        "userAgent": "curl/8.5.0",
    }
    assert (context["requestId"], context["stage"], context["routeKey"]) == ("req-1", "$default", "$default")
    assert context["domainName"] == "127.0.0.1:8000"


def test_function_url_event_is_payload_2_on_a_lambda_url_domain():
    event = build("function-url")
    http_event = build("http")
    context, http_context = event.pop("requestContext"), http_event.pop("requestContext")
    assert event == http_event
    assert context["accountId"] == "anonymous"
    assert ".lambda-url." in context["domainName"]
    assert context["http"] == http_context["http"]


@pytest.mark.parametrize("multi_value", [False, "false", True, "true", "1"])
def test_alb_event(multi_value):
    event = build("alb", multi_value=multi_value)
    assert event.pop("requestContext") == {
        "elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/kernel-local/0123456789abcdef"}
    }
    common = {"httpMethod": "POST", "path": "/items/x%2Fy", "body": '{"n": 1}', "isBase64Encoded": False}
    # The load balancer adds its forwarding headers and a trace id.
    headers = event.get("headers") or event.get("multiValueHeaders")
    trace = headers.pop("x-amzn-trace-id")
    assert (trace if isinstance(trace, str) else trace[0]).startswith("Root=1-")
    if multi_value in (False, "false"):
        assert event == {
            **common,
            # ALB passes query parameters as sent, without decoding them.
            "queryStringParameters": {"tag": "b", "q": "caf%C3%A9+au+lait"},
            "headers": {
                "host": "127.0.0.1:8000",
                "user-agent": "curl/8.5.0",
                "x-many": "2",
                "cookie": "a=1; b=2",
                "content-type": "application/json",
                "x-forwarded-for": "10.0.0.7",
                "x-forwarded-port": "443",
                "x-forwarded-proto": "https",
            },
        }
    else:
        assert event == {
            **common,
            "multiValueQueryStringParameters": {"tag": ["a", "b"], "q": ["caf%C3%A9+au+lait"]},
            "multiValueHeaders": {
                "host": ["127.0.0.1:8000"],
                "user-agent": ["curl/8.5.0"],
                "x-many": ["1", "2"],
                "cookie": ["a=1; b=2"],
                "content-type": ["application/json"],
                "x-forwarded-for": ["10.0.0.7"],
                "x-forwarded-port": ["443"],
                "x-forwarded-proto": ["https"],
            },
        }


def test_alb_event_without_a_body_has_an_empty_one():
    event = build("alb", request("GET", "/", b"", [], b""))
    assert (event["body"], event["isBase64Encoded"], event["queryStringParameters"]) == ("", False, {})
    # Only what the load balancer itself adds.
    assert set(event["headers"]) == {"host", "x-forwarded-for", "x-forwarded-port", "x-forwarded-proto", "x-amzn-trace-id"}


def test_lattice_v2_event():
    event = build("lattice-v2")
    context = event.pop("requestContext")
    assert event == {
        "version": "2.0",
        "path": "/items/x%2Fy",
        "method": "POST",
        "headers": {
            "host": ["127.0.0.1:8000"],
            "user-agent": ["curl/8.5.0"],
            "x-many": ["1", "2"],
            "cookie": ["a=1; b=2"],
            "content-type": ["application/json"],
            "x-forwarded-for": ["10.0.0.7"],
        },
        "queryStringParameters": {"tag": ["a", "b"], "q": ["café au lait"]},
        "body": '{"n": 1}',
        "isBase64Encoded": False,
    }
    assert set(context) == {"serviceNetworkArn", "serviceArn", "targetGroupArn", "identity", "region", "timeEpoch"}
    assert context["timeEpoch"].isdigit()


def test_lattice_v1_event():
    assert build("lattice") == {
        "raw_path": "/items/x%2Fy?tag=a&tag=b&q=caf%C3%A9+au+lait",
        "method": "POST",
        "headers": {
            "host": "127.0.0.1:8000",
            "user-agent": "curl/8.5.0",
            "x-many": "1,2",
            "cookie": "a=1; b=2",
            "content-type": "application/json",
            "x-forwarded-for": "10.0.0.7",
        },
        "query_string_parameters": {"tag": "b", "q": "café au lait"},
        "body": '{"n": 1}',
        "is_base64_encoded": False,
    }


def test_each_lattice_resolver_is_served_its_own_payload_version():
    from kernel import VPCLatticeResolver, VPCLatticeV2Resolver

    assert ASGIAdapter(VPCLatticeResolver(plugins=["lattice"])).source == "lattice"
    assert ASGIAdapter(VPCLatticeV2Resolver(plugins=["lattice"])).source == "lattice-v2"


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
    event = build("rest", request("POST", "/", b"", headers, body))
    assert (event["body"], event["isBase64Encoded"]) == expected


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_app_for_every_source_recognises_each_local_event(case):
    """An unpinned app with every servable source tells the local events apart."""
    app = App(plugins=sorted({served.source for served in CASES}))

    @app.get("/which")
    def which():
        return {"request": type(app.current_event).__name__}

    answer = call(ASGIAdapter(app, case.source, options=case.options), "GET", "/which")
    assert answer.status == 200
    expected = {
        "rest": "APIGatewayProxyEvent",
        "http": "APIGatewayProxyEventV2",
        "function-url": "LambdaFunctionUrlEvent",
        "alb": "ALBEvent",
        "lattice": "VPCLatticeEvent",
        "lattice-v2": "VPCLatticeEventV2",
    }[case.source]
    assert answer.json() == {"request": expected}
