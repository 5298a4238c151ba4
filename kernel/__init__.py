"""kernel: HTTP APIs on AWS Lambda, from decorated functions, through plugins.

The names here are those of the reference event-handler API, so an app
written for it runs with only its imports changed. Names that belong to a
feature plugin (``CORSConfig``...) are imported from that plugin on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from kernel import content_types
from kernel.app import ApiGatewayResolver, App, BaseRouter, Router
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
    SchemaValidationError,
    ServiceError,
    ServiceUnavailableError,
    TooManyRequestsError,
    UnauthorizedError,
    UnknownEventError,
    UnsupportedMediaTypeError,
)
from kernel.hookspecs import hookimpl, hookspec
from kernel.middleware import BaseMiddlewareHandler, MiddlewareFrame, NextMiddleware
from kernel.request import BaseRequest
from kernel.resolvers import (
    ALBResolver,
    APIGatewayHttpResolver,
    APIGatewayRestResolver,
    BedrockAgentResolver,
    LambdaFunctionUrlResolver,
    VPCLatticeResolver,
    VPCLatticeV2Resolver,
)
from kernel.response import Response
from kernel.routing import Route
from kernel.sources import ProxyEventType

# Public names provided by feature plugins: name -> (plugin, module).
_PLUGIN_NAMES = {
    "CORSConfig": ("cors", "kernel_cors"),
    "BedrockResponse": ("bedrock", "kernel_bedrock"),
    "Body": ("validation", "kernel_validation"),
    "Header": ("validation", "kernel_validation"),
    "Path": ("validation", "kernel_validation"),
    "Query": ("validation", "kernel_validation"),
    "RequestValidationError": ("validation", "kernel_validation"),
}


def __getattr__(name: str) -> Any:
    if name in _PLUGIN_NAMES:
        plugin, module = _PLUGIN_NAMES[name]
        try:
            return getattr(importlib.import_module(module), name)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            raise PluginNotFoundError(plugin) from None
    raise AttributeError(f"module 'kernel' has no attribute {name!r}")


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
    "BedrockAgentResolver",
    "BedrockResponse",
    "Body",
    "CORSConfig",
    "ConflictError",
    "Cookie",
    "ForbiddenError",
    "GatewayTimeoutError",
    "Header",
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
    "RequestEntityTooLargeError",
    "RequestTimeoutError",
    "RequestValidationError",
    "Response",
    "Route",
    "Router",
    "SameSite",
    "SchemaValidationError",
    "ServiceError",
    "ServiceUnavailableError",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnknownEventError",
    "UnsupportedMediaTypeError",
    "VPCLatticeResolver",
    "VPCLatticeV2Resolver",
    "content_types",
    "hookimpl",
    "hookspec",
]
