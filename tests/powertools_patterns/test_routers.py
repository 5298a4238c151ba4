"""Split routers: routes in several modules, included with a prefix, sharing context with the app."""

from __future__ import annotations

from functools import partial

from tests.events import alb_event, function_url_event, http_event, rest_event
from tests.powertools_patterns.harness import answer, answers

USERS = {"alice": {"name": "Alice"}, "bob": {"name": "Bob"}}


def todos_router(lib):
    router = lib.Router()

    @router.get("/")
    def list_todos():
        return {"todos": [], "api_key": router.current_event.headers.get("X-Api-Key")}

    @router.get("/<todo_id>")
    def get_todo(todo_id: str):
        return {"id": todo_id, "tenant": router.context.get("tenant")}

    return router


def users_router(lib):
    router = lib.Router()

    @router.get("/users")
    def get_users():
        return {"users": list(USERS)}

    @router.get("/users/<username>")
    def get_user(username: str):
        if username not in USERS:
            raise lib.NotFoundError(f"no user {username}")
        return USERS[username]

    return router


def split_app(lib):
    app = lib.APIGatewayRestResolver()
    app.include_router(todos_router(lib), prefix="/todos")
    app.include_router(users_router(lib))

    @app.get("/health")
    def health():
        return {"ok": True}

    return app


def test_router_with_prefix():
    response = answer(split_app, rest_event("GET", "/todos/7"))
    assert response["body"] == {"id": "7", "tenant": None}


def test_router_root_under_prefix():
    response = answer(split_app, rest_event("GET", "/todos", headers={"X-Api-Key": "k"}))
    assert response["body"] == {"todos": [], "api_key": "k"}


def test_router_without_prefix():
    users, bob, nobody, health = answers(
        split_app,
        rest_event("GET", "/users"),
        rest_event("GET", "/users/bob"),
        rest_event("GET", "/users/carol"),
        rest_event("GET", "/health"),
    )
    assert users["body"] == {"users": ["alice", "bob"]}
    assert bob["body"] == {"name": "Bob"}
    assert nobody["body"] == {"statusCode": 404, "message": "no user carol"}
    assert health["body"] == {"ok": True}


class LambdaFunction:
    """A Lambda function's handler, resolved like an app (the harness calls ``resolve``)."""

    def __init__(self, handler):
        self.resolve = handler


def shared_context(lib):
    app = lib.APIGatewayHttpResolver()
    app.include_router(todos_router(lib), prefix="/todos")

    def lambda_handler(event, context):
        app.append_context(tenant=event["headers"].get("x-tenant"))
        return app.resolve(event, context)

    return LambdaFunction(lambda_handler)


def test_shared_context():
    response = answer(shared_context, http_event("GET", "/todos/1", headers={"X-Tenant": "acme"}))
    assert response["body"] == {"id": "1", "tenant": "acme"}


def test_context_cleared_after_each_request():
    first, second = answers(
        shared_context,
        http_event("GET", "/todos/1", headers={"X-Tenant": "acme"}),
        http_event("GET", "/todos/2"),
    )
    assert first["body"]["tenant"] == "acme"
    assert second["body"] == {"id": "2", "tenant": None}


def nested_prefix(lib):
    api = lib.Router()

    @api.get("/status")
    def status():
        return {"status": "up"}

    @api.post("/echo")
    def echo():
        return api.current_event.json_body

    app = lib.APIGatewayHttpResolver()
    app.include_router(api, prefix="/v1")
    app.include_router(api, prefix="/v2")
    return app


def test_same_router_under_two_prefixes():
    v1, v2, echo = answers(
        nested_prefix,
        http_event("GET", "/v1/status"),
        http_event("GET", "/v2/status"),
        http_event("POST", "/v2/echo", body='{"a": 1}'),
    )
    assert v1["body"] == v2["body"] == {"status": "up"}
    assert echo["body"] == {"a": 1}


def typed_routers(lib):
    rest_router = lib.APIGatewayRouter()

    @rest_router.get("/stage")
    def stage():
        return {"stage": rest_router.current_event.request_context.stage}

    http_router = lib.APIGatewayHttpRouter()

    @http_router.get("/route-key")
    def route_key():
        return {"route_key": http_router.current_event.route_key}

    rest = lib.APIGatewayRestResolver()
    rest.include_router(rest_router, prefix="/rest")
    http = lib.APIGatewayHttpResolver()
    http.include_router(http_router, prefix="/http")
    return rest, http


def test_routers_typed_per_source():
    (stage,) = answers(lambda lib: typed_routers(lib)[0], rest_event("GET", "/rest/stage"))
    (route_key,) = answers(lambda lib: typed_routers(lib)[1], http_event("GET", "/http/route-key"))
    assert stage["body"] == {"stage": "prod"}
    assert route_key["statusCode"] == 200


def alb_and_url_routers(lib, resolver, router):
    items = getattr(lib, router)()

    @items.get("/<item_id>")
    def item(item_id: str):
        return {"item": item_id, "method": items.current_event.http_method}

    app = getattr(lib, resolver)()
    app.include_router(items, prefix="/items")
    return app


def test_alb_router():
    build = partial(alb_and_url_routers, resolver="ALBResolver", router="ALBRouter")
    response = answer(build, alb_event("GET", "/items/3"))
    assert response["body"] == {"item": "3", "method": "GET"}


def test_function_url_router():
    build = partial(alb_and_url_routers, resolver="LambdaFunctionUrlResolver", router="LambdaFunctionUrlRouter")
    response = answer(build, function_url_event("GET", "/items/4"))
    assert response["body"] == {"item": "4", "method": "GET"}
