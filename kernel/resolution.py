"""The request path: what :meth:`BaseApp.resolve <kernel.app.BaseApp.resolve>` does with one event.

``parse_event`` (the source's request, and which plugin made it) -> strip
prefixes -> ``match_route`` (or the not-found route) -> [exception handlers
around: ``before_handle`` -> global middlewares -> route middlewares -> route
function] -> serialise -> ``build_response`` (the features', then the
source's, which makes the dict).

:func:`resolve_async` is the same path, awaiting what is async. The request's
state (``current_event``, ``lambda_context``, ``context``) lives in a
context variable of the app for the time of the request
(:mod:`kernel.request_state`). The hooks come prepared (:mod:`kernel.hooks`);
this module only sequences them.
"""

from __future__ import annotations

import re
import sys
import warnings
from _thread import get_ident
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kernel.content_types import APPLICATION_JSON
from kernel.exceptions import ResponseSizeExceededError, ServiceError, UnknownEventError
from kernel.handlers import answer, answer_async, handled, service_error_response
from kernel.hooks import source_plugins
from kernel.request import BaseRequest
from kernel.request_state import CONTEXT, EVENT, LAMBDA_CONTEXT
from kernel.response import NO_BODY_STATUSES, Response, encode_returned, error_response, to_response

if TYPE_CHECKING:
    from kernel.app import BaseApp
    from kernel.concurrency import Offload
    from kernel.hooks import Stage
    from kernel.routing import Route


def resolve(app: BaseApp, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Turn a Lambda event into the response dict its source expects.

    This is :meth:`BaseApp.resolve <kernel.app.BaseApp.resolve>` itself (the
    app's method is this function), so a request pays for no extra call. An
    async route, middleware or exception handler is run to completion
    (:func:`kernel.concurrency.run_to_completion`).
    """
    state = begin(app, event, context)
    request, _, request_context, stage, route, arguments = state
    idle = app._idle
    pending = idle[2]  # CONTEXT (a literal: a global lookup per request is measurable)
    if pending:
        take_pending(request_context, pending)
    slot = app._request_state.get()
    if slot[1] != get_ident():
        # This thread's first request in this context: a slot of its own,
        # starting with the request it inherited (a thread a route started).
        slot = [slot[0], get_ident()]
        app._request_state.set(slot)
    outer = slot[0]
    slot[0] = state
    try:
        if route is None:
            response = error_response(400, request.problem)
        elif route._direct and not app._router_middlewares and stage.before_handle is None and route.body_encoder is None:
            # The common case, inline: what run() does for a sync route with no middlewares.
            try:
                if route._injection is not False:
                    arguments = injected_arguments(app, route, arguments)
                result = route.func(**arguments)
                # to_response(), without the call for what most routes return: a dict.
                if type(result) is dict:
                    response = Response(route.status_code, APPLICATION_JSON, result)
                else:
                    response = to_response(result, route.status_code)
            except Exception as exc:
                response = answer(app, exc)
        else:
            response = run(app, stage, request, route, arguments)
        return finish(app, stage, request, route, response)
    finally:
        slot[0] = outer
        idle[0] = request  # EVENT
        idle[1] = context  # LAMBDA_CONTEXT


async def resolve_async(
    app: BaseApp, event: dict[str, Any], context: Any = None, *, offload: Offload | None = None
) -> dict[str, Any]:
    """:func:`resolve`, awaitable: async routes, middlewares and exception handlers run on the running event loop.

    This is :meth:`BaseApp.resolve_async <kernel.app.BaseApp.resolve_async>`.
    Sync ones mix freely: a request whose route and middlewares are all sync
    runs them right here, or in ``offload`` when given (``await
    offload(function, *args)``: the ASGI adapter hands sync routes to a
    worker thread pool this way); a sync middleware wrapping async ones runs
    in a thread of its own. The hooks (``before_handle``, ``build_response``)
    are sync and run on the loop.
    """
    state = begin(app, event, context)
    request, _, request_context, stage, route, arguments = state
    idle = app._idle
    pending = idle[CONTEXT]
    if pending:
        take_pending(request_context, pending)
    token = app._request_state.set([state, get_ident()])
    try:
        if route is None:
            response = error_response(400, request.problem)
        else:
            chain, chain_is_async = chain_of(app, route)
            if chain_is_async or (offload is None and app._async_handlers):
                response = await run_async(app, stage, request, route, arguments, chain if chain_is_async else None)
            elif offload is not None:
                return await offload(run_and_finish, app, stage, request, route, arguments)
            else:
                response = run(app, stage, request, route, arguments)
        return finish(app, stage, request, route, response)
    finally:
        app._request_state.reset(token)
        idle[EVENT] = request
        idle[LAMBDA_CONTEXT] = context


def begin(app: BaseApp, event: dict[str, Any], context: Any) -> list[Any]:
    """Parse and route an event: the request's state, ``[request, context, context dict, stage, route, arguments]``.

    The first three items are those of :mod:`kernel.request_state` (the list
    becomes the request's state as it is; one list per request, not two);
    then come the hooks the request goes through, its route (the not-found
    route when none matches, None for an event the source found malformed:
    ``request.problem``) and its path arguments. The route, path and
    arguments are noted in the context dict, as ``_route``, ``_path`` and
    ``_route_args``.
    """
    if type(event) is not dict and isinstance(event, BaseRequest):
        warnings.warn("Pass the raw event to resolve(), not a request object", stacklevel=3)
        event = event.raw_event
    if app._debug:
        # Debug mode prints each event, serialised, as Powertools does.
        print(app._serializer(event))
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
    if request.problem is not None:
        return [request, context, {}, stage, None, {}]
    method = request.http_method.upper()
    # The path to route: configured prefixes and (for some resolvers) a trailing slash removed.
    path = request.path
    if app._strip_prefixes:
        path = remove_prefix(app._strip_prefixes, path)
    if app.strip_trailing_slashes and path[-1:] == "/":
        path = path.rstrip("/") or "/"
    match_route = stage.match_route
    found = app.route_table.match(method, path) if match_route is None else match_route(app, method, path, request)
    if found is None:
        route, arguments = app._not_found_route, {}
    else:
        route, arguments = found
    return [request, context, {"_route": route, "_path": path, "_route_args": arguments}, stage, route, arguments]


def take_pending(request_context: dict[str, Any], pending: dict[str, Any]) -> None:
    """Move what was appended to the context before the request into the request's context."""
    for key, value in pending.items():
        request_context.setdefault(key, value)
    pending.clear()


def chain_of(app: BaseApp, route: Route) -> tuple[Callable[[Any], Any], bool]:
    """The route's middleware chain (built again when the app's middlewares changed) and whether it is async."""
    if route._chain_version != app._middleware_version:
        from kernel.chains import build_chain  # imported by apps with middlewares or async routes only

        route._chain, route._chain_is_async = build_chain(route, app._router_middlewares)
        route._chain_version = app._middleware_version
    return route._chain, route._chain_is_async  # type: ignore[return-value]


def run(app: BaseApp, stage: Stage, request: BaseRequest, route: Route, arguments: dict[str, Any]) -> Response[Any]:
    """``before_handle``, then the route in its middlewares, inside the exception handlers."""
    try:
        if stage.before_handle is not None:
            early = stage.before_handle(app, request, route, arguments)
            if early is not None:
                return early
        if route._direct and not app._router_middlewares:
            if route._injection is not False:
                arguments = injected_arguments(app, route, arguments)
            response = to_response(route.func(**arguments), route.status_code)
            # Inside the handlers, so an encoder's error is answered too.
            if route.body_encoder is not None:
                encode_returned(route, response)
        else:
            chain, chain_is_async = chain_of(app, route)
            response = _run_to_completion(chain(app)) if chain_is_async else chain(app)
        return response
    except Exception as exc:
        return answer(app, exc)


def injected_arguments(app: BaseApp, route: Route, arguments: dict[str, Any]) -> dict[str, Any]:
    """The route's arguments with what it asks injected; coroutine dependencies are run to completion.

    Called while ``route._injection`` is not ``False``: on the route's first
    request, and on every request of a route that asks for something.
    """
    if route._injection is None and "kernel.injection" not in sys.modules:
        # Request and Depends are defined in kernel.injection: while nothing has imported
        # it, no parameter can be annotated with either, and the route is called as it is.
        route._injection = False
        return arguments
    from kernel.injection import awaits_dependencies, call_plan, inject_async, route_arguments

    plan = route._injection or call_plan(route.func)
    if plan.injects and awaits_dependencies(plan):
        route._injection = plan
        return _run_to_completion(inject_async(app, plan, arguments))
    return route_arguments(app, route, arguments)


def _run_to_completion(awaitable: Any) -> Any:
    # kernel.concurrency (and threading) is imported by apps that have async code only.
    from kernel.concurrency import run_to_completion

    return run_to_completion(awaitable)


def run_and_finish(app: BaseApp, stage: Stage, request: BaseRequest, route: Route, arguments: dict[str, Any]) -> dict[str, Any]:
    """:func:`run` then :func:`finish`: the sync rest of a request, as one call to hand to a worker thread."""
    return finish(app, stage, request, route, run(app, stage, request, route, arguments))


async def run_async(
    app: BaseApp,
    stage: Stage,
    request: BaseRequest,
    route: Route,
    arguments: dict[str, Any],
    chain: Callable[[Any], Any] | None,
) -> Response[Any]:
    """:func:`run` with the chain awaited (``None``: a sync chain, run here) and async exception handlers awaited."""
    try:
        if stage.before_handle is not None:
            early = stage.before_handle(app, request, route, arguments)
            if early is not None:
                return early
        if chain is None:
            chain, _ = chain_of(app, route)
            response = chain(app)
        else:
            response = await chain(app)
        return response
    except Exception as exc:
        return await answer_async(app, exc)


def finish(
    app: BaseApp, stage: Stage, request: BaseRequest, route: Route | None, response: Response[Any], first: bool = True
) -> dict[str, Any]:
    """Serialise the body, apply the route's cache control, and have the plugins build the dict.

    A plugin that finds the dict too large for its service raises
    ResponseSizeExceededError: the app's handler for it answers instead, built
    the same way (``first=False``: too large again, the error propagates).
    """
    body = response.body
    if body is None:
        body = response.body = request.no_body
    if response.status_code in NO_BODY_STATUSES:
        # HTTP forbids content in these answers (`return None, 204` would send "null").
        response.body = "" if isinstance(body, (str, bytes)) else request.no_body
    elif type(body) is dict or not isinstance(body, (str, bytes)):
        # response.is_json(), without the call for the usual Content-Type, one string.
        content_type = response.headers.get("Content-Type")
        if content_type.startswith(APPLICATION_JSON) if type(content_type) is str else response.is_json():
            response.body = app._serializer(body)
    if route is not None and route.cache_control:
        response.headers["Cache-Control"] = route.cache_control if response.status_code == 200 else "no-cache"
    if response.compress and app._compress_plugin is not None:
        stage = app._stage_for_compression(request, stage)
    render = stage.render
    try:
        result = stage.build_response(app, request, route, response) if render is None else render(app, request, response)
    except ServiceError as exc:
        # A plugin read a malformed part of the event (its headers) only now:
        # answer that, as the source would, without the route's features.
        error = service_error_response(exc)
        error.body = app._serializer(error.body)
        result = stage.build_response(app, request, None, error)
    except ResponseSizeExceededError as exc:
        smaller = handled(app, exc) if first else None
        if smaller is None:
            raise
        return finish(app, stage, request, route, smaller, False)
    if result is None:
        raise RuntimeError(f"No plugin built a response for {type(request).__name__}")
    return result


def remove_prefix(prefixes: Any, path: str) -> str:
    """``path`` without the first matching prefix (a string, or a compiled regex substituted away).

    Anything else in ``prefixes`` (None, a number) is skipped, as Powertools does.
    """
    for prefix in prefixes:
        if isinstance(prefix, str):
            if path == prefix:
                return "/"
            if prefix and path.startswith(prefix + "/"):
                return path[len(prefix) :]
        elif isinstance(prefix, re.Pattern):
            path = prefix.sub("", path)
            if not path:
                return "/"
    return path
