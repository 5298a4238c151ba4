"""Return values serialized by their annotation; error answers and custom serializers."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import uuid
from typing import Any

import pydantic
from kernel_validation import ResponseValidationError
from pydantic import BaseModel

from kernel import NotFoundError, RequestValidationError, Response, content_types
from tests.events import rest_event
from tests.plugins.validation.helpers import answer, invalid, validated_app


class Status(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class Line(BaseModel):
    sku: str
    price: decimal.Decimal


class Order(BaseModel):
    id: uuid.UUID
    status: Status
    placed: datetime.datetime
    lines: list[Line]
    notes: str | None = None


@dataclasses.dataclass
class Point:
    x: int
    y: int


ORDER_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")
PLACED = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)


def test_a_model_return_value_is_serialized_by_its_annotation():
    app = validated_app()

    @app.get("/order")
    def order() -> Order:
        return Order(id=ORDER_ID, status=Status.OPEN, placed=PLACED, lines=[Line(sku="a", price=decimal.Decimal("9.90"))])

    response = app(rest_event("GET", "/order"), None)

    assert response == {
        "statusCode": 200,
        "body": '{"id":"12345678-1234-5678-1234-567812345678","status":"open","placed":"2024-05-01T12:30:00Z",'
        '"lines":[{"sku":"a","price":"9.90"}],"notes":null}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }


def test_a_dict_is_converted_to_the_annotated_model():
    app = validated_app()

    @app.get("/order")
    def order() -> Order:
        return {"id": str(ORDER_ID), "status": "closed", "placed": "2024-05-01T12:30:00Z", "lines": [], "extra": "dropped"}

    assert answer(app, "GET", "/order") == (
        200,
        {"id": str(ORDER_ID), "status": "closed", "placed": "2024-05-01T12:30:00Z", "lines": [], "notes": None},
    )


def test_nested_containers_of_dataclasses_enums_dates_uuids_and_decimals():
    app = validated_app()

    @app.get("/mixed")
    def mixed() -> dict[str, list[Any]]:
        return {
            "points": [Point(1, 2)],
            "values": [Status.CLOSED, datetime.date(2024, 1, 2), ORDER_ID, decimal.Decimal("1.5"), {"nested": [Point(3, 4)]}],
        }

    assert answer(app, "GET", "/mixed") == (
        200,
        {
            "points": [{"x": 1, "y": 2}],
            "values": ["closed", "2024-01-02", str(ORDER_ID), "1.5", {"nested": [{"x": 3, "y": 4}]}],
        },
    )


def test_a_list_of_models_annotation():
    app = validated_app()

    @app.get("/points")
    def points() -> list[Point]:
        return [Point(1, 2), {"x": "3", "y": 4}]

    assert answer(app, "GET", "/points") == (200, [{"x": 1, "y": 2}, {"x": 3, "y": 4}])


def test_unannotated_routes_still_get_json_ready_values():
    app = validated_app()

    @app.get("/free")
    def free():
        return {"when": datetime.date(2024, 1, 2), "line": Line(sku="s", price=decimal.Decimal("2"))}

    assert answer(app, "GET", "/free") == (200, {"when": "2024-01-02", "line": {"sku": "s", "price": "2"}})


def test_tuple_and_response_returns_are_serialized_by_their_body_type():
    app = validated_app()

    @app.post("/points")
    def create() -> tuple[Point, int]:
        return Point(5, 6), 201

    @app.get("/points/first")
    def first() -> Response[Point]:
        return Response(status_code=203, content_type=content_types.APPLICATION_JSON, body=Point(7, 8))

    assert answer(app, "POST", "/points") == (201, {"x": 5, "y": 6})
    assert answer(app, "GET", "/points/first") == (203, {"x": 7, "y": 8})


def test_a_return_value_that_does_not_match_its_annotation_answers_422_with_response_locations():
    app = validated_app()

    @app.get("/broken")
    def broken() -> Point:
        return {"x": "one"}

    assert answer(app, "GET", "/broken") == (
        422,
        invalid((["response", "x"], "int_parsing"), (["response", "y"], "missing")),
    )


def test_a_response_validation_error_can_be_handled():
    app = validated_app()

    @app.get("/broken")
    def broken() -> Point:
        return {"x": "one"}

    @app.exception_handler(ResponseValidationError)
    def handle(exc: ResponseValidationError):
        return Response(status_code=500, content_type=content_types.PLAIN_TEXT, body=f"bug: {len(exc.errors())} errors")

    response = app(rest_event("GET", "/broken"), None)

    assert (response["statusCode"], response["body"]) == (500, "bug: 2 errors")


def test_error_answers_are_not_checked_against_the_return_annotation():
    app = validated_app()

    @app.get("/points/<n>")
    def point(n: int) -> Point:
        raise NotFoundError(f"no point {n}")

    assert answer(app, "GET", "/points/3") == (404, {"statusCode": 404, "message": "no point 3"})


def test_plain_text_responses_pass_through_untouched():
    app = validated_app()

    @app.get("/text")
    def text() -> Point:
        return Response(status_code=200, content_type=content_types.PLAIN_TEXT, body="x,y")

    response = app(rest_event("GET", "/text"), None)

    assert (response["statusCode"], response["body"]) == (200, "x,y")


def test_a_custom_serializer_receives_the_returned_value_as_is():
    received: list[Any] = []

    def serializer(value: Any) -> str:
        received.append(value)
        return json.dumps({"wrapped": repr(value)})

    app = validated_app(serializer=serializer)

    @app.get("/point")
    def point() -> Point:
        return Point(1, 2)

    assert answer(app, "GET", "/point") == (200, {"wrapped": "Point(x=1, y=2)"})
    assert received == [Point(1, 2)]


def test_a_handler_for_request_validation_errors_replaces_the_422_answer():
    app = validated_app()
    seen: list[Any] = []

    @app.get("/users/<user_id>")
    def user(user_id: int):
        seen.append(user_id)
        return {}

    @app.exception_handler(RequestValidationError)
    def handle(exc: RequestValidationError):
        return {"problems": [{"where": list(e["loc"]), "what": e["type"]} for e in exc.errors()]}, 400

    assert answer(app, "GET", "/users/zz") == (400, {"problems": [{"where": ["path", "user_id"], "what": "int_parsing"}]})
    assert seen == []


def test_the_422_body_carries_no_pydantic_message_input_or_url():
    app = validated_app()

    @app.post("/points")
    def create(point: Point):
        return {}

    response = app(rest_event("POST", "/points", body='{"x": "<script>", "y": 1}'), None)

    assert response["statusCode"] == 422
    assert json.loads(response["body"]) == invalid((["body", "x"], "int_parsing"))
    for leak in ("<script>", "pydantic", "Input should", "http"):
        assert leak not in response["body"]


class Aliased(BaseModel):
    id_: int = pydantic.Field(alias="id")
    name: str


def test_a_returned_model_is_written_with_its_field_aliases():
    app = validated_app()

    @app.get("/thing")
    def thing() -> Aliased:
        return Aliased(id=1, name="x")

    assert answer(app, "GET", "/thing") == (200, {"id": 1, "name": "x"})


def test_a_returned_str_is_checked_against_the_return_annotation():
    app = validated_app()

    @app.get("/count")
    def count() -> int:
        return "many"  # type: ignore[return-value]

    @app.get("/text")
    def text() -> str:
        return "plain"

    assert answer(app, "GET", "/count") == (422, invalid((["response"], "int_parsing")))
    # A str that passes is sent as it is, not quoted as JSON (as on Powertools).
    assert app(rest_event("GET", "/text"), None)["body"] == "plain"
