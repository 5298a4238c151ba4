"""Async routes, middlewares and exception handlers, through resolve() and resolve_async()."""

from __future__ import annotations

import asyncio
import functools
import json
import threading
from typing import Any

import pytest

from kernel import BaseMiddlewareHandler, NotFoundError, Response
from tests.events import rest_event
from tests.kernel.helpers import NOT_FOUND, call, json_response, rest_app


def both(app: Any, method: str = "GET", path: str = "/", **event: Any) -> list[dict[str, Any]]:
    """The answers of resolve() and of resolve_async() to the same event."""
    sync = call(app, method, path, **event)
    awaited = asyncio.run(app.resolve_async(rest_event(method, path, **event), None))
    return [sync, awaited]


def test_an_async_route_is_awaited_by_resolve_and_resolve_async():
    app = rest_app()

    @app.get("/users/<user_id>")
    async def user(user_id: str):
        await asyncio.sleep(0)
        return {"id": user_id}

    assert both(app, "GET", "/users/7") == [json_response(200, {"id": "7"})] * 2


def test_sync_routes_answer_through_resolve_async_as_through_resolve():
    app = rest_app()

    @app.get("/plain")
    def plain():
        return {"sync": True}, 201

    assert both(app, "GET", "/plain") == [json_response(201, {"sync": True})] * 2
    assert asyncio.run(app.resolve_async(rest_event("GET", "/missing"), None)) == NOT_FOUND


def tag(name: str):
    """A sync middleware that records its name in a header (outermost first)."""

    def middleware(app, next_middleware):
        response = next_middleware(app)
        response.headers["X-Trail"] = f"{name},{response.headers.get('X-Trail', '')}".rstrip(",")
        return response

    middleware.__name__ = name
    return middleware


def async_tag(name: str):
    async def middleware(app, next_middleware):
        response = await next_middleware(app)
        response.headers["X-Trail"] = f"{name},{response.headers.get('X-Trail', '')}".rstrip(",")
        return response

    middleware.__name__ = name
    return middleware


class AsyncTag(BaseMiddlewareHandler):
    def __init__(self, name: str) -> None:
        self.name = name

    async def handler(self, app, next_middleware):
        response = await next_middleware(app)
        response.headers["X-Trail"] = f"{self.name},{response.headers.get('X-Trail', '')}".rstrip(",")
        return response


@pytest.mark.parametrize("route_is_async", [False, True])
def test_sync_and_async_middlewares_mix_in_declaration_order(route_is_async):
    app = rest_app()
    app.use([tag("global-sync"), async_tag("global-async")])

    async def async_route():
        return {"ok": True}

    def sync_route():
        return {"ok": True}

    app.get("/mixed", middlewares=[AsyncTag("class-async"), tag("route-sync"), async_tag("route-async")])(
        async_route if route_is_async else sync_route
    )
    trail = "global-sync,global-async,class-async,route-sync,route-async"
    assert both(app, "GET", "/mixed") == [json_response(200, {"ok": True}, {"X-Trail": [trail]})] * 2


def test_an_async_middleware_may_answer_without_calling_next():
    app = rest_app()

    async def deny(app, next_middleware):
        return Response(403, "text/plain", "denied")

    @app.get("/secret", middlewares=[deny])
    def secret():
        raise AssertionError("never called")

    expected = {
        "statusCode": 403,
        "body": "denied",
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["text/plain"]},
    }
    assert both(app, "GET", "/secret") == [expected] * 2


class Refused(Exception):
    pass


def test_a_sync_middleware_raising_before_next_around_an_async_route_is_answered_not_deadlocked():
    app = rest_app()

    def refuse(app, next_middleware):
        raise Refused("no")

    @app.exception_handler(Refused)
    def refused(exc):
        return Response(401, "text/plain", "refused")

    @app.get("/guarded", middlewares=[refuse, async_tag("inner")])
    async def guarded():
        raise AssertionError("never called")

    answers = both(app, "GET", "/guarded")
    assert [answer["statusCode"] for answer in answers] == [401, 401]
    assert [answer["body"] for answer in answers] == ["refused", "refused"]


def test_an_unhandled_exception_of_a_sync_middleware_in_an_async_chain_propagates():
    app = rest_app()

    def boom(app, next_middleware):
        raise RuntimeError("before next")

    @app.get("/boom", middlewares=[boom])
    async def route():
        return {}

    with pytest.raises(RuntimeError, match="before next"):
        call(app, "GET", "/boom")
    with pytest.raises(RuntimeError, match="before next"):
        asyncio.run(app.resolve_async(rest_event("GET", "/boom"), None))


def test_async_exception_handlers_answer_sync_and_async_routes():
    app = rest_app()

    @app.exception_handler(Refused)
    async def refused(exc):
        await asyncio.sleep(0)
        return Response(418, "text/plain", f"async handler: {exc}")

    @app.get("/sync")
    def sync_route():
        raise Refused("sync")

    @app.get("/async")
    async def async_route():
        raise Refused("async")

    for path in ("/sync", "/async"):
        answers = both(app, "GET", path)
        assert [(answer["statusCode"], answer["body"]) for answer in answers] == [(418, f"async handler: {path[1:]}")] * 2


def test_resolve_async_awaits_an_async_exception_handler_of_a_sync_route_on_its_own_loop():
    # A handler may use what belongs to the caller's loop (a client opened on it).
    app = rest_app()
    loops: list[Any] = []

    @app.exception_handler(Refused)
    async def refused(exc):
        loops.append(asyncio.get_running_loop())
        return Response(409, "text/plain", "refused")

    @app.get("/sync")
    def sync_route():
        raise Refused("sync")

    async def main():
        answer = await app.resolve_async(rest_event("GET", "/sync"), None)
        return answer, asyncio.get_running_loop()

    answer, loop = asyncio.run(main())
    assert (answer["statusCode"], answer["body"]) == (409, "refused")
    assert loops == [loop]


class Stamp(BaseMiddlewareHandler):
    """A sync class middleware: its instances have no ``__name__``, their class names them."""

    def __init__(self, names: list[tuple[str, str]]) -> None:
        self.names = names

    def handler(self, app, next_middleware):
        self.names.append(("Stamp", next_middleware.__name__))
        return next_middleware(app)


def test_next_middleware_names_the_next_link_of_an_async_chain():
    # What a logging middleware prints: the next middleware's name, then the route's.
    names: list[tuple[str, str]] = []

    def named(name: str, is_async: bool):
        async def async_middleware(app, next_middleware):
            names.append((name, next_middleware.__name__))
            return await next_middleware(app)

        def sync_middleware(app, next_middleware):
            names.append((name, next_middleware.__name__))
            return next_middleware(app)

        middleware = async_middleware if is_async else sync_middleware
        middleware.__name__ = name
        return middleware

    app = rest_app()
    chain = [named("async_a", True), named("sync_b", False), named("async_c", True), Stamp(names)]
    chain += [named("sync_d", False), named("async_e", True)]

    @app.get("/chain", middlewares=chain)
    async def handler():
        return {}

    expected = [
        ("async_a", "sync_b"),
        ("sync_b", "async_c"),
        ("async_c", "Stamp"),
        ("Stamp", "sync_d"),
        ("sync_d", "async_e"),
        ("async_e", "handler"),
    ]
    assert call(app, "GET", "/chain")["statusCode"] == 200
    assert names == expected
    names.clear()
    assert asyncio.run(app.resolve_async(rest_event("GET", "/chain"), None))["statusCode"] == 200
    assert names == expected


def test_a_route_without_a_name_behind_an_async_middleware_is_named_by_its_type():
    names: list[str] = []

    async def log_next(app, next_middleware):
        names.append(next_middleware.__name__)
        return await next_middleware(app)

    async def greet(greeting: str, name: str):
        return {"message": f"{greeting}, {name}"}

    app = rest_app()
    app.get("/greet/<name>", middlewares=[log_next])(functools.partial(greet, "hello"))
    assert both(app, "GET", "/greet/ada") == [json_response(200, {"message": "hello, ada"})] * 2
    assert names == ["partial", "partial"]


def test_an_async_not_found_handler_answers_unknown_paths():
    app = rest_app()

    @app.not_found
    async def missing(exc: NotFoundError):
        return Response(404, "text/plain", f"nothing here ({type(exc).__name__})")

    answers = both(app, "GET", "/nowhere")
    assert [(answer["statusCode"], answer["body"]) for answer in answers] == [(404, "nothing here (NotFoundError)")] * 2


def test_an_async_not_found_handler_leaves_405_answers_to_method_not_allowed():
    app = rest_app(method_not_allowed=True)

    @app.get("/items")
    def items():
        return []

    @app.not_found
    async def missing(exc: NotFoundError):
        return Response(404, "text/plain", "nothing here")

    for answer in both(app, "POST", "/items"):
        assert (answer["statusCode"], answer["multiValueHeaders"]["Allow"]) == (405, ["GET"])
        assert json.loads(answer["body"]) == {"statusCode": 405, "message": "Method not allowed"}
    assert [answer["statusCode"] for answer in both(app, "GET", "/nowhere")] == [404, 404]


def test_a_middleware_reads_the_path_of_a_request_an_async_not_found_handler_answers():
    app = rest_app(strip_prefixes=["/api"])
    routes: list[str] = []

    def note(app, next_middleware):
        routes.append(app.request.route)
        return next_middleware(app)

    app.use([note])

    @app.not_found
    async def missing(exc: NotFoundError):
        return Response(404, "text/plain", "nothing here")

    assert [answer["statusCode"] for answer in both(app, "GET", "/api/missing/x/")] == [404, 404]
    assert routes == ["/missing/x/", "/missing/x/"]


def test_sync_resolve_runs_an_async_route_even_inside_a_running_event_loop():
    app = rest_app()

    @app.get("/loop")
    async def loop_route():
        await asyncio.sleep(0)
        return {"path": app.current_event.path}

    async def caller():
        # resolve() called from a coroutine: its loop cannot be re-entered.
        return app.resolve(rest_event("GET", "/loop"), None)

    assert asyncio.run(caller()) == json_response(200, {"path": "/loop"})


def test_resolve_async_keeps_the_request_state_across_awaits_and_threads():
    app = rest_app()
    seen: list[Any] = []

    def identify(app, next_middleware):
        app.append_context(user="alice")
        return next_middleware(app)

    @app.get("/state", middlewares=[identify])
    async def state():
        await asyncio.sleep(0)
        in_thread = await asyncio.to_thread(lambda: (app.current_event.path, app.context["user"]))
        seen.append((app.current_event.path, app.lambda_context, app.context["user"], in_thread))
        return {}

    asyncio.run(app.resolve_async(rest_event("GET", "/state"), "ctx"))
    assert seen == [("/state", "ctx", "alice", ("/state", "alice"))]
    assert app.context == {}
    assert app.current_event.path == "/state"


def test_a_sync_middleware_around_an_async_route_runs_off_the_event_loop():
    app = rest_app()
    threads: dict[str, int] = {}

    def sync_middleware(app, next_middleware):
        threads["middleware"] = threading.get_ident()
        return next_middleware(app)

    @app.get("/where", middlewares=[sync_middleware])
    async def where():
        threads["route"] = threading.get_ident()
        return {}

    async def main():
        threads["loop"] = threading.get_ident()
        return await app.resolve_async(rest_event("GET", "/where"), None)

    assert asyncio.run(main())["statusCode"] == 200
    assert threads["route"] == threads["loop"] != threads["middleware"]


def test_a_malformed_event_is_answered_400_by_resolve_async_too():
    app = rest_app()
    event = rest_event("GET", "/x")
    event["headers"] = ["not", "a", "mapping"]
    answers = [app.resolve(event, None), asyncio.run(app.resolve_async(event, None))]
    assert answers[0] == answers[1]
    assert answers[0]["statusCode"] == 400
    assert json.loads(answers[0]["body"])["message"].startswith("Malformed event: ")
