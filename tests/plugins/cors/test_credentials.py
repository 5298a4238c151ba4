"""Access-Control-Allow-Credentials: sent only when the app's CORSConfig asks for it, and never with ``*``.

A browser sends cookies or an Authorization header on a cross-origin request
only when the answer says ``Access-Control-Allow-Credentials: true``; an app
that never asked for it must never say it, whatever origin calls.
"""

from __future__ import annotations

from typing import Any

import pytest
from kernel_cors import CORSConfig

from kernel import APIGatewayRestResolver
from tests.events import rest_event

ORIGIN = "https://app.example.com"
ALLOW_HEADERS = "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key"


def make_app(cors: CORSConfig | None) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(plugins=["rest", "cors"], cors=cors)

    @app.get("/profile", cors=True)
    def profile():
        return {"name": "ada"}

    @app.put("/profile", cors=True)
    def update():
        return {"updated": True}

    return app


def answer(app: APIGatewayRestResolver, method: str, origin: str) -> dict[str, Any]:
    return app(rest_event(method, "/profile", headers={"Origin": origin, "Cookie": "session=abc"}), None)


def test_a_config_without_allow_credentials_never_sends_it_to_its_own_origin():
    app = make_app(CORSConfig(allow_origin=ORIGIN, extra_origins=["http://localhost:3000"], max_age=60))

    assert answer(app, "GET", ORIGIN) == {
        "statusCode": 200,
        "body": '{"name":"ada"}',
        "isBase64Encoded": False,
        "multiValueHeaders": {
            "Content-Type": ["application/json"],
            "Access-Control-Allow-Origin": [ORIGIN],
            "Access-Control-Allow-Headers": [ALLOW_HEADERS],
            "Access-Control-Max-Age": ["60"],
            "Vary": ["Origin"],
        },
    }
    assert answer(app, "OPTIONS", "http://localhost:3000") == {
        "statusCode": 204,
        "body": "",
        "isBase64Encoded": False,
        "multiValueHeaders": {
            "Access-Control-Allow-Methods": ["GET,OPTIONS,PUT"],
            "Access-Control-Allow-Origin": ["http://localhost:3000"],
            "Access-Control-Allow-Headers": [ALLOW_HEADERS],
            "Access-Control-Max-Age": ["60"],
            "Vary": ["Origin"],
        },
    }


def test_the_default_of_a_route_with_cors_true_sends_no_credentials():
    # No app-wide config: the route's cors=True uses the permissive default, origin "*".
    reply = answer(make_app(None), "GET", ORIGIN)
    assert reply["multiValueHeaders"] == {
        "Content-Type": ["application/json"],
        "Access-Control-Allow-Origin": ["*"],
        "Access-Control-Allow-Headers": [ALLOW_HEADERS],
        "Vary": ["Origin"],
    }


def test_allow_credentials_sends_it_to_a_listed_origin_on_answers_and_preflights():
    app = make_app(CORSConfig(allow_origin=ORIGIN, allow_credentials=True))
    for method in ("GET", "PUT", "OPTIONS"):
        headers = answer(app, method, ORIGIN)["multiValueHeaders"]
        assert headers["Access-Control-Allow-Credentials"] == ["true"], method
        assert headers["Access-Control-Allow-Origin"] == [ORIGIN], method


def test_allow_credentials_is_not_sent_to_an_origin_that_is_not_allowed():
    app = make_app(CORSConfig(allow_origin=ORIGIN, allow_credentials=True))
    headers = answer(app, "GET", "https://evil.example")["multiValueHeaders"]
    assert headers == {"Content-Type": ["application/json"], "Vary": ["Origin"]}


@pytest.mark.parametrize("origin", [ORIGIN, "https://other.example"])
def test_allow_credentials_with_the_wildcard_origin_is_never_sent(origin):
    # Browsers refuse credentials with "*": the config answers "*" without them.
    app = make_app(CORSConfig(allow_origin="*", allow_credentials=True))
    headers = answer(app, "GET", origin)["multiValueHeaders"]
    assert headers["Access-Control-Allow-Origin"] == ["*"]
    assert "Access-Control-Allow-Credentials" not in headers


def test_the_config_reports_what_it_was_given():
    assert CORSConfig().allow_credentials is False
    assert CORSConfig(allow_origin=ORIGIN).allow_credentials is False
    assert CORSConfig(allow_origin=ORIGIN, allow_credentials=True).allow_credentials is True
