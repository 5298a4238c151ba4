"""The chain of links a request goes through: the app's and the route's middlewares, then the route.

A route without middlewares is called directly (:func:`kernel.resolution.run`);
this module is imported by the first request of an app that has some.

When the route or any middleware around it is async, :func:`build_chain`
builds an async chain: async links are awaited on the event loop; a run of
sync middlewares runs in a thread of its own, where calling
``next_middleware(app)`` waits for the event loop to run the async rest of
the chain.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from kernel.injection import awaits_dependencies, call_plan, inject, inject_async, middleware_plan, route_arguments
from kernel.middleware import MiddlewareFrame, is_async
from kernel.response import encode_returned

if TYPE_CHECKING:
    from kernel.app import BaseApp
    from kernel.injection import CallPlan
    from kernel.response import Response
    from kernel.routing import Route


class InjectingMiddlewareFrame(MiddlewareFrame):
    """A link whose function middleware also takes a ``Request`` or dependencies (see :mod:`kernel.injection`)."""

    def __init__(self, current_middleware: Callable[..., Any], next_middleware: Callable[..., Any], plan: CallPlan) -> None:
        super().__init__(current_middleware, next_middleware)
        self._plan = plan

    def __call__(self, app: BaseApp) -> Any:
        return self.current_middleware(app, self.next_middleware, **inject(app, self._plan, {}))


def _route_adapter(app: BaseApp, next_middleware: Callable[..., Any]) -> Response[Any]:
    """The innermost link: call the route function with its arguments and make a Response."""
    context = app.context
    arguments = context["_route_args"]
    route = context["_route"]
    if route._injection is not False:
        arguments = route_arguments(app, route, arguments)
    response = app._to_response(next_middleware(**arguments), route.status_code)
    if route.body_encoder is not None:
        encode_returned(route, response)
    return response


def build_chain(route: Route, app_middlewares: Sequence[Callable[..., Any]]) -> tuple[Callable[[Any], Any], bool]:
    """Wrap a route's function in the app's and the route's middlewares.

    Returns the chain and whether it is async: then calling it returns a
    coroutine. A chain is async when the route or any of its middlewares is.
    """
    middlewares = [*app_middlewares, *route.middlewares]
    flags = [is_async(middleware) for middleware in middlewares]
    if not is_async(route.func) and not awaits_dependencies(call_plan(route.func)) and not any(flags):
        chain: Callable[..., Any] = MiddlewareFrame(_route_adapter, route.func)
        for middleware in reversed(middlewares):
            chain = sync_frame(middleware, chain)
        return chain, False
    chain = AsyncRouteCall(route.func)
    end = len(middlewares)
    while end:
        if flags[end - 1]:
            chain = AsyncMiddlewareFrame(middlewares[end - 1], chain, middleware_plan(middlewares[end - 1]))
            end -= 1
            continue
        start = end - 1
        while start and not flags[start - 1]:
            start -= 1
        chain = SyncMiddlewaresFrame(middlewares[start:end], chain)
        end = start
    return chain, True


class AsyncRouteCall:
    """The innermost link of an async chain: call the route (awaiting an async one) and make a Response."""

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func
        self.__name__ = getattr(func, "__name__", type(func).__name__)

    async def __call__(self, app: BaseApp) -> Response[Any]:
        context = app.context
        arguments = context["_route_args"]
        route = context["_route"]
        if route._injection is not False:
            plan = call_plan(route.func)
            if plan.injects:
                arguments = await inject_async(app, plan, arguments)
        result = self.func(**arguments)
        if inspect.isawaitable(result):
            result = await result
        response = app._to_response(result, route.status_code)
        if route.body_encoder is not None:
            encode_returned(route, response)
        return response


class AsyncMiddlewareFrame(MiddlewareFrame):
    """A link of an async chain whose middleware is async: awaited on the event loop (with what it asks injected)."""

    def __init__(
        self, current_middleware: Callable[..., Any], next_middleware: Callable[..., Any], plan: CallPlan | None
    ) -> None:
        super().__init__(current_middleware, next_middleware)
        self._plan = plan

    async def __call__(self, app: BaseApp) -> Any:
        if self._plan is None:
            return await self.current_middleware(app, self.next_middleware)
        return await self.current_middleware(app, self.next_middleware, **await inject_async(app, self._plan, {}))


class SyncMiddlewaresFrame:
    """Consecutive sync middlewares of an async chain, run in a thread of their own.

    The thread runs them as a sync chain whose innermost link hands the rest
    of the chain to the event loop and waits for its response, so a sync
    middleware sees a plain ``next_middleware(app)`` call. One that raises
    before calling it just ends the thread with its exception.
    """

    def __init__(self, middlewares: Sequence[Callable[..., Any]], next_middleware: Callable[[Any], Any]) -> None:
        self.middlewares = list(middlewares)
        self.next_middleware = next_middleware
        self.__name__ = getattr(self.middlewares[0], "__name__", type(self.middlewares[0]).__name__)

    async def __call__(self, app: BaseApp) -> Any:
        import asyncio

        loop = asyncio.get_running_loop()
        following = self.next_middleware

        def rest_of_chain(app: Any) -> Any:
            return asyncio.run_coroutine_threadsafe(following(app), loop).result()

        rest_of_chain.__name__ = getattr(following, "__name__", "next")
        chain: Callable[..., Any] = rest_of_chain
        for middleware in reversed(self.middlewares):
            chain = sync_frame(middleware, chain)
        from kernel.concurrency import in_new_thread

        return await in_new_thread(chain, app)


def sync_frame(middleware: Callable[..., Any], next_middleware: Callable[..., Any]) -> MiddlewareFrame:
    """The link of a sync middleware: injecting what it asks for, if anything."""
    plan = middleware_plan(middleware)
    return (
        MiddlewareFrame(middleware, next_middleware)
        if plan is None
        else InjectingMiddlewareFrame(middleware, next_middleware, plan)
    )
