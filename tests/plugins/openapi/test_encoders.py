"""jsonable_encoder turns what routes hold into JSON-ready data, as Powertools' encoder does."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import deque
from decimal import Decimal
from enum import Enum
from pathlib import PurePosixPath
from typing import Any
from uuid import UUID

import pytest
from aws_lambda_powertools.event_handler.openapi.encoders import jsonable_encoder as powertools_encoder
from kernel_openapi import SerializationError, encoders, jsonable_encoder
from pydantic import BaseModel, Field, SecretStr


class Colour(Enum):
    RED = "red"


@dataclasses.dataclass
class Point:
    x: int
    when: datetime.date


class Item(BaseModel):
    name: str
    price: Decimal = Field(alias="itemPrice")
    note: str | None = None
    tags: set[str] = set()


class Plain:
    def __init__(self) -> None:
        self.a = 1
        self.b = b"bytes"


VALUES: list[Any] = [
    b"caf\xc3\xa9",
    datetime.date(2024, 5, 1),
    datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc),
    datetime.time(8, 15),
    datetime.timedelta(minutes=2, seconds=3),
    Decimal("12"),
    Decimal("12.50"),
    Colour.RED,
    UUID("12345678-1234-5678-1234-567812345678"),
    PurePosixPath("/tmp/x"),
    re.compile(r"^a+$"),
    SecretStr("hidden"),
    Point(1, datetime.date(2020, 1, 2)),
    Item(name="pen", itemPrice=Decimal("1.5"), tags={"a"}),
    {"nested": [1, (2, 3), frozenset({4})], 5: None},
    deque([1, 2]),
    (x for x in range(3)),
    Plain(),
    None,
    True,
    3.5,
]


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_each_kind_of_value_is_encoded_as_powertools_encodes_it(value):
    if type(value).__name__ == "generator":
        assert jsonable_encoder(x for x in range(3)) == powertools_encoder(x for x in range(3)) == [0, 1, 2]
        return
    assert jsonable_encoder(value) == powertools_encoder(value)


def test_the_encodings_users_rely_on():
    assert jsonable_encoder(b"abc") == "abc"
    assert jsonable_encoder(datetime.date(2024, 5, 1)) == "2024-05-01"
    assert jsonable_encoder(Decimal("3")) == 3
    assert jsonable_encoder(Decimal("3.25")) == 3.25
    assert jsonable_encoder(Colour.RED) == "red"
    assert jsonable_encoder({"s": {1}}) == {"s": [1]}
    assert jsonable_encoder(Item(name="pen", itemPrice=Decimal("2"))) == {
        "name": "pen",
        "itemPrice": "2",
        "note": None,
        "tags": [],
    }


def test_model_options_by_alias_exclusions():
    item = Item(name="pen", itemPrice=Decimal("2"))
    assert jsonable_encoder(item, by_alias=False, exclude_none=True) == {"name": "pen", "price": "2", "tags": []}
    assert jsonable_encoder(item, exclude_unset=True) == {"name": "pen", "itemPrice": "2"}
    assert jsonable_encoder(item, exclude_defaults=True) == {"name": "pen", "itemPrice": "2"}
    assert jsonable_encoder(item, include={"name"}) == {"name": "pen"}
    for options in ({"by_alias": False}, {"exclude_unset": True}, {"include": {"name"}}, {"exclude": ["tags"]}):
        assert jsonable_encoder(item, **options) == powertools_encoder(item, **options)


def test_dict_options_include_exclude_and_none():
    data = {"a": 1, "b": None, "c": 3}
    assert jsonable_encoder(data, exclude_none=True) == {"a": 1, "c": 3}
    assert jsonable_encoder(data, include=["a", "b"]) == {"a": 1, "b": None}
    assert jsonable_encoder(data, exclude={"a"}) == {"b": None, "c": 3}


def test_a_custom_serializer_handles_what_nothing_else_does():
    class Opaque:
        __slots__ = ()

    assert jsonable_encoder([Opaque()], custom_serializer=lambda value: "opaque") == ["opaque"]
    assert jsonable_encoder({"when": datetime.date(2024, 1, 1)}, custom_serializer=lambda value: "x") == {"when": "2024-01-01"}


def test_a_value_that_cannot_be_encoded_is_a_serialization_error():
    class Opaque:
        __slots__ = ()

    with pytest.raises(SerializationError, match="Unable to serialize the object"):
        jsonable_encoder(Opaque())
    with pytest.raises(SerializationError):
        jsonable_encoder({"deep": [Opaque()]})


def test_the_encoders_module_offers_what_powertools_offers():
    assert encoders.jsonable_encoder is jsonable_encoder
    assert encoders.SerializationError is SerializationError
    assert issubclass(SerializationError, Exception)
    assert encoders.ENCODERS_BY_TYPE[bytes](b"x") == "x"
