"""kernel: HTTP APIs on AWS Lambda, from decorated functions, through plugins.

The names here are those of the reference event-handler API, so an app
written for it runs with only its imports changed. The resolver classes and
``ProxyEventType`` come from :mod:`kernel.compat`; names that belong to a
plugin (``CORSConfig``...) are declared by that plugin in the
``kernel.exports`` entry-point group and imported on first use.

Plugin authors import from :mod:`kernel.plugin_api`.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from kernel import content_types

if TYPE_CHECKING:  # what type checkers and editors see; at run time, _HOMES below
    from kernel.compat import (
        ALBResolver,
        APIGatewayHttpResolver,
        ApiGatewayResolver,
        APIGatewayRestResolver,
        App,
        BedrockAgentResolver,
        LambdaFunctionUrlResolver,
        ProxyEventType,
        VPCLatticeResolver,
        VPCLatticeV2Resolver,
    )
    from kernel.cookies import Cookie, SameSite
    from kernel.exceptions import (
        BadRequestError,
        ConflictError,
        DependencyResolutionError,
        ForbiddenError,
        GatewayTimeoutError,
        InternalServerError,
        InvalidBodyError,
        InvalidJSONBodyError,
        MethodNotAllowedError,
        NotFoundError,
        PluginLoadError,
        PluginNotFoundError,
        RequestEntityTooLargeError,
        RequestTimeoutError,
        ResponseSizeExceededError,
        SchemaValidationError,
        ServiceError,
        ServiceUnavailableError,
        TooManyRequestsError,
        UnauthorizedError,
        UnknownEventError,
        UnsupportedMediaTypeError,
    )
    from kernel.hookspecs import hookimpl, hookspec
    from kernel.injection import Depends, Request
    from kernel.middleware import BaseMiddlewareHandler, MiddlewareFrame, NextMiddleware
    from kernel.request import BaseRequest
    from kernel.response import Response, ResponseBuilder
    from kernel.routers import BaseRouter, Router
    from kernel.routing import Route

#: Where each name of the package lives. A name is imported when first used
#: (PEP 562), so an app pays for the modules it touches and no others: an app
#: that never names ``Request`` or ``Depends`` never imports :mod:`kernel.injection`,
#: one that makes no ``Cookie`` never imports :mod:`kernel.cookies`...
_HOMES = {
    **dict.fromkeys(
        (
            "ALBResolver",
            "APIGatewayHttpResolver",
            "APIGatewayRestResolver",
            "ApiGatewayResolver",
            "App",
            "BedrockAgentResolver",
            "LambdaFunctionUrlResolver",
            "ProxyEventType",
            "VPCLatticeResolver",
            "VPCLatticeV2Resolver",
        ),
        "kernel.compat",
    ),
    **dict.fromkeys(("Cookie", "SameSite"), "kernel.cookies"),
    **dict.fromkeys(
        (
            "BadRequestError",
            "ConflictError",
            "DependencyResolutionError",
            "ForbiddenError",
            "GatewayTimeoutError",
            "InternalServerError",
            "InvalidBodyError",
            "InvalidJSONBodyError",
            "MethodNotAllowedError",
            "NotFoundError",
            "PluginLoadError",
            "PluginNotFoundError",
            "RequestEntityTooLargeError",
            "RequestTimeoutError",
            "ResponseSizeExceededError",
            "SchemaValidationError",
            "ServiceError",
            "ServiceUnavailableError",
            "TooManyRequestsError",
            "UnauthorizedError",
            "UnknownEventError",
            "UnsupportedMediaTypeError",
        ),
        "kernel.exceptions",
    ),
    **dict.fromkeys(("hookimpl", "hookspec"), "kernel.hookspecs"),
    **dict.fromkeys(("Depends", "Request"), "kernel.injection"),
    **dict.fromkeys(("BaseMiddlewareHandler", "MiddlewareFrame", "NextMiddleware"), "kernel.middleware"),
    "BaseRequest": "kernel.request",
    **dict.fromkeys(("Response", "ResponseBuilder"), "kernel.response"),
    **dict.fromkeys(("BaseRouter", "Router"), "kernel.routers"),
    "Route": "kernel.routing",
    # Imported on first use like the rest; named here because it brings asyncio.
    "HttpResolver": "kernel.asgi",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value  # found by plain attribute lookup from now on
        return value
    if name.startswith("__") or os.path.exists(os.path.join(__path__[0], f"{name}.py")):
        # A submodule not imported yet (`from kernel import plugins`): the import system
        # imports it when this lookup fails. No plugin name is looked up for it.
        raise AttributeError(f"module 'kernel' has no attribute {name!r}")
    # Names plugins declare (CORSConfig, Body...): loaded on first use.
    from kernel.compat import exported

    return exported(name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "ALBResolver",
    "APIGatewayHttpResolver",
    "APIGatewayRestResolver",
    "ApiGatewayResolver",
    "App",
    "BadRequestError",
    "BaseMiddlewareHandler",
    "BaseRequest",
    "BaseRouter",
    "BedrockAgentFunctionResolver",
    "BedrockAgentResolver",
    "BedrockFunctionResponse",
    "BedrockResponse",
    "Body",
    "CORSConfig",
    "ConflictError",
    "Cookie",
    "DependencyResolutionError",
    "Depends",
    "File",
    "ForbiddenError",
    "Form",
    "GatewayTimeoutError",
    "Header",
    "HttpResolver",
    "InternalServerError",
    "InvalidBodyError",
    "InvalidJSONBodyError",
    "LambdaFunctionUrlResolver",
    "MethodNotAllowedError",
    "MiddlewareFrame",
    "NextMiddleware",
    "NotFoundError",
    "Path",
    "PluginLoadError",
    "PluginNotFoundError",
    "ProxyEventType",
    "Query",
    "Request",
    "RequestEntityTooLargeError",
    "RequestTimeoutError",
    "RequestValidationError",
    "Response",
    "ResponseBuilder",
    "ResponseSizeExceededError",
    "Route",
    "Router",
    "SameSite",
    "SchemaValidationError",
    "SchemaValidationMiddleware",
    "ServiceError",
    "ServiceUnavailableError",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnknownEventError",
    "UnsupportedMediaTypeError",
    "UploadFile",
    "VPCLatticeResolver",
    "VPCLatticeV2Resolver",
    "content_types",
    "hookimpl",
    "hookspec",
]
