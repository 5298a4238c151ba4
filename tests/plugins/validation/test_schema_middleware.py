"""SchemaValidationMiddleware: JSON Schema checks of request and response bodies, answered as Powertools answers them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver as PowertoolsResolver
from aws_lambda_powertools.event_handler.middlewares.schema_validation import (
    SchemaValidationMiddleware as PowertoolsMiddleware,
)

from kernel import APIGatewayRestResolver, SchemaValidationMiddleware
from tests.events import rest_event

ORDER = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "sku": {"type": "string", "format": "sku"}},
    "required": ["id"],
}
SKU = r"^[A-Z]{3}-\d+$"


def _app(middleware: Any, returned: Any = None) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(plugins=["rest"])

    @app.post("/orders", middlewares=[middleware])
    def create() -> Any:
        return returned if returned is not None else {"created": app.current_event.json_body["id"]}

    return app


def _answer(app: Any, body: str) -> tuple[int, dict[str, Any]]:
    response = app(rest_event("POST", "/orders", body=body, headers={"Content-Type": "application/json"}), None)
    return int(response["statusCode"]), json.loads(response["body"])


def test_a_valid_body_reaches_the_route():
    app = _app(SchemaValidationMiddleware(inbound_schema=ORDER))
    assert _answer(app, '{"id": 7}') == (200, {"created": 7})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '{"id": "seven"}',
            "Bad Request: Failed schema validation. Error: data.id must be integer, Path: ['data', 'id'], Data: seven",
        ),
        ("{}", "Bad Request: Failed schema validation. Error: data must contain ['id'] properties, Path: ['data'], Data: {}"),
        ("[1]", "Bad Request: Failed schema validation. Error: data must be object, Path: ['data'], Data: [1]"),
    ],
)
def test_an_invalid_body_is_a_400_saying_what_and_where_as_powertools_says_it(body, message):
    app = _app(SchemaValidationMiddleware(inbound_schema=ORDER))
    assert _answer(app, body) == (400, {"statusCode": 400, "message": message})
    # The same message, word for word, as Powertools' middleware.
    assert _answer(_powertools_app(), body) == (400, {"statusCode": 400, "message": message})


def _powertools_app() -> PowertoolsResolver:
    app = PowertoolsResolver()

    @app.post("/orders", middlewares=[PowertoolsMiddleware(inbound_schema=ORDER)])
    def create():
        return {"created": app.current_event.json_body["id"]}

    return app


def test_the_route_does_not_run_when_the_body_is_refused():
    calls = []
    app = APIGatewayRestResolver(plugins=["rest"])

    @app.post("/orders", middlewares=[SchemaValidationMiddleware(inbound_schema=ORDER)])
    def create():
        calls.append(1)
        return {}

    assert _answer(app, '{"id": null}')[0] == 400
    assert calls == []


def test_custom_formats_are_regular_expressions_or_functions():
    by_pattern = _app(SchemaValidationMiddleware(inbound_schema=ORDER, inbound_formats={"sku": SKU}))
    by_function = _app(SchemaValidationMiddleware(inbound_schema=ORDER, inbound_formats={"sku": lambda v: v.startswith("ABC")}))
    for app in (by_pattern, by_function):
        assert _answer(app, '{"id": 1, "sku": "ABC-12"}')[0] == 200
        status, body = _answer(app, '{"id": 1, "sku": "nope"}')
        assert status == 400
        assert body["message"].startswith("Bad Request: Failed schema validation. Error: data.sku must be sku")


def test_the_response_body_is_checked_against_the_outbound_schema():
    outbound = {"type": "object", "required": ["created"]}
    good = _app(SchemaValidationMiddleware(inbound_schema=ORDER, outbound_schema=outbound))
    bad = _app(SchemaValidationMiddleware(inbound_schema=ORDER, outbound_schema=outbound), returned={"other": 1})
    assert _answer(good, '{"id": 3}') == (200, {"created": 3})
    assert _answer(bad, '{"id": 3}') == (
        400,
        {
            "statusCode": 400,
            "message": "Bad Response: Failed schema validation. Error: data must contain ['created'] properties, "
            "Path: ['data'], Data: {'other': 1}",
        },
    )


def test_without_an_outbound_schema_the_response_is_not_checked():
    app = _app(SchemaValidationMiddleware(inbound_schema=ORDER), returned={"anything": True})
    assert _answer(app, '{"id": 3}') == (200, {"anything": True})


def test_a_schema_that_is_not_json_schema_is_a_500_that_hides_the_schema():
    app = _app(SchemaValidationMiddleware(inbound_schema={"type": "no-such-type"}))
    assert _answer(app, '{"id": 1}') == (500, {"statusCode": 500, "message": "Internal Server Error"})


def test_a_body_that_is_not_json_is_a_400():
    app = _app(SchemaValidationMiddleware(inbound_schema=ORDER))
    status, body = _answer(app, "{not json")
    assert status == 400
    assert body == {"statusCode": 400, "message": "Request body is not valid JSON"}


def test_the_settings_stay_readable_as_in_powertools():
    middleware = SchemaValidationMiddleware(inbound_schema=ORDER, inbound_formats={"sku": SKU}, outbound_schema={})
    assert (middleware.inbound_schema, middleware.inbound_formats) == (ORDER, {"sku": SKU})
    assert (middleware.outbound_schema, middleware.outbound_formats) == ({}, None)


def test_the_middleware_is_importable_from_the_validation_plugin_too():
    import kernel_validation

    assert kernel_validation.SchemaValidationMiddleware is SchemaValidationMiddleware


def test_deliberate_difference_powertools_checks_no_response_with_an_outbound_schema_alone():
    # Powertools 3.37 checks the response only when outbound_formats is given, and then
    # against the inbound schema; kernel checks it against outbound_schema (docs/migrating.md).
    outbound = {"type": "object", "required": ["created"]}
    app = PowertoolsResolver()

    @app.post("/orders", middlewares=[PowertoolsMiddleware(inbound_schema=ORDER, outbound_schema=outbound)])
    def create():
        return {"other": 1}

    assert _answer(app, '{"id": 3}') == (200, {"other": 1})
    kernel_app = _app(SchemaValidationMiddleware(inbound_schema=ORDER, outbound_schema=outbound), returned={"other": 1})
    assert _answer(kernel_app, '{"id": 3}')[0] == 400


def test_the_example_of_docs_validation_md_answers_as_the_page_says():
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parents[3] / "docs" / "validation.md").read_text()
    code = re.search(r"<!-- docs-test: schema-middleware -->\n```python\n(.*?)```", page, re.S)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), "docs/validation.md", "exec", dont_inherit=True), namespace)
    app = namespace["app"]
    assert _answer(app, '{"id": 7, "sku": "ABC-1"}') == (200, {"created": 7})
    assert _answer(app, '{"id": "seven"}') == (
        400,
        {
            "statusCode": 400,
            "message": "Bad Request: Failed schema validation. Error: data.id must be integer, Path: ['data', 'id'], Data: seven",
        },
    )
    assert _answer(app, '{"id": 1, "sku": "abc"}')[1]["message"].startswith(
        "Bad Request: Failed schema validation. Error: data.sku must be sku"
    )
