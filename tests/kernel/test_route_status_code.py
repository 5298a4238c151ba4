"""A route's ``status_code`` is the status of what it returns, with or without middlewares around it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from kernel import NextMiddleware, Response
from tests.events import rest_event
from tests.kernel.helpers import call, json_response, rest_app


def passthrough(app: Any, next_middleware: NextMiddleware) -> Response[Any]:
    return next_middleware(app)


@pytest.mark.parametrize("middlewares", [[], [passthrough]], ids=["bare", "with a middleware"])
def test_the_route_status_code_answers_a_returned_body(middlewares):
    app = rest_app()

    @app.post("/orders", status_code=201, middlewares=middlewares)
    def create():
        return {"id": 7}

    @app.get("/orders", middlewares=middlewares)
    def list_orders():
        return {"orders": []}

    assert call(app, "POST", "/orders") == json_response(201, {"id": 7})
    assert call(app, "GET", "/orders") == json_response(200, {"orders": []})


def test_the_route_status_code_answers_for_an_async_route():
    app = rest_app()

    @app.post("/orders", status_code=201)
    async def create():
        return {"id": 7}

    assert call(app, "POST", "/orders") == json_response(201, {"id": 7})
    assert asyncio.run(app.resolve_async(rest_event("POST", "/orders"), None)) == json_response(201, {"id": 7})


def test_the_route_status_code_answers_under_an_app_middleware_too():
    app = rest_app()
    app.use([passthrough])

    @app.put("/orders/<order_id>", status_code=202)
    def update(order_id):
        return {"id": order_id}

    assert call(app, "PUT", "/orders/7") == json_response(202, {"id": "7"})
