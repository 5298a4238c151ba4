"""The settings given to ``App(...)`` take effect: cors, debug (and its exact 500 answer), serializer, prefixes."""

from __future__ import annotations

import traceback
from typing import Any

import pytest
from kernel_cors import CORSConfig

from kernel import App
from tests.kernel.helpers import NOT_FOUND, call, json_response

ORIGIN = "https://app.example.com"


def failing_app(**settings: Any) -> tuple[App, list[BaseException]]:
    """An App on the REST source whose GET /fail raises; the raised exceptions are kept."""
    app = App(plugins=["rest"], **settings)
    raised: list[BaseException] = []

    @app.get("/fail")
    def fail():
        try:
            {}["order-42"]
        except KeyError as exc:
            raised.append(exc)
            raise

    return app, raised


def test_cors_given_to_app_answers_with_its_headers_and_preflights():
    app = App(plugins=["rest", "cors"], cors=CORSConfig(allow_origin=ORIGIN, max_age=30))

    @app.get("/items")
    def items():
        return {"items": []}

    cors = {
        "Access-Control-Allow-Origin": [ORIGIN],
        "Access-Control-Allow-Headers": ["Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key"],
        "Access-Control-Max-Age": ["30"],
        "Vary": ["Origin"],
    }
    assert call(app, "GET", "/items", headers={"Origin": ORIGIN}) == json_response(200, {"items": []}, cors)
    assert call(app, "OPTIONS", "/items", headers={"Origin": ORIGIN}) == {
        "statusCode": 204,
        "body": "",
        "isBase64Encoded": False,
        "multiValueHeaders": {"Access-Control-Allow-Methods": ["GET,OPTIONS"], **cors},
    }


def test_an_app_without_cors_sends_no_cors_headers_and_answers_no_preflight():
    app = App(plugins=["rest", "cors"])

    @app.get("/items")
    def items():
        return {"items": []}

    assert call(app, "GET", "/items", headers={"Origin": ORIGIN}) == json_response(200, {"items": []})
    assert call(app, "OPTIONS", "/items", headers={"Origin": ORIGIN}) == NOT_FOUND


def test_debug_true_answers_the_whole_traceback_as_plain_text():
    app, raised = failing_app(debug=True)
    assert app.debug is True

    response = call(app, "GET", "/fail")

    assert response == {
        "statusCode": 500,
        "body": "".join(traceback.format_exception(raised[0])),
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["text/plain"]},
    }
    lines = response["body"].splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-1] == "KeyError: 'order-42'"
    assert any(line.strip() == '{}["order-42"]' for line in lines)  # the route's own line


def test_debug_false_lets_the_exception_out_even_with_powertools_dev(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_DEV", "1")
    app, raised = failing_app(debug=False)
    assert app.debug is False
    with pytest.raises(KeyError) as caught:
        call(app, "GET", "/fail")
    assert caught.value is raised[0]


def test_debug_left_unset_follows_powertools_dev(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_DEV", "true")
    with pytest.warns(UserWarning, match="POWERTOOLS_DEV is set: debug mode is on"):
        app, raised = failing_app()
    assert app.debug is True
    assert call(app, "GET", "/fail")["body"] == "".join(traceback.format_exception(raised[0]))

    monkeypatch.delenv("POWERTOOLS_DEV")
    app, _ = failing_app()
    assert app.debug is False
    with pytest.raises(KeyError):
        call(app, "GET", "/fail")


def test_serializer_given_to_app_writes_json_bodies():
    app = App(plugins=["rest"], serializer=lambda body: "<" + ",".join(sorted(body)) + ">")

    @app.get("/keys")
    def keys():
        return {"b": 1, "a": 2}

    assert app.has_custom_serializer is True
    reply = call(app, "GET", "/keys")
    assert reply["body"] == "<a,b>"
    assert reply["multiValueHeaders"] == {"Content-Type": ["application/json"]}


def test_strip_prefixes_given_to_app_route_the_rest_of_the_path():
    app = App(plugins=["rest"], strip_prefixes=["/api"])

    @app.get("/items")
    def items():
        return {"items": []}

    assert app.has_custom_serializer is False
    assert call(app, "GET", "/api/items") == json_response(200, {"items": []})
    assert call(app, "GET", "/items") == json_response(200, {"items": []})
    assert call(app, "GET", "/apiitems") == NOT_FOUND
