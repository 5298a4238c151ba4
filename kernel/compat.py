"""The reference API's names, mapped onto plugins: the kernel's one place that knows them.

An app written for Powertools' REST event handler names event sources
(``ProxyEventType``, ``ALBResolver``...) and features (``enable_validation``,
``get_openapi_schema``, ``enable_swagger``, ``CORSConfig``...). The kernel
itself knows none of them: sources and features are plugins, named by their
entry points. This module translates:

- :class:`ProxyEventType` and the resolver classes pin an app to a source
  plugin (:data:`SOURCE_OF`);
- ``enable_validation=True`` asks for the plugin of :data:`VALIDATION`, which
  a default app otherwise leaves out, so an app without it pays nothing;
- the route options and app settings that only work with a feature plugin
  (``cors=True``, ``compress=True``, ``cors=CORSConfig(...)``) name it in
  :data:`ROUTE_OPTION_PLUGINS` and :data:`APP_SETTING_PLUGINS`, so declaring
  them in an app without that plugin raises instead of being ignored;
- the app methods and the ``kernel`` names of the reference are looked up in
  what installed plugins declare (the ``kernel.app_methods`` and
  ``kernel.exports`` entry-point groups); :data:`PROVIDED_BY` only says which
  extra to install when none does.

Everything else in ``kernel/`` is source- and feature-agnostic.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from enum import Enum
from types import MethodType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from kernel.app import BaseApp
from kernel.exceptions import PluginNotFoundError

if TYPE_CHECKING:
    from http import HTTPStatus


class ProxyEventType(Enum):
    """The event sources of the reference API."""

    APIGatewayProxyEvent = "APIGatewayProxyEvent"
    APIGatewayProxyEventV2 = "APIGatewayProxyEventV2"
    ALBEvent = "ALBEvent"
    BedrockAgentEvent = "BedrockAgentEvent"
    VPCLatticeEvent = "VPCLatticeEvent"
    VPCLatticeEventV2 = "VPCLatticeEventV2"
    LambdaFunctionUrlEvent = "LambdaFunctionUrlEvent"


#: The plugin serving each event source of the reference.
SOURCE_OF = {
    ProxyEventType.APIGatewayProxyEvent: "rest",
    ProxyEventType.APIGatewayProxyEventV2: "http",
    ProxyEventType.ALBEvent: "alb",
    ProxyEventType.BedrockAgentEvent: "bedrock",
    ProxyEventType.VPCLatticeEvent: "lattice",
    ProxyEventType.VPCLatticeEventV2: "lattice-v2",
    ProxyEventType.LambdaFunctionUrlEvent: "function-url",
}

#: The source ``kernel serve`` emulates for an app that takes any source:
#: the reference's default, API Gateway REST.
DEFAULT_SOURCE = SOURCE_OF[ProxyEventType.APIGatewayProxyEvent]

#: The plugin ``enable_validation=True`` asks for.
VALIDATION = "validation"

#: The plugin each route option needs when a route turns it on (a truthy
#: value): without it the option would do nothing, so declaring such a route
#: in an app that lacks the plugin raises PluginNotFoundError.
ROUTE_OPTION_PLUGINS = {"cors": "cors", "compress": "compression", "enable_validation": VALIDATION}

#: The plugin each app setting needs when it is given (not None). It is
#: required: a default app loads it then (it is loaded on demand) when it is
#: installed and KERNEL_PLUGINS allows it, and an app that lists its plugins
#: must name it, as its list is the exact set it runs.
APP_SETTING_PLUGINS = {"cors": "cors"}

#: Which plugin provides each name of the reference that a plugin declares,
#: for the error message when it is not installed.
PROVIDED_BY = {
    "CORSConfig": "cors",
    "BedrockResponse": "bedrock",
    "BedrockAgentFunctionResolver": "bedrock-function",
    "BedrockFunctionResponse": "bedrock-function",
    "Body": "validation",
    "File": "validation",
    "Form": "validation",
    "UploadFile": "validation",
    "Header": "validation",
    "Path": "validation",
    "Query": "validation",
    "RequestValidationError": "validation",
    "get_openapi_schema": "openapi",
    "get_openapi_json_schema": "openapi",
    "configure_openapi": "openapi",
    "SchemaValidationMiddleware": "validation",
    "enable_swagger": "swagger",
    # Subcommands of the ``kernel`` command.
    "openapi": "openapi",
}


def source_for(proxy_type: Any) -> str:
    """The plugin name serving ``proxy_type`` (a ProxyEventType or a plugin name)."""
    if isinstance(proxy_type, ProxyEventType):
        return SOURCE_OF[proxy_type]
    if isinstance(proxy_type, str):
        return proxy_type
    raise TypeError(f"proxy_type must be a ProxyEventType or a plugin name, not {proxy_type!r}")


def exported(name: str) -> Any:
    """The object an installed plugin declares as ``kernel.<name>``."""
    try:
        # Imported here: discovery (stevedore) is paid when a plugin's name is used, not by
        # `import kernel`. An import statement, not `from kernel import plugins`, which would
        # ask kernel.__getattr__ (this function) for the submodule first.
        import kernel.plugins

        return kernel.plugins.declared("kernel.exports", name)
    except LookupError:
        if name in PROVIDED_BY:
            raise PluginNotFoundError(PROVIDED_BY[name]) from None
        raise AttributeError(f"module 'kernel' has no attribute {name!r}") from None


def _as_written(setting: str, value: Any) -> str:
    """``setting=value`` as a message shows it: ``cors=CORSConfig(...)``, ``cors=True``."""
    if isinstance(value, (bool, int, float, str)):
        return f"{setting}={value!r}"
    return f"{setting}={type(value).__name__}(...)"


def _http_status(code: HTTPStatus | int | None, enabled: bool, disabled: str) -> HTTPStatus | None:
    """``code`` as an HTTPStatus; raises ValueError (``disabled``) without validation, or for a number no status has."""
    if code is None:
        return None
    if not enabled:
        raise ValueError(disabled)
    from http import HTTPStatus  # here, not at the top: only an app that sets the code pays for the enum

    try:
        return HTTPStatus(code)
    except ValueError:
        raise ValueError(f"'{code}' must be an integer representing an HTTP status code.") from None


_R = TypeVar("_R")


class _plugin_method(Generic[_R]):
    """An app method that a plugin declares (``kernel.app_methods``), around the method that calls it.

    Calling it calls the decorated method, which hands the call to the
    plugin's function. ``inspect.signature`` (and ``help()``) show the plugin
    function's own parameters, the app renamed ``self``: the plugin is
    imported only then, not by ``import kernel``; without it, the
    decorated method's ``**kwargs`` are shown.
    """

    def __init__(self, placeholder: Callable[..., _R]) -> None:
        self._placeholder = placeholder
        self.__name__ = placeholder.__name__
        self.__qualname__ = placeholder.__qualname__
        self.__doc__ = placeholder.__doc__
        self.__module__ = placeholder.__module__

    @overload
    def __get__(self, app: None, owner: type | None = None) -> _plugin_method[_R]: ...
    @overload
    def __get__(self, app: ApiGatewayResolver, owner: type | None = None) -> Callable[..., _R]: ...
    def __get__(self, app: ApiGatewayResolver | None, owner: type | None = None) -> Any:
        return self if app is None else MethodType(self, app)

    def __call__(self, app: ApiGatewayResolver, *args: Any, **kwargs: Any) -> _R:
        return self._placeholder(app, *args, **kwargs)

    @property
    def __signature__(self) -> inspect.Signature:
        try:
            import kernel.plugins

            function = kernel.plugins.declared("kernel.app_methods", self.__name__)
        except LookupError:
            return inspect.signature(self._placeholder)
        signature = inspect.signature(function)
        first, *rest = signature.parameters.values()
        return signature.replace(parameters=[first.replace(name="self"), *rest])


class ApiGatewayResolver(BaseApp):
    """An app with the reference API's constructor.

    :param proxy_type: the event source, as a :class:`ProxyEventType` or a
        plugin name (``"rest"``, ``"alb"``...). ``None`` (the default) means
        the class's own source, as in Powertools: API Gateway REST here, the
        source each pinned resolver names, any installed source on :class:`App`.
    :param cors: a ``CORSConfig`` (from the ``cors`` plugin) applied to every
        route unless the route says ``cors=False``. The app must have the
        ``cors`` plugin: without it, building the app raises
        :class:`~kernel.exceptions.PluginNotFoundError`, as does declaring a
        route with ``cors=True`` (or ``compress=True`` without ``compression``).
    :param debug: answer unhandled exceptions with their traceback; by default
        read from the ``POWERTOOLS_DEV`` environment variable.
    :param serializer: turns JSON bodies into text; by default compact
        ``json.dumps`` that also handles dataclasses, enums, dates and decimals.
    :param strip_prefixes: strings or compiled regexes removed from the start
        of the path before routing (custom domain base paths).
    :param enable_validation: validate requests and serialise responses from
        the routes' type hints (needs the ``validation`` plugin).
    :param response_validation_error_http_code: the status of a response
        that fails validation (422 by default); only with ``enable_validation``.
    :param json_body_deserializer: parses JSON request bodies (``json_body``
        and validated bodies); ``json.loads`` by default.
    :param plugins: the plugins to use, by name or as objects; ``None`` uses
        every installed plugin (but validation only with ``enable_validation``),
        or only those the ``KERNEL_PLUGINS`` environment variable names when it is set.
    :param source: a plugin name to pin the app to; overrides ``proxy_type``.
    :param method_not_allowed: answer a known path asked with a method no
        route serves ``405`` with an ``Allow`` header, not ``404`` (kernel only).
    """

    #: The event source of ``proxy_type=None``: each resolver's own (Powertools'
    #: default); None on :class:`App`, which takes any installed source.
    _proxy: ProxyEventType | None = ProxyEventType.APIGatewayProxyEvent

    #: The OpenAPI version ``get_openapi_json_schema()`` writes when it is
    #: not 3.1 (the ``openapi`` plugin converts the document), or None.
    openapi_json_version: str | None = None

    def __init__(
        self,
        proxy_type: ProxyEventType | str | None = None,
        cors: Any = None,
        debug: bool | None = None,
        serializer: Callable[[Any], str] | None = None,
        strip_prefixes: list[str | re.Pattern[str]] | None = None,
        enable_validation: bool = False,
        response_validation_error_http_code: HTTPStatus | int | None = None,
        json_body_deserializer: Callable[[str], Any] | None = None,
        *,
        plugins: Sequence[str | object] | None = None,
        source: str | None = None,
        method_not_allowed: bool = False,
    ) -> None:
        self._cors = cors
        self._enable_validation = enable_validation
        self._response_validation_error_http_code = _http_status(
            response_validation_error_http_code,
            enable_validation,
            "'response_validation_error_http_code' cannot be set when enable_validation is False.",
        )
        settings = {"cors": cors}
        super().__init__(
            source=source or self._source_of(proxy_type),
            plugins=plugins,
            needs={VALIDATION: "enable_validation=True"} if enable_validation else {},
            opt_in={VALIDATION: "used only with enable_validation=True"},
            requires={
                _as_written(setting, settings[setting]): plugin
                for setting, plugin in APP_SETTING_PLUGINS.items()
                if settings[setting] is not None
            },
            route_plugins=ROUTE_OPTION_PLUGINS,
            compress_plugin=ROUTE_OPTION_PLUGINS["compress"],
            debug=debug,
            serializer=serializer,
            strip_prefixes=strip_prefixes,
            route_defaults={"cors": cors is not None},
            method_not_allowed=method_not_allowed,
            json_body_deserializer=json_body_deserializer,
        )

    def _source_of(self, proxy_type: ProxyEventType | str | None) -> str | None:
        proxy = self._proxy if proxy_type is None else proxy_type
        return None if proxy is None else source_for(proxy)

    @property
    def cors(self) -> Any:
        """The app-wide CORS configuration, or None."""
        return self._cors

    @property
    def validation_enabled(self) -> bool:
        """Whether ``enable_validation=True`` was given."""
        return self._enable_validation

    @property
    def response_validation_error_http_code(self) -> HTTPStatus | None:
        """The status of responses that fail validation, when the app sets one (else 422)."""
        return self._response_validation_error_http_code

    def _route(self, rule: str, method: str, func: Callable[..., Any], settings: dict[str, Any]) -> Any:
        code = settings.get("custom_response_validation_http_code")
        if code is not None:
            settings = {
                **settings,
                "custom_response_validation_http_code": _http_status(
                    code,
                    self._enable_validation,
                    "'custom_response_validation_http_code' cannot be set for route when enable_validation is False on resolver.",
                ),
            }
        return super()._route(rule, method, func, settings)

    def _method(self, name: str) -> Callable[..., Any]:
        try:
            return self.plugin_method(name)
        except LookupError:
            raise PluginNotFoundError(PROVIDED_BY[name]) from None

    @_plugin_method
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The OpenAPI document as a model; see the ``openapi`` plugin for the keywords."""
        return self._method("get_openapi_schema")(**kwargs)

    @_plugin_method
    def get_openapi_json_schema(self, **kwargs: Any) -> str:
        """The OpenAPI document as JSON text; see the ``openapi`` plugin for the keywords."""
        return self._method("get_openapi_json_schema")(**kwargs)

    @_plugin_method
    def configure_openapi(self, *args: Any, **kwargs: Any) -> None:
        """Record the defaults of the app's OpenAPI documents; see the ``openapi`` plugin for the keywords."""
        self._method("configure_openapi")(*args, **kwargs)

    @_plugin_method
    def enable_swagger(self, **kwargs: Any) -> None:
        """Serve Swagger UI and the OpenAPI document; see the ``swagger`` plugin for the keywords."""
        self._method("enable_swagger")(**kwargs)


class App(ApiGatewayResolver):
    """An app that serves whichever installed event source each event comes from.

    Takes the keywords of :class:`ApiGatewayResolver` except ``proxy_type``;
    ``source="alb"`` pins it to one source by plugin name.
    """

    _proxy = None

    def __init__(
        self,
        cors: Any = None,
        debug: bool | None = None,
        serializer: Callable[[Any], str] | None = None,
        strip_prefixes: list[str | re.Pattern[str]] | None = None,
        enable_validation: bool = False,
        response_validation_error_http_code: HTTPStatus | int | None = None,
        json_body_deserializer: Callable[[str], Any] | None = None,
        *,
        plugins: Sequence[str | object] | None = None,
        source: str | None = None,
        method_not_allowed: bool = False,
    ) -> None:
        super().__init__(
            None,
            cors,
            debug,
            serializer,
            strip_prefixes,
            enable_validation,
            response_validation_error_http_code,
            json_body_deserializer,
            plugins=plugins,
            source=source,
            method_not_allowed=method_not_allowed,
        )


class APIGatewayRestResolver(ApiGatewayResolver):
    """API Gateway REST APIs (payload format 1.0); routes ignore trailing slashes."""

    _proxy = ProxyEventType.APIGatewayProxyEvent
    strip_trailing_slashes = True


class APIGatewayHttpResolver(ApiGatewayResolver):
    """API Gateway HTTP APIs (payload format 2.0)."""

    _proxy = ProxyEventType.APIGatewayProxyEventV2


class ALBResolver(ApiGatewayResolver):
    """Application Load Balancer targets.

    Takes Powertools' parameters (no ``proxy_type``, and two of its own last):

    :param decode_query_parameters: percent-decode the names and values of
        the query parameters validation reads (``current_event``'s maps keep
        them as sent either way).
    :param enable_response_size_validation: measure each response dict as
        the Lambda runtime serialises it, and raise
        :class:`~kernel.exceptions.ResponseSizeExceededError` (which an
        exception handler may answer with a smaller response, measured too)
        when it exceeds the 1 MiB a load balancer accepts. Off, it costs nothing.
    """

    _proxy = ProxyEventType.ALBEvent

    def __init__(
        self,
        cors: Any = None,
        debug: bool | None = None,
        serializer: Callable[[Any], str] | None = None,
        strip_prefixes: list[str | re.Pattern[str]] | None = None,
        enable_validation: bool = False,
        response_validation_error_http_code: HTTPStatus | int | None = None,
        json_body_deserializer: Callable[[str], Any] | None = None,
        decode_query_parameters: bool = False,
        enable_response_size_validation: bool = False,
        *,
        plugins: Sequence[str | object] | None = None,
        method_not_allowed: bool = False,
    ) -> None:
        super().__init__(
            None,
            cors,
            debug,
            serializer,
            strip_prefixes,
            enable_validation,
            response_validation_error_http_code,
            json_body_deserializer,
            plugins=plugins,
            method_not_allowed=method_not_allowed,
        )
        self.decode_query_parameters = decode_query_parameters
        self.enable_response_size_validation = enable_response_size_validation
        # Each setting is a plugin of the source's, added to this app only when turned on.
        for setting, factory in (
            (decode_query_parameters, "query_decoding"),
            (enable_response_size_validation, "response_size_limit"),
        ):
            if setting:
                self._add_source_plugin(factory)

    def _add_source_plugin(self, factory: str) -> None:
        name = SOURCE_OF[ProxyEventType.ALBEvent]
        make = getattr(self.plugin_manager.get_plugin(name), factory, None)
        if make is None:
            raise TypeError(f"The source plugin {name!r} has no {factory}()")
        self.register_plugin(make(), name=f"{name}-{factory}")


class LambdaFunctionUrlResolver(ApiGatewayResolver):
    """Lambda Function URLs."""

    _proxy = ProxyEventType.LambdaFunctionUrlEvent


class VPCLatticeResolver(ApiGatewayResolver):
    """VPC Lattice (payload version 1)."""

    _proxy = ProxyEventType.VPCLatticeEvent


class VPCLatticeV2Resolver(ApiGatewayResolver):
    """VPC Lattice (payload version 2)."""

    _proxy = ProxyEventType.VPCLatticeEventV2


class BedrockAgentResolver(ApiGatewayResolver):
    """Bedrock Agent action groups.

    Takes Powertools' keywords: validation is on unless
    ``enable_validation=False`` (an agent calls the operations its OpenAPI
    document describes, so their parameters are checked against it), and the
    JSON document (``get_openapi_json_schema()``) is OpenAPI 3.0, the version
    agents accept (see :attr:`openapi_json_version`).
    """

    _proxy = ProxyEventType.BedrockAgentEvent
    openapi_json_version = "3.0.3"

    def __init__(
        self,
        debug: bool = False,
        enable_validation: bool = True,
        serializer: Callable[[Any], str] | None = None,
        *,
        cors: Any = None,
        strip_prefixes: list[str | re.Pattern[str]] | None = None,
        plugins: Sequence[str | object] | None = None,
        method_not_allowed: bool = False,
    ) -> None:
        # Powertools' positional order; the other resolvers' settings stay keywords.
        super().__init__(
            None,
            cors,
            debug,
            serializer,
            strip_prefixes,
            enable_validation,
            plugins=plugins,
            method_not_allowed=method_not_allowed,
        )
