"""Hostile request bodies and maps: every decode path answers 400 with a short message, never an escaped exception.

A body nested deeper than the JSON parser recurses, an integer longer than
Python converts, base64 text that is not ASCII: each used to escape
``resolve()`` (a failed invocation, 502 at API Gateway). Debug mode changes
none of these answers: they are the client's mistakes, not the app's.
"""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any

import pytest
from kernel_http.request import APIGatewayProxyEventV2
from kernel_rest.request import APIGatewayProxyEvent

from kernel import APIGatewayHttpResolver, APIGatewayRestResolver, BadRequestError, Body, InvalidJSONBodyError, Response
from tests.events import http_event, rest_event
from tests.kernel.helpers import json_response

NOT_JSON = "Request body is not valid JSON"
TOO_DEEP = "Request body is nested too deeply"
TOO_LONG = "Request body holds a number too long to read"
NOT_BASE64 = "Request body is not valid base64"
NOT_UTF8 = "Request body is not valid UTF-8"


def bad_request(message: str) -> dict[str, Any]:
    return json_response(400, {"statusCode": 400, "message": message})


def body_app(debug: bool, read: str = "json_body") -> APIGatewayRestResolver:
    """A REST app whose route answers what ``current_event.<read>`` gives."""
    app = APIGatewayRestResolver(plugins=["rest"], debug=debug)

    @app.post("/body")
    def body():
        return {"value": getattr(app.current_event, read)}

    return app


def text_event(body: str) -> dict[str, Any]:
    # Set as it arrives, not through the builder, which could not encode a lone surrogate.
    return {**rest_event("POST", "/body"), "body": body}


def base64_event(body: str) -> dict[str, Any]:
    # As sent: text the builder would have encoded, flagged as base64.
    return {**text_event(body), "isBase64Encoded": True}


DEBUG = pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])


# -- json_body ------------------------------------------------------------------------


@DEBUG
@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("[" * 1_000 + "]" * 1_000, TOO_DEEP, id="2KB-of-nested-arrays"),
        pytest.param('{"a":' * 1_000 + "1" + "}" * 1_000, TOO_DEEP, id="nested-objects"),
        pytest.param("[" * 100_000, TOO_DEEP, id="unclosed-nesting"),
        pytest.param("1" * 4_301, TOO_LONG, id="4301-digit-integer"),
        pytest.param('{"n": -' + "9" * 20_000 + "}", TOO_LONG, id="long-negative-integer-inside"),
        pytest.param("{oops", NOT_JSON, id="not-json"),
        pytest.param("\ud800", NOT_JSON, id="lone-surrogate"),
    ],
)
def test_json_bodies_json_cannot_read_are_answered_400(debug, body, message):
    assert body_app(debug)(text_event(body), None) == bad_request(message)


def test_json_bodies_just_within_the_limits_are_read():
    app = body_app(debug=False)
    nested = app(rest_event("POST", "/body", body="[" * 100 + "]" * 100), None)
    assert nested["statusCode"] == 200
    assert json.loads(nested["body"])["value"] == json.loads("[" * 100 + "]" * 100)
    longest = app(rest_event("POST", "/body", body="7" * 4_300), None)
    assert longest["statusCode"] == 200
    # The answer writes it back: the serializer converts it as the parser did.
    assert longest["body"] == '{"value":' + "7" * 4_300 + "}"


@pytest.mark.parametrize(
    ("body", "message"),
    [("[" * 1_000 + "]" * 1_000, TOO_DEEP), ("1" * 5_000, TOO_LONG), ("{", NOT_JSON)],
    ids=["deep", "long", "invalid"],
)
def test_the_error_is_an_invalid_json_body_error_routes_and_handlers_can_catch(body, message):
    app = APIGatewayRestResolver(plugins=["rest"])

    @app.post("/lenient")
    def lenient():
        try:
            return {"json": app.current_event.json_body}
        except json.JSONDecodeError as exc:
            return {"json": None, "why": str(exc), "kind": type(exc).__name__}

    @app.post("/strict")
    def strict_route():
        return {"json": app.current_event.json_body}

    @app.exception_handler(BadRequestError)
    def bad(exc):
        return Response(400, "text/plain", f"{type(exc).__name__}: {exc.msg}")

    assert app(rest_event("POST", "/lenient", body=body), None) == json_response(
        200, {"json": None, "why": message, "kind": "InvalidJSONBodyError"}
    )
    strict = app(rest_event("POST", "/strict", body=body), None)
    assert (strict["statusCode"], strict["body"]) == (400, f"InvalidJSONBodyError: {message}")


def test_invalid_json_body_error_keeps_the_json_decode_error_fields():
    event = APIGatewayProxyEvent(rest_event("POST", "/x", body="[" * 2_000))
    with pytest.raises(InvalidJSONBodyError) as info:
        _ = event.json_body
    error = info.value
    assert (error.status_code, error.msg, str(error)) == (400, TOO_DEEP, TOO_DEEP)
    assert (error.doc, error.pos, error.lineno, error.colno) == ("[" * 2_000, 0, 1, 1)
    assert error.to_body() == {"statusCode": 400, "message": TOO_DEEP}


@pytest.mark.parametrize(
    ("raised", "message"),
    [
        (ValueError("internal detail of the parser"), NOT_JSON),
        (RecursionError("maximum recursion depth exceeded"), TOO_DEEP),
        (json.JSONDecodeError("Expecting value", "{", 1), NOT_JSON),
    ],
    ids=["value-error", "recursion-error", "json-decode-error"],
)
def test_a_custom_deserializers_errors_are_answered_without_their_text(raised, message):
    def deserializer(text: str) -> Any:
        raise raised

    event = APIGatewayProxyEvent(rest_event("POST", "/x", body="{}"), json_deserializer=deserializer)
    with pytest.raises(InvalidJSONBodyError) as info:
        _ = event.json_body
    # A ValueError of another parser says "not JSON": only json.loads' own means a long number.
    assert (info.value.msg, info.value.to_body()) == (message, {"statusCode": 400, "message": message})


# -- decoded_body (base64) ------------------------------------------------------------


@DEBUG
@pytest.mark.parametrize("read", ["decoded_body", "json_body"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("\u00e9t\u00e9", NOT_BASE64, id="not-ascii"),
        pytest.param("YWJj\u00e9", NOT_BASE64, id="base64-then-not-ascii"),
        pytest.param("\ud800", NOT_BASE64, id="lone-surrogate"),
        pytest.param("%%%", NOT_BASE64, id="not-base64"),
        pytest.param("YQ", NOT_BASE64, id="missing-padding"),
        pytest.param(base64.b64encode(b"\xff\xfe").decode(), NOT_UTF8, id="not-utf8"),
    ],
)
def test_base64_bodies_that_do_not_decode_are_answered_400(debug, read, body, message):
    assert body_app(debug, read)(base64_event(body), None) == bad_request(message)


def test_base64_bodies_decode_to_text_and_json():
    encoded = base64.b64encode('{"city": "Z\u00fcrich"}'.encode()).decode()
    assert body_app(False, "decoded_body")(base64_event(encoded), None) == json_response(
        200, {"value": '{"city": "Z\u00fcrich"}'}
    )
    assert body_app(False, "json_body")(base64_event(encoded), None) == json_response(200, {"value": {"city": "Z\u00fcrich"}})


# -- headers, query strings, cookies ------------------------------------------------------


@DEBUG
@pytest.mark.parametrize(
    ("field", "value", "read", "message"),
    [
        ("headers", {"x-a": 5}, lambda event: event.get_header_value("x-a"), "'headers' is not a map of strings"),
        ("headers", {"x-a": ["b"]}, lambda event: event.headers, "'headers' is not a map of strings"),
        (
            "multiValueHeaders",
            {"x-a": "b"},
            lambda event: event.resolved_headers_field,
            "'multiValueHeaders' is not a map of string lists",
        ),
        (
            "queryStringParameters",
            {"q": None},
            lambda event: event.get_query_string_value("q"),
            "'queryStringParameters' is not a map of strings",
        ),
        (
            "multiValueQueryStringParameters",
            {"q": [1]},
            lambda event: event.get_multi_value_query_string_values("q"),
            "'multiValueQueryStringParameters' is not a map of string lists",
        ),
    ],
    ids=["header-number", "header-list", "multi-value-header-text", "query-null", "multi-value-query-number"],
)
def test_malformed_maps_are_answered_400_when_read(debug, field, value, read, message):
    app = APIGatewayRestResolver(plugins=["rest"], debug=debug)

    @app.get("/read")
    def read_it():
        return {"value": read(app.current_event)}

    event = {**rest_event("GET", "/read"), field: value}
    assert app(event, None) == bad_request(f"Malformed event: {message}")


def test_hostile_but_well_formed_headers_and_query_strings_are_read_as_sent():
    app = APIGatewayRestResolver(plugins=["rest"])

    @app.get("/read")
    def read_it():
        event = app.current_event
        return {"header": event.get_header_value("x-a"), "query": event.get_query_string_value("q")}

    long_text = "\u00e9\U0001f600" * 10_000
    event = rest_event("GET", "/read", headers={"X-A": long_text}, query={"q": "\x00%ff%"})
    assert app(event, None) == json_response(200, {"header": long_text, "query": "\x00%ff%"})


def test_cookies_parse_whatever_their_text_and_a_malformed_list_is_400():
    app = APIGatewayHttpResolver(plugins=["http"])

    @app.get("/cookies")
    def cookies():
        return {"cookies": app.current_event.resolved_cookies_field}

    reply = app(http_event("GET", "/cookies", cookies=["a=1", "=", "broken", "x=\u00e9", "y=" + "z" * 5_000]), None)
    assert (reply["statusCode"], json.loads(reply["body"])) == (
        200,
        # A piece without "=" is no cookie, as Powertools parses them.
        {"cookies": {"a": "1", "": "", "x": "\u00e9", "y": "z" * 5_000}},
    )
    malformed = {**http_event("GET", "/cookies"), "cookies": ["a=1", 5]}
    reply = app(malformed, None)
    assert (reply["statusCode"], reply["body"]) == (
        400,
        '{"statusCode":400,"message":"Malformed event: \'cookies\' is not a list of strings"}',
    )
    assert APIGatewayProxyEventV2(http_event("GET", "/", cookies=["k=v=w"])).resolved_cookies_field == {"k": "v=w"}


# -- the validation plugin's body --------------------------------------------------------


def validated_app(debug: bool) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(plugins=["rest", "validation"], enable_validation=True, debug=debug)

    @app.post("/items")
    def create(item: Annotated[dict[str, Any], Body()]) -> dict[str, int]:
        return {"keys": len(item)}

    return app


@DEBUG
@pytest.mark.parametrize(
    "body",
    ["[" * 1_000 + "]" * 1_000, '{"a":' * 1_000 + "1" + "}" * 1_000, "[" * 100_000, "1" * 5_000, '{"n": ' + "9" * 5_000 + "}"],
    ids=["deep-arrays", "deep-objects", "unclosed", "long-integer", "long-integer-inside"],
)
def test_validation_answers_unreadable_json_as_invalid_json(debug, body):
    # pydantic's parser has its own limits; they are answered as any invalid JSON body (422, json_invalid).
    event = rest_event("POST", "/items", body=body, headers={"Content-Type": "application/json"})
    assert validated_app(debug)(event, None) == json_response(
        422, {"statusCode": 422, "detail": [{"loc": ["body"], "type": "json_invalid"}]}
    )


@DEBUG
def test_validation_answers_an_undecodable_base64_body_400(debug):
    event = {**rest_event("POST", "/items", headers={"Content-Type": "application/json"}, body="\u00e9"), "isBase64Encoded": True}
    assert validated_app(debug)(event, None) == bad_request(NOT_BASE64)
