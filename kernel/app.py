"""Apps and routers: where routes, middlewares and exception handlers are declared.

:class:`ApiGatewayResolver` (also exported as ``App``) is the app. Its
:meth:`~ApiGatewayResolver.resolve` runs one event through the plugins' hooks:

``parse_event`` -> strip prefixes -> ``match_route`` (or the not-found route)
-> [exception handlers around: ``before_handle`` -> global middlewares ->
route middlewares -> route function] -> serialise -> ``build_response``.

:class:`Router` collects routes in another module for
:meth:`~ApiGatewayResolver.include_router`.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from kernel import content_types
from kernel.exceptions import NotFoundError, ServiceError, UnknownEventError
from kernel.hooks import prepare
from kernel.middleware import build_chain
from kernel.request import BaseRequest
from kernel.response import Response
from kernel.routing import DEFAULT_RESPONSE_DESCRIPTION, Route, RouteTable
from kernel.serialization import default_serializer
from kernel.sources import ProxyEventType, source_for

if TYPE_CHECKING:
    import pluggy
    from typing_extensions import Unpack

    from kernel.hooks import Pipeline

DEBUG_ENV = "POWERTOOLS_DEV"
# The values Powertools reads as true (strtobool), so a shared environment means the same thing.
_TRUTHY = {"1", "y", "yes", "t", "true", "on"}

Middleware = Callable[..., Any]
ExceptionHandler = Callable[[Any], Any]


class RouteOptions(TypedDict, total=False):
    """The keywords of :meth:`BaseRouter.route` that ``get``, ``post``... take too."""

    cors: bool | None
    compress: bool
    cache_control: str | None
    summary: str | None
    description: str | None
    responses: dict[int, Any] | None
    response_description: str
    tags: list[str] | None
    operation_id: str | None
    include_in_schema: bool
    security: list[dict[str, list[str]]] | None
    middlewares: list[Middleware] | None


def _env_debug() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() in _TRUTHY


class BaseRouter:
    """Route declaration shared by apps and routers."""

    context: dict[str, Any]
    _router_middlewares: list[Middleware]
    _exception_handlers: dict[type[BaseException], ExceptionHandler]

    def route(
        self,
        rule: str,
        method: str | list[str] | tuple[str, ...],
        cors: bool | None = None,
        compress: bool = False,
        cache_control: str | None = None,
        summary: str | None = None,
        description: str | None = None,
        responses: dict[int, Any] | None = None,
        response_description: str = DEFAULT_RESPONSE_DESCRIPTION,
        tags: list[str] | None = None,
        operation_id: str | None = None,
        include_in_schema: bool = True,
        security: list[dict[str, list[str]]] | None = None,
        middlewares: list[Middleware] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register the decorated function for ``rule`` and one or more methods.

        ``<name>`` in the rule captures one path segment and passes it to the
        function as the keyword argument ``name``. The other keywords configure
        CORS, compression, ``Cache-Control`` (on 200 responses), per-route
        middlewares and the route's OpenAPI operation.
        """
        settings = {
            "cors": cors,
            "compress": compress,
            "cache_control": cache_control,
            "summary": summary,
            "description": description,
            "responses": responses,
            "response_description": response_description,
            "tags": tags,
            "operation_id": operation_id,
            "include_in_schema": include_in_schema,
            "security": security,
            "middlewares": middlewares,
        }

        def register(func: Callable[..., Any]) -> Callable[..., Any]:
            methods = (method,) if isinstance(method, str) else tuple(method)
            for item in methods:
                self._add_route(rule, item.upper(), func, settings)
            return func

        return register

    def _add_route(self, rule: str, method: str, func: Callable[..., Any], settings: dict[str, Any]) -> None:
        raise NotImplementedError

    def get(self, rule: str, **kwargs: Unpack[RouteOptions]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a GET route; takes the keywords of :meth:`route`."""
        return self.route(rule, "GET", **kwargs)

    def post(self, rule: str, **kwargs: Unpack[RouteOptions]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a POST route; takes the keywords of :meth:`route`."""
        return self.route(rule, "POST", **kwargs)

    def put(self, rule: str, **kwargs: Unpack[RouteOptions]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a PUT route; takes the keywords of :meth:`route`."""
        return self.route(rule, "PUT", **kwargs)

    def delete(self, rule: str, **kwargs: Unpack[RouteOptions]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a DELETE route; takes the keywords of :meth:`route`."""
        return self.route(rule, "DELETE", **kwargs)

    def patch(self, rule: str, **kwargs: Unpack[RouteOptions]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a PATCH route; takes the keywords of :meth:`route`."""
        return self.route(rule, "PATCH", **kwargs)

    def head(self, rule: str, **kwargs: Unpack[RouteOptions]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a HEAD route; takes the keywords of :meth:`route`."""
        return self.route(rule, "HEAD", **kwargs)

    def use(self, middlewares: list[Middleware]) -> None:
        """Add middlewares that run around every route, in the order given."""
        self._router_middlewares = self._router_middlewares + list(middlewares)

    def exception_handler(
        self, exc_class: type[BaseException] | list[type[BaseException]]
    ) -> Callable[[ExceptionHandler], ExceptionHandler]:
        """Register the decorated function to answer an exception class (or several).

        A handler registered for a base class also answers its subclasses; the
        most specific registration wins. The handler receives the exception and
        returns what a route returns.
        """

        def register(func: ExceptionHandler) -> ExceptionHandler:
            for cls in exc_class if isinstance(exc_class, list) else [exc_class]:
                self._exception_handlers[cls] = func
            self._handlers_changed()
            return func

        return register

    def _handlers_changed(self) -> None:
        pass

    def not_found(self, func: ExceptionHandler | None = None) -> Any:
        """Register the function that answers requests no route matches."""
        if func is None:
            return self.exception_handler(NotFoundError)
        return self.exception_handler(NotFoundError)(func)

    def append_context(self, **additional_context: Any) -> None:
        """Add key/value pairs to the request context, cleared after each event."""
        self.context.update(**additional_context)

    def clear_context(self) -> None:
        """Empty the request context."""
        self.context.clear()


class Router(BaseRouter):
    """Routes declared in another module, added to an app with ``include_router``."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, str, Callable[..., Any], dict[str, Any]]] = []
        self._router_middlewares = []
        self._exception_handlers = {}
        self.context = {}
        self.api_resolver: ApiGatewayResolver | None = None

    def _add_route(self, rule: str, method: str, func: Callable[..., Any], settings: dict[str, Any]) -> None:
        self._routes.append((rule, method, func, settings))

    def _app(self) -> ApiGatewayResolver:
        if self.api_resolver is None:
            raise RuntimeError("This router is not part of an app yet: call app.include_router(router) first")
        return self.api_resolver

    @property
    def current_event(self) -> Any:
        """The request being resolved by the app this router is part of."""
        return self._app().current_event

    @property
    def lambda_context(self) -> Any:
        """The Lambda context of the event being resolved."""
        return self._app().lambda_context


class ApiGatewayResolver(BaseRouter):
    """An app: routes, middlewares and exception handlers, resolved through plugins.

    :param proxy_type: the event source, as a :class:`~kernel.ProxyEventType`
        or a plugin name (``"rest"``, ``"alb"``...); API Gateway REST by
        default. ``None`` picks the source from each event's shape among the
        installed ones, as :class:`App` does.
    :param cors: a ``CORSConfig`` (from the ``cors`` plugin) applied to every
        route unless the route says ``cors=False``.
    :param debug: answer unhandled exceptions with their traceback; by default
        read from the ``POWERTOOLS_DEV`` environment variable.
    :param serializer: turns JSON bodies into text; by default compact
        ``json.dumps`` that also handles dataclasses, enums, dates and decimals.
    :param strip_prefixes: strings or compiled regexes removed from the start
        of the path before routing (custom domain base paths).
    :param enable_validation: validate requests and serialise responses from
        the routes' type hints (needs the ``validation`` plugin).
    :param plugins: the plugins to use, by name or as objects; ``None`` uses
        every installed plugin.
    """

    #: Routes ignore trailing slashes in the request path.
    strip_trailing_slashes = False

    def __init__(
        self,
        proxy_type: ProxyEventType | str | None = ProxyEventType.APIGatewayProxyEvent,
        cors: Any = None,
        debug: bool | None = None,
        serializer: Callable[[Any], str] | None = None,
        strip_prefixes: list[str | re.Pattern[str]] | None = None,
        enable_validation: bool = False,
        *,
        plugins: Sequence[str | object] | None = None,
        source: str | None = None,
    ) -> None:
        from kernel import plugins as plugin_loading

        self.source: str | None = source or (None if proxy_type is None else source_for(proxy_type))
        self._proxy_type = proxy_type
        self._cors = cors
        self._cors_enabled = cors is not None
        self._debug = _env_debug() if debug is None else debug
        self._serializer = serializer or default_serializer
        self._custom_serializer = serializer is not None
        self._strip_prefixes = strip_prefixes
        self._enable_validation = enable_validation
        self._router_middlewares: list[Middleware] = []
        self._exception_handlers: dict[type[BaseException], ExceptionHandler] = {}
        self._handler_cache: dict[type[BaseException], ExceptionHandler | None] = {}
        self._middleware_version = 0
        self.context: dict[str, Any] = {}
        self.current_event: Any = None
        self.lambda_context: Any = None
        self.routes: list[Route] = []
        self.route_table = RouteTable()
        self._route_keys: set[tuple[str, str]] = set()
        self._pipeline: Pipeline | None = None
        self._not_found_route = Route("ANY", "/<not_found>", self._not_found, cors=self._cors_enabled)

        if plugins is None:
            # Every installed plugin, except validation unless asked for: an app
            # without enable_validation=True pays nothing for it.
            installed = plugin_loading.installed()
            wanted: list[str | object] = [name for name in installed if name != "validation" or enable_validation]
        else:
            wanted = [*plugins]
        # A plugin object given directly counts under its plugin_name, so an app
        # can be pinned to a private source it passes as an object.
        given = {item if isinstance(item, str) else getattr(item, "plugin_name", None) for item in wanted}
        if self.source is not None and self.source not in given:
            wanted.append(self.source)
        if enable_validation and "validation" not in given:
            wanted.append("validation")
        self.plugin_manager: pluggy.PluginManager = plugin_loading.create_manager(wanted)
        if self.source is not None and not self.plugin_manager.has_plugin(self.source):
            from kernel.exceptions import PluginNotFoundError

            raise PluginNotFoundError(self.source)

    # -- settings plugins read -------------------------------------------------

    @property
    def cors(self) -> Any:
        """The app-wide CORS configuration, or None."""
        return self._cors

    @property
    def debug(self) -> bool:
        """Whether debug mode is on."""
        return self._debug

    @property
    def validation_enabled(self) -> bool:
        """Whether ``enable_validation=True`` was given."""
        return self._enable_validation

    @property
    def serializer(self) -> Callable[[Any], str]:
        """The JSON serializer of response bodies."""
        return self._serializer

    @property
    def has_custom_serializer(self) -> bool:
        """Whether the app was given its own serializer."""
        return self._custom_serializer

    # -- features provided by plugins -------------------------------------------

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The OpenAPI document as a model; see the ``openapi`` plugin for the keywords."""
        return _feature("openapi", "kernel_openapi").get_openapi_schema(self, **kwargs)

    def get_openapi_json_schema(self, **kwargs: Any) -> str:
        """The OpenAPI document as JSON text; see the ``openapi`` plugin for the keywords."""
        return _feature("openapi", "kernel_openapi").get_openapi_json_schema(self, **kwargs)

    def enable_swagger(self, **kwargs: Any) -> None:
        """Serve Swagger UI and the OpenAPI document; see the ``swagger`` plugin for the keywords."""
        _feature("swagger", "kernel_swagger").enable_swagger(self, **kwargs)

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
        settings = dict(settings)
        cors = settings.pop("cors")
        route = Route(method, self._normalise_rule(rule), func, cors=self._cors_enabled if cors is None else cors, **settings)
        self._add(route)

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

    def include_router(self, router: Router, prefix: str | None = None) -> None:
        """Add a router's routes (under ``prefix``), middlewares, handlers and context."""
        router.api_resolver = self
        self.context.update(router.context)
        router.context = self.context
        if router._router_middlewares:
            self.use(router._router_middlewares)
        self._exception_handlers.update(router._exception_handlers)
        self._handlers_changed()
        for rule, method, func, settings in router._routes:
            if prefix:
                rule = prefix if rule == "/" else f"{prefix}{rule}"
            settings = dict(settings)
            cors = settings.pop("cors")
            route = Route(method, self._normalise_rule(rule), func, cors=self._cors_enabled if cors is None else cors, **settings)
            route.router = router
            self._add(route)

    # -- resolving ----------------------------------------------------------

    def __call__(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        return self.resolve(event, context)

    def resolve(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """Turn a Lambda event into the response dict its source expects."""
        if type(event) is not dict and isinstance(event, BaseRequest):
            warnings.warn("Pass the raw event to resolve(), not a request object", stacklevel=2)
            event = event.raw_event
        pipeline = self._pipeline or self._prepare()
        request = pipeline.parse_event(self, event, context)
        if request is None:
            raise UnknownEventError(
                "No event source plugin of this app recognises the event"
                f" (plugins: {', '.join(name for name, _ in self.plugin_manager.list_name_plugin())})"
            )
        self.current_event = request
        self.lambda_context = context
        try:
            if request.problem is not None:
                route = None
                response = self._error_response(400, request.problem)
            else:
                route, response = self._handle(pipeline, request)
            return self._finish(pipeline, request, route, response)
        finally:
            self.context.clear()

    def _prepare(self) -> Pipeline:
        self._pipeline = prepare(self)
        return self._pipeline

    def _handle(self, pipeline: Pipeline, request: BaseRequest) -> tuple[Route, Response[Any]]:
        method = request.http_method.upper()
        path = request.path
        if self._strip_prefixes:
            path = self._remove_prefix(path)
        if self.strip_trailing_slashes and path[-1:] == "/":
            path = path.rstrip("/") or "/"
        found = pipeline.match_route(self, method, path, request)
        if found is None:
            route, arguments = self._not_found_route, {}
        else:
            route, arguments = found
            if route.router is not None:
                route.router.api_resolver = self
        context = self.context
        context["_route"] = route
        context["_path"] = path
        context["_route_args"] = arguments
        try:
            if pipeline.before_handle is not None:
                early = pipeline.before_handle(self, request, route, arguments)
                if early is not None:
                    return route, early
            if not self._router_middlewares and not route.middlewares:
                response = self._to_response(route.func(**arguments))
            else:
                if route._chain_version != self._middleware_version:
                    route._chain = build_chain(route, self._router_middlewares)
                    route._chain_version = self._middleware_version
                response = route._chain(self)  # type: ignore[misc]
            # Only what the route returned is encoded (not exception answers),
            # and inside the handlers, so an encoder's error is answered too.
            body = response.body
            if route.body_encoder is not None and body is not None and not isinstance(body, (str, bytes)) and response.is_json():
                response.body = route.body_encoder(body)
            return route, response
        except Exception as exc:
            return route, self._answer_exception(exc)

    def _finish(self, pipeline: Pipeline, request: BaseRequest, route: Route | None, response: Response[Any]) -> dict[str, Any]:
        body = response.body
        if not isinstance(body, (str, bytes)) and response.is_json():
            response.body = self._serializer(body)
        if route is not None and route.cache_control:
            response.headers["Cache-Control"] = route.cache_control if response.status_code == 200 else "no-cache"
        try:
            result = pipeline.build_response(self, request, route, response)
        except ServiceError as exc:
            # A plugin read a malformed part of the event (its headers) only now:
            # answer that, as the source would, without the route's features.
            error = Response(status_code=exc.status_code, content_type=content_types.APPLICATION_JSON, body=exc.to_body())
            error.body = self._serializer(error.body)
            result = pipeline.build_response(self, request, None, error)
        if result is None:
            raise RuntimeError(f"No plugin built a response for {type(request).__name__}")
        return result

    def _remove_prefix(self, path: str) -> str:
        for prefix in self._strip_prefixes or ():
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

    def _to_response(self, result: Any) -> Response[Any]:
        """Turn what a route returned (dict, ``(body, status)``, Response) into a Response."""
        if isinstance(result, Response):
            return result
        status = 200
        if isinstance(result, tuple) and len(result) == 2:
            result, status = result
        return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=result)

    def _not_found(self) -> Any:
        handler = self._lookup_exception_handler(NotFoundError)
        if handler is not None:
            return handler(NotFoundError())
        return self._error_response(404, "Not found")

    @staticmethod
    def _error_response(status: int, message: str) -> Response[Any]:
        return Response(
            status_code=status,
            content_type=content_types.APPLICATION_JSON,
            body={"statusCode": status, "message": message},
        )

    def _lookup_exception_handler(self, exc_type: type[BaseException]) -> ExceptionHandler | None:
        try:
            return self._handler_cache[exc_type]
        except KeyError:
            pass
        handler = None
        for cls in exc_type.__mro__:
            if cls in self._exception_handlers:
                handler = self._exception_handlers[cls]
                break
        self._handler_cache[exc_type] = handler
        return handler

    def _answer_exception(self, exc: Exception) -> Response[Any]:
        handler = self._lookup_exception_handler(type(exc))
        if handler is not None:
            try:
                return self._to_response(handler(exc))
            except ServiceError as raised:
                exc = raised
        if isinstance(exc, ServiceError):
            return Response(status_code=exc.status_code, content_type=content_types.APPLICATION_JSON, body=exc.to_body())
        if self._debug:
            import traceback

            return Response(
                status_code=500,
                content_type=content_types.PLAIN_TEXT,
                body="".join(traceback.format_exception(exc)),
            )
        raise exc


def _feature(plugin: str, module: str) -> Any:
    """Import the module of a feature plugin, or say which extra provides it."""
    import importlib

    from kernel.exceptions import PluginNotFoundError

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise PluginNotFoundError(plugin) from None


class App(ApiGatewayResolver):
    """An app that serves whichever installed event source each event comes from.

    Takes the keywords of :class:`ApiGatewayResolver` except ``proxy_type``;
    ``source="alb"`` pins it to one source by plugin name.
    """

    def __init__(
        self,
        cors: Any = None,
        debug: bool | None = None,
        serializer: Callable[[Any], str] | None = None,
        strip_prefixes: list[str | re.Pattern[str]] | None = None,
        enable_validation: bool = False,
        *,
        plugins: Sequence[str | object] | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(None, cors, debug, serializer, strip_prefixes, enable_validation, plugins=plugins, source=source)
