"""OpenAPI 3.1 documents generated from kernel apps.

Installed with ``pip install --no-index --find-links dist "kernel[openapi]"`` from the
wheelhouse ``scripts/wheelhouse`` builds (which brings the validation
plugin: the document describes what validation checks). ``app.get_openapi_schema()``
and ``app.get_openapi_json_schema()`` call the functions of this module. Other
plugins add to the document by implementing the ``emit_schema`` hook.

This module is loaded by every app when the plugin is installed, so it stays
light: pydantic and the models are imported when a document is first asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kernel.plugin_api import ApiGatewayResolver
    from kernel_openapi.models import (
        APIKey,
        APIKeyIn,
        Contact,
        ExternalDocumentation,
        HTTPBase,
        HTTPBearer,
        Info,
        License,
        MutualTLS,
        OAuth2,
        OAuthFlowAuthorizationCode,
        OAuthFlowClientCredentials,
        OAuthFlowImplicit,
        OAuthFlowPassword,
        OAuthFlows,
        OpenAPI,
        OpenIdConnect,
        SecurityScheme,
        Server,
        ServerVariable,
        Tag,
    )

#: The document's title unless ``title=`` says otherwise.
DEFAULT_TITLE = "API"
#: The API's version unless ``version=`` says otherwise.
DEFAULT_API_VERSION = "1.0.0"
#: The OpenAPI version written (pydantic v2 schemas need 3.1).
DEFAULT_OPENAPI_VERSION = "3.1.0"

_MODELS = {
    "APIKey",
    "APIKeyIn",
    "Contact",
    "ExternalDocumentation",
    "HTTPBase",
    "HTTPBearer",
    "Info",
    "License",
    "MutualTLS",
    "OAuth2",
    "OAuthFlowAuthorizationCode",
    "OAuthFlowClientCredentials",
    "OAuthFlowImplicit",
    "OAuthFlowPassword",
    "OAuthFlows",
    "OpenAPI",
    "OpenIdConnect",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Tag",
}


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        return getattr(importlib.import_module("kernel_openapi.models"), name)
    raise AttributeError(f"module 'kernel_openapi' has no attribute {name!r}")


def get_openapi_schema(
    app: ApiGatewayResolver,
    *,
    title: str = DEFAULT_TITLE,
    version: str = DEFAULT_API_VERSION,
    openapi_version: str = DEFAULT_OPENAPI_VERSION,
    summary: str | None = None,
    description: str | None = None,
    tags: Sequence[Tag | str] | None = None,
    servers: Sequence[Server] | None = None,
    terms_of_service: str | None = None,
    contact: Contact | None = None,
    license_info: License | None = None,
    security_schemes: dict[str, SecurityScheme] | None = None,
    security: list[dict[str, list[str]]] | None = None,
) -> OpenAPI:
    """The OpenAPI document describing ``app``'s routes, as an :class:`~kernel_openapi.models.OpenAPI` model.

    :param title: the API's title.
    :param version: the API's own version (not the OpenAPI version).
    :param openapi_version: the OpenAPI version; anything but 3.1.x is replaced
        by ``3.1.0`` with a warning, since pydantic v2 writes 3.1 schemas.
    :param summary: a one-line summary of the API.
    :param description: a longer description (CommonMark).
    :param tags: tags with descriptions, as :class:`Tag` or plain names.
    :param servers: where the API is served; ``[Server(url="/")]`` by default.
    :param terms_of_service: a URL to the terms of service.
    :param contact: who to contact.
    :param license_info: the API's license.
    :param security_schemes: the security schemes, by the name requirements use.
    :param security: requirements applying to every operation, such as
        ``[{"bearerAuth": []}]``.

    Raises :class:`~kernel.exceptions.SchemaValidationError` when ``security``
    (here or on a route) names a scheme missing from ``security_schemes``.
    Warns when two routes share an operation id.
    """
    keywords = dict(locals())  # first, so it holds exactly the parameters
    from kernel_openapi.models import OpenAPI

    return OpenAPI.model_validate(_document(app, keywords))


def get_openapi_json_schema(
    app: ApiGatewayResolver,
    *,
    title: str = DEFAULT_TITLE,
    version: str = DEFAULT_API_VERSION,
    openapi_version: str = DEFAULT_OPENAPI_VERSION,
    summary: str | None = None,
    description: str | None = None,
    tags: Sequence[Tag | str] | None = None,
    servers: Sequence[Server] | None = None,
    terms_of_service: str | None = None,
    contact: Contact | None = None,
    license_info: License | None = None,
    security_schemes: dict[str, SecurityScheme] | None = None,
    security: list[dict[str, list[str]]] | None = None,
) -> str:
    """The OpenAPI document of ``app`` as JSON text (indented); takes the keywords of :func:`get_openapi_schema`."""
    keywords = dict(locals())  # first, so it holds exactly the parameters
    from pydantic_core import to_json

    # pydantic-core writes indented JSON several times faster than json.dumps,
    # and writes the models a plugin may have put into the document as
    # model_dump would: by alias, without unset fields.
    return to_json(_document(app, keywords), indent=2, by_alias=True, exclude_none=True).decode()


def _document(app: ApiGatewayResolver, keywords: dict[str, Any]) -> dict[str, Any]:
    from kernel_openapi.generator import build_document

    keywords = {key: value for key, value in keywords.items() if key != "app"}
    return build_document(app, **keywords)


__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_OPENAPI_VERSION",
    "DEFAULT_TITLE",
    "APIKey",
    "APIKeyIn",
    "Contact",
    "ExternalDocumentation",
    "HTTPBase",
    "HTTPBearer",
    "Info",
    "License",
    "MutualTLS",
    "OAuth2",
    "OAuthFlowAuthorizationCode",
    "OAuthFlowClientCredentials",
    "OAuthFlowImplicit",
    "OAuthFlowPassword",
    "OAuthFlows",
    "OpenAPI",
    "OpenIdConnect",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Tag",
    "get_openapi_json_schema",
    "get_openapi_schema",
]
