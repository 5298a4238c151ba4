"""Middlewares: functions wrapped around a route, outermost first.

A middleware is called as ``middleware(app, next_middleware)`` and returns a
:class:`~kernel.response.Response`. It may change the request context before
calling ``next_middleware(app)``, change the response after, or answer without
calling it at all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from kernel.injection import inject, middleware_plan, route_arguments

if TYPE_CHECKING:
    from kernel.app import BaseApp
    from kernel.injection import CallPlan
    from kernel.response import Response
    from kernel.routing import Route

AppT = TypeVar("AppT", bound="BaseApp")


class NextMiddleware(Protocol):
    """The rest of the chain: call it with the app to get the response."""

    def __call__(self, app: Any) -> Response[Any]: ...

    @property
    def __name__(self) -> str: ...


class BaseMiddlewareHandler(Generic[AppT], ABC):
    """Base class for middlewares that keep settings; implement :meth:`handler`."""

    @abstractmethod
    def handler(self, app: AppT, next_middleware: NextMiddleware) -> Response[Any]:
        """Process the request; call ``next_middleware(app)`` to go on."""

    def __call__(self, app: AppT, next_middleware: NextMiddleware) -> Response[Any]:
        return self.handler(app, next_middleware)


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
    if body is not None and not isinstance(body, (str, bytes)) and response.is_json():
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


def build_chain(route: Route, app_middlewares: list[Callable[..., Any]]) -> Callable[[Any], Response[Any]]:
    """Wrap a route's function in the app's and the route's middlewares."""
    chain: Callable[..., Any] = MiddlewareFrame(_route_adapter, route.func)
    for middleware in reversed([*app_middlewares, *route.middlewares]):
        plan = middleware_plan(middleware)
        chain = MiddlewareFrame(middleware, chain) if plan is None else InjectingMiddlewareFrame(middleware, chain, plan)
    return chain
