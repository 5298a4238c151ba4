"""A route that is a callable without ``__name__`` (docs/migrating.md, "Any callable can be a route")."""

import functools

import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver as PowertoolsResolver

from kernel import APIGatewayRestResolver
from kernel.testing import Client


def lookup(item_id: str, prefix: str) -> dict:
    return {"id": f"{prefix}{item_id}"}


def test_powertools_refuses_a_route_without_a_name_and_kernel_serves_it():
    with pytest.raises(AttributeError):
        PowertoolsResolver().get("/items/<item_id>")(functools.partial(lookup, prefix="sku-"))

    app = APIGatewayRestResolver()
    app.get("/items/<item_id>")(functools.partial(lookup, prefix="sku-"))
    response = Client(app).get("/items/42")
    assert (response.status_code, response.json()) == (200, {"id": "sku-42"})
    (route,) = app.routes
    assert route.operation_id == "route_items__item_id__get"
