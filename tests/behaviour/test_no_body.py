"""Answers without a body: 204 and 304 on every source, and a route's None behind ALB."""

from __future__ import annotations

import pytest

from kernel import ALBResolver, APIGatewayRestResolver, Response
from tests.events import alb_event, rest_event
from tests.sources import CASES


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.label or case.name)
@pytest.mark.parametrize(
    ("status", "result"),
    [
        (204, lambda: (None, 204)),
        (204, lambda: Response(204, "text/plain", "ignored")),
        (304, lambda: Response(304, "application/json", {"stale": True}, headers={"ETag": '"v1"'})),
    ],
    ids=["none-204", "text-204", "json-304"],
)
def test_204_and_304_never_carry_a_body(case, status, result):
    app = case.app()

    @app.get("/empty")
    def empty():
        return result()

    response = case.client(app).request("GET", "/empty")
    assert (response.status_code, response.content) == (status, b"")
    raw = response.raw
    if "body" in raw:  # the proxy shapes: no body, in the source's way of saying none
        assert raw["body"] in (None, "")
    assert raw.get("isBase64Encoded", False) is False


@pytest.mark.parametrize(
    "result",
    [
        lambda: Response(200, "application/json", None),
        lambda: None,
        lambda: Response(200, "text/plain", None),
    ],
    ids=["json-none", "bare-none", "text-none"],
)
def test_alb_sends_an_empty_body_for_none(result):
    # ALB answers 502 to a null body, and Powertools sends "" here too.
    app = ALBResolver(plugins=["alb"])

    @app.get("/none")
    def none():
        return result()

    response = app(alb_event("GET", "/none"), None)
    assert (response["statusCode"], response["body"]) == (200, "")


def test_rest_keeps_the_json_null_of_a_none_body():
    app = APIGatewayRestResolver(plugins=["rest"])

    @app.get("/none")
    def none():
        return None

    assert app(rest_event("GET", "/none"), None)["body"] == "null"
