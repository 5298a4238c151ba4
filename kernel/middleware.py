"""Middlewares: functions wrapped around a route, outermost first.

A middleware is called as ``middleware(app, next_middleware)`` and returns a
:class:`~kernel.response.Response`. It may change the request context before
calling ``next_middleware(app)``, change the response after, or answer without
calling it at all.

An ``async def`` middleware awaits ``next_middleware(app)``. The chain of
links around a route is built by :mod:`kernel.chains`, imported by the first
request of an app that has middlewares.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from kernel.app import BaseApp
    from kernel.response import Response

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
