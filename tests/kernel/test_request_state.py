"""Per-request state: concurrent requests of one app never see each other's event, context or handler state."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from kernel import Response, Router
from tests.events import rest_event
from tests.kernel.helpers import call, json_response, rest_app

REQUESTS = 40


class Tagged(Exception):
    pass


def racing_app(pause: Any) -> Any:
    """An app whose route, middleware and exception handler read the request state around a pause.

    ``pause()`` (sync) or ``await pause()`` (async) lets other requests run
    between writing the state and reading it back.
    """
    app = rest_app()
    router = Router()
    is_async = asyncio.iscoroutinefunction(pause)

    def identify(app, next_middleware):
        app.append_context(who=app.current_event.path)
        return next_middleware(app)

    @app.exception_handler(Tagged)
    def tagged(exc):
        # The handler reads the state of the request whose route raised.
        return Response(
            200,
            "application/json",
            {
                "raised": str(exc),
                "path": app.current_event.path,
                "who": app.context["who"],
                "router_path": router.current_event.path,
                "router_who": router.context["who"],
                "lambda": app.lambda_context,
            },
        )

    if is_async:

        @router.get("/item/<n>")
        async def item(n):
            await pause()
            raise Tagged(n)

    else:

        @router.get("/item/<n>")
        def item(n):
            pause()
            raise Tagged(n)

    app.use([identify])
    app.include_router(router)
    return app


def expected(n: int) -> dict[str, Any]:
    path = f"/item/{n}"
    return json_response(
        200, {"raised": str(n), "path": path, "who": path, "router_path": path, "router_who": path, "lambda": f"ctx-{n}"}
    )


def test_concurrent_threads_each_see_their_own_request():
    barrier = threading.Barrier(8, timeout=10)

    def pause():
        # Every thread is inside a request at once before any reads its state.
        barrier.wait()

    app = racing_app(pause)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda n: call(app, "GET", f"/item/{n}", context=f"ctx-{n}"), range(REQUESTS)))
    assert answers == [expected(n) for n in range(REQUESTS)]
    assert app.context == {}


def test_concurrent_resolve_async_tasks_each_see_their_own_request():
    async def pause():
        await asyncio.sleep(0.01)

    app = racing_app(pause)

    async def main():
        return await asyncio.gather(*(app.resolve_async(rest_event("GET", f"/item/{n}"), f"ctx-{n}") for n in range(REQUESTS)))

    assert asyncio.run(main()) == [expected(n) for n in range(REQUESTS)]
    assert app.context == {}


def test_sync_middlewares_of_concurrent_async_requests_see_their_own_request():
    """Sync middlewares around async routes run in threads: they still see their own request."""
    app = rest_app()

    def sync_identify(app, next_middleware):
        app.append_context(who=app.current_event.path)
        response = next_middleware(app)
        response.headers["X-Who"] = app.context["who"]
        return response

    @app.get("/item/<n>", middlewares=[sync_identify])
    async def item(n):
        await asyncio.sleep(0.01)
        return {"n": n, "who": app.context["who"]}

    async def main():
        return await asyncio.gather(*(app.resolve_async(rest_event("GET", f"/item/{n}"), None) for n in range(REQUESTS)))

    answers = asyncio.run(main())
    assert answers == [json_response(200, {"n": str(n), "who": f"/item/{n}"}, {"X-Who": [f"/item/{n}"]}) for n in range(REQUESTS)]


def test_nested_resolve_of_the_same_app_gives_the_outer_request_its_state_back():
    app = rest_app()
    seen: list[str] = []

    @app.get("/inner")
    def inner():
        return {"inner": app.current_event.path}

    @app.get("/outer")
    def outer():
        app.append_context(mine="outer")
        assert call(app, "GET", "/inner") == json_response(200, {"inner": "/inner"})
        seen.append(f"{app.current_event.path} {app.context.get('mine')}")
        return {}

    call(app, "GET", "/outer")
    assert seen == ["/outer outer"]


def test_a_thread_started_by_a_route_sees_the_request_that_started_it():
    app = rest_app()
    seen: list[str] = []

    @app.get("/spawn")
    def spawn():
        import contextvars

        context = contextvars.copy_context()
        worker = threading.Thread(target=context.run, args=(lambda: seen.append(app.current_event.path),))
        worker.start()
        worker.join()
        return {}

    call(app, "GET", "/spawn")
    assert seen == ["/spawn"]
