"""The name table: where each name a pattern app uses comes from, in Powertools and in kernel.

A pattern app never imports either library; it reads every name from the
``lib`` namespace it is given, so the same source runs on both and only
this table (the imports) differs. The kernel column is the import table of
docs/migrating.md, section 2.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace

PT = "aws_lambda_powertools.event_handler"

# name: (Powertools module, kernel module); "module:attribute" where kernel's name differs.
NAMES: dict[str, tuple[str, str]] = {
    # Resolvers, responses, routers
    "APIGatewayRestResolver": (PT, "kernel"),
    "APIGatewayHttpResolver": (PT, "kernel"),
    "ALBResolver": (PT, "kernel"),
    "LambdaFunctionUrlResolver": (PT, "kernel"),
    "VPCLatticeResolver": (PT, "kernel"),
    "VPCLatticeV2Resolver": (PT, "kernel"),
    "ApiGatewayResolver": (f"{PT}.api_gateway", "kernel"),
    "ProxyEventType": (f"{PT}.api_gateway", "kernel"),
    "Router": (f"{PT}.api_gateway", "kernel"),
    # One Router in kernel for Powertools' per-source routers (docs/migrating.md, section 2).
    "APIGatewayRouter": (f"{PT}.router", "kernel:Router"),
    "APIGatewayHttpRouter": (f"{PT}.router", "kernel:Router"),
    "ALBRouter": (f"{PT}.router", "kernel:Router"),
    "LambdaFunctionUrlRouter": (f"{PT}.router", "kernel:Router"),
    "Response": (PT, "kernel"),
    "content_types": (PT, "kernel"),
    "CORSConfig": (PT, "kernel"),
    "Cookie": ("aws_lambda_powertools.shared.cookies", "kernel"),
    "SameSite": ("aws_lambda_powertools.shared.cookies", "kernel"),
    # Exceptions
    "BadRequestError": (f"{PT}.exceptions", "kernel"),
    "UnauthorizedError": (f"{PT}.exceptions", "kernel"),
    "ForbiddenError": (f"{PT}.exceptions", "kernel"),
    "NotFoundError": (f"{PT}.exceptions", "kernel"),
    "InternalServerError": (f"{PT}.exceptions", "kernel"),
    "ServiceUnavailableError": (f"{PT}.exceptions", "kernel"),
    "ServiceError": (f"{PT}.exceptions", "kernel"),
    "ResponseSizeExceededError": (f"{PT}.exceptions", "kernel"),
    # Middlewares
    "BaseMiddlewareHandler": (f"{PT}.middlewares", "kernel"),
    "NextMiddleware": (f"{PT}.middlewares", "kernel"),
    # Validation
    "Body": (f"{PT}.openapi.params", "kernel"),
    "Query": (f"{PT}.openapi.params", "kernel"),
    "Path": (f"{PT}.openapi.params", "kernel"),
    "Header": (f"{PT}.openapi.params", "kernel"),
    "Form": (f"{PT}.openapi.params", "kernel"),
    "File": (f"{PT}.openapi.params", "kernel"),
    "UploadFile": (f"{PT}.openapi.params", "kernel"),
    "RequestValidationError": (f"{PT}.openapi.exceptions", "kernel"),
    "Depends": (PT, "kernel"),
    # OpenAPI models
    "Server": (f"{PT}.openapi.models", "kernel_openapi"),
    "Tag": (f"{PT}.openapi.models", "kernel_openapi"),
    "Contact": (f"{PT}.openapi.models", "kernel_openapi"),
    "License": (f"{PT}.openapi.models", "kernel_openapi"),
    "HTTPBearer": (f"{PT}.openapi.models", "kernel_openapi"),
    "APIKey": (f"{PT}.openapi.models", "kernel_openapi"),
    "APIKeyIn": (f"{PT}.openapi.models", "kernel_openapi"),
    "OAuth2": (f"{PT}.openapi.models", "kernel_openapi"),
    "OAuthFlows": (f"{PT}.openapi.models", "kernel_openapi"),
    "OAuthFlowAuthorizationCode": (f"{PT}.openapi.models", "kernel_openapi"),
}

LIBRARIES = ("powertools", "kernel")


def library(which: str) -> SimpleNamespace:
    """Every name of :data:`NAMES`, imported from ``which`` library ("powertools" or "kernel")."""
    column = LIBRARIES.index(which)
    names = {}
    for name, modules in NAMES.items():
        module, _, attribute = modules[column].partition(":")
        names[name] = getattr(importlib.import_module(module), attribute or name)
    return SimpleNamespace(name=which, **names)
