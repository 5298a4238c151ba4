"""Exception handling: finding the handler registered for an exception and answering with it.

Handlers are registered with :meth:`~kernel.routers.BaseRouter.exception_handler`;
the most specific registration for an exception's class (its MRO) wins. An
exception no handler answers becomes its own answer when it is a
:class:`~kernel.exceptions.ServiceError` (``raise NotFoundError()``), a
traceback in debug mode, and otherwise propagates out of ``resolve()`` as on
Lambda.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kernel import content_types
from kernel.exceptions import ServiceError
from kernel.injection import DependencyResolutionError
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
    """The response to an exception raised while handling a request; re-raises what nothing answers."""
    raised = exc
    if (
        type(exc) is DependencyResolutionError
        and isinstance(exc.__cause__, Exception)
        and DependencyResolutionError not in app._exception_handlers
    ):
        # What a dependency raised is answered as if the route had raised it.
        exc = exc.__cause__
    handler = lookup(app, type(exc))
    if handler is not None:
        try:
            return to_response(handler(exc))
        except ServiceError as error:
            exc = error
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
