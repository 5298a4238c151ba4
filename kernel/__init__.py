"""kernel: HTTP APIs on AWS Lambda, from decorated functions, through plugins.

The names here are those of the reference event-handler API, so an app
written for it runs with only its imports changed. The resolver classes and
``ProxyEventType`` come from :mod:`kernel.compat`; names that belong to a
plugin (``CORSConfig``...) are declared by that plugin in the
``kernel.exports`` entry-point group and imported on first use.

Plugin authors import from :mod:`kernel.plugin_api`.
"""

from __future__ import annotations

from typing import Any

from kernel import content_types
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
    exported,
)
from kernel.cookies import Cookie, SameSite
from kernel.exceptions import (
    BadRequestError,
    ConflictError,
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
from kernel.injection import DependencyResolutionError, Depends, Request
from kernel.middleware import BaseMiddlewareHandler, MiddlewareFrame, NextMiddleware
from kernel.request import BaseRequest
from kernel.response import Response, ResponseBuilder
from kernel.routers import BaseRouter, Router
from kernel.routing import Route


def __getattr__(name: str) -> Any:
    # Names plugins declare (CORSConfig, Body...): loaded on first use.
    if name.startswith("__"):
        raise AttributeError(f"module 'kernel' has no attribute {name!r}")
    if name == "HttpResolver":
        # Imported on first use: it brings asyncio, which a Lambda app need not import.
        from kernel.asgi import HttpResolver

        return HttpResolver
    return exported(name)


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
