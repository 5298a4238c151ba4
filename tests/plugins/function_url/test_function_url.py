"""The Lambda Function URL source: payload 2.0 without stages, answered in the HTTP API shape."""

from __future__ import annotations

import json

import kernel_function_url
import pytest
from kernel_function_url import LambdaFunctionUrlEvent
from kernel_http import APIGatewayProxyEventV2

from kernel import App, Cookie, LambdaFunctionUrlResolver, Response
from kernel.events import HttpRequest
from tests.events import function_url_event


def json_reply(status: int, body: object, cookies: list[str] | None = None) -> dict:
    return {
        "statusCode": status,
        "body": json.dumps(body, separators=(",", ":")),
        "isBase64Encoded": False,
        "headers": {"Content-Type": "application/json"},
        "cookies": cookies or [],
    }


@pytest.fixture
def app():
    # Only this plugin: it must not need the http plugin's hooks to answer.
    return LambdaFunctionUrlResolver(plugins=["function-url"])


def test_accessors_read_a_realistic_event(app):
    seen = {}

    @app.put("/users/<user_id>")
    def user(user_id):
        event = app.current_event
        context = event.request_context
        seen.update(
            type=type(event),
            is_v2=isinstance(event, APIGatewayProxyEventV2),
            version=event.version,
            route_key=event.route_key,
            path=event.path,
            raw_path=event.raw_path,
            raw_query_string=event.raw_query_string,
            query=event.query_string_parameters,
            http_method=event.http_method,
            host=event.get_header_value("Host"),
            path_parameters=event.path_parameters,
            stage_variables=event.stage_variables,
            cookies=event.cookies,
            json_body=event.json_body,
            account_id=context.account_id,
            api_id=context.api_id,
            domain_name=context.domain_name,
            domain_prefix=context.domain_prefix,
            stage=context.stage,
            source_ip=context.http.source_ip,
            time_epoch=context.time_epoch,
            claims=context.authorizer.jwt_claim,
            base_path=event.base_path(),
        )
        return {"user": user_id}

    request = HttpRequest.build(
        "PUT",
        "/users/9",
        query={"v": "1"},
        body='{"name": "ann"}',
        is_base64=False,
        cookies=["s=1"],
        source_ip="123.123.123.123",
        now=1659687279.885,
    )
    event = kernel_function_url.source.build_event(request, url_id="abc123")
    assert app(event, None) == json_reply(200, {"user": "9"})
    assert seen == {
        "type": LambdaFunctionUrlEvent,
        "is_v2": True,
        "version": "2.0",
        "route_key": "$default",
        "path": "/users/9",
        "raw_path": "/users/9",
        "raw_query_string": "v=1",
        "query": {"v": "1"},
        "http_method": "PUT",
        "host": "abc123.lambda-url.us-east-1.on.aws",
        "path_parameters": {},
        "stage_variables": {},
        "cookies": ["s=1"],
        "json_body": {"name": "ann"},
        "account_id": "anonymous",
        "api_id": "abc123",
        "domain_name": "abc123.lambda-url.us-east-1.on.aws",
        "domain_prefix": "abc123",
        "stage": "$default",
        "source_ip": "123.123.123.123",
        "time_epoch": 1659687279885,
        "claims": {},
        "base_path": "",
    }


def test_cookies_and_headers_out(app):
    @app.get("/c")
    def c():
        return Response(
            200, "text/plain", "ok", headers={"Vary": ["Origin", "Accept"]}, cookies=[Cookie("a", "1", path="/", secure=False)]
        )

    assert app(function_url_event("GET", "/c"), None) == {
        "statusCode": 200,
        "body": "ok",
        "isBase64Encoded": False,
        "headers": {"Vary": "Origin, Accept", "Content-Type": "text/plain"},
        "cookies": ["a=1; Path=/"],
    }


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        pytest.param(
            lambda e: e["requestContext"].pop("http"), "'requestContext.http' is missing or not an object", id="no-http"
        ),
        pytest.param(lambda e: e.update(headers="host"), "'headers' is not a map of strings", id="headers-str"),
        pytest.param(lambda e: e.update(body=b"x"), "'body' is not a string", id="body-bytes"),
    ],
)
def test_malformed_event_answers_400(app, mutate, problem):
    event = function_url_event("GET", "/")
    mutate(event)
    assert app(event, None) == json_reply(400, {"statusCode": 400, "message": f"Malformed event: {problem}"})


def test_malformed_header_entries_are_answered_400_when_read_and_a_plugin_reads_a_well_formed_one():
    from kernel_cors import CORSConfig

    app = LambdaFunctionUrlResolver(plugins=["function-url", "cors"], cors=CORSConfig(allow_origin="https://a.example"))

    @app.get("/plain")
    def plain():
        return {"ok": True}

    @app.get("/header")
    def header():
        return {"accept": app.current_event.get_header_value("accept")}

    def event(path: str) -> dict:
        built = function_url_event("GET", path)
        built["headers"] = {"origin": "https://a.example", "accept": "*/*", "x-num": 1}
        return built

    answer = app(event("/plain"), None)
    assert (answer["statusCode"], answer["headers"]["Access-Control-Allow-Origin"]) == (200, "https://a.example")
    answer = app(event("/header"), None)
    assert (answer["statusCode"], json.loads(answer["body"])) == (
        400,
        {"statusCode": 400, "message": "Malformed event: 'headers' is not a map of strings"},
    )


def test_pinned_by_name_and_alongside_the_http_plugin():
    """With both payload 2.0 plugins loaded each answers for its own requests only."""
    app = App(plugins=["http", "function-url"], source="function-url")

    @app.get("/ping")
    def ping():
        return {"type": type(app.current_event).__name__}

    assert app(function_url_event("GET", "/ping"), None) == json_reply(200, {"type": "LambdaFunctionUrlEvent"})
