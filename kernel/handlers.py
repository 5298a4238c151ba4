"""Exception handling: finding the handler registered for an exception and answering with it.

Handlers are registered with :meth:`~kernel.routers.BaseRouter.exception_handler`;
the most specific registration for an exception's class (its MRO) wins. An
exception no handler answers becomes its own answer when it is a
:class:`~kernel.exceptions.ServiceError` (``raise NotFoundError()``), a
traceback in debug mode, and otherwise propagates out of ``resolve()`` as on
Lambda.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from kernel import content_types
from kernel.exceptions import DependencyResolutionError, ServiceError
from kernel.response import Response, to_response

if TYPE_CHECKING:
    from kernel.app import BaseApp
    from kernel.routers import ExceptionHandler


def lookup(app: BaseApp, exc_type: type[BaseException]) -> ExceptionHandler | None:
    """The handler ``app`` has for ``exc_type``, or None (cached per class)."""
    cache = app._handler_cache
    try:
        return cache[exc_type]
    except KeyError:
        pass
    handler = None
    registered = app._exception_handlers
    for cls in exc_type.__mro__:
        if cls in registered:
            handler = registered[cls]
            break
    cache[exc_type] = handler
    return handler


def service_error_response(exc: ServiceError) -> Response[Any]:
    """The JSON answer of an HTTP error raised by a route (``{"statusCode": ..., "message": ...}``)."""
    return Response(status_code=exc.status_code, content_type=content_types.APPLICATION_JSON, body=exc.to_body())


def answer(app: BaseApp, exc: Exception) -> Response[Any]:
    """The response to an exception raised while handling a request; re-raises what nothing answers.

    An async handler is run to completion.
    """
    raised = exc
    exc = _as_raised(app, exc)
    handler = lookup(app, type(exc))
    if handler is not None:
        try:
            return to_response(_completed(handler(exc)))
        except ServiceError as error:
            exc = error
    return unhandled(app, exc, raised)


async def answer_async(app: BaseApp, exc: Exception) -> Response[Any]:
    """:func:`answer`, awaiting an async handler."""
    raised = exc
    exc = _as_raised(app, exc)
    handler = lookup(app, type(exc))
    if handler is not None:
        try:
            result = handler(exc)
            if inspect.isawaitable(result):
                result = await result
            return to_response(result)
        except ServiceError as error:
            exc = error
    return unhandled(app, exc, raised)


def handled(app: BaseApp, exc: Exception) -> Response[Any] | None:
    """The answer of the app's exception handler for ``exc``, or None when it has none.

    For an exception raised while the response is built, after the route's
    own handling: no traceback answer in debug mode, and nothing raised here.
    A handler that raises a :class:`~kernel.exceptions.ServiceError` answers
    with that error; an async handler is run to completion.
    """
    handler = lookup(app, type(exc))
    if handler is None:
        return None
    try:
        return to_response(_completed(handler(exc)))
    except ServiceError as error:
        return service_error_response(error)


def _completed(result: Any) -> Any:
    """A sync handler's result as it is; an async handler's awaited to completion."""
    if inspect.isawaitable(result):
        # Imported by apps with async handlers only: threading stays off other cold starts.
        from kernel.concurrency import run_to_completion

        return run_to_completion(result)
    return result


def _as_raised(app: BaseApp, exc: Exception) -> Exception:
    """What a dependency raised, answered as if the route had raised it (unless DependencyResolutionError is handled)."""
    if (
        type(exc) is DependencyResolutionError
        and isinstance(exc.__cause__, Exception)
        and DependencyResolutionError not in app._exception_handlers
    ):
        return exc.__cause__
    return exc


def unhandled(app: BaseApp, exc: Exception, raised: Exception) -> Response[Any]:
    """The answer to ``exc`` when no handler answered it: its own for a ServiceError; else ``raised`` (what the
    route raised) as a traceback in debug mode, or raised again."""
    if isinstance(exc, ServiceError):
        return service_error_response(exc)
    if app.debug:
        import traceback

        return Response(
            status_code=500,
            content_type=content_types.PLAIN_TEXT,
            body="".join(traceback.format_exception(raised)),
        )
    raise raised
