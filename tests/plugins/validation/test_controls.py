"""Validation controls: response error statuses, status_code=, openapi_examples, json_body_deserializer,
every Field keyword on every marker, and response validation kept to what the route returned."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from http import HTTPStatus
from typing import Annotated, Any

import pytest
from kernel_validation import Cookie, ResponseValidationError
from pydantic import BaseModel

from kernel import APIGatewayRestResolver, Body, File, Form, Header, Path, Query, Response, Router, content_types
from tests.kernel.helpers import rest_app
from tests.plugins.validation.helpers import answer, validated_app


class Item(BaseModel):
    name: str
    price: int


def broken_routes(app: Any, **route_options: Any) -> Any:
    @app.get("/item", **route_options)
    def item() -> Item:
        return {"name": "lamp", "price": "cheap"}  # type: ignore[return-value]

    return app


BROKEN = [{"loc": ["response", "price"], "type": "int_parsing"}]


def test_a_response_that_fails_validation_is_a_422_by_default_as_in_powertools():
    assert answer(broken_routes(validated_app()), "GET", "/item") == (422, {"statusCode": 422, "detail": BROKEN})


def test_the_app_may_answer_responses_that_fail_validation_with_a_server_error():
    app = broken_routes(validated_app(response_validation_error_http_code=HTTPStatus.INTERNAL_SERVER_ERROR))

    assert answer(app, "GET", "/item") == (500, {"statusCode": 500, "detail": BROKEN})
    assert app.response_validation_error_http_code is HTTPStatus.INTERNAL_SERVER_ERROR


def test_a_route_s_own_code_takes_precedence_over_the_app_s():
    app = broken_routes(validated_app(response_validation_error_http_code=500), custom_response_validation_http_code=502)

    assert answer(app, "GET", "/item") == (502, {"statusCode": 502, "detail": BROKEN})


def test_a_route_of_a_router_keeps_its_code():
    router = Router()
    broken_routes(router, custom_response_validation_http_code=503)
    app = validated_app()
    app.include_router(router)

    assert answer(app, "GET", "/item")[0] == 503


def test_a_handler_for_response_validation_error_receives_it_with_its_status():
    app = broken_routes(validated_app(response_validation_error_http_code=500))

    @app.exception_handler(ResponseValidationError)
    def failed(exc: ResponseValidationError):
        return Response(exc.status_code, content_types.APPLICATION_JSON, {"bug": [e["loc"] for e in exc.errors()]})

    assert answer(app, "GET", "/item") == (500, {"bug": [["response", "price"]]})


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: APIGatewayRestResolver(plugins=["rest"], response_validation_error_http_code=500),
            "'response_validation_error_http_code' cannot be set when enable_validation is False.",
        ),
        (
            lambda: validated_app(response_validation_error_http_code=999),
            "'999' must be an integer representing an HTTP status code.",
        ),
        (
            lambda: broken_routes(rest_app(), custom_response_validation_http_code=500),
            "'custom_response_validation_http_code' cannot be set for route when enable_validation is False on resolver.",
        ),
        (
            lambda: broken_routes(validated_app(), custom_response_validation_http_code=1000),
            "'1000' must be an integer representing an HTTP status code.",
        ),
    ],
)
def test_bad_codes_are_refused_where_they_are_written(build, message):
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        build()


def test_a_401_from_an_auth_middleware_is_not_response_validated():
    def auth(app, next_middleware):
        if app.current_event.get_header_value("authorization") != "yes":
            return Response(401, content_types.APPLICATION_JSON, {"message": "Unauthorized"})
        return next_middleware(app)

    app = broken_routes(validated_app(response_validation_error_http_code=500), middlewares=[auth])

    assert answer(app, "GET", "/item") == (401, {"message": "Unauthorized"})
    assert answer(app, "GET", "/item", headers={"authorization": "yes"})[0] == 500


def test_a_middleware_sees_the_encoded_body_of_what_the_route_returned():
    seen: list[Any] = []

    def spy(app, next_middleware):
        response = next_middleware(app)
        seen.append(response.body)
        return response

    app = validated_app()
    app.use([spy])

    @app.get("/item")
    def item() -> Item:
        return Item(name="lamp", price=3)

    assert answer(app, "GET", "/item") == (200, {"name": "lamp", "price": 3})
    assert seen == [{"name": "lamp", "price": 3}]


def test_status_code_is_the_status_of_a_plain_body_with_or_without_validation():
    for app in (rest_app(), validated_app()):

        @app.post("/items", status_code=201)
        def create():
            return {"created": True}

        @app.post("/tuple", status_code=201)
        def tuple_wins():
            return {"created": False}, 200

        @app.post("/response", status_code=201)
        def response_wins():
            return Response(204, content_types.APPLICATION_JSON, None)

        assert answer(app, "POST", "/items") == (201, {"created": True})
        assert answer(app, "POST", "/tuple") == (200, {"created": False})
        assert app.resolve({"httpMethod": "POST", "path": "/response"}, None)["statusCode"] == 204


def test_a_custom_json_deserializer_reads_json_body_and_validated_bodies():
    def exact(text: str) -> Any:
        return json.loads(text, parse_float=Decimal)

    app = validated_app(json_body_deserializer=exact)

    @app.post("/amount")
    def amount(total: Annotated[Decimal, Body(embed=True)]):
        return {"total": str(total), "raw": str(app.current_event.json_body["total"])}

    assert answer(app, "POST", "/amount", body='{"total": 0.1000000000000000055511}') == (
        200,
        {"total": "0.1000000000000000055511", "raw": "0.1000000000000000055511"},
    )


def test_every_marker_takes_every_keyword_of_pydantic_field_and_extra_keys():
    options = {
        "alias": None,
        "validation_alias": None,
        "serialization_alias": "out",
        "title": "T",
        "description": "d",
        "examples": ["x"],
        "openapi_examples": {"one": {"value": "x"}},
        "deprecated": False,
        "json_schema_extra": {"x-a": 1},
        "frozen": False,
        "validate_default": False,
        "repr": True,
        "strict": False,
        "coerce_numbers_to_str": False,
        "min_length": 0,
        "max_length": 100,
        "union_mode": "smart",
        "fail_fast": False,
        "include_in_schema": True,
        # Not a Field keyword: goes to the JSON schema.
        "name": "Header2",
    }
    for marker in (Path, Query, Header, Body, Form, File, Cookie):
        made = marker(**options)
        assert made.json_schema_extra == {"x-a": 1, "name": "Header2"}
        assert made.openapi_examples == {"one": {"value": "x"}}


def test_a_validation_alias_names_the_parameter_in_the_request():
    app = validated_app()

    @app.get("/page")
    def page(size: Annotated[int, Query(validation_alias="pageSize", gt=0)]):
        return {"size": size}

    assert answer(app, "GET", "/page", query={"pageSize": "5"}) == (200, {"size": 5})
    assert answer(app, "GET", "/page", query={"pageSize": "0"})[1]["detail"] == [
        {"loc": ["query", "pageSize"], "type": "greater_than"}
    ]


def test_the_openapi_document_shows_status_codes_examples_extras_and_the_response_error():
    app = validated_app(plugins=["rest", "validation", "openapi"], response_validation_error_http_code=500)

    @app.post("/items", status_code=201)
    def create(
        item: Annotated[Item, Body(openapi_examples={"lamp": {"summary": "A lamp", "value": {"name": "lamp", "price": 3}}})],
        trace: Annotated[str, Header(name="Header2", openapi_examples={"t": {"value": "abc"}})] = "",
    ) -> Item:
        return item

    document = app.get_openapi_schema().model_dump(mode="json", by_alias=True, exclude_none=True)
    operation = document["paths"]["/items"]["post"]

    assert sorted(operation["responses"]) == ["201", "422", "500"]
    assert operation["responses"]["500"] == {
        "description": "Response Validation Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ResponseValidationError"}}},
    }
    assert document["components"]["schemas"]["ResponseValidationError"]["required"] == ["statusCode", "detail"]
    assert operation["requestBody"]["content"]["application/json"]["examples"] == {
        "lamp": {"summary": "A lamp", "value": {"name": "lamp", "price": 3}}
    }
    (header,) = operation["parameters"]
    assert header["examples"] == {"t": {"value": "abc"}}
    assert header["schema"]["name"] == "Header2"
