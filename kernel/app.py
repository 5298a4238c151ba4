"""The app: routes declared on it, the plugins it is made of, and ``resolve()``.

:class:`BaseApp` is the kernel's app, with no knowledge of any event source or
feature: its plugins supply those. It keeps the settings plugins read
(``debug``, ``serializer``, the not-found route...), the compiled route table,
and reads the per-request state (``current_event``, ``lambda_context``,
``context``: per request, see :mod:`kernel.request_state`). Resolving an
event is :func:`kernel.resolution.resolve` (or ``resolve_async``) over the
hooks :mod:`kernel.hooks` prepared; plugins are chosen by
:func:`kernel.plugins.create_manager`.

The classes users build (``App``, ``APIGatewayRestResolver``...) are BaseApp
subclasses with the reference API's constructors, in :mod:`kernel.compat`.
"""

from __future__ import annotations

import inspect
import os
import re
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kernel import handlers, resolution
from kernel.exceptions import NotFoundError, PluginNotFoundError
from kernel.hooks import prepare
from kernel.middleware import is_async
from kernel.request_state import StateOwner
from kernel.response import Response, error_response, to_response
from kernel.routers import BaseRouter, ExceptionHandler, Middleware, Router
from kernel.routing import Route, RouteTable
from kernel.serialization import default_serializer

if TYPE_CHECKING:
    import pluggy

    from kernel.hooks import Pipeline, Stage
    from kernel.request import BaseRequest

DEBUG_ENV = "POWERTOOLS_DEV"
# The values Powertools reads as true (strtobool), so a shared environment means the same thing.
_TRUTHY = {"1", "y", "yes", "t", "true", "on"}


def env_debug() -> bool:
    """Whether the ``POWERTOOLS_DEV`` environment variable turns debug mode on; warns when it does, as Powertools does."""
    if os.environ.get(DEBUG_ENV, "").strip().lower() not in _TRUTHY:
        return False
    warnings.warn(
        f"{DEBUG_ENV} is set: debug mode is on (events printed, tracebacks in 500 answers); unset it in production",
        UserWarning,
        stacklevel=3,
    )
    return True


class BaseApp(StateOwner, BaseRouter):
    """An app: routes, middlewares and exception handlers, resolved through plugins.

    :param source: the plugin name of the event source the app is pinned to,
        or ``None`` to take any installed source's events.
    :param plugins: the plugins to use, by name or as objects; ``None`` uses
        every installed plugin except those in ``opt_in`` (only those
        ``KERNEL_PLUGINS`` names, when it is set: see
        :func:`kernel.plugins.create_manager`).
    :param needs: plugin names the app's settings switch on, added to
        ``plugins``; as a mapping, each with the setting that asks for it
        (``{"name": "enable_name=True"}``), for messages.
    :param opt_in: installed plugins left out of a default (``plugins=None``)
        app unless named in ``needs``; as a mapping, each with how an app asks for it.
    :param requires: plugins the app's settings only work with, each keyed by
        the setting, as written in messages (``{"name=Config(...)": "name"}``):
        unlike ``needs``, they are not added to ``plugins``, and building the
        app raises :class:`~kernel.exceptions.PluginNotFoundError` when one is
        not among its plugins.
    :param route_plugins: the plugin a route option only works with, by
        option name (``{"name": "plugin"}``): declaring a route (or including
        a router's route) whose option is truthy raises
        :class:`~kernel.exceptions.PluginNotFoundError` when the app lacks it.
    :param compress_plugin: the plugin that compresses a
        ``Response(compress=True)``. When the app left it out to load it on
        demand, the first such response loads it; an app without it at all
        sends that response uncompressed.
    :param debug: answer unhandled exceptions with their traceback; by default
        read from the ``POWERTOOLS_DEV`` environment variable.
    :param serializer: turns JSON bodies into text; by default compact
        ``json.dumps`` that also handles dataclasses, enums, dates and decimals.
    :param strip_prefixes: strings or compiled regexes removed from the start
        of the path before routing (custom domain base paths).
    :param route_defaults: route settings for the routes (and the not-found
        route) that leave them at ``None``, such as an app-wide CORS policy.
    :param method_not_allowed: answer a path some route serves, asked with a
        method none serves, ``405`` with an ``Allow`` header, rather than the
        not-found answer (``404``, as Powertools does).
    :param json_body_deserializer: parses JSON request bodies (``json_body``,
        and the bodies validation reads); ``json.loads`` by default.
    """

    #: Routes ignore trailing slashes in the request path.
    strip_trailing_slashes = False

    def __init__(
        self,
        *,
        source: str | None = None,
        plugins: Sequence[str | object] | None = None,
        needs: Collection[str] | Mapping[str, str] = (),
        opt_in: Collection[str] | Mapping[str, str] = (),
        requires: Mapping[str, str] | None = None,
        route_plugins: Mapping[str, str] | None = None,
        compress_plugin: str | None = None,
        debug: bool | None = None,
        serializer: Callable[[Any], str] | None = None,
        strip_prefixes: list[str | re.Pattern[str]] | None = None,
        route_defaults: dict[str, Any] | None = None,
        method_not_allowed: bool = False,
        json_body_deserializer: Callable[[str], Any] | None = None,
    ) -> None:
        from kernel import plugins as plugin_loading

        self.source: str | None = source
        self._debug = env_debug() if debug is None else debug
        self._serializer = serializer or default_serializer
        self._custom_serializer = serializer is not None
        self._json_body_deserializer = json_body_deserializer
        self._strip_prefixes = strip_prefixes
        self._route_defaults = dict(route_defaults or {})
        self.method_not_allowed = method_not_allowed
        self._router_middlewares: list[Middleware] = []
        self._exception_handlers: dict[type[BaseException], ExceptionHandler] = {}
        self._handler_cache: dict[type[BaseException], ExceptionHandler | None] = {}
        self._middleware_version = 0
        self._init_state()
        #: Replacements of ``Depends()`` functions, by the function they replace (for tests).
        self.dependency_overrides: dict[Callable[..., Any], Callable[..., Any]] = {}
        self.routes: list[Route] = []
        self.route_table = RouteTable()
        self._route_keys: set[tuple[str, str]] = set()
        self._pipeline: Pipeline | None = None
        self._not_found_route = self._catch_all_route(self._not_found)
        #: Whether an exception handler is async (resolve_async then answers exceptions on the event loop).
        self._async_handlers = False
        self._route_plugins = dict(route_plugins or {})
        # Until the first Response(compress=True): then loaded if left out on demand, and set to None.
        self._compress_plugin = compress_plugin
        wanted = dict(needs) if isinstance(needs, Mapping) else dict.fromkeys(needs, "a setting of the app")
        if source is not None:
            wanted[source] = "the app's source"
        self.plugin_manager: pluggy.PluginManager = plugin_loading.create_manager(
            plugins, also=wanted, opt_in=opt_in, source=source
        )
        if source is not None and not self.plugin_manager.has_plugin(source):
            raise PluginNotFoundError(source)
        for setting, plugin in (requires or {}).items():
            plugin_loading.require(self.plugin_manager, plugin, f"{setting} on the app")

    # -- settings plugins read -------------------------------------------------

    @property
    def debug(self) -> bool:
        """Whether debug mode is on."""
        return self._debug

    @property
    def serializer(self) -> Callable[[Any], str]:
        """The JSON serializer of response bodies."""
        return self._serializer

    @property
    def json_body_deserializer(self) -> Callable[[str], Any] | None:
        """The app's own parser of JSON request bodies, or None for ``json.loads``."""
        return self._json_body_deserializer

    @property
    def has_custom_serializer(self) -> bool:
        """Whether the app was given its own serializer."""
        return self._custom_serializer

    # -- what plugins add to the app ------------------------------------------------

    def plugin_method(self, name: str) -> Callable[..., Any]:
        """The app method ``name`` an installed plugin declares, bound to this app.

        Plugins declare app methods in the ``kernel.app_methods`` entry-point
        group (``get_report = "kernel_reports:get_report"``);
        the function receives the app first. Raises
        :class:`~kernel.exceptions.PluginNotFoundError` when no installed
        plugin declares it.
        """
        from kernel import plugins as plugin_loading

        function = plugin_loading.declared("kernel.app_methods", name)
        # The plugin declaring it joins an app that loads it on demand.
        if plugin_loading.join(self.plugin_manager, "kernel.app_methods", name):
            self._pipeline = None
        return lambda *args, **kwargs: function(self, *args, **kwargs)

    # -- plugins ------------------------------------------------------------

    def register_plugin(self, plugin: object, name: str | None = None) -> None:
        """Add a plugin object to this app only."""
        self.plugin_manager.register(plugin, name=name)
        self._pipeline = None

    def unregister_plugin(self, plugin: object) -> None:
        """Remove a plugin object from this app."""
        self.plugin_manager.unregister(plugin)
        self._pipeline = None

    # -- declaring ----------------------------------------------------------

    def _add_route(self, rule: str, method: str, func: Callable[..., Any], settings: dict[str, Any]) -> None:
        self._add(self._route(rule, method, func, settings))

    def _route(self, rule: str, method: str, func: Callable[..., Any], settings: dict[str, Any]) -> Route:
        settings = dict(settings)
        for name, default in self._route_defaults.items():
            if settings.get(name) is None:
                settings[name] = default
        rule = self._normalise_rule(rule)
        # Checked when the route is declared (or its router included), so an
        # option whose plugin the app lacks fails at import, not silently per request.
        for option, plugin in self._route_plugins.items():
            value = settings.get(option)
            if value:
                from kernel import plugins as plugin_loading

                if plugin_loading.require(self.plugin_manager, plugin, f"{option}={value!r} on route {method} {rule}"):
                    self._pipeline = None
        return Route(method, rule, func, **settings)

    def _stage_for_compression(self, request: BaseRequest, stage: Stage) -> Stage:
        """The hooks the current request goes on through, once a ``Response(compress=True)`` asked for compression.

        Called for the first such response only (the setting is then spent):
        when the app left the compression plugin out to load it on demand, it
        is loaded and this request, like the next ones, goes through it.
        """
        plugin, self._compress_plugin = self._compress_plugin, None
        from kernel import plugins as plugin_loading

        try:
            added = plugin is not None and plugin_loading.require(self.plugin_manager, plugin, "Response(compress=True)")
        except PluginNotFoundError:
            added = False  # not the app's (plugins=[...] leaves it out): sent uncompressed, as always
        if not added:
            return stage
        self._pipeline = None
        pipeline = self._prepare()
        return pipeline.pinned_stage or pipeline.stage(pipeline.owner(request))

    def _normalise_rule(self, rule: str) -> str:
        # Resolvers that ignore trailing slashes drop them from rules when they are
        # registered, as the reference does: "/a/" and "/a" are then one route
        # (a duplicate warns) and the route's path and OpenAPI path read "/a".
        return (rule.rstrip("/") or "/") if self.strip_trailing_slashes else rule

    def _add(self, route: Route) -> None:
        key = (route.method, route.path)
        if key in self._route_keys:
            warnings.warn(
                f"A route like this was already registered. method: {route.method!r} rule: {route.path!r}",
                stacklevel=4,
            )
        self._route_keys.add(key)
        rule = route.path
        if self.strip_trailing_slashes:
            rule = rule.rstrip("/") or "/"
        if self.route_table.add(route, rule):
            self.routes.append(route)

    def use(self, middlewares: list[Middleware]) -> None:
        super().use(middlewares)
        self._middleware_version += 1

    def _handlers_changed(self) -> None:
        self._handler_cache.clear()
        self._async_handlers = any(map(is_async, self._exception_handlers.values()))
        # An async not-found handler makes the not-found route async, so both
        # resolve() and resolve_async() await it.
        wanted = self._not_found_async if is_async(handlers.lookup(self, NotFoundError)) else self._not_found
        if self._not_found_route.func != wanted:
            self._not_found_route = self._catch_all_route(wanted)

    def _catch_all_route(self, func: Callable[..., Any]) -> Route:
        """The route of requests no route matches, answering with ``func`` (any method, any path)."""
        route = Route("ANY", "/<not_found>", func, **self._route_defaults)
        route.catch_all = True
        return route

    def include_router(self, router: Router, prefix: str | None = None) -> None:
        """Add a router's routes (under ``prefix``), middlewares, handlers and context."""
        # Every route first, so a route whose option needs a missing plugin
        # raises before the app takes anything from the router.
        routes = []
        for rule, method, func, settings in router._routes:
            if prefix:
                rule = prefix if rule == "/" else f"{prefix}{rule}"
            routes.append(self._route(rule, method, func, settings))
        router._included_in(self)
        if router._router_middlewares:
            self.use(router._router_middlewares)
        self._exception_handlers.update(router._exception_handlers)
        self._handlers_changed()
        for route in routes:
            route.router = router
            self._add(route)

    # -- resolving ----------------------------------------------------------

    def __call__(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        return self.resolve(event, context)

    #: Turn a Lambda event into the response dict its source expects (see :func:`kernel.resolution.resolve`).
    resolve = resolution.resolve

    #: The same, awaitable: ``await app.resolve_async(event, context)`` (see :func:`kernel.resolution.resolve_async`).
    resolve_async = resolution.resolve_async

    def _prepare(self) -> Pipeline:
        """Prepare the per-request hooks from the plugins the app holds now."""
        self._pipeline = prepare(self)
        return self._pipeline

    def _to_response(self, result: Any, status: int = 200) -> Response[Any]:
        """Turn what a route returned (dict, ``(body, status)``, Response) into a Response."""
        return to_response(result, status)

    def _not_found(self) -> Any:
        if self.method_not_allowed:
            # Only now, on a miss: a request a route serves never pays for it.
            allowed = self.route_table.allowed_methods(self.context["_path"])
            if allowed:
                response = error_response(405, "Method not allowed")
                response.headers["Allow"] = ", ".join(allowed)
                return response
        handler = handlers.lookup(self, NotFoundError)
        if handler is not None:
            return handler(NotFoundError())
        return error_response(404, "Not found")

    async def _not_found_async(self) -> Any:
        # The not-found route's function while the NotFoundError handler is async: the same
        # answers as _not_found (405 included), the handler's coroutine awaited.
        answer = self._not_found()
        return await answer if inspect.isawaitable(answer) else answer

    def _lookup_exception_handler(self, exc_type: type[BaseException]) -> ExceptionHandler | None:
        return handlers.lookup(self, exc_type)
