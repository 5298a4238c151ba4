"""The default serializer writes only JSON: floats JSON cannot hold (NaN, infinities) become null.

``json.dumps`` writes ``NaN`` and ``Infinity``, which no strict JSON parser
(a browser's ``JSON.parse``, most other languages') accepts; Powertools 3.37
writes them too. kernel's default serializer writes ``null`` instead, as
JavaScript's ``JSON.stringify`` and pydantic's model serialization do. A
custom serializer is used as given.
"""

from __future__ import annotations

import dataclasses
import decimal
import json
import math
from typing import Any

import pydantic  # the validation plugin's dependency, installed in the workspace
import pytest

from kernel import Response
from kernel.serialization import default_serializer
from tests.kernel.helpers import call, rest_app

NAN, INF = math.nan, math.inf


def strict_json(text: str) -> Any:
    """Parse ``text`` refusing NaN and the infinities, as any strict JSON parser does."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@dataclasses.dataclass
class Reading:
    value: float
    unit: str


class Ratio(float):
    pass


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(NAN, "null", id="nan"),
        pytest.param(INF, "null", id="infinity"),
        pytest.param(-INF, "null", id="minus-infinity"),
        pytest.param({"a": NAN, "b": 1.5}, '{"a":null,"b":1.5}', id="in-a-dict"),
        pytest.param([1.0, INF, [-INF, {"x": NAN}]], '[1.0,null,[null,{"x":null}]]', id="nested-in-lists"),
        pytest.param((NAN, 2), "[null,2]", id="in-a-tuple"),
        pytest.param({NAN: 1, INF: 2, -INF: 3, 1.5: 4}, '{"NaN":1,"Infinity":2,"-Infinity":3,"1.5":4}', id="keys-stay-text"),
        pytest.param(Reading(NAN, "\u00b0C"), '{"value":null,"unit":"\\u00b0C"}', id="in-a-dataclass"),
        pytest.param({"r": Ratio(NAN)}, '{"r":null}', id="float-subclass"),
        pytest.param({"d": decimal.Decimal("NaN")}, '{"d":null}', id="decimal-nan"),
        pytest.param({"d": decimal.Decimal("-Infinity")}, '{"d":"-Infinity"}', id="decimal-infinity-is-text-as-every-decimal"),
        pytest.param({"s": {NAN}}, '{"s":[null]}', id="in-a-set"),
    ],
)
def test_non_finite_floats_are_written_as_null(value, text):
    assert default_serializer(value) == text
    strict_json(text)


def test_pydantic_models_with_non_finite_floats_are_written_as_null():
    class Sample(pydantic.BaseModel):
        low: float
        high: float

    text = default_serializer({"sample": Sample(low=-INF, high=NAN)})
    assert text == '{"sample":{"low":null,"high":null}}'


@pytest.mark.parametrize(
    "value",
    [{"a": 1.5, "b": [0.1, -2.0, 1e300]}, [5e-324, -0.0], {"x": "NaN", "y": "Infinity"}],
    ids=["finite", "extremes", "strings-that-look-like-it"],
)
def test_bodies_of_finite_floats_are_written_as_json_dumps_writes_them(value):
    assert default_serializer(value) == json.dumps(value, separators=(",", ":"))


def test_other_value_errors_are_not_swallowed():
    class Broken:
        def model_dump(self, mode: str) -> Any:
            raise ValueError("the model's own error")

    with pytest.raises(ValueError, match="the model's own error"):
        default_serializer({"b": Broken()})


def test_a_route_returning_nan_answers_json():
    app = rest_app()

    @app.get("/stats")
    def stats():
        return {"mean": NAN, "max": INF, "count": 0}

    @app.get("/response")
    def response():
        return Response(200, "application/json", {"min": -INF})

    reply = call(app, "GET", "/stats")
    assert (reply["statusCode"], reply["body"]) == (200, '{"mean":null,"max":null,"count":0}')
    assert strict_json(reply["body"]) == {"mean": None, "max": None, "count": 0}
    assert call(app, "GET", "/response")["body"] == '{"min":null}'


def test_a_custom_serializer_is_used_as_given():
    app = rest_app(serializer=json.dumps)

    @app.get("/stats")
    def stats():
        return {"mean": NAN}

    assert call(app, "GET", "/stats")["body"] == '{"mean": NaN}'
