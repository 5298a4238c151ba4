"""The JSON body: models, dataclasses, plain types, embedding, and every kind of bad body."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field

from kernel import Body
from tests.plugins.validation.helpers import answer, invalid, validated_app


class Address(BaseModel):
    city: str
    zip_code: str = Field(pattern=r"^\d{5}$")


class Customer(BaseModel):
    name: str
    age: int = Field(ge=0, le=150)
    addresses: list[Address] = []


@dataclasses.dataclass
class Note:
    text: str
    pinned: bool = False


def customer_app(seen: list[Any]) -> Any:
    app = validated_app()

    @app.post("/customers")
    def create(customer: Customer):
        seen.append(customer)
        return {"name": customer.name, "cities": [a.city for a in customer.addresses]}

    return app


def test_a_model_body_is_parsed_into_the_model():
    seen: list[Any] = []
    app = customer_app(seen)
    body = {"name": "Ada", "age": 36, "addresses": [{"city": "London", "zip_code": "12345"}]}

    assert answer(app, "POST", "/customers", body=json.dumps(body)) == (200, {"name": "Ada", "cities": ["London"]})
    assert seen == [Customer(name="Ada", age=36, addresses=[Address(city="London", zip_code="12345")])]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ('{"name": "Ada"', [(["body"], "json_invalid")]),
        ("not json at all", [(["body"], "json_invalid")]),
        ("[1, 2]", [(["body"], "model_type")]),
        ('"Ada"', [(["body"], "model_type")]),
        ("{}", [(["body", "name"], "missing"), (["body", "age"], "missing")]),
        ('{"name": 5, "age": 1}', [(["body", "name"], "string_type")]),
        ('{"name": "A", "age": -1}', [(["body", "age"], "greater_than_equal")]),
        ('{"name": "A", "age": 1e400}', [(["body", "age"], "finite_number")]),
        ('{"name": "A", "age": 99999999999999999999999}', [(["body", "age"], "less_than_equal")]),
        (
            '{"name": "A", "age": 1, "addresses": [{"city": "X", "zip_code": "1"}]}',
            [(["body", "addresses", 0, "zip_code"], "string_pattern_mismatch")],
        ),
    ],
)
def test_a_bad_body_answers_422_and_the_route_never_runs(body, errors):
    seen: list[Any] = []
    app = customer_app(seen)

    assert answer(app, "POST", "/customers", body=body) == (422, invalid(*errors))
    assert seen == []


def test_a_missing_required_body_answers_422():
    seen: list[Any] = []
    app = customer_app(seen)

    assert answer(app, "POST", "/customers") == (422, invalid((["body"], "missing")))
    assert answer(app, "POST", "/customers", body="") == (422, invalid((["body"], "missing")))
    assert seen == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_body_with_another_content_type_answers_415(content_type):
    seen: list[Any] = []
    app = customer_app(seen)

    status, body = answer(app, "POST", "/customers", headers={"Content-Type": content_type}, body='{"name": "A", "age": 1}')

    assert (status, body) == (415, {"statusCode": 415, "detail": [{"loc": ["body"], "type": "unsupported_content_type"}]})
    assert seen == []


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "application/merge-patch+json"])
def test_json_content_types_are_accepted(content_type):
    app = customer_app([])

    status, _ = answer(app, "POST", "/customers", headers={"Content-Type": content_type}, body='{"name": "A", "age": 1}')

    assert status == 200


def test_a_base64_encoded_body_is_decoded_first_and_bad_base64_answers_400():
    app = customer_app([])

    assert answer(app, "POST", "/customers", body='{"name": "B", "age": 2}', is_base64=True) == (200, {"name": "B", "cities": []})
    event_body = "%%% not base64"
    from tests.events import rest_event

    event = rest_event("POST", "/customers", body=event_body)
    event["isBase64Encoded"] = True
    response = app(event, None)
    assert (response["statusCode"], json.loads(response["body"])) == (
        400,
        {"statusCode": 400, "message": "Request body is not valid base64"},
    )


def test_a_dataclass_body():
    app = validated_app()

    @app.post("/notes")
    def add(note: Note):
        return {"text": note.text, "pinned": note.pinned, "is_note": isinstance(note, Note)}

    assert answer(app, "POST", "/notes", body='{"text": "hi"}') == (200, {"text": "hi", "pinned": False, "is_note": True})
    assert answer(app, "POST", "/notes", body='{"pinned": true}') == (422, invalid((["body", "text"], "missing")))


def test_plain_typed_bodies_with_the_body_marker():
    app = validated_app()

    @app.post("/sum")
    def total(numbers: Annotated[list[int], Body(min_length=1)]):
        return {"sum": sum(numbers)}

    @app.post("/ratio")
    def ratio(value: Annotated[float, Body()]):
        return {"value": value}

    assert answer(app, "POST", "/sum", body="[1, 2, 3]") == (200, {"sum": 6})
    assert answer(app, "POST", "/sum", body="[]") == (422, invalid((["body"], "too_short")))
    assert answer(app, "POST", "/sum", body='[1, "x"]') == (422, invalid((["body", 1], "int_parsing")))
    assert answer(app, "POST", "/ratio", body="0.5") == (200, {"value": 0.5})
    # JSON reads 1e400 as infinity, which no JSON answer could carry back.
    assert answer(app, "POST", "/ratio", body="1e400") == (422, invalid((["body"], "finite_number")))


def test_a_dict_parameter_is_read_from_the_body():
    app = validated_app()

    @app.post("/settings")
    def settings(values: dict[str, int]):
        return {"keys": sorted(values)}

    assert answer(app, "POST", "/settings", body='{"b": 1, "a": 2}') == (200, {"keys": ["a", "b"]})
    assert answer(app, "POST", "/settings", body='{"a": "x"}') == (422, invalid((["body", "a"], "int_parsing")))


def test_an_embedded_body_reads_the_key_named_like_the_parameter():
    app = validated_app()

    @app.post("/wrap")
    def wrap(customer: Annotated[Customer, Body(embed=True)]):
        return {"name": customer.name}

    assert answer(app, "POST", "/wrap", body='{"customer": {"name": "C", "age": 3}}') == (200, {"name": "C"})
    assert answer(app, "POST", "/wrap", body='{"name": "C", "age": 3}') == (422, invalid((["body", "customer"], "missing")))


def test_several_body_parameters_are_embedded_under_their_aliases():
    app = validated_app()

    @app.post("/transfer")
    def transfer(
        source: Annotated[str, Body()], amount: Annotated[int, Body(alias="amountCents", gt=0)], memo: str | None = Body(None)
    ):
        return {"source": source, "amount": amount, "memo": memo}

    assert answer(app, "POST", "/transfer", body='{"source": "a", "amountCents": 5}') == (
        200,
        {"source": "a", "amount": 5, "memo": None},
    )
    assert answer(app, "POST", "/transfer", body='{"source": "a", "amountCents": 0, "memo": 3}') == (
        422,
        invalid((["body", "amountCents"], "greater_than"), (["body", "memo"], "string_type")),
    )
    assert answer(app, "POST", "/transfer", body="[]") == (422, invalid((["body"], "dict_type")))


def test_an_optional_body_may_be_left_out():
    app = validated_app()

    @app.post("/maybe")
    def maybe(note: Note | None = None):
        return {"note": None if note is None else note.text}

    assert answer(app, "POST", "/maybe") == (200, {"note": None})
    assert answer(app, "POST", "/maybe", body='{"text": "t"}') == (200, {"note": "t"})


def test_an_embedded_body_whose_keys_all_have_defaults_may_be_left_out():
    app = validated_app()

    @app.post("/opts")
    def opts(a: Annotated[int, Body(embed=True)] = 1, b: Annotated[str, Body()] = "x"):
        return {"a": a, "b": b}

    assert answer(app, "POST", "/opts") == (200, {"a": 1, "b": "x"})


def test_body_and_parameters_errors_are_reported_together():
    app = validated_app()

    @app.put("/customers/<customer_id>")
    def update(customer_id: int, customer: Customer):
        return {}

    assert answer(app, "PUT", "/customers/x", body='{"name": "A"}') == (
        422,
        invalid((["path", "customer_id"], "int_parsing"), (["body", "age"], "missing")),
    )


def test_an_embedded_body_that_is_missing_names_each_field():
    app = validated_app()

    @app.post("/customers")
    def create(customer: Annotated[Customer, Body(embed=True)]):
        return {"ok": True}

    # As on Powertools: the missing value is the embedded field, at ["body", name].
    assert answer(app, "POST", "/customers") == (422, invalid((["body", "customer"], "missing")))
    assert answer(app, "POST", "/customers", body="") == (422, invalid((["body", "customer"], "missing")))
