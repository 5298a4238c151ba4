"""The five hooks a kernel plugin can implement.

A plugin is any object (usually a module) holding functions decorated with
:data:`kernel.hookimpl` whose names are the ones below. It may implement any
subset of them. Plugins are found through the ``kernel.plugins`` entry-point
group (see :mod:`kernel.plugins`) or passed to ``App(plugins=[...])``.

An app prepares its per-request path once, from the implementations it holds:
a hook that no plugin implements costs nothing per request, and hook wrappers
(``wrapper=True``) are honoured by falling back to pluggy's own caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from kernel.app import ApiGatewayResolver
    from kernel.request import BaseRequest
    from kernel.response import Response
    from kernel.routing import Route

PROJECT = "kernel"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec(firstresult=True)
def parse_event(app: ApiGatewayResolver, event: dict[str, Any], context: Any) -> BaseRequest | None:
    """Recognise a raw Lambda event and wrap it in a request object.

    Called once per invocation, first of all. Event-source plugins implement it.

    :param app: the app resolving the event.
    :param event: the raw event dict Lambda passed to the handler.
    :param context: the Lambda context object (may be ``None`` in tests).
    :return: the request object users see as ``app.current_event``, or
        ``None`` when the event does not come from this plugin's source.

    An app pinned to one source (``APIGatewayRestResolver``, ``App(source="rest")``)
    calls only that plugin's implementation, which should then accept the event
    without sniffing its shape. An unpinned app calls every implementation and
    uses the first non-``None`` result, so an implementation must return
    ``None`` quickly for events of other shapes.

    A structurally malformed event of the plugin's own source is not an
    exception: return the request with :meth:`~kernel.request.BaseRequest.reject`
    called on it, and the kernel answers ``400 Bad Request`` in that source's
    response shape.

    Stops at the first non-``None`` result.
    """


@hookspec(firstresult=True)
def match_route(app: ApiGatewayResolver, method: str, path: str, request: BaseRequest) -> tuple[Route, dict[str, str]] | None:
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


@hookspec
def before_handle(app: ApiGatewayResolver, request: BaseRequest, route: Route, arguments: dict[str, Any]) -> Response | None:
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

    Every implementation runs, in plugin order, until one returns a response.
    """


@hookspec(firstresult=True)
def build_response(
    app: ApiGatewayResolver, request: BaseRequest, route: Route | None, response: Response
) -> dict[str, Any] | None:
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
    service expects, but only for requests their own ``parse_event`` made.

    Stops at the first non-``None`` result.
    """


@hookspec
def emit_schema(app: ApiGatewayResolver, schema: dict[str, Any]) -> None:
    """Contribute to the OpenAPI document of an app.

    Called once each time the document is generated, after the paths and
    components of the app's routes are in place.

    :param app: the app the document describes.
    :param schema: the document as a JSON-ready dict, to change in place
        (add security schemes, servers, extensions...).

    Every implementation runs; return values are ignored.
    """
