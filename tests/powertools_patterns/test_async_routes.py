"""Async routes and middlewares, resolved with resolve_async()."""

from __future__ import annotations

import asyncio

import pytest

from tests.events import http_event, rest_event
from tests.powertools_patterns.harness import LambdaContext, both, readable


def async_app(lib, resolver="APIGatewayRestResolver"):
    app = getattr(lib, resolver)()

    async def timing(app, next_middleware):
        response = await next_middleware(app)
        response.headers["X-Async"] = "yes"
        return response

    @app.get("/todos/<todo_id>", middlewares=[timing])
    async def get_todo(todo_id: str):
        await asyncio.sleep(0)
        return {"id": todo_id}

    @app.get("/sync")
    def sync_route():
        return {"sync": True}

    @app.get("/missing")
    async def missing():
        raise lib.NotFoundError("no such todo")

    return app


def resolve_async(build, event):
    powertools_app, kernel_app = both(build)
    expected = readable(asyncio.run(powertools_app.resolve_async(event, LambdaContext())))
    got = readable(asyncio.run(kernel_app.resolve_async(event, LambdaContext())))
    assert got == expected
    return got


@pytest.mark.parametrize("path", ["/todos/1", "/sync", "/missing", "/nothing"])
def test_resolve_async(path):
    response = resolve_async(async_app, rest_event("GET", path))
    assert response["statusCode"] == (200 if path in ("/todos/1", "/sync") else 404)


def test_async_middleware_header():
    response = resolve_async(lambda lib: async_app(lib, "APIGatewayHttpResolver"), http_event("GET", "/todos/2"))
    assert response["body"] == {"id": "2"}
    assert response["headers"]["X-Async"] == "yes"
