"""Malformed REST events and bodies: a 400 answer (or the documented error), never a crash."""

from __future__ import annotations

from typing import Any

import pytest
from kernel_rest.request import APIGatewayProxyEvent

from kernel import APIGatewayRestResolver, App, UnknownEventError
from tests.events import rest_event


def bad_request(message: str) -> dict[str, Any]:
    return {
        "statusCode": 400,
        "body": '{"statusCode":400,"message":"' + message + '"}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }


def make_app(**kwargs: Any) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(plugins=["rest"], **kwargs)

    @app.route("/echo", ["GET", "POST"])
    def echo():
        return {"json": app.current_event.json_body}

    @app.get("/query")
    def query():
        return {"q": app.current_event.get_query_string_value("q")}

    @app.get("/multi")
    def multi():
        return {"q": app.current_event.get_multi_value_query_string_values("q")}

    return app


def without(key: str) -> dict[str, Any]:
    event = rest_event("GET", "/echo")
    del event[key]
    return event


def with_field(key: str, value: Any, method: str = "GET", path: str = "/echo") -> dict[str, Any]:
    return {**rest_event(method, path), key: value}


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (without("httpMethod"), "Malformed event: 'httpMethod' is missing or not a string"),
        (with_field("httpMethod", ""), "Malformed event: 'httpMethod' is missing or not a string"),
        (without("path"), "Malformed event: 'path' is missing or not an absolute path"),
        (with_field("path", "echo"), "Malformed event: 'path' is missing or not an absolute path"),
        (with_field("path", ["/echo"]), "Malformed event: 'path' is missing or not an absolute path"),
        (with_field("headers", ["a"]), "Malformed event: 'headers' is not a map of strings"),
        (with_field("multiValueHeaders", "X"), "Malformed event: 'multiValueHeaders' is not a map of string lists"),
        (with_field("body", {"a": 1}), "Malformed event: 'body' is not a string"),
        (with_field("isBase64Encoded", "true"), "Malformed event: 'isBase64Encoded' is not a boolean"),
        (with_field("requestContext", "ctx"), "Malformed event: 'requestContext' is not an object"),
        ({}, "Malformed event: 'httpMethod' is missing or not a string"),
    ],
)
def test_malformed_event_is_answered_400(event, message):
    assert make_app()(event, None) == bad_request(message)


@pytest.mark.parametrize(
    ("field", "value", "path", "message"),
    [
        ("queryStringParameters", ["q"], "/query", "Malformed event: 'queryStringParameters' is not a map of strings"),
        ("queryStringParameters", {"q": 1}, "/query", "Malformed event: 'queryStringParameters' is not a map of strings"),
        (
            "multiValueQueryStringParameters",
            {"q": "x"},
            "/multi",
            "Malformed event: 'multiValueQueryStringParameters' is not a map of string lists",
        ),
    ],
)
def test_malformed_query_string_is_answered_400_when_read(field, value, path, message):
    assert make_app()(with_field(field, value, path=path), None) == bad_request(message)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("headers", {"X-Num": 1}, "Malformed event: 'headers' is not a map of strings"),
        ("multiValueHeaders", {"X": "not-a-list"}, "Malformed event: 'multiValueHeaders' is not a map of string lists"),
        ("multiValueHeaders", {"X": [1]}, "Malformed event: 'multiValueHeaders' is not a map of string lists"),
    ],
)
def test_malformed_header_entries_are_answered_400_when_read(field, value, message):
    app = make_app()

    @app.get("/headers")
    def headers():
        return {"origin": app.current_event.get_header_value("Origin"), "all": app.current_event.resolved_headers_field}

    assert app(with_field(field, value, path="/headers"), None) == bad_request(message)


def test_malformed_headers_read_by_a_plugin_after_the_route_are_answered_400():
    # CORS reads Origin while building the response, after the route ran: the
    # answer is still the 400, shaped by the source, without CORS headers.
    from kernel_cors import CORSConfig

    app = APIGatewayRestResolver(plugins=["rest", "cors"], cors=CORSConfig(allow_origin="https://a.example"))

    @app.get("/plain")
    def plain():
        return {"ok": True}

    answer = app(with_field("headers", {"Origin": ["https://a.example"]}, path="/plain"), None)
    assert answer == bad_request("Malformed event: 'headers' is not a map of strings")


def test_a_plugin_reading_a_well_formed_header_is_not_answered_400_for_another_entry():
    # Entries are checked when read: CORS reads Origin, a string, and answers; the
    # malformed X-Num is answered 400 only by what reads the whole map.
    from kernel_cors import CORSConfig

    app = APIGatewayRestResolver(plugins=["rest", "cors"], cors=CORSConfig(allow_origin="https://a.example"))

    @app.get("/plain")
    def plain():
        return {"ok": True}

    @app.get("/headers")
    def headers():
        return dict(app.current_event.headers)

    event = with_field("headers", {"Origin": "https://a.example", "X-Num": 1}, path="/plain")
    answer = app(event, None)
    assert answer["statusCode"] == 200
    assert answer["multiValueHeaders"]["Access-Control-Allow-Origin"] == ["https://a.example"]
    event = with_field("headers", {"Origin": "https://a.example", "X-Num": 1}, path="/headers")
    answer = app(event, None)
    expected = bad_request("Malformed event: 'headers' is not a map of strings")
    assert (answer["statusCode"], answer["body"]) == (expected["statusCode"], expected["body"])


@pytest.mark.parametrize("spelled", ["Origin", "origin", "ORIGIN", "oRiGiN"])
def test_header_text_finds_a_header_however_the_event_spells_it(spelled):
    request = APIGatewayProxyEvent(rest_event("GET", "/", headers={spelled: "https://a.example", "Accept": "*/*"}))
    assert request.header_text("Origin") == "https://a.example"
    assert request.header_text("origin") == "https://a.example"
    assert request.header_text("X-Missing") is None
    assert request.header_text("X-Missing", "fallback") == "fallback"


def test_base64_json_that_is_not_json_is_400():
    event = rest_event("POST", "/echo", body=b"\x00garbage", is_base64=True)
    assert make_app()(event, None) == bad_request("Request body is not valid JSON")


def test_request_context_parts_of_the_wrong_type_do_not_crash():
    app = APIGatewayRestResolver(plugins=["rest"])

    @app.get("/who")
    def who():
        context = app.current_event.request_context
        return {"ip": context.identity.source_ip, "claims": context.authorizer.claims}

    event = rest_event("GET", "/who")
    event["requestContext"]["identity"] = "not an object"
    event["requestContext"]["authorizer"] = ["nor", "this"]
    assert app(event, None)["body"] == '{"ip":null,"claims":{}}'


def test_unpinned_app_rejects_a_malformed_rest_event_with_400():
    app = App(plugins=["rest"])
    event = with_field("headers", "oops")
    assert app(event, None) == bad_request("Malformed event: 'headers' is not a map of strings")


@pytest.mark.parametrize("event", [{}, {"foo": 1}, [1], None, {"path": "/x"}])
def test_unpinned_app_does_not_claim_events_of_unknown_shape(event):
    app = App(plugins=["rest"])
    with pytest.raises(UnknownEventError, match="No event source plugin of this app recognises the event"):
        app(event, None)


def test_alb_shaped_event_is_not_taken_for_a_rest_event():
    app = App(plugins=["rest"])
    event = {
        "httpMethod": "GET",
        "path": "/",
        "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:region:123:targetgroup/tg/1"}},
        "headers": {},
        "body": "",
        "isBase64Encoded": False,
    }
    with pytest.raises(UnknownEventError):
        app(event, None)
