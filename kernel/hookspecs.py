"""The five hooks a kernel plugin can implement.

A plugin is any object (usually a module) holding functions decorated with
:data:`kernel.hookimpl` whose names are the ones below. It may implement any
subset of them. Plugins are found through the ``kernel.plugins`` entry-point
group (see :mod:`kernel.plugins`) or passed to ``App(plugins=[...])``.

An app prepares its per-request path once, from the implementations it holds
(see :mod:`kernel.hooks`): a hook that no plugin implements costs nothing per
request, and every hook keeps pluggy's semantics (``firstresult``,
``tryfirst``/``trylast``, wrappers) exactly.

A plugin with a ``parse_event`` implementation is an *event source*. The
request it parses is seen by its own ``match_route``, ``before_handle`` and
``build_response`` implementations and by those of plugins that are not
sources, never by another source's: a source need not check whether a request
is its own. :class:`kernel.source.Source` declares a source in a few lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from kernel.app import BaseApp
    from kernel.request import BaseRequest
    from kernel.response import Response
    from kernel.routing import Route

PROJECT = "kernel"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec(firstresult=True)
def parse_event(app: BaseApp, event: dict[str, Any], context: Any, pinned: bool) -> BaseRequest | None:
    """Recognise a raw Lambda event and wrap it in a request object.

    Called once per invocation, first of all. Event-source plugins implement it.

    :param app: the app resolving the event.
    :param event: the raw event dict Lambda passed to the handler.
    :param context: the Lambda context object (may be ``None`` in tests).
    :param pinned: ``True`` when the app is pinned to this plugin's source
        (``ALBResolver``, ``App(source="edge")``): the event is meant for it,
        so accept it without sniffing its shape. ``False`` when the app takes
        any source: return ``None`` quickly for events of other shapes.
    :return: the request object users see as ``app.current_event``, or
        ``None`` when the event does not come from this plugin's source.

    An app pinned to one source calls only that plugin's implementation. An
    unpinned app calls every implementation and uses the first non-``None``
    result; the plugin that returned it is the request's source.

    A structurally malformed event of the plugin's own source is not an
    exception: return the request with :meth:`~kernel.request.BaseRequest.reject`
    called on it, and the kernel answers ``400 Bad Request`` in that source's
    response shape.

    Stops at the first non-``None`` result.
    """


@hookspec(firstresult=True)
def match_route(app: BaseApp, method: str, path: str, request: BaseRequest) -> tuple[Route, dict[str, str]] | None:
    """Find the route that serves a request.

    Called once per request, after the configured prefixes and the stage base
    path have been stripped from the request path.

    :param app: the app; ``app.route_table`` is its compiled table of routes.
    :param method: the upper-case HTTP method.
    :param path: the path to route, already stripped.
    :param request: the request object, for matchers that look beyond the path.
    :return: ``(route, path_arguments)`` or ``None`` when nothing matches.

    The kernel registers its own matcher (:mod:`kernel.matching`) as a plugin;
    a plugin can replace it with ``tryfirst=True``, or answer only what it
    leaves unmatched with ``trylast=True`` (as the CORS plugin does for
    preflight requests). When every implementation returns ``None`` the app's
    not-found route runs.

    Stops at the first non-``None`` result.
    """


@hookspec(firstresult=True)
def before_handle(app: BaseApp, request: BaseRequest, route: Route, arguments: dict[str, Any]) -> Response | None:
    """Prepare or short-circuit the call of a route.

    Called once per request after routing, inside the app's exception
    handlers and before the global middlewares, so an exception raised here is
    answered by the exception handlers like one raised by the route.

    :param app: the app.
    :param request: the request object.
    :param route: the matched route (or the app's not-found route).
    :param arguments: the keyword arguments the route function will receive,
        initially its path parameters. An implementation may change this dict
        in place, for example to pass validated and converted values.
    :return: ``None`` to go on, or a :class:`~kernel.response.Response` to
        answer at once: the middlewares and the route function are then
        skipped, but the response still goes through ``build_response``.

    A source's implementation runs only for the requests it parsed.

    Stops at the first non-``None`` result.
    """


@hookspec(firstresult=True)
def build_response(app: BaseApp, request: BaseRequest, route: Route | None, response: Response) -> dict[str, Any] | None:
    """Shape the outgoing response and turn it into the dict Lambda returns.

    Called once per request with the final :class:`~kernel.response.Response`:
    its JSON body has already been serialised with the app's serializer and the
    route's ``cache_control`` applied.

    :param app: the app.
    :param request: the request object (of the source that parsed the event).
    :param route: the route that produced the response, or ``None`` when the
        event was rejected before routing.
    :param response: the response, which implementations may change in place.
    :return: ``None`` after adjusting ``response`` (CORS headers, compression),
        or the finished response dict.

    Feature plugins change ``response`` and return ``None``. Event-source
    plugins implement this hook with ``trylast=True`` and return the dict their
    service expects; the kernel calls a source's implementation only for the
    requests its own ``parse_event`` made.

    An implementation (a wrapper, to see the finished dict) may raise
    :class:`~kernel.exceptions.ResponseSizeExceededError` when the dict is
    larger than the service accepts: the app's exception handler for it then
    answers, and that answer goes through this hook once more (raising it
    again then propagates out of ``resolve()``, as does raising it when the
    app has no handler for it).

    Stops at the first non-``None`` result.
    """


@hookspec
def emit_schema(app: BaseApp, schema: dict[str, Any]) -> None:
    """Contribute to the OpenAPI document of an app.

    Called once each time the document is generated, after the paths and
    components of the app's routes are in place.

    :param app: the app the document describes.
    :param schema: the document as a JSON-ready dict, to change in place
        (add security schemes, servers, extensions...).

    Every implementation runs; return values are ignored.
    """
