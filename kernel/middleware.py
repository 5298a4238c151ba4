"""Middlewares: functions wrapped around a route, outermost first.

A middleware is called as ``middleware(app, next_middleware)`` and returns a
:class:`~kernel.response.Response`. It may change the request context before
calling ``next_middleware(app)``, change the response after, or answer without
calling it at all.

An ``async def`` middleware awaits ``next_middleware(app)``. When a route or
any middleware around it is async, :func:`build_chain` builds an async chain:
async links are awaited on the event loop; a run of sync middlewares runs in
a thread of its own, where calling ``next_middleware(app)`` waits for the
event loop to run the async rest of the chain.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from kernel.injection import call_plan, inject, inject_async, middleware_plan, route_arguments

if TYPE_CHECKING:
    from kernel.app import BaseApp
    from kernel.injection import CallPlan
    from kernel.response import Response
    from kernel.routing import Route

AppT = TypeVar("AppT", bound="BaseApp")


class NextMiddleware(Protocol):
    """The rest of the chain: call it with the app to get the response (to await, in an async middleware)."""

    def __call__(self, app: Any) -> Response[Any]: ...

    @property
    def __name__(self) -> str: ...


class BaseMiddlewareHandler(Generic[AppT], ABC):
    """Base class for middlewares that keep settings; implement :meth:`handler`.

    ``handler`` may be an ``async def`` method: it then awaits ``next_middleware(app)``.
    """

    @abstractmethod
    def handler(self, app: AppT, next_middleware: NextMiddleware) -> Response[Any]:
        """Process the request; call ``next_middleware(app)`` to go on."""

    def __call__(self, app: AppT, next_middleware: NextMiddleware) -> Response[Any]:
        return self.handler(app, next_middleware)


def is_async(function: Any) -> bool:
    """Whether calling ``function`` returns an awaitable to wait for.

    True for an ``async def`` function, a :class:`BaseMiddlewareHandler`
    whose ``handler`` is one, and an object whose ``__call__`` is one.
    """
    if inspect.iscoroutinefunction(function):
        return True
    if isinstance(function, BaseMiddlewareHandler):
        return inspect.iscoroutinefunction(function.handler)
    if not inspect.isroutine(function) and not inspect.isclass(function):
        return inspect.iscoroutinefunction(type(function).__call__ if callable(function) else None)
    return False


class MiddlewareFrame:
    """One link of a chain: calls ``current_middleware`` with the next link."""

    def __init__(self, current_middleware: Callable[..., Any], next_middleware: Callable[..., Any]) -> None:
        self.current_middleware = current_middleware
        self.next_middleware = next_middleware

    @property
    def __name__(self) -> str:
        return getattr(self.current_middleware, "__name__", type(self.current_middleware).__name__)

    def __str__(self) -> str:
        following = getattr(self.next_middleware, "__name__", "?")
        return f"[{self.__name__}] next call chain is {self.__name__} -> {following}"

    def __call__(self, app: BaseApp) -> Any:
        return self.current_middleware(app, self.next_middleware)


class InjectingMiddlewareFrame(MiddlewareFrame):
    """A link whose function middleware also takes a ``Request`` or dependencies (see :mod:`kernel.injection`)."""

    def __init__(self, current_middleware: Callable[..., Any], next_middleware: Callable[..., Any], plan: CallPlan) -> None:
        super().__init__(current_middleware, next_middleware)
        self._plan = plan

    def __call__(self, app: BaseApp) -> Any:
        return self.current_middleware(app, self.next_middleware, **inject(app, self._plan, {}))


def encode_returned(route: Route, response: Response[Any]) -> None:
    """Have the route's body encoder (validation's) make what the route returned JSON-ready.

    Only what the route function returned is encoded, not what a middleware
    answers on its own (a 401) nor exception answers: checking a response
    against the route's return annotation is a separate phase from checking
    the request.
    """
    body = response.body
    # A str is encoded too: a validating encoder checks it against the route's return annotation.
    if body is not None and not isinstance(body, bytes) and response.is_json():
        response.body = route.body_encoder(body)  # type: ignore[misc]


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


def awaits_dependencies(plan: CallPlan) -> bool:
    """Whether solving ``plan``'s dependencies awaits a coroutine function (then the route's chain is async)."""
    return any(dependency.plan.is_async or awaits_dependencies(dependency.plan) for dependency in plan.dependencies)
