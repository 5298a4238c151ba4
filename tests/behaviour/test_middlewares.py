"""Middlewares around routes, the same on every event source."""

import pytest

from kernel import BaseMiddlewareHandler, ForbiddenError, Response, Router
from tests.sources import supporting


def recorder(name, calls):
    def middleware(app, next_middleware):
        calls.append(f"{name} before")
        response = next_middleware(app)
        calls.append(f"{name} after")
        return response

    middleware.__name__ = name
    return middleware


def test_middlewares_run_around_the_route_outermost_first(source):
    app = source.app()
    calls = []
    app.use([recorder("first", calls), recorder("second", calls)])

    @app.get("/items", middlewares=[recorder("route", calls)])
    def items():
        calls.append("items")
        return {"items": []}

    response = source.client(app).get("/items")
    assert (response.status_code, response.json()) == (200, {"items": []})
    assert calls == ["first before", "second before", "route before", "items", "route after", "second after", "first after"]


def test_route_middlewares_run_for_their_route_only(source):
    app = source.app()
    calls = []

    @app.get("/guarded", middlewares=[recorder("guard", calls)])
    def guarded():
        return {"guarded": True}

    @app.get("/open")
    def open_route():
        return {"open": True}

    client = source.client(app)
    assert client.get("/open").json() == {"open": True}
    assert calls == []
    assert client.get("/guarded").json() == {"guarded": True}
    assert calls == ["guard before", "guard after"]


def test_a_middleware_can_answer_without_the_route(source):
    app = source.app()
    called = []

    def closed(app, next_middleware):
        return Response(503, "application/json", {"closed": app.current_event.path})

    @app.get("/items", middlewares=[closed])
    def items():
        called.append(True)
        return {}

    response = source.client(app).get("/items")
    assert (response.status_code, response.json()) == (503, {"closed": "/items"})
    assert called == []


def test_a_middleware_can_change_the_response(source):
    app = source.app()

    def wrap(app, next_middleware):
        response = next_middleware(app)
        response.status_code = 201
        response.body = {"wrapped": response.body}
        return response

    app.use([wrap])

    @app.get("/items")
    def items():
        return {"items": [1]}

    response = source.client(app).get("/items")
    assert (response.status_code, response.json()) == (201, {"wrapped": {"items": [1]}})


@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)
def test_a_middleware_can_add_headers(source):
    app = source.app()

    def trace(app, next_middleware):
        response = next_middleware(app)
        response.headers["X-Trace"] = "t-1"
        return response

    app.use([trace])

    @app.get("/items")
    def items():
        return {}

    assert source.client(app).get("/items").headers["X-Trace"] == "t-1"


def test_a_middleware_can_share_context_with_the_route(source):
    app = source.app()

    def tenant(app, next_middleware):
        app.append_context(tenant=app.current_event.get_query_string_value("tenant", "none"))
        return next_middleware(app)

    app.use([tenant])

    @app.get("/whoami")
    def whoami():
        return {"tenant": app.context["tenant"]}

    assert source.client(app).get("/whoami", query={"tenant": "acme"}).json() == {"tenant": "acme"}


def test_an_error_raised_in_a_middleware_is_answered(source):
    app = source.app()

    def deny(app, next_middleware):
        raise ForbiddenError("no entry")

    @app.get("/items", middlewares=[deny])
    def items():
        return {}

    response = source.client(app).get("/items")
    assert (response.status_code, response.json()) == (403, {"statusCode": 403, "message": "no entry"})


def test_class_based_middleware(source):
    class Stamp(BaseMiddlewareHandler):
        def __init__(self, value):
            self.value = value

        def handler(self, app, next_middleware):
            response = next_middleware(app)
            response.body = {**response.body, "stamp": self.value}
            return response

    app = source.app()

    @app.get("/items", middlewares=[Stamp("s-1")])
    def items():
        return {"items": []}

    assert source.client(app).get("/items").json() == {"items": [], "stamp": "s-1"}


def test_router_middlewares_apply_to_its_routes(source):
    app = source.app()
    calls = []
    router = Router()
    router.use([recorder("router", calls)])

    @router.get("/ping")
    def ping():
        return {"pong": True}

    app.include_router(router, prefix="/health")
    assert source.client(app).get("/health/ping").json() == {"pong": True}
    assert calls == ["router before", "router after"]
