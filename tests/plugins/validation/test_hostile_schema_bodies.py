"""SchemaValidationMiddleware under bodies that are not JSON, nested too deeply, too long to read or not base64: a 400 each."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from kernel import APIGatewayRestResolver, SchemaValidationMiddleware
from tests.events import rest_event

ORDER = {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}


def _app() -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(plugins=["rest"])

    @app.post("/orders", middlewares=[SchemaValidationMiddleware(inbound_schema=ORDER)])
    def create() -> Any:
        return {"created": app.current_event.json_body["id"]}

    return app


def _answer(body: str, *, raw_base64: bool = False) -> tuple[int, Any]:
    event = rest_event("POST", "/orders", body=body, headers={"Content-Type": "application/json"})
    if raw_base64:
        event["isBase64Encoded"] = True
    response = _app().resolve(event, None)
    assert "Traceback" not in response["body"]
    return response["statusCode"], json.loads(response["body"])


@pytest.mark.parametrize(
    ("body", "raw_base64", "message"),
    [
        ("[" * 100_000, False, "Request body is nested too deeply"),
        ('{"id": ' + "9" * 5_000 + "}", False, "Request body holds a number too long to read"),
        ("\x00\x01", False, "Request body is not valid JSON"),
        ("%%%", True, "Request body is not valid base64"),
        (base64.b64encode(b'{"id": "\xff"}').decode(), True, "Request body is not valid UTF-8"),
    ],
)
def test_a_body_the_middleware_cannot_read_is_a_400_before_any_schema_check(body, raw_base64, message):
    assert _answer(body, raw_base64=raw_base64) == (400, {"statusCode": 400, "message": message})


def test_an_absent_or_empty_body_is_checked_as_null_as_powertools_checks_it():
    expected = "Bad Request: Failed schema validation. Error: data must be object, Path: ['data'], Data: None"

    assert _answer("") == (400, {"statusCode": 400, "message": expected})
