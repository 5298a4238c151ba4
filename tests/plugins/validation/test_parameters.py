"""Path, query and header parameters: conversion, markers, and every kind of bad input."""

from __future__ import annotations

import datetime
import enum
import json
import uuid
from typing import Annotated, Any

import pytest

from kernel import APIGatewayHttpResolver, Header, Path, Query
from tests.events import http_event
from tests.plugins.validation.helpers import answer, invalid, validated_app


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


# -- path -------------------------------------------------------------------------


def test_path_parameters_are_converted_to_their_annotated_types():
    app = validated_app()
    seen: list[dict[str, Any]] = []

    @app.get("/orders/<order_id>/lines/<line>")
    def line(order_id: uuid.UUID, line: int):
        seen.append({"order_id": order_id, "line": line})
        return {"ok": True}

    order = "6f1c2a3e-8a0b-4c5d-9e6f-0a1b2c3d4e5f"
    assert answer(app, "GET", f"/orders/{order}/lines/7") == (200, {"ok": True})
    assert seen == [{"order_id": uuid.UUID(order), "line": 7}]


def test_a_path_parameter_of_the_wrong_type_answers_422_without_calling_the_route():
    app = validated_app()
    seen = []

    @app.get("/users/<user_id>")
    def user(user_id: int):
        seen.append(user_id)
        return {}

    assert answer(app, "GET", "/users/abc") == (422, invalid((["path", "user_id"], "int_parsing")))
    assert seen == []


def test_path_marker_constraints_are_checked():
    app = validated_app()

    @app.get("/pages/<page>")
    def page(page: Annotated[int, Path(ge=1, le=100)]):
        return {"page": page}

    assert answer(app, "GET", "/pages/100") == (200, {"page": 100})
    assert answer(app, "GET", "/pages/0") == (422, invalid((["path", "page"], "greater_than_equal")))
    assert answer(app, "GET", "/pages/101") == (422, invalid((["path", "page"], "less_than_equal")))


def test_an_integer_too_long_to_parse_is_refused():
    app = validated_app()

    @app.get("/users/<user_id>")
    def user(user_id: int):
        return {}

    assert answer(app, "GET", "/users/" + "9" * 5000) == (422, invalid((["path", "user_id"], "int_parsing_size")))


def test_unannotated_path_parameters_pass_through_as_text():
    app = validated_app()

    @app.get("/files/<name>")
    def file(name):
        return {"name": name}

    assert answer(app, "GET", "/files/report.pdf") == (200, {"name": "report.pdf"})


# -- query ------------------------------------------------------------------------


def test_query_scalars_are_converted_and_defaults_fill_the_gaps():
    app = validated_app()

    @app.get("/search")
    def search(q: str, limit: int = 10, since: datetime.date | None = None, color: Color = Color.RED):
        return {"q": q, "limit": limit, "since": since, "color": color}

    assert answer(app, "GET", "/search", query={"q": "books"}) == (
        200,
        {"q": "books", "limit": 10, "since": None, "color": "red"},
    )
    assert answer(app, "GET", "/search", query={"q": "x", "limit": "3", "since": "2024-02-29", "color": "blue"}) == (
        200,
        {"q": "x", "limit": 3, "since": "2024-02-29", "color": "blue"},
    )


def test_a_scalar_query_parameter_sent_twice_answers_422_as_on_powertools():
    app = validated_app()

    @app.get("/search")
    def search(q: str):
        return {"q": q}

    # Powertools 3.37 validates every value sent against the scalar: a list is no string.
    assert answer(app, "GET", "/search", query={"q": ["first", "last"]}) == (422, invalid((["query", "q"], "string_type")))
    # One value holding a comma is one value.
    assert answer(app, "GET", "/search", query={"q": ["a,b"]}) == (200, {"q": "a,b"})


def test_http_api_tells_a_repeated_query_parameter_from_one_holding_commas():
    # API Gateway joins repeats with commas in queryStringParameters; the raw query string tells them apart.
    app = APIGatewayHttpResolver(plugins=["http", "validation"], enable_validation=True)

    @app.get("/search")
    def search(q: str):
        return {"q": q}

    one = app(http_event("GET", "/search", query={"q": ["a,b"]}), None)
    assert (one["statusCode"], one["body"]) == (200, '{"q":"a,b"}')
    repeated = app(http_event("GET", "/search", query={"q": ["a", "b"]}), None)
    assert (repeated["statusCode"], json.loads(repeated["body"])) == (422, invalid((["query", "q"], "string_type")))


def test_list_query_parameters_collect_every_value():
    app = validated_app()

    @app.get("/items")
    def items(ids: Annotated[list[int], Query()], tags: list[str] = []):  # noqa: B006
        return {"ids": ids, "tags": tags}

    assert answer(app, "GET", "/items", query={"ids": ["1", "2", "3"]}) == (200, {"ids": [1, 2, 3], "tags": []})
    assert answer(app, "GET", "/items", query={"ids": "4", "tags": ["a", "b"]}) == (200, {"ids": [4], "tags": []})
    assert answer(app, "GET", "/items", query={"ids": ["1", "x"]}) == (422, invalid((["query", "ids", 1], "int_parsing")))


def test_a_list_without_a_marker_is_read_from_the_body_as_on_powertools():
    app = validated_app()

    @app.post("/tags")
    def tags(tags: list[str] = []):  # noqa: B006
        return {"tags": tags}

    # Query() makes a list a repeated query parameter; without it the list is the body.
    assert answer(app, "POST", "/tags", query={"tags": ["a"]}, body='["x", "y"]') == (200, {"tags": ["x", "y"]})
    assert answer(app, "POST", "/tags", query={"tags": ["a"]}) == (200, {"tags": []})


def test_a_missing_required_query_parameter_answers_422():
    app = validated_app()
    seen = []

    @app.get("/search")
    def search(q: str):
        seen.append(q)
        return {}

    assert answer(app, "GET", "/search") == (422, invalid((["query", "q"], "missing")))
    assert seen == []


def test_query_marker_alias_constraints_and_default():
    app = validated_app()

    @app.get("/list")
    def listing(
        page_size: Annotated[int, Query(alias="pageSize", gt=0, le=50)] = 20,
        name: Annotated[str | None, Query(min_length=2, max_length=5, pattern="^[a-z]+$")] = None,
    ):
        return {"page_size": page_size, "name": name}

    assert answer(app, "GET", "/list") == (200, {"page_size": 20, "name": None})
    assert answer(app, "GET", "/list", query={"pageSize": "5", "name": "abc"}) == (200, {"page_size": 5, "name": "abc"})
    # The Python name is not the parameter's name in the request.
    assert answer(app, "GET", "/list", query={"page_size": "5"}) == (200, {"page_size": 20, "name": None})
    assert answer(app, "GET", "/list", query={"pageSize": "0"}) == (422, invalid((["query", "pageSize"], "greater_than")))
    assert answer(app, "GET", "/list", query={"pageSize": "51"}) == (422, invalid((["query", "pageSize"], "less_than_equal")))
    assert answer(app, "GET", "/list", query={"name": "a"}) == (422, invalid((["query", "name"], "string_too_short")))
    assert answer(app, "GET", "/list", query={"name": "abcdef"}) == (422, invalid((["query", "name"], "string_too_long")))
    assert answer(app, "GET", "/list", query={"name": "ab1"}) == (422, invalid((["query", "name"], "string_pattern_mismatch")))


def test_a_marker_given_as_the_default_value_works_like_annotated():
    app = validated_app()

    @app.get("/list")
    def listing(limit: int = Query(5, ge=1)):
        return {"limit": limit}

    assert answer(app, "GET", "/list") == (200, {"limit": 5})
    assert answer(app, "GET", "/list", query={"limit": "2"}) == (200, {"limit": 2})
    assert answer(app, "GET", "/list", query={"limit": "0"}) == (422, invalid((["query", "limit"], "greater_than_equal")))


def test_a_default_factory_gives_a_fresh_value_each_time():
    app = validated_app()

    @app.get("/list")
    def listing(tags: Annotated[list[str], Query(default_factory=list)]):
        tags.append("seen")
        return {"tags": tags}

    assert answer(app, "GET", "/list") == (200, {"tags": ["seen"]})
    assert answer(app, "GET", "/list") == (200, {"tags": ["seen"]})


@pytest.mark.parametrize(
    ("annotation", "value", "kind"),
    [
        (int, "1.5", "int_parsing"),
        (int, "", "int_parsing"),
        (float, "abc", "float_parsing"),
        (float, "nan", "finite_number"),
        (float, "inf", "finite_number"),
        (float, "1e400", "finite_number"),
        (bool, "maybe", "bool_parsing"),
        (datetime.date, "2024-02-30", "date_from_datetime_parsing"),
        (uuid.UUID, "not-a-uuid", "uuid_parsing"),
        (Color, "green", "enum"),
    ],
)
def test_query_values_of_the_wrong_type_answer_422(annotation, value, kind):
    app = validated_app()
    seen = []

    def route(v):
        seen.append(v)
        return {}

    route.__annotations__ = {"v": annotation}
    app.get("/check")(route)

    assert answer(app, "GET", "/check", query={"v": value}) == (422, invalid((["query", "v"], kind)))
    assert seen == []


def test_very_large_integers_are_accepted_unless_a_bound_forbids_them():
    app = validated_app()

    @app.get("/big")
    def big(n: int, bounded: Annotated[int, Query(le=2**31 - 1)] = 0):
        return {"n": str(n), "bounded": bounded}

    huge = "9" * 40
    assert answer(app, "GET", "/big", query={"n": huge}) == (200, {"n": huge, "bounded": 0})
    assert answer(app, "GET", "/big", query={"n": "1", "bounded": huge}) == (
        422,
        invalid((["query", "bounded"], "less_than_equal")),
    )


def test_every_problem_is_listed_at_once():
    app = validated_app()

    @app.get("/things/<thing_id>")
    def thing(thing_id: int, limit: int, x_version: Annotated[int, Header()]):
        return {}

    assert answer(app, "GET", "/things/x", query={"limit": "y"}) == (
        422,
        invalid(
            (["path", "thing_id"], "int_parsing"),
            (["query", "limit"], "int_parsing"),
            (["header", "x-version"], "missing"),
        ),
    )


def test_parameter_names_that_clash_with_pydantic_model_attributes_work():
    app = validated_app()

    @app.get("/odd")
    def odd(json: str, schema: int, model_config: str = "x"):
        return {"json": json, "schema": schema, "model_config": model_config}

    assert answer(app, "GET", "/odd", query={"json": "a", "schema": "2"}) == (
        200,
        {"json": "a", "schema": 2, "model_config": "x"},
    )


# -- headers ----------------------------------------------------------------------


def test_header_names_use_hyphens_for_underscores_and_ignore_case():
    app = validated_app()

    @app.get("/me")
    def me(x_request_id: Annotated[str, Header()], x_retries: Annotated[int, Header()] = 0):
        return {"id": x_request_id, "retries": x_retries}

    assert answer(app, "GET", "/me", headers={"X-Request-Id": "abc", "x-RETRIES": "2"}) == (200, {"id": "abc", "retries": 2})
    assert answer(app, "GET", "/me", headers={"x_request_id": "abc"}) == (422, invalid((["header", "x-request-id"], "missing")))


def test_header_without_underscore_conversion_and_with_alias():
    app = validated_app()

    @app.get("/me")
    def me(
        legacy_key: Annotated[str, Header(convert_underscores=False)],
        token: Annotated[str, Header(alias="Authorization")],
    ):
        return {"legacy": legacy_key, "token": token}

    assert answer(app, "GET", "/me", headers={"legacy_key": "k", "authorization": "Bearer t"}) == (
        200,
        {"legacy": "k", "token": "Bearer t"},
    )
    assert answer(app, "GET", "/me", headers={"legacy-key": "k", "Authorization": "t"}) == (
        422,
        invalid((["header", "legacy_key"], "missing")),
    )


def test_a_missing_header_is_named_in_lower_case_whatever_its_alias_case():
    # Header names are case-insensitive; Powertools names a missing one in lower case too.
    app = validated_app()

    @app.get("/me")
    def me(api_key: Annotated[str, Header(alias="X-Api-Key")]):
        return {"key": api_key}

    assert answer(app, "GET", "/me") == (422, invalid((["header", "x-api-key"], "missing")))
    assert answer(app, "GET", "/me", headers={"X-API-KEY": "k"}) == (200, {"key": "k"})


def test_repeated_headers_give_lists_to_list_parameters_and_answer_422_for_scalars():
    app = validated_app()

    @app.get("/me")
    def me(x_tag: Annotated[list[str], Header()], x_mode: Annotated[str, Header()] = "none"):
        return {"tags": x_tag, "mode": x_mode}

    assert answer(app, "GET", "/me", headers={"X-Tag": ["a", "b"]}) == (200, {"tags": ["a", "b"], "mode": "none"})
    # As on Powertools: several values of a REST multi-value header are no string.
    assert answer(app, "GET", "/me", headers={"X-Tag": ["a"], "X-Mode": ["old", "new"]}) == (
        422,
        invalid((["header", "x-mode"], "string_type")),
    )


def test_http_api_headers_joined_by_the_service_are_split_for_list_parameters():
    app = APIGatewayHttpResolver(plugins=["http", "validation"], enable_validation=True)

    @app.get("/me")
    def me(x_tag: Annotated[list[str], Header()], x_mode: Annotated[str, Header()]):
        return {"tags": x_tag, "mode": x_mode}

    # The HTTP API sends a repeated header as one value joined with commas; a scalar keeps it whole.
    event = http_event("GET", "/me", headers={"X-Tag": ["a", "b"], "X-Mode": ["old", "new"]})
    assert event["headers"]["x-tag"] == "a,b"
    response = app(event, None)
    assert (response["statusCode"], json.loads(response["body"])) == (200, {"tags": ["a", "b"], "mode": "old,new"})


def test_a_header_of_the_wrong_type_answers_422():
    app = validated_app()

    @app.get("/me")
    def me(x_count: Annotated[int, Header(lt=10)]):
        return {}

    assert answer(app, "GET", "/me", headers={"X-Count": "ten"}) == (422, invalid((["header", "x-count"], "int_parsing")))
    assert answer(app, "GET", "/me", headers={"X-Count": "10"}) == (422, invalid((["header", "x-count"], "less_than")))


def test_a_query_parameter_and_a_header_may_share_a_name():
    app = validated_app()

    @app.get("/both")
    def both(token: str, header_token: Annotated[str, Header(alias="token")]):
        return {"query": token, "header": header_token}

    assert answer(app, "GET", "/both", query={"token": "q"}, headers={"token": "h"}) == (200, {"query": "q", "header": "h"})


def test_a_function_taking_keyword_arguments_still_receives_the_path_parameters_it_does_not_name():
    app = validated_app()

    @app.get("/users/<user_id>/posts/<post_id>")
    def post(post_id: int, **others: Any):
        return {"post_id": post_id, "others": others}

    assert answer(app, "GET", "/users/u1/posts/9") == (200, {"post_id": 9, "others": {"user_id": "u1"}})


def test_partials_and_callable_objects_are_analysed_through_what_they_wrap():
    import functools

    class Lookup:
        def __call__(self, item_id: int, verbose: bool = False) -> dict[str, Any]:
            return {"item_id": item_id, "verbose": verbose}

    def scaled(factor: int, value: int) -> dict[str, int]:
        return {"scaled": factor * value}

    app = validated_app()
    app.get("/items/<item_id>")(Lookup())
    app.get("/scale/<value>")(functools.partial(scaled, 3))

    assert answer(app, "GET", "/items/4", query={"verbose": "yes"}) == (200, {"item_id": 4, "verbose": True})
    assert answer(app, "GET", "/scale/5") == (200, {"scaled": 15})
    assert answer(app, "GET", "/scale/x") == (422, invalid((["path", "value"], "int_parsing")))
