"""Accessing request details: query strings, headers, the JSON body and the event's own properties."""

from __future__ import annotations

import json

import pytest

from tests.events import alb_event, function_url_event, http_event, rest_event
from tests.powertools_patterns.harness import answer


def query_strings(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/todos")
    def get_todos():
        event = app.current_event
        return {
            "completed": event.get_query_string_value(name="completed", default_value="false"),
            "missing": event.get_query_string_value(name="missing"),
            "tags": event.get_multi_value_query_string_values(name="tag"),
            "no_tags": event.get_multi_value_query_string_values(name="nothing", default_values=["none"]),
            "all": event.query_string_parameters,
            "multi": event.multi_value_query_string_parameters,
        }

    return app


def test_query_strings():
    event = rest_event("GET", "/todos", query=[("completed", "true"), ("tag", "home"), ("tag", "work")])
    response = answer(query_strings, event)
    assert response["body"]["completed"] == "true"
    assert response["body"]["tags"] == ["home", "work"]
    assert response["body"]["no_tags"] == ["none"]


def test_encoded_query_string():
    response = answer(query_strings, rest_event("GET", "/todos", query={"completed": "a b&c"}))
    assert response["body"]["completed"] == "a b&c"


def headers(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/todos")
    def get_todos():
        event = app.current_event
        return {
            "api_key": event.headers.get("X-Api-Key"),
            "default": event.headers.get("X-Missing", "none"),
            "user_agent": event.headers.get("User-Agent"),
            "all_tags": event.multi_value_headers.get("X-Tag"),
        }

    return app


def test_headers():
    event = rest_event("GET", "/todos", headers=[("X-Api-Key", "secret"), ("User-Agent", "curl"), ("X-Tag", "a"), ("X-Tag", "b")])
    response = answer(headers, event)
    assert response["body"] == {
        "api_key": "secret",
        "default": "none",
        "user_agent": "curl",
        "all_tags": ["a", "b"],
    }


def json_body(lib):
    app = lib.APIGatewayHttpResolver()

    @app.post("/todos")
    def create_todo():
        todo_data: dict = app.current_event.json_body
        return {"created": todo_data, "raw": app.current_event.body, "decoded": app.current_event.decoded_body}

    return app


def test_json_body():
    body = json.dumps({"title": "café", "tags": ["a"]})
    response = answer(json_body, http_event("POST", "/todos", headers={"Content-Type": "application/json"}, body=body))
    assert response["body"]["created"] == {"title": "café", "tags": ["a"]}


def test_base64_json_body():
    # The builder base64-encodes the body, as API Gateway does for a binary media type.
    response = answer(json_body, http_event("POST", "/todos", body=b'{"title": "from base64"}', is_base64=True))
    assert response["body"]["created"] == {"title": "from base64"}


def rest_properties(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/me")
    def me():
        event = app.current_event
        context = event.request_context
        return {
            "method": event.http_method,
            "path": event.path,
            "resource": event.resource,
            "stage": context.stage,
            "request_id": context.request_id,
            "source_ip": context.identity.source_ip,
            "user_agent": context.identity.user_agent,
            "is_base64_encoded": event.is_base64_encoded,
            "lambda_request_id": app.lambda_context.aws_request_id,
        }

    return app


def test_rest_event_properties():
    response = answer(rest_properties, rest_event("GET", "/me", headers={"User-Agent": "pytest"}))
    assert response["body"]["stage"] == "prod"
    assert response["body"]["user_agent"] == "pytest"
    assert response["body"]["lambda_request_id"] == "52fdfc07-2182-154f-163f-5f0f9a621d72"


def http_properties(lib):
    app = lib.APIGatewayHttpResolver()

    @app.get("/me")
    def me():
        event = app.current_event
        http = event.request_context.http
        return {
            "method": event.http_method,
            "path": event.path,
            "raw_path": event.raw_path,
            "raw_query_string": event.raw_query_string,
            "route_key": event.route_key,
            "cookies": event.cookies,
            "source_ip": http.source_ip,
            "protocol": http.protocol,
            "stage": event.request_context.stage,
        }

    return app


def test_http_event_properties():
    event = http_event("GET", "/me", query={"a": "1"}, cookies=["session=abc", "theme=dark"])
    response = answer(http_properties, event)
    assert response["body"]["cookies"] == ["session=abc", "theme=dark"]
    assert response["body"]["raw_query_string"] == "a=1"


def url_and_lattice_properties(resolver):
    def build(lib):
        app = getattr(lib, resolver)()

        @app.get("/me")
        def me():
            event = app.current_event
            return {
                "method": event.http_method,
                "path": event.path,
                "query": event.query_string_parameters,
                "header": event.headers.get("x-caller"),
            }

        return app

    return build


@pytest.mark.parametrize(
    ("resolver", "event", "allow"),
    [
        ("LambdaFunctionUrlResolver", function_url_event, ()),
        ("ALBResolver", alb_event, ()),
    ],
    ids=["function-url", "alb"],
)
def test_other_sources_properties(resolver, event, allow):
    request = event("GET", "/me", query={"q": "x"}, headers={"X-Caller": "tests"})
    response = answer(url_and_lattice_properties(resolver), request, allow=allow)
    assert response["body"] == {"method": "GET", "path": "/me", "query": {"q": "x"}, "header": "tests"}


def test_no_query_string():
    response = answer(query_strings, rest_event("GET", "/todos"))
    assert response["body"]["completed"] == "false"
    assert response["body"]["all"] == {}


def path_parameters(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/me")
    def me():
        return {"path_parameters": app.current_event.path_parameters}

    return app


def test_rest_no_path_parameters():
    response = answer(path_parameters, rest_event("GET", "/me"))
    assert response["body"] == {"path_parameters": {}}


def headers_any_case(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/todos")
    def get_todos():
        return {"key": app.current_event.headers.get("x-api-key")}

    return app


def test_headers_case_insensitive():
    response = answer(headers_any_case, rest_event("GET", "/todos", headers={"X-Api-Key": "secret"}))
    assert response["body"] == {"key": "secret"}
