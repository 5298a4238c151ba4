"""A route's ``body_encoder`` (set by a plugin, such as validation) encodes what the route returns as JSON, only that."""

from __future__ import annotations

import asyncio
from typing import Any

from kernel import Response
from tests.events import rest_event
from tests.kernel.helpers import call, json_response, rest_app


def encoded_app() -> Any:
    app = rest_app()

    @app.get("/dict")
    def as_dict():
        return {"n": 1}

    @app.get("/text")
    def as_text():
        return Response(200, "application/json", '{"raw":true}')

    @app.get("/html")
    def as_html():
        return Response(200, "text/html", ["not", "json"])

    @app.get("/empty")
    def empty():
        return Response(204, "application/json", None)

    for route in app.routes:
        route.body_encoder = lambda body: {"encoded": body}
        route.middlewares = []
    return app


def test_a_returned_json_body_goes_through_the_encoder():
    assert call(encoded_app(), "GET", "/dict") == json_response(200, {"encoded": {"n": 1}})


def test_what_an_async_route_returns_goes_through_the_encoder():
    app = rest_app()

    @app.get("/async")
    async def as_async():
        return {"n": 2}

    app.routes[0].body_encoder = lambda body: {"encoded": body}
    expected = json_response(200, {"encoded": {"n": 2}})
    assert call(app, "GET", "/async") == expected
    assert asyncio.run(app.resolve_async(rest_event("GET", "/async"), None)) == expected


def test_a_returned_json_text_goes_through_the_encoder_too():
    # As on Powertools, a str the route returns is checked against its return annotation.
    assert call(encoded_app(), "GET", "/text")["body"] == '{"encoded":"{\\"raw\\":true}"}'


def test_non_json_and_empty_bodies_are_left_alone():
    app = encoded_app()
    html = call(app, "GET", "/html")
    assert html["multiValueHeaders"]["Content-Type"] == ["text/html"]
    assert "encoded" not in str(html["body"])
    empty = call(app, "GET", "/empty")
    assert empty["statusCode"] == 204
    assert "encoded" not in str(empty["body"])
