"""The ALB source: both target-group modes, query strings as sent (decoded for validation on demand), the exact response dicts."""

from __future__ import annotations

import json
from typing import Annotated

import kernel_alb
import pytest

from kernel import ALBResolver, App, Cookie, Query, Response
from tests.events import alb_event, rest_event

TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/kernel-local/0123456789abcdef"


def make_app() -> ALBResolver:
    return ALBResolver(plugins=["alb"])


def echo_app() -> ALBResolver:
    """An app whose one route answers what the request looked like."""
    app = make_app()

    @app.route("/echo", ["GET", "POST"])
    def echo():
        event = app.current_event
        return {
            "method": event.http_method,
            "path": event.path,
            "query": event.query_string_parameters,
            "multi_query": event.multi_value_query_string_parameters,
            "resolved_query": event.resolved_query_string_parameters,
            "one": event.get_query_string_value("tag"),
            "all": event.get_multi_value_query_string_values("tag"),
            "agent": event.get_header_value("User-Agent"),
            "header": event.headers.get("x-custom"),
            "multi_header": event.multi_value_headers.get("x-custom"),
            "body": event.decoded_body,
            "target_group": event.request_context.elb_target_group_arn,
            "multi_value": event.is_multi_value,
        }

    return app


def answer(app, event) -> dict:
    return json.loads(app(event, None)["body"])


# -- the request ------------------------------------------------------------


def test_accessors_in_single_value_mode():
    headers = {"X-Custom": "a", "User-Agent": "curl/7.79.1"}
    event = alb_event("POST", "/echo", headers=headers, query={"tag": "x"}, body="hello")
    seen = answer(echo_app(), event)
    assert seen == {
        "method": "POST",
        "path": "/echo",
        "query": {"tag": "x"},
        "multi_query": {"tag": ["x"]},
        "resolved_query": {"tag": ["x"]},
        "one": "x",
        "all": ["x"],
        "agent": "curl/7.79.1",
        "header": "a",
        "multi_header": ["a"],
        "body": "hello",
        "target_group": TARGET_GROUP,
        "multi_value": False,
    }


def test_accessors_in_multi_value_mode_give_the_last_value_as_the_single_one():
    headers = {"X-Custom": ["a", "b"], "User-Agent": "curl/7.79.1"}
    event = alb_event("GET", "/echo", headers=headers, query={"tag": ["x", "y"]}, multi_value=True)
    seen = answer(echo_app(), event)
    assert seen["query"] == {"tag": "y"}
    assert seen["one"] == "y"
    assert seen["multi_query"] == {"tag": ["x", "y"]}
    assert seen["resolved_query"] == {"tag": ["x", "y"]}
    assert seen["all"] == ["x", "y"]
    assert seen["header"] == "b"
    assert seen["multi_header"] == ["a", "b"]
    assert seen["agent"] == "curl/7.79.1"
    assert seen["multi_value"] is True


def test_without_a_query_string_the_parameters_are_empty():
    seen = answer(echo_app(), alb_event("GET", "/echo"))
    assert seen["query"] == {}
    assert seen["multi_query"] == {}
    assert seen["resolved_query"] == {}
    assert seen["all"] == []
    seen = answer(echo_app(), alb_event("GET", "/echo", multi_value=True))
    assert seen["query"] == {}
    assert seen["resolved_query"] == {}


ENCODED = {"tag": "a%20b+c%2Bd", "na%6De": "%E2%9C%93", "bad": "100%"}


@pytest.mark.parametrize("multi_value", [False, True])
def test_query_names_and_values_reach_routes_as_sent(multi_value):
    # ALB passes the query string on as the client encoded it, and so do the accessors (as on Powertools).
    event = alb_event("GET", "/echo", query=ENCODED, multi_value=multi_value, encode_query=False)
    seen = answer(echo_app(), event)
    assert seen["query"] == ENCODED
    assert seen["multi_query"] == {name: [value] for name, value in ENCODED.items()}
    assert seen["resolved_query"] == {name: [value] for name, value in ENCODED.items()}
    assert seen["all"] == ["a%20b+c%2Bd"]


def validating_app(**settings) -> ALBResolver:
    app = ALBResolver(plugins=["alb", "validation"], enable_validation=True, **settings)

    @app.get("/search")
    def search(
        tag: Annotated[str | None, Query()] = None,
        name: Annotated[str | None, Query()] = None,
        tags: Annotated[list[str] | None, Query()] = None,
    ):
        event = app.current_event
        return {
            "tag": tag,
            "name": name,
            "tags": tags,
            "decoding": event.decode_query_parameters,
            "accessor": event.get_query_string_value("tag"),
        }

    return app


@pytest.mark.parametrize("multi_value", [False, True])
def test_validation_reads_query_parameters_as_sent_by_default(multi_value):
    event = alb_event("GET", "/search", query=ENCODED, multi_value=multi_value, encode_query=False)
    assert answer(validating_app(), event) == {
        "tag": "a%20b+c%2Bd",
        "name": None,  # the parameter was sent as "na%6De"
        "tags": None,
        "decoding": False,
        "accessor": "a%20b+c%2Bd",
    }


@pytest.mark.parametrize("multi_value", [False, True])
def test_decode_query_parameters_decodes_the_names_and_values_validation_reads(multi_value):
    event = alb_event("GET", "/search", query=ENCODED, multi_value=multi_value, encode_query=False)
    assert answer(validating_app(decode_query_parameters=True), event) == {
        "tag": "a b+c+d",  # percent escapes decoded; a plus stays a plus
        "name": "\u2713",
        "tags": None,
        "decoding": True,
        "accessor": "a%20b+c%2Bd",  # current_event's maps keep what ALB sent
    }


def test_in_single_value_mode_a_list_parameter_is_split_on_commas():
    app = validating_app(decode_query_parameters=True)
    event = alb_event("GET", "/search", query={"tags": "a,b%2Cc", "tag": "x,y"}, encode_query=False)
    seen = answer(app, event)
    # The escaped comma is decoded after the split: it stays inside its value.
    assert (seen["tags"], seen["tag"]) == (["a", "b,c"], "x,y")
    event = alb_event("GET", "/search", query={"tags": ["a,b", "c"]}, encode_query=False, multi_value=True)
    assert answer(app, event)["tags"] == ["a,b", "c"]


def test_a_scalar_sent_twice_in_multi_value_mode_is_answered_422():
    event = alb_event("GET", "/search", query={"tag": ["a", "b"]}, multi_value=True)
    response = validating_app()(event, None)
    assert response["statusCode"] == 422


def test_the_decoding_plugin_is_in_the_apps_that_ask_for_it_only():
    on, off = validating_app(decode_query_parameters=True), validating_app()
    assert on.decode_query_parameters is True
    assert off.decode_query_parameters is False
    added = {name for name, _ in on.plugin_manager.list_name_plugin()}
    added -= {name for name, _ in off.plugin_manager.list_name_plugin()}
    assert added == {"alb-query_decoding"}


def test_the_raw_encoded_values_stay_in_the_raw_event():
    app = make_app()

    @app.get("/raw")
    def raw():
        return {"raw": app.current_event.raw_event["queryStringParameters"], "item": app.current_event["path"]}

    event = alb_event("GET", "/raw", query={"q": "a b"})
    assert answer(app, event) == {"raw": {"q": "a%20b"}, "item": "/raw"}


# -- routing ------------------------------------------------------------------


# -- the response ----------------------------------------------------------------


def test_single_value_response_dict():
    app = make_app()

    @app.get("/hello")
    def hello():
        return {"message": "hi"}

    assert app(alb_event("GET", "/hello"), None) == {
        "statusCode": 200,
        "body": '{"message":"hi"}',
        "isBase64Encoded": False,
        "headers": {"Content-Type": "application/json"},
    }


def test_multi_value_response_dict():
    app = make_app()

    @app.get("/hello")
    def hello():
        return Response(201, "text/plain", "made", headers={"X-Tags": ["a", "b"]})

    assert app(alb_event("GET", "/hello", multi_value=True), None) == {
        "statusCode": 201,
        "body": "made",
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["text/plain"], "X-Tags": ["a", "b"]},
    }


def test_single_value_mode_joins_repeated_headers():
    app = make_app()

    @app.get("/hello")
    def hello():
        return Response(200, "text/plain", "ok", headers={"X-Tags": ["a", "b"]})

    assert app(alb_event("GET", "/hello"), None)["headers"] == {"Content-Type": "text/plain", "X-Tags": "a, b"}


def test_none_body_is_sent_as_empty_string():
    # ALB turns a null body into a 502.
    app = make_app()

    @app.delete("/items/<item_id>")
    def delete(item_id):
        return Response(204)

    for multi_value in (False, True):
        result = app(alb_event("DELETE", "/items/1", multi_value=multi_value), None)
        assert result["statusCode"] == 204
        assert result["body"] == ""


def cookie_app() -> ALBResolver:
    app = make_app()

    @app.get("/login")
    def login():
        return Response(200, "text/plain", "in", cookies=[Cookie("session", "abc"), Cookie("theme", "dark", secure=False)])

    return app


def test_single_value_mode_sends_the_last_cookie_and_warns():
    with pytest.warns(UserWarning, match=r"2 cookies were set and only the last one is sent\. Turn on multi-value headers"):
        result = cookie_app()(alb_event("GET", "/login"), None)
    assert result["headers"] == {"Content-Type": "text/plain", "Set-Cookie": "theme=dark"}


# -- malformed events ---------------------------------------------------------------


def bad_request(message: str, multi_value: bool = False) -> dict:
    body = json.dumps({"statusCode": 400, "message": f"Malformed event: {message}"}, separators=(",", ":"))
    result = {"statusCode": 400, "body": body, "isBase64Encoded": False}
    if multi_value:
        return {**result, "multiValueHeaders": {"Content-Type": ["application/json"]}}
    return {**result, "headers": {"Content-Type": "application/json"}}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"httpMethod": None}, "'httpMethod' is missing or not a string"),
        ({"httpMethod": ""}, "'httpMethod' is missing or not a string"),
        ({"path": 7}, "'path' is missing or not an absolute path"),
        ({"headers": {"host": 1}}, "'headers' is not a map of strings"),
        ({"headers": ["host"]}, "'headers' is not a map of strings"),
        ({"queryStringParameters": {"a": ["1"]}}, "'queryStringParameters' is not a map of strings"),
        ({"body": {"a": 1}}, "'body' is not a string"),
        ({"isBase64Encoded": "yes"}, "'isBase64Encoded' is not a boolean"),
    ],
)
def test_malformed_single_value_event_is_a_400(change, message):
    # Map entries are checked when first read (the maps' types at once): this route reads them all.
    event = {**alb_event("GET", "/read"), **change}
    assert reading_app()(event, None) == bad_request(message)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"multiValueHeaders": {"host": "h"}}, "'multiValueHeaders' is not a map of string lists"),
        ({"multiValueQueryStringParameters": {"a": "1"}}, "'multiValueQueryStringParameters' is not a map of string lists"),
        ({"multiValueQueryStringParameters": {"a": [1]}}, "'multiValueQueryStringParameters' is not a map of string lists"),
    ],
)
def test_malformed_multi_value_event_is_a_400_in_multi_value_mode(change, message):
    event = {**alb_event("GET", "/read", multi_value=True), **change}
    assert reading_app()(event, None) == bad_request(message, multi_value=True)


def reading_app():
    app = make_app()

    @app.get("/read")
    def read():
        event = app.current_event
        return {"headers": event.resolved_headers_field, "query": event.resolved_query_string_parameters}

    return app


def test_a_pinned_app_reads_an_event_without_the_elb_context():
    # A pinned app takes what it is given; only an unpinned app needs the shape to decide.
    event = alb_event("GET", "/hello")
    del event["requestContext"]
    app = make_app()

    @app.get("/hello")
    def hello():
        return {"target_group": app.current_event.request_context.elb_target_group_arn}

    assert answer(app, event) == {"target_group": None}


# -- detection ---------------------------------------------------------------------


def test_unpinned_app_tells_alb_from_rest():
    app = App(plugins=["rest", "alb"])

    @app.get("/who")
    def who():
        return {"source": type(app.current_event).__name__}

    alb = app(alb_event("GET", "/who"), None)
    assert json.loads(alb["body"]) == {"source": "ALBEvent"}
    assert alb["headers"] == {"Content-Type": "application/json"}
    assert "multiValueHeaders" not in alb
    assert json.loads(app(rest_event("GET", "/who"), None)["body"]) == {"source": "APIGatewayProxyEvent"}


def test_is_alb_event():
    assert kernel_alb.is_alb_event(alb_event())
    assert not kernel_alb.is_alb_event(rest_event())
    assert not kernel_alb.is_alb_event({"requestContext": "elb"})
    assert not kernel_alb.is_alb_event(None)


def test_only_alb_requests_get_alb_responses():
    # The kernel asks a source to render only the requests it parsed: a REST
    # request in an app with both sources gets the REST shape, never ALB's.
    app = App(plugins=["alb", "rest"])

    @app.get("/who")
    def who():
        return {}

    assert "multiValueHeaders" in app(rest_event("GET", "/who"), None)
    assert "headers" in app(alb_event("GET", "/who"), None)
    assert "multiValueHeaders" not in app(alb_event("GET", "/who"), None)


def test_the_entry_point_is_the_source():
    assert kernel_alb.source.name == "alb"
    assert kernel_alb.source.request_class is kernel_alb.ALBEvent
