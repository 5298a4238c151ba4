"""Depends() and Request in routes, dependencies and middlewares, without validation.

The same apps are also run on Powertools (installed for the tests only) to
check that both answer alike. No ``from __future__ import annotations``:
the dependencies are defined inside the tests, where text annotations
could not be resolved.
"""

import asyncio
import json
from typing import Annotated, Any

import pytest

from kernel import (
    DependencyResolutionError,
    Depends,
    NotFoundError,
    Request,
    Response,
    Router,
    UnauthorizedError,
    content_types,
)
from tests.events import rest_event
from tests.kernel.helpers import call, json_response, rest_app


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def tree_app(calls: list[str]) -> Any:
    def get_db() -> str:
        calls.append("db")
        return "DB"

    def get_repo(db: Annotated[str, Depends(get_db)]) -> str:
        calls.append("repo")
        return f"repo({db})"

    def get_user(request: Request, db: Annotated[str, Depends(get_db)]) -> str:
        calls.append("user")
        return request.headers.get("x-user", "anon")

    app = rest_app()

    @app.get("/orders/<order_id>")
    def orders(order_id: str, repo: Annotated[str, Depends(get_repo)], user: Annotated[str, Depends(get_user)]):
        return {"order": order_id, "repo": repo, "user": user}

    app.get_db = get_db  # type: ignore[attr-defined]
    return app


def test_nested_dependencies_are_solved_once_per_request():
    calls: list[str] = []
    app = tree_app(calls)

    response = call(app, "GET", "/orders/7", headers={"x-user": "bob"})

    assert response == json_response(200, {"order": "7", "repo": "repo(DB)", "user": "bob"})
    # get_db is asked for twice (by get_repo and get_user) but runs once.
    assert calls == ["db", "repo", "user"]
    calls.clear()
    call(app, "GET", "/orders/8")
    # A new request solves again: the cache lives for one request.
    assert calls == ["db", "repo", "user"]


def test_use_cache_false_calls_the_dependency_for_each_parameter():
    counter = iter(range(1, 100))

    def count() -> int:
        return next(counter)

    def pair(a: Annotated[int, Depends(count, use_cache=False)], b: Annotated[int, Depends(count, use_cache=False)]):
        return [a, b]

    app = rest_app()

    @app.get("/")
    def index(both: Annotated[list[int], Depends(pair)], cached: Annotated[int, Depends(count)]):
        return {"both": both, "cached": cached}

    assert body(call(app)) == {"both": [1, 2], "cached": 3}
    assert body(call(app)) == {"both": [4, 5], "cached": 6}


def test_dependency_overrides_replace_a_dependency_anywhere_in_the_tree():
    calls: list[str] = []
    app = tree_app(calls)
    app.dependency_overrides[app.get_db] = lambda: "FAKE"

    assert body(call(app, "GET", "/orders/1")) == {"order": "1", "repo": "repo(FAKE)", "user": "anon"}
    assert "db" not in calls
    app.dependency_overrides.clear()
    assert body(call(app, "GET", "/orders/1"))["repo"] == "repo(DB)"


def test_a_route_receives_the_request():
    seen: list[Request] = []
    contexts: list[dict[str, Any]] = []
    app = rest_app()

    @app.put("/applications/<application_id>/<version>")
    def update(application_id: str, version: str, request: Request):
        seen.append(request)
        contexts.append(app.context)
        return {"ok": True}

    response = call(app, "PUT", "/applications/4da7/v2", headers={"X-Id": "9"}, query={"a": "1"}, body='{"b": 2}')

    assert response["statusCode"] == 200
    (request,) = seen
    assert request.route == "/applications/{application_id}/{version}"
    assert request.path_parameters == {"application_id": "4da7", "version": "v2"}
    assert request.method == "PUT"
    assert request.headers["X-Id"] == "9"
    assert request.query_parameters == {"a": "1"}
    assert request.body == '{"b": 2}'
    assert request.json_body == {"b": 2}
    assert request.resolved_event is app.current_event
    # The request's context dict: app.context while the request is resolved.
    assert request.context is contexts[0]


def test_middlewares_read_the_request_and_share_its_context_with_dependencies():
    def current_user(request: Request) -> str:
        return request.context["user"]

    def authenticate(app, next_middleware):
        request = app.request
        if request.headers.get("authorization") != "secret":
            return Response(401, content_types.APPLICATION_JSON, {"denied": request.route})
        app.append_context(user="ada")
        return next_middleware(app)

    app = rest_app()
    app.use([authenticate])

    @app.get("/me")
    def me(user: Annotated[str, Depends(current_user)]):
        return {"user": user}

    assert call(app, "GET", "/me") == json_response(401, {"denied": "/me"})
    assert call(app, "GET", "/me", headers={"authorization": "secret"}) == json_response(200, {"user": "ada"})


def test_a_function_middleware_may_take_the_request_and_dependencies_sharing_the_cache():
    calls: list[str] = []

    def session() -> str:
        calls.append("session")
        return "S"

    def middleware(app, next_middleware, request: Request, session: Annotated[str, Depends(session)]):
        calls.append(f"middleware {request.method} {request.route} {session}")
        return next_middleware(app)

    app = rest_app()

    @app.get("/items/<item_id>", middlewares=[middleware])
    def item(item_id: str, session: Annotated[str, Depends(session)]):
        return {"item": item_id, "session": session}

    assert body(call(app, "GET", "/items/3")) == {"item": "3", "session": "S"}
    assert calls == ["session", "middleware GET /items/{item_id} S"]


def test_an_async_middleware_may_take_the_request_and_dependencies_sharing_the_cache():
    calls: list[str] = []

    async def session() -> str:
        calls.append("session")
        return "S"

    async def middleware(app, next_middleware, request: Request, session: Annotated[str, Depends(session)]):
        calls.append(f"middleware {request.method} {request.route} {request.path_parameters} {session}")
        response = await next_middleware(app)
        response.headers["X-Session"] = session
        return response

    async def plain(app, next_middleware):
        response = await next_middleware(app)
        response.headers["X-Plain"] = "yes"
        return response

    app = rest_app()

    @app.get("/items/<item_id>", middlewares=[middleware, plain])
    def item(item_id: str, session: Annotated[str, Depends(session)]):
        return {"item": item_id, "session": session}

    expected = json_response(200, {"item": "3", "session": "S"}, {"X-Plain": ["yes"], "X-Session": ["S"]})
    assert call(app, "GET", "/items/3") == expected
    assert asyncio.run(app.resolve_async(rest_event("GET", "/items/3"), None)) == expected
    assert calls == ["session", "middleware GET /items/{item_id} {'item_id': '3'} S"] * 2


def test_app_request_outside_a_request_raises():
    app = rest_app()
    with pytest.raises(RuntimeError, match="only available while a request is resolved"):
        app.request  # noqa: B018


def test_depends_needs_a_callable():
    with pytest.raises(DependencyResolutionError, match="requires a callable, got int: 3"):
        Depends(3)  # type: ignore[arg-type]


def test_what_a_dependency_raises_is_answered_as_if_the_route_raised_it():
    def auth() -> str:
        raise UnauthorizedError("Who are you?")

    def missing() -> str:
        raise NotFoundError("No such tenant")

    app = rest_app()

    @app.get("/a")
    def a(user: Annotated[str, Depends(auth)]):
        return {}

    @app.get("/b")
    def b(tenant: Annotated[str, Depends(missing)]):
        return {}

    @app.exception_handler(NotFoundError)
    def not_found(exc: NotFoundError):
        return Response(404, content_types.APPLICATION_JSON, {"missing": exc.msg})

    assert call(app, "GET", "/a") == json_response(401, {"statusCode": 401, "message": "Who are you?"})
    assert call(app, "GET", "/b") == json_response(404, {"missing": "No such tenant"})


def test_a_handler_for_dependency_resolution_error_receives_the_wrapped_error():
    def broken() -> str:
        raise ValueError("database down")

    app = rest_app()

    @app.get("/")
    def index(value: Annotated[str, Depends(broken)]):
        return {}

    message = "Failed to resolve dependency 'broken' for parameter 'value': database down"
    with pytest.raises(DependencyResolutionError, match=message):
        call(app)

    @app.exception_handler(DependencyResolutionError)
    def failed(exc: DependencyResolutionError):
        return Response(503, content_types.APPLICATION_JSON, {"cause": type(exc.__cause__).__name__})

    assert call(app) == json_response(503, {"cause": "ValueError"})


def test_a_dependency_missing_an_argument_fails_to_resolve():
    def needs(x):
        return x

    app = rest_app()

    @app.get("/")
    def index(value: Annotated[str, Depends(needs)]):
        return {}

    with pytest.raises(DependencyResolutionError, match="needs\\(\\) missing 1 required positional argument: 'x'"):
        call(app)


def test_a_circular_dependency_is_refused():
    def first(value: Annotated[str, Depends(lambda: "")]) -> str:
        return value

    def second(value: Annotated[str, Depends(first)]) -> str:
        return value

    first.__annotations__["value"] = Annotated[str, Depends(second)]
    app = rest_app()

    @app.get("/")
    def index(value: Annotated[str, Depends(first)]):
        return {}

    with pytest.raises(DependencyResolutionError, match=r"Circular dependency: .*index -> .*first -> .*second -> .*first"):
        call(app)


def test_an_async_dependency_of_a_sync_route_is_awaited_by_resolve_and_resolve_async():
    # Powertools 3.37 passes the coroutine object itself (docs/migrating.md).
    async def fetch() -> str:
        return "x"

    app = rest_app()

    @app.get("/")
    def index(value: Annotated[str, Depends(fetch)]):
        return {"value": value}

    assert body(call(app)) == {"value": "x"}
    assert body(asyncio.run(app.resolve_async(rest_event("GET", "/"), None))) == {"value": "x"}


def test_resolve_async_awaits_an_async_dependency_of_a_sync_route_on_its_own_loop():
    # A dependency may use what belongs to the caller's loop (a client opened on it).
    loops: list[Any] = []

    async def fetch() -> str:
        loops.append(asyncio.get_running_loop())
        return "x"

    app = rest_app()

    @app.get("/")
    def index(value: Annotated[str, Depends(fetch)]):
        return {"value": value}

    async def main():
        return await app.resolve_async(rest_event("GET", "/"), None), asyncio.get_running_loop()

    answer, loop = asyncio.run(main())
    assert body(answer) == {"value": "x"}
    assert loops == [loop]


def test_routers_offer_the_request_and_their_routes_their_dependencies():
    router = Router()

    def tenant(request: Request) -> str:
        return request.path_parameters["tenant"]

    def tenant_name(value: Annotated[str, Depends(tenant)]) -> str:
        return value.upper()

    @router.get("/<tenant>/info")
    def info(tenant: str, name: Annotated[str, Depends(tenant_name)]):
        return {"name": name, "route": router.request.route}

    app = rest_app()
    app.include_router(router, prefix="/tenants")

    assert body(call(app, "GET", "/tenants/acme/info")) == {"name": "ACME", "route": "/tenants/{tenant}/info"}


def test_routes_without_injection_are_marked_so_once():
    app = rest_app()

    @app.get("/plain/<name>")
    def plain(name: str):
        return {"name": name}

    route = app.routes[0]
    assert route._injection is None
    call(app, "GET", "/plain/x")
    assert route._injection is False


# -- side by side with Powertools ---------------------------------------------


def test_kernel_and_powertools_answer_alike():
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver as PowertoolsResolver
    from aws_lambda_powertools.event_handler import Depends as PowertoolsDepends
    from aws_lambda_powertools.event_handler import Request as PowertoolsRequest

    def build(app: Any, depends: Any, request_class: Any) -> Any:
        calls: list[str] = []

        def get_db():
            calls.append("db")
            return "DB"

        def get_user(db: Annotated[str, depends(get_db)], request: request_class):  # type: ignore[valid-type]
            calls.append("user")
            return f"{request.headers.get('x-user', 'anon')}@{db}"

        @app.get("/orders/<order_id>")
        def orders(
            order_id: str,
            user: Annotated[str, depends(get_user)],
            db: Annotated[str, depends(get_db)],
            req: request_class,  # type: ignore[valid-type]
        ):
            return {"order": order_id, "user": user, "db": db, "route": req.route, "path": req.path_parameters, "calls": calls}

        return app

    ours = build(rest_app(), Depends, Request)
    theirs = build(PowertoolsResolver(), PowertoolsDepends, PowertoolsRequest)
    event = rest_event("GET", "/orders/42", headers={"x-user": "bob"})

    assert json.loads(ours(event, None)["body"]) == json.loads(theirs(event, None)["body"])
    assert json.loads(ours(event, None)["body"]) == {
        "order": "42",
        "user": "bob@DB",
        "db": "DB",
        "route": "/orders/{order_id}",
        "path": {"order_id": "42"},
        "calls": ["db", "user", "db", "user"],
    }
