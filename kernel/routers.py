"""Declaring routes: the decorators, middlewares, exception handlers and context apps and routers share.

:class:`BaseRouter` holds the declaration API of the reference (``get``,
``post``... ``use``, ``exception_handler``, ``not_found``, the request
context). :class:`Router` collects routes in another module for
:meth:`~kernel.app.BaseApp.include_router`; the app itself is a BaseRouter too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kernel.exceptions import NotFoundError
from kernel.routing import DEFAULT_RESPONSE_DESCRIPTION, check_rule

if TYPE_CHECKING:
    from http import HTTPStatus  # annotations only: building the enum costs a cold start about a millisecond

    from kernel.app import BaseApp
    from kernel.injection import Request

Middleware = Callable[..., Any]
ExceptionHandler = Callable[[Any], Any]


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
        openapi_extensions: dict[str, Any] | None = None,
        deprecated: bool = False,
        enable_validation: bool | None = None,
        custom_response_validation_http_code: int | HTTPStatus | None = None,
        status_code: int = 200,
        middlewares: list[Middleware] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register the decorated function for ``rule`` and one or more methods.

        ``<name>`` in the rule captures one path segment and passes it to the
        function as the keyword argument ``name``. The other keywords configure
        CORS, compression, ``Cache-Control`` (on 200 responses), per-route
        middlewares and the route's OpenAPI operation. ``status_code`` is the
        status of what the function returns as a plain body (a tuple or a
        Response says its own); ``custom_response_validation_http_code`` the
        status of a returned value that fails validation (needs validation on).
        ``enable_validation`` turns validation on (True) or off (False) for this
        route alone; None follows the app.
        """
        settings = dict(
            cors=cors,
            compress=compress,
            cache_control=cache_control,
            summary=summary,
            description=description,
            responses=responses,
            response_description=response_description,
            tags=tags,
            operation_id=operation_id,
            include_in_schema=include_in_schema,
            security=security,
            openapi_extensions=openapi_extensions,
            deprecated=deprecated,
            enable_validation=enable_validation,
            custom_response_validation_http_code=custom_response_validation_http_code,
            status_code=status_code,
            middlewares=middlewares,
        )

        # A rule that is not a path is refused where it is written, not where it is used.
        check_rule(rule)

        def register(func: Callable[..., Any]) -> Callable[..., Any]:
            methods = (method,) if isinstance(method, str) else tuple(method)
            for item in methods:
                self._add_route(rule, item.upper(), func, settings)
            return func

        return register

    def _add_route(self, rule: str, method: str, func: Callable[..., Any], settings: dict[str, Any]) -> None:
        raise NotImplementedError

    def get(
        self,
        rule: str,
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
        openapi_extensions: dict[str, Any] | None = None,
        deprecated: bool = False,
        enable_validation: bool | None = None,
        custom_response_validation_http_code: int | HTTPStatus | None = None,
        status_code: int = 200,
        middlewares: list[Middleware] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a GET route; takes the parameters of :meth:`route`, in its order."""
        return self.route(
            rule,
            "GET",
            cors,
            compress,
            cache_control,
            summary,
            description,
            responses,
            response_description,
            tags,
            operation_id,
            include_in_schema,
            security,
            openapi_extensions,
            deprecated,
            enable_validation,
            custom_response_validation_http_code,
            status_code,
            middlewares,
        )

    def post(
        self,
        rule: str,
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
        openapi_extensions: dict[str, Any] | None = None,
        deprecated: bool = False,
        enable_validation: bool | None = None,
        custom_response_validation_http_code: int | HTTPStatus | None = None,
        status_code: int = 200,
        middlewares: list[Middleware] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a POST route; takes the parameters of :meth:`route`, in its order."""
        return self.route(
            rule,
            "POST",
            cors,
            compress,
            cache_control,
            summary,
            description,
            responses,
            response_description,
            tags,
            operation_id,
            include_in_schema,
            security,
            openapi_extensions,
            deprecated,
            enable_validation,
            custom_response_validation_http_code,
            status_code,
            middlewares,
        )

    def put(
        self,
        rule: str,
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
        openapi_extensions: dict[str, Any] | None = None,
        deprecated: bool = False,
        enable_validation: bool | None = None,
        custom_response_validation_http_code: int | HTTPStatus | None = None,
        status_code: int = 200,
        middlewares: list[Middleware] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a PUT route; takes the parameters of :meth:`route`, in its order."""
        return self.route(
            rule,
            "PUT",
            cors,
            compress,
            cache_control,
            summary,
            description,
            responses,
            response_description,
            tags,
            operation_id,
            include_in_schema,
            security,
            openapi_extensions,
            deprecated,
            enable_validation,
            custom_response_validation_http_code,
            status_code,
            middlewares,
        )

    def delete(
        self,
        rule: str,
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
        openapi_extensions: dict[str, Any] | None = None,
        deprecated: bool = False,
        enable_validation: bool | None = None,
        custom_response_validation_http_code: int | HTTPStatus | None = None,
        status_code: int = 200,
        middlewares: list[Middleware] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a DELETE route; takes the parameters of :meth:`route`, in its order."""
        return self.route(
            rule,
            "DELETE",
            cors,
            compress,
            cache_control,
            summary,
            description,
            responses,
            response_description,
            tags,
            operation_id,
            include_in_schema,
            security,
            openapi_extensions,
            deprecated,
            enable_validation,
            custom_response_validation_http_code,
            status_code,
            middlewares,
        )

    def patch(
        self,
        rule: str,
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
        openapi_extensions: dict[str, Any] | None = None,
        deprecated: bool = False,
        enable_validation: bool | None = None,
        custom_response_validation_http_code: int | HTTPStatus | None = None,
        status_code: int = 200,
        middlewares: list[Middleware] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a PATCH route; takes the parameters of :meth:`route`, in its order."""
        return self.route(
            rule,
            "PATCH",
            cors,
            compress,
            cache_control,
            summary,
            description,
            responses,
            response_description,
            tags,
            operation_id,
            include_in_schema,
            security,
            openapi_extensions,
            deprecated,
            enable_validation,
            custom_response_validation_http_code,
            status_code,
            middlewares,
        )

    def head(
        self,
        rule: str,
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
        openapi_extensions: dict[str, Any] | None = None,
        deprecated: bool = False,
        enable_validation: bool | None = None,
        custom_response_validation_http_code: int | HTTPStatus | None = None,
        status_code: int = 200,
        middlewares: list[Middleware] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a HEAD route; takes the parameters of :meth:`route`, in its order."""
        return self.route(
            rule,
            "HEAD",
            cors,
            compress,
            cache_control,
            summary,
            description,
            responses,
            response_description,
            tags,
            operation_id,
            include_in_schema,
            security,
            openapi_extensions,
            deprecated,
            enable_validation,
            custom_response_validation_http_code,
            status_code,
            middlewares,
        )

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

    @property
    def request(self) -> Request:
        """The :class:`~kernel.injection.Request` being resolved.

        Available in middlewares, routes and dependencies; raises RuntimeError
        outside of a request.
        """
        from kernel.injection import current_request  # the dependency machinery, imported by apps that use it

        return current_request(self._app())

    def _app(self) -> BaseApp:
        return self  # type: ignore[return-value]

    def append_context(self, **additional_context: Any) -> None:
        """Add key/value pairs to the request context, cleared after each event."""
        self.context.update(**additional_context)

    def clear_context(self) -> None:
        """Empty the request context."""
        self.context.clear()


class Router(BaseRouter):
    """Routes declared in another module, added to an app with ``include_router``.

    A router belongs to no app until it is included, so a route option that
    needs a plugin the app lacks (``compress=True`` without the compression
    plugin...) is refused by ``include_router``, which then adds nothing.
    """

    def __init__(self) -> None:
        self._routes: list[tuple[str, str, Callable[..., Any], dict[str, Any]]] = []
        self._router_middlewares = []
        self._exception_handlers = {}
        self._context: dict[str, Any] = {}
        #: The app that included this router last.
        self.api_resolver: BaseApp | None = None
        # Every app that included it: the one resolving a request in this
        # thread or task is the one whose state the router shows.
        self._apps: list[BaseApp] = []

    def _add_route(self, rule: str, method: str, func: Callable[..., Any], settings: dict[str, Any]) -> None:
        self._routes.append((rule, method, func, settings))

    def _included_in(self, app: BaseApp) -> None:
        # What was appended to the router's context before goes to the app's
        # next request, like the app's own; from now on the router shows the app's.
        app.context.update(self._context)
        self._context = {}
        self.api_resolver = app
        if app not in self._apps:
            self._apps.append(app)

    def _app(self) -> BaseApp:
        apps = self._apps
        if len(apps) > 1:
            for app in apps:
                if app._in_request():
                    return app
        if self.api_resolver is None:
            raise RuntimeError("This router is not part of an app yet: call app.include_router(router) first")
        return self.api_resolver

    @property
    def context(self) -> dict[str, Any]:
        """The context dict of the request being resolved by the app this router is part of."""
        return self._app().context if self.api_resolver is not None else self._context

    @context.setter
    def context(self, value: dict[str, Any]) -> None:
        if self.api_resolver is not None:
            self._app().context = value
        else:
            self._context = value

    @property
    def current_event(self) -> Any:
        """The request being resolved by the app this router is part of."""
        return self._app().current_event

    @property
    def lambda_context(self) -> Any:
        """The Lambda context of the event being resolved."""
        return self._app().lambda_context
