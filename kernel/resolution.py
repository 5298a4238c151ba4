"""The request path: what :meth:`BaseApp.resolve <kernel.app.BaseApp.resolve>` does with one event.

``parse_event`` (the source's request, and which plugin made it) -> strip
prefixes -> ``match_route`` (or the not-found route) -> [exception handlers
around: ``before_handle`` -> global middlewares -> route middlewares -> route
function] -> serialise -> ``build_response`` (the features', then the
source's, which makes the dict).

The hooks come prepared (:mod:`kernel.hooks`); this module only sequences them.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from kernel.exceptions import ServiceError, UnknownEventError
from kernel.handlers import answer, service_error_response
from kernel.hooks import source_plugins
from kernel.injection import route_arguments
from kernel.middleware import build_chain, encode_returned
from kernel.request import BaseRequest
from kernel.response import Response, error_response, to_response

if TYPE_CHECKING:
    from kernel.app import BaseApp
    from kernel.hooks import Stage
    from kernel.routing import Route


def resolve(app: BaseApp, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Turn a Lambda event into the response dict its source expects.

    This is :meth:`BaseApp.resolve <kernel.app.BaseApp.resolve>` itself (the
    app's method is this function), so a request pays for no extra call.
    """
    if type(event) is not dict and isinstance(event, BaseRequest):
        warnings.warn("Pass the raw event to resolve(), not a request object", stacklevel=2)
        event = event.raw_event
    pipeline = app._pipeline or app._prepare()
    parse_pinned = pipeline.parse_pinned
    if parse_pinned is not None:
        request = parse_pinned(app, event, context, True)
        stage = pipeline.pinned_stage
    else:
        request, source = pipeline.parse(app, event, context)
        stage = pipeline.stages.get(source) or pipeline.stage(source) if request is not None else None
    if request is None or stage is None:
        manager = app.plugin_manager
        sources = source_plugins(manager)
        names = ", ".join(name for name, plugin in manager.list_name_plugin() if plugin in sources) or "none"
        raise UnknownEventError(f"No event source plugin of this app recognises the event (its sources: {names})")
    if app._json_body_deserializer is not None:
        request._json_deserializer = app._json_body_deserializer
    app.current_event = request
    app.lambda_context = context
    try:
        if request.problem is not None:
            route = None
            response = error_response(400, request.problem)
        else:
            route, response = handle(app, stage, request)
        return finish(app, stage, request, route, response)
    finally:
        app.context.clear()


def handle(app: BaseApp, stage: Stage, request: BaseRequest) -> tuple[Route, Response[Any]]:
    """Route the request and run it through the handlers, middlewares and route function."""
    method = request.http_method.upper()
    # The path to route: configured prefixes and (for some resolvers) a trailing slash removed.
    path = request.path
    if app._strip_prefixes:
        path = remove_prefix(app._strip_prefixes, path)
    if app.strip_trailing_slashes and path[-1:] == "/":
        path = path.rstrip("/") or "/"
    found = stage.match_route(app, method, path, request)
    if found is None:
        route, arguments = app._not_found_route, {}
    else:
        route, arguments = found
        if route.router is not None:
            route.router.api_resolver = app
    context = app.context
    context["_route"] = route
    context["_path"] = path
    context["_route_args"] = arguments
    try:
        if stage.before_handle is not None:
            early = stage.before_handle(app, request, route, arguments)
            if early is not None:
                return route, early
        if not app._router_middlewares and not route.middlewares:
            if route._injection is not False:
                arguments = route_arguments(app, route, arguments)
            response = to_response(route.func(**arguments), route.status_code)
            # Inside the handlers, so an encoder's error is answered too.
            if route.body_encoder is not None:
                encode_returned(route, response)
        else:
            if route._chain_version != app._middleware_version:
                route._chain = build_chain(route, app._router_middlewares)
                route._chain_version = app._middleware_version
            response = route._chain(app)  # type: ignore[misc]
        return route, response
    except Exception as exc:
        return route, answer(app, exc)


def finish(app: BaseApp, stage: Stage, request: BaseRequest, route: Route | None, response: Response[Any]) -> dict[str, Any]:
    """Serialise the body, apply the route's cache control, and have the plugins build the dict."""
    body = response.body
    if not isinstance(body, (str, bytes)) and response.is_json():
        response.body = app._serializer(body)
    if route is not None and route.cache_control:
        response.headers["Cache-Control"] = route.cache_control if response.status_code == 200 else "no-cache"
    try:
        result = stage.build_response(app, request, route, response)
    except ServiceError as exc:
        # A plugin read a malformed part of the event (its headers) only now:
        # answer that, as the source would, without the route's features.
        error = service_error_response(exc)
        error.body = app._serializer(error.body)
        result = stage.build_response(app, request, None, error)
    if result is None:
        raise RuntimeError(f"No plugin built a response for {type(request).__name__}")
    return result


def remove_prefix(prefixes: Any, path: str) -> str:
    """``path`` without the first matching prefix (a string, or a compiled regex substituted away)."""
    for prefix in prefixes:
        if isinstance(prefix, str):
            if path == prefix:
                return "/"
            if prefix and path.startswith(prefix + "/"):
                return path[len(prefix) :]
        else:
            path = prefix.sub("", path)
            if not path:
                return "/"
    return path
