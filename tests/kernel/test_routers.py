"""Routers: include_router with prefixes, router middlewares, handlers, context, current_event."""

from __future__ import annotations

from typing import Any

import pytest

from kernel import Response, Router
from tests.kernel.helpers import NOT_FOUND, call, json_response, rest_app


def test_included_routes_are_served():
    router = Router()

    @router.get("/users/<user_id>")
    def user(user_id):
        return {"user": user_id}

    @router.post("/users")
    def create():
        return {"created": True}, 201

    app = rest_app()
    app.include_router(router)
    assert call(app, "GET", "/users/1") == json_response(200, {"user": "1"})
    assert call(app, "POST", "/users") == json_response(201, {"created": True})
    assert [(route.method, route.path) for route in app.routes] == [("GET", "/users/<user_id>"), ("POST", "/users")]


def test_prefix_is_prepended_and_root_rule_becomes_the_prefix():
    router = Router()

    @router.get("/")
    def index():
        return {"route": "index"}

    @router.get("/<item_id>")
    def item(item_id):
        return {"route": "item", "id": item_id}

    app = rest_app()
    app.include_router(router, prefix="/items")
    assert [route.path for route in app.routes] == ["/items", "/items/<item_id>"]
    assert call(app, "GET", "/items") == json_response(200, {"route": "index"})
    assert call(app, "GET", "/items/9") == json_response(200, {"route": "item", "id": "9"})
    assert call(app, "GET", "/9") == NOT_FOUND


def test_route_settings_survive_inclusion():
    router = Router()

    def middleware(app, next_middleware):
        return next_middleware(app)

    @router.get("/x", summary="X", tags=["t"], cache_control="max-age=5", middlewares=[middleware], operation_id="getX")
    def x():
        return {}

    app = rest_app()
    app.include_router(router, prefix="/v1")
    (route,) = app.routes
    assert (route.path, route.summary, route.tags, route.cache_control, route.operation_id) == (
        "/v1/x",
        "X",
        ["t"],
        "max-age=5",
        "getX",
    )
    assert route.middlewares == [middleware]


def test_included_routes_name_the_router_they_were_declared_on():
    orders = Router()
    users = Router()
    orders.get("/orders")(lambda: {})
    users.get("/users")(lambda: {})
    app = rest_app()
    app.get("/health")(lambda: {})
    app.include_router(orders)
    app.include_router(users, prefix="/v1")
    assert [(route.path, route.router) for route in app.routes] == [
        ("/health", None),
        ("/orders", orders),
        ("/v1/users", users),
    ]


def test_router_middlewares_join_the_app_middlewares_after_them():
    log: list[str] = []

    def named(name: str):
        def middleware(app, next_middleware):
            log.append(name)
            return next_middleware(app)

        return middleware

    router = Router()
    router.use([named("router")])

    @router.get("/r", middlewares=[named("route")])
    def r():
        log.append("handler")
        return {}

    app = rest_app()
    app.use([named("app")])

    @app.get("/a")
    def a():
        log.append("app-handler")
        return {}

    app.include_router(router)
    call(app, "GET", "/r")
    assert log == ["app", "router", "route", "handler"]
    log.clear()
    # As in the reference, an included router's middlewares become global ones.
    call(app, "GET", "/a")
    assert log == ["app", "router", "app-handler"]


def test_router_exception_handlers_answer_for_the_app():
    router = Router()

    class Teapot(Exception):
        pass

    @router.exception_handler(Teapot)
    def teapot(exc):
        return Response(status_code=418, content_type="text/plain", body="short and stout")

    @router.get("/brew")
    def brew():
        raise Teapot()

    app = rest_app()

    @app.get("/app-brew")
    def app_brew():
        raise Teapot()

    app.include_router(router)
    for path in ("/brew", "/app-brew"):
        assert call(app, "GET", path) == {
            "statusCode": 418,
            "body": "short and stout",
            "isBase64Encoded": False,
            "multiValueHeaders": {"Content-Type": ["text/plain"]},
        }


def test_router_not_found_handler_is_used_by_the_app():
    router = Router()

    @router.not_found
    def missing(exc):
        return Response(status_code=404, content_type="text/plain", body="router says no")

    app = rest_app()
    app.include_router(router)
    assert call(app, "GET", "/nothing")["body"] == "router says no"


def test_router_context_is_merged_and_shared_with_the_app():
    router = Router()
    router.append_context(tenant="acme")
    seen: list[dict[str, Any]] = []

    @router.get("/ctx")
    def ctx():
        seen.append({key: value for key, value in router.context.items() if not key.startswith("_")})
        return {"tenant": router.context["tenant"], "same": router.context is app.context}

    app = rest_app()
    app.append_context(region="eu")
    app.include_router(router)
    assert call(app, "GET", "/ctx") == json_response(200, {"tenant": "acme", "same": True})
    assert seen == [{"tenant": "acme", "region": "eu"}]
    # Context lives for one event: both sides are empty afterwards.
    assert app.context == {}
    assert router.context == {}


def test_router_current_event_and_lambda_context_are_those_of_the_app():
    router = Router()
    context = object()
    seen: list[Any] = []

    @router.get("/who")
    def who():
        seen.append(router.lambda_context)
        return {"path": router.current_event.path, "same": router.current_event is app.current_event}

    app = rest_app()
    app.include_router(router, prefix="/api")
    assert call(app, "GET", "/api/who", context=context) == json_response(200, {"path": "/api/who", "same": True})
    assert seen == [context]


def test_router_outside_an_app_has_no_current_event():
    router = Router()
    with pytest.raises(RuntimeError, match="include_router"):
        _ = router.current_event


def test_two_apps_never_see_each_others_event():
    """Per-request state lives on each app, not on a class shared by every router."""
    seen: list[tuple[str, str, str]] = []

    def make(name: str):
        router = Router()
        app = rest_app()

        @router.get("/<anything>")
        def anything(anything):
            # Resolve the other app in the middle of this request...
            if name == "outer":
                inner_reply = call(apps["inner"], "GET", "/inner-path")
                assert inner_reply["statusCode"] == 200
            # ...and this app's router still sees this app's request.
            seen.append((name, router.current_event.path, app.current_event.path))
            return {"app": name}

        app.include_router(router)
        return app

    apps: dict[str, Any] = {}
    apps["inner"] = make("inner")
    apps["outer"] = make("outer")
    assert call(apps["outer"], "GET", "/outer-path") == json_response(200, {"app": "outer"})
    assert seen == [("inner", "/inner-path", "/inner-path"), ("outer", "/outer-path", "/outer-path")]
    assert apps["inner"].current_event.path == "/inner-path"
    assert apps["outer"].current_event.path == "/outer-path"


def test_one_router_included_in_two_apps_sees_the_resolving_app():
    router = Router()

    @router.get("/where")
    def where():
        return {"path": router.current_event.path, "stage": router.current_event.request_context.stage}

    first, second = rest_app(), rest_app()
    first.include_router(router, prefix="/one")
    second.include_router(router, prefix="/two")
    assert call(first, "GET", "/one/where", stage="alpha") == json_response(200, {"path": "/one/where", "stage": "alpha"})
    assert call(second, "GET", "/two/where", stage="beta") == json_response(200, {"path": "/two/where", "stage": "beta"})
    assert call(first, "GET", "/two/where") == NOT_FOUND


def test_nested_include_keeps_prefix_rule():
    router = Router()

    @router.get("/")
    def root():
        return {"root": True}

    app = rest_app()
    app.include_router(router, prefix="/")
    # "/" as the prefix leaves the router's root route at "/", not "//".
    assert [route.path for route in app.routes] == ["/"]
    assert call(app, "GET", "/") == json_response(200, {"root": True})
