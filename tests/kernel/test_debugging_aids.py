"""What a developer sees while debugging: middleware frames' names and text, a route's repr, handler lookup."""

from __future__ import annotations

from typing import Any

from kernel import BaseMiddlewareHandler, MiddlewareFrame, NextMiddleware, Response
from tests.kernel.helpers import call, json_response, rest_app


class Audit(BaseMiddlewareHandler):
    """A middleware that keeps settings: an instance with no ``__name__`` of its own."""

    def handler(self, app: Any, next_middleware: NextMiddleware) -> Response[Any]:
        return next_middleware(app)


def test_a_middleware_sees_the_name_and_call_chain_of_the_frame_it_calls():
    seen: list[tuple[str, str]] = []

    def first(app: Any, next_middleware: NextMiddleware) -> Response[Any]:
        seen.append((next_middleware.__name__, str(next_middleware)))
        return next_middleware(app)

    def second(app: Any, next_middleware: NextMiddleware) -> Response[Any]:
        seen.append((next_middleware.__name__, str(next_middleware)))
        return next_middleware(app)

    def third(app: Any, next_middleware: NextMiddleware) -> Response[Any]:
        return next_middleware(app)

    app = rest_app()
    app.use([first, Audit(), second])

    @app.get("/items", middlewares=[third])
    def items():
        return {"items": []}

    assert call(app, "GET", "/items") == json_response(200, {"items": []})
    assert seen == [
        # A middleware object without a __name__ is known by its class name.
        ("Audit", "[Audit] next call chain is Audit -> second"),
        ("third", "[third] next call chain is third -> _route_adapter"),
    ]


def test_a_frame_names_its_middleware_and_the_next_link():
    def outer(app: Any, next_middleware: Any) -> Any:
        return next_middleware(app)

    def endpoint() -> None:
        return None

    frame = MiddlewareFrame(outer, endpoint)
    assert frame.__name__ == "outer"
    assert str(frame) == "[outer] next call chain is outer -> endpoint"
    assert MiddlewareFrame(Audit(), frame).__name__ == "Audit"
    assert str(MiddlewareFrame(Audit(), frame)) == "[Audit] next call chain is Audit -> outer"
    # A next link without a name (an object) shows as "?".
    assert str(MiddlewareFrame(outer, object())) == "[outer] next call chain is outer -> ?"


def test_a_route_repr_shows_method_rule_and_function():
    app = rest_app()

    @app.get("/users/<user_id>")
    def get_user(user_id):
        return {}

    class Handlers:
        @staticmethod
        def delete(user_id):
            return {}

    app.delete("/users/<user_id>")(Handlers.delete)

    assert [repr(route) for route in app.routes] == [
        "<Route GET /users/<user_id> -> 'test_a_route_repr_shows_method_rule_and_function.<locals>.get_user'>",
        "<Route DELETE /users/<user_id> -> 'test_a_route_repr_shows_method_rule_and_function.<locals>.Handlers.delete'>",
    ]


def test_the_exception_handler_lookup_follows_the_class_hierarchy():
    app = rest_app()

    @app.exception_handler(LookupError)
    def on_lookup(exc):
        return Response(status_code=404, content_type="text/plain", body="missing")

    @app.exception_handler(KeyError)
    def on_key(exc):
        return Response(status_code=409, content_type="text/plain", body="conflict")

    assert app._lookup_exception_handler(KeyError) is on_key
    assert app._lookup_exception_handler(IndexError) is on_lookup  # a subclass of LookupError
    assert app._lookup_exception_handler(ValueError) is None


def test_a_route_repr_shows_a_function_without_a_qualified_name_as_it_is():
    import functools

    def find(kind, item_id):
        return {}

    app = rest_app()
    app.get("/things/<item_id>")(functools.partial(find, "thing"))
    (route,) = app.routes
    assert repr(route) == f"<Route GET /things/<item_id> -> {route.func!r}>"
    assert repr(route).startswith("<Route GET /things/<item_id> -> functools.partial(<function ")
