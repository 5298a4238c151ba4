"""A model read as a group of query or header parameters answers as on Powertools, repeated values included.

A route's own scalar parameter sent several times is answered 422; a scalar
field of a grouped model takes the first value, and a value a source split on
its commas (HTTP API query strings and headers) is read whole.
"""

# No `from __future__ import annotations`: the annotations name `lib`, a local of each app.
from typing import Annotated

import pytest
from pydantic import BaseModel, ConfigDict, Field

from tests.events import alb_event, http_event, rest_event
from tests.powertools_patterns.harness import answers


class Filters(BaseModel):
    q: str
    page: int = 1
    tags: list[str] = []


class Tracing(BaseModel):
    x_trace: str = Field(alias="x-trace")
    x_tags: list[str] = Field([], alias="x-tags")


def grouped(resolver: str):
    def build(lib):
        app = getattr(lib, resolver)(enable_validation=True)

        @app.get("/search")
        def search(filters: Annotated[Filters, lib.Query()]):
            return filters.model_dump()

        @app.get("/traced")
        def traced(tracing: Annotated[Tracing, lib.Header()]):
            return tracing.model_dump()

        @app.get("/plain")
        def plain(q: Annotated[str, lib.Query()]):
            return {"q": q}

        return app

    return build


def test_rest_repeated_values_of_a_grouped_model():
    got = answers(
        grouped("APIGatewayRestResolver"),
        rest_event("GET", "/search", query={"q": ["lamp", "desk"], "page": ["2", "3"], "tags": ["a", "b"]}),
        rest_event("GET", "/search", query={"q": "a,b"}),
        rest_event("GET", "/traced", headers={"X-Trace": ["t-1", "t-2"], "X-Tags": ["a", "b"]}),
        rest_event("GET", "/plain", query={"q": ["lamp", "desk"]}),
    )
    assert got[0]["statusCode"] == 200
    assert got[0]["body"] == {"q": "lamp", "page": 2, "tags": ["a", "b"]}
    assert got[1]["body"] == {"q": "a,b", "page": 1, "tags": []}
    assert got[2]["body"] == {"x_trace": "t-1", "x_tags": ["a", "b"]}
    assert got[3]["statusCode"] == 422


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("q=lamp&q=desk&page=2&page=3", {"q": "lamp", "page": 2, "tags": []}),
        ("q=a,b&tags=x&tags=y", {"q": "a,b", "page": 1, "tags": ["x", "y"]}),
    ],
)
def test_http_api_repeated_and_comma_values_of_a_grouped_model(raw, expected):
    event = http_event("GET", "/search")
    event["rawQueryString"] = raw
    joined: dict[str, list[str]] = {}
    for pair in raw.split("&"):
        name, _, value = pair.partition("=")
        joined.setdefault(name, []).append(value)
    event["queryStringParameters"] = {name: ",".join(values) for name, values in joined.items()}
    (got,) = answers(grouped("APIGatewayHttpResolver"), event)
    assert got["body"] == expected


def test_http_api_joined_header_of_a_grouped_model_is_read_whole():
    event = http_event("GET", "/traced", headers={"x-trace": "t-1,t-2"})
    (got,) = answers(grouped("APIGatewayHttpResolver"), event)
    assert got["body"] == {"x_trace": "t-1,t-2", "x_tags": []}


def test_alb_repeated_values_of_a_grouped_model():
    query = {"q": ["lamp", "desk"], "tags": ["a", "b"]}
    multi, single = answers(
        grouped("ALBResolver"),
        alb_event("GET", "/search", query=query, multi_value=True),
        alb_event("GET", "/search", query=query),
    )
    assert multi["body"] == {"q": "lamp", "page": 1, "tags": ["a", "b"]}
    # Without multi-value headers the target group passes the last value only.
    assert single["body"] == {"q": "desk", "page": 1, "tags": ["b"]}


class Paging(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    page_no: int = Field(1, alias="pageNo")


def test_a_grouped_model_that_populates_by_name_is_read_by_alias_or_name():
    def build(lib):
        app = lib.APIGatewayRestResolver(enable_validation=True)

        @app.get("/pages")
        def pages(paging: Annotated[Paging, lib.Query()]):
            return paging.model_dump()

        return app

    got = answers(
        build,
        rest_event("GET", "/pages", query={"pageNo": "4"}),
        rest_event("GET", "/pages", query={"page_no": "3"}),
        rest_event("GET", "/pages", query={"page_no": ["5", "6"]}),
    )
    assert [answer["body"] for answer in got] == [{"page_no": 4}, {"page_no": 3}, {"page_no": 5}]
