"""Middlewares: global and per-route functions, BaseMiddlewareHandler classes, short-circuiting answers."""

from __future__ import annotations

from tests.events import http_event, rest_event
from tests.powertools_patterns.harness import answer, answers


def correlation_app(lib):
    def inject_correlation_id(app, next_middleware):
        request_id = app.current_event.request_context.request_id
        app.append_context(correlation_id=request_id)
        result = next_middleware(app)
        result.headers["x-correlation-id"] = request_id
        return result

    def log_order(name):
        def middleware(app, next_middleware):
            app.context.setdefault("order", []).append(name)
            return next_middleware(app)

        return middleware

    app = lib.APIGatewayRestResolver()
    app.use(middlewares=[inject_correlation_id, log_order("global")])

    @app.get("/todos", middlewares=[log_order("route-1"), log_order("route-2")])
    def get_todos():
        return {"correlation_id": app.context.get("correlation_id"), "order": app.context["order"]}

    @app.get("/plain")
    def plain():
        return {"order": app.context["order"]}

    return app


def test_global_and_route_middlewares():
    response = answer(correlation_app, rest_event("GET", "/todos"))
    assert response["body"] == {
        "correlation_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        "order": ["global", "route-1", "route-2"],
    }
    assert response["multiValueHeaders"]["x-correlation-id"] == ["c6af9ac6-7b61-11e6-9a41-93e8deadbeef"]


def test_global_middlewares_only():
    response = answer(correlation_app, rest_event("GET", "/plain"))
    assert response["body"] == {"order": ["global"]}


def test_global_middleware_on_not_found():
    response = answer(correlation_app, rest_event("GET", "/nothing"))
    assert response["statusCode"] == 404


def class_middleware(lib):
    class APIKeyMiddleware(lib.BaseMiddlewareHandler):
        def __init__(self, header: str, allowed: set):
            super().__init__()
            self.header = header
            self.allowed = allowed

        def handler(self, app, next_middleware):
            key = app.current_event.headers.get(self.header)
            if key not in self.allowed:
                # Short-circuit: the route never runs.
                return lib.Response(
                    status_code=403,
                    content_type=lib.content_types.APPLICATION_JSON,
                    body={"message": "Forbidden", "header": self.header},
                )
            return next_middleware(app)

    class TimingHeader(lib.BaseMiddlewareHandler):
        def handler(self, app, next_middleware):
            response = next_middleware(app)
            response.headers["X-Handled-By"] = type(self).__name__
            return response

    app = lib.APIGatewayHttpResolver()
    app.use(middlewares=[TimingHeader()])

    @app.get("/secret", middlewares=[APIKeyMiddleware("x-api-key", {"good"})])
    def secret():
        return {"secret": 42}

    return app


def test_class_middleware_lets_through():
    response = answer(class_middleware, http_event("GET", "/secret", headers={"x-api-key": "good"}))
    assert response["body"] == {"secret": 42}
    assert response["headers"]["X-Handled-By"] == "TimingHeader"


def test_class_middleware_short_circuits():
    denied, missing = answers(
        class_middleware,
        http_event("GET", "/secret", headers={"x-api-key": "bad"}),
        http_event("GET", "/secret"),
    )
    assert denied["statusCode"] == missing["statusCode"] == 403
    assert denied["body"] == {"message": "Forbidden", "header": "x-api-key"}
    assert denied["headers"]["X-Handled-By"] == "TimingHeader"


def raising_middleware(lib):
    def require_json(app, next_middleware):
        if app.current_event.headers.get("content-type") != "application/json":
            raise lib.BadRequestError("JSON only")
        return next_middleware(app)

    app = lib.APIGatewayRestResolver()

    @app.exception_handler(ValueError)
    def invalid(ex):
        return lib.Response(status_code=422, content_type=lib.content_types.TEXT_PLAIN, body=str(ex))

    @app.post("/orders", middlewares=[require_json])
    def create():
        order = app.current_event.json_body
        if "id" not in order:
            raise ValueError("an order needs an id")
        return lib.Response(status_code=201, content_type=lib.content_types.APPLICATION_JSON, body=order)

    return app


def test_middleware_raises_an_http_error():
    response = answer(raising_middleware, rest_event("POST", "/orders", headers={"content-type": "text/plain"}, body="x"))
    assert response["statusCode"] == 400
    assert response["body"] == {"statusCode": 400, "message": "JSON only"}


def test_route_error_through_middleware_to_handler():
    ok, invalid = answers(
        raising_middleware,
        rest_event("POST", "/orders", headers={"content-type": "application/json"}, body='{"id": 1}'),
        rest_event("POST", "/orders", headers={"content-type": "application/json"}, body="{}"),
    )
    assert ok["statusCode"] == 201
    assert invalid["statusCode"] == 422
    assert invalid["body"] == b"an order needs an id"


def router_middlewares(lib):
    def tag(name):
        def middleware(app, next_middleware):
            response = next_middleware(app)
            response.headers["X-Tags"] = [*response.headers.get("X-Tags", []), name]
            return response

        return middleware

    router = lib.Router()
    router.use(middlewares=[tag("router")])

    @router.get("/items", middlewares=[tag("route")])
    def items():
        return {"items": []}

    app = lib.APIGatewayRestResolver()
    app.use(middlewares=[tag("app")])
    app.include_router(router, prefix="/shop")
    return app


def test_router_middlewares():
    response = answer(router_middlewares, rest_event("GET", "/shop/items"))
    assert response["body"] == {"items": []}
    # Innermost first: the route's middleware, then the router's, then the app's.
    assert response["multiValueHeaders"]["X-Tags"] == ["route", "router", "app"]


def context_for_routers(lib):
    router = lib.Router()

    @router.get("/whoami")
    def whoami():
        return {"user": router.context.get("user")}

    def authenticate(app, next_middleware):
        app.append_context(user=app.current_event.headers.get("X-User", "anonymous"))
        return next_middleware(app)

    app = lib.APIGatewayRestResolver()
    app.use(middlewares=[authenticate])
    app.include_router(router)
    return app


def test_middleware_context_read_by_a_router():
    alice, anonymous = answers(
        context_for_routers,
        rest_event("GET", "/whoami", headers={"X-User": "alice"}),
        rest_event("GET", "/whoami"),
    )
    assert alice["body"] == {"user": "alice"}
    assert anonymous["body"] == {"user": "anonymous"}
