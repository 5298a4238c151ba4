"""Middlewares: global and per-route, their order, short-circuits, classes, the 404 route."""

from __future__ import annotations

from typing import Any

import pytest

from kernel import APIGatewayRestResolver, BadRequestError, BaseMiddlewareHandler, NextMiddleware, Response
from tests.kernel.helpers import NOT_FOUND, call, json_response, rest_app


def recorder(log: list[str], name: str):
    """A middleware that logs when it enters and leaves."""

    def middleware(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
        log.append(f"{name}:before")
        response = next_middleware(app)
        log.append(f"{name}:after")
        return response

    middleware.__name__ = name
    return middleware


def test_global_then_route_middlewares_in_insertion_order_after_parts_reversed():
    log: list[str] = []
    app = rest_app()
    app.use([recorder(log, "g1"), recorder(log, "g2")])

    @app.get("/x", middlewares=[recorder(log, "r1"), recorder(log, "r2")])
    def x():
        log.append("route")
        return {"ok": True}

    assert call(app, "GET", "/x") == json_response(200, {"ok": True})
    assert log == [
        "g1:before",
        "g2:before",
        "r1:before",
        "r2:before",
        "route",
        "r2:after",
        "r1:after",
        "g2:after",
        "g1:after",
    ]


def test_use_appends_and_applies_to_routes_already_called():
    log: list[str] = []
    app = rest_app()
    app.use([recorder(log, "g1")])

    @app.get("/x")
    def x():
        log.append("route")
        return {}

    call(app, "GET", "/x")
    assert log == ["g1:before", "route", "g1:after"]
    log.clear()
    # A deliberate difference from Powertools, which keeps the chain it built
    # on the first call: here a later use() reaches every route.
    app.use([recorder(log, "g2")])
    call(app, "GET", "/x")
    assert log == ["g1:before", "g2:before", "route", "g2:after", "g1:after"]


def test_route_middlewares_apply_only_to_their_route():
    log: list[str] = []
    app = rest_app()

    @app.get("/with", middlewares=[recorder(log, "r")])
    def with_middleware():
        log.append("with")
        return {}

    @app.get("/without")
    def without_middleware():
        log.append("without")
        return {}

    call(app, "GET", "/without")
    call(app, "GET", "/with")
    assert log == ["without", "r:before", "with", "r:after"]


def test_middleware_can_change_the_response_on_the_way_back():
    app = rest_app()

    def add_header(app, next_middleware):
        response = next_middleware(app)
        response.headers["X-Request-Path"] = app.current_event.path
        response.status_code = 202
        return response

    app.use([add_header])

    @app.get("/x")
    def x():
        return {"ok": True}

    assert call(app, "GET", "/x") == json_response(202, {"ok": True}, {"X-Request-Path": ["/x"]})


def test_middleware_sees_route_context_and_can_add_to_it():
    app = rest_app()
    seen: dict[str, Any] = {}

    def tag(app, next_middleware):
        seen["route_path"] = app.context["_route"].path
        seen["path"] = app.context["_path"]
        app.append_context(user="alice")
        return next_middleware(app)

    @app.get("/users/<user_id>", middlewares=[tag])
    def user(user_id):
        return {"user": user_id, "by": app.context["user"]}

    assert call(app, "GET", "/users/7") == json_response(200, {"user": "7", "by": "alice"})
    assert seen == {"route_path": "/users/<user_id>", "path": "/users/7"}


def test_middleware_short_circuits_by_returning_a_response():
    log: list[str] = []
    app = rest_app()

    def deny(app, next_middleware):
        log.append("deny")
        return Response(status_code=401, content_type="text/plain", body="no entry")

    app.use([recorder(log, "outer"), deny, recorder(log, "inner")])

    @app.get("/x")
    def x():
        log.append("route")
        return {}

    assert call(app, "GET", "/x") == {
        "statusCode": 401,
        "body": "no entry",
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["text/plain"]},
    }
    assert log == ["outer:before", "deny", "outer:after"]


def test_middleware_short_circuits_by_raising():
    log: list[str] = []
    app = rest_app()

    def guard(app, next_middleware):
        if app.current_event.get_header_value("x-api-key") != "secret":
            raise BadRequestError("missing api key")
        return next_middleware(app)

    @app.get("/x", middlewares=[guard])
    def x():
        log.append("route")
        return {"ok": True}

    assert call(app, "GET", "/x") == json_response(400, {"statusCode": 400, "message": "missing api key"})
    assert log == []
    assert call(app, "GET", "/x", headers={"X-Api-Key": "secret"}) == json_response(200, {"ok": True})


def test_exception_from_middleware_reaches_exception_handlers():
    app = rest_app()

    class Denied(Exception):
        pass

    def deny(app, next_middleware):
        raise Denied("nope")

    @app.exception_handler(Denied)
    def on_denied(exc):
        return Response(status_code=403, content_type="text/plain", body=f"denied: {exc}")

    app.use([deny])

    @app.get("/x")
    def x():
        return {}

    assert call(app, "GET", "/x")["statusCode"] == 403
    assert call(app, "GET", "/x")["body"] == "denied: nope"


def test_base_middleware_handler_subclass():
    class HeaderMiddleware(BaseMiddlewareHandler):
        def __init__(self, name: str, value: str) -> None:
            super().__init__()
            self.name = name
            self.value = value

        def handler(self, app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
            response = next_middleware(app)
            response.headers[self.name] = self.value
            return response

    app = rest_app()
    app.use([HeaderMiddleware("X-Global", "g")])

    @app.get("/x", middlewares=[HeaderMiddleware("X-Route", "r")])
    def x():
        return {"ok": True}

    assert call(app, "GET", "/x") == json_response(200, {"ok": True}, {"X-Global": ["g"], "X-Route": ["r"]})


def test_base_middleware_handler_requires_handler():
    class Incomplete(BaseMiddlewareHandler):
        pass

    with pytest.raises(TypeError):
        Incomplete()  # type: ignore[abstract]


def test_next_middleware_has_a_name_for_logging():
    names: list[str] = []
    app = rest_app()

    def first(app, next_middleware: NextMiddleware):
        names.append(next_middleware.__name__)
        return next_middleware(app)

    def second(app, next_middleware: NextMiddleware):
        names.append(next_middleware.__name__)
        return next_middleware(app)

    @app.get("/x", middlewares=[first, second])
    def x():
        return {}

    call(app, "GET", "/x")
    assert names[0] == "second"
    assert len(names) == 2
    # The innermost link (the kernel's adapter around the route) has a name as well.
    assert isinstance(names[1], str)
    assert names[1]


def test_global_middlewares_run_on_the_not_found_route():
    log: list[str] = []
    app = rest_app()
    app.use([recorder(log, "g")])

    @app.get("/x")
    def x():
        return {}

    assert call(app, "GET", "/missing") == NOT_FOUND
    assert log == ["g:before", "g:after"]


def test_middleware_can_replace_the_not_found_answer():
    app = rest_app()

    def custom_404(app, next_middleware):
        response = next_middleware(app)
        if response.status_code == 404:
            return Response(status_code=404, content_type="text/plain", body=f"nothing at {app.context['_path']}")
        return response

    app.use([custom_404])
    assert call(app, "GET", "/nowhere") == {
        "statusCode": 404,
        "body": "nothing at /nowhere",
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["text/plain"]},
    }


def test_middleware_receives_path_arguments_untouched():
    app = rest_app()

    def passthrough(app, next_middleware):
        return next_middleware(app)

    @app.get("/a/<x>/<y>", middlewares=[passthrough])
    def both(x, y):
        return {"x": x, "y": y}

    assert call(app, "GET", "/a/1/2") == json_response(200, {"x": "1", "y": "2"})


def test_middleware_return_values_of_routes_are_responses():
    """Whatever the route returns, the middleware gets a Response back."""
    seen: list[Any] = []
    app = rest_app()

    def look(app, next_middleware):
        response = next_middleware(app)
        seen.append((type(response).__name__, response.status_code, response.body))
        return response

    app.use([look])

    @app.get("/dict")
    def as_dict():
        return {"a": 1}

    @app.get("/tuple")
    def as_tuple():
        return {"b": 2}, 201

    call(app, "GET", "/dict")
    call(app, "GET", "/tuple")
    assert seen == [("Response", 200, {"a": 1}), ("Response", 201, {"b": 2})]


TYPED_MIDDLEWARES = """
from typing import Any

from kernel import APIGatewayRestResolver, BaseMiddlewareHandler, NextMiddleware, Response

app = APIGatewayRestResolver()


def log_path(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    name: str = next_middleware.__name__
    response: Response[Any] = next_middleware(app)
    return response


class Stamp(BaseMiddlewareHandler[APIGatewayRestResolver]):
    def handler(self, app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
        return next_middleware(app)


app.use([log_path, Stamp()])


@app.get("/x", middlewares=[log_path, Stamp()])
def x() -> dict[str, str]:
    return {}
"""


def test_next_middleware_typing_checks_with_mypy(tmp_path):
    """Typed middlewares as the docs write them pass mypy --strict; misusing next_middleware does not."""
    from mypy import api

    good = tmp_path / "typed_good.py"
    good.write_text(TYPED_MIDDLEWARES)
    bad = tmp_path / "typed_bad.py"
    bad.write_text(
        TYPED_MIDDLEWARES
        + "\n\ndef forgot_app(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:\n"
        + "    return next_middleware()\n"
    )
    options = ["--strict", "--no-incremental", "--follow-imports=silent", "--cache-dir", str(tmp_path / "cache")]
    out, err, status = api.run([*options, str(good)])
    assert status == 0, out + err
    out, err, status = api.run([*options, str(bad)])
    assert status == 1
    assert 'Missing positional argument "app" in call to "__call__" of "NextMiddleware"' in out
