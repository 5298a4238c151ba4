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
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from kernel.plugin_api import ApiGatewayResolver
    from kernel_openapi.models import (
        Contact,
        ExternalDocumentation,
        License,
        OpenAPI,
        SecurityScheme,
        Server,
        Tag,
    )

#: The document's title unless ``title=`` (or ``configure_openapi``) says otherwise.
DEFAULT_TITLE = "API"
#: The API's version unless ``version=`` says otherwise.
DEFAULT_API_VERSION = "1.0.0"
#: The OpenAPI version written (pydantic v2 schemas need 3.1).
DEFAULT_OPENAPI_VERSION = "3.1.0"

#: The models of :mod:`kernel_openapi.models` that Powertools' ``openapi.models`` offers
#: too, importable from here (the models module's ``__all__`` is built on this list).
MODEL_NAMES = (
    "XML",
    "APIKey",
    "APIKeyIn",
    "Components",
    "Contact",
    "Discriminator",
    "Encoding",
    "Example",
    "ExternalDocumentation",
    "HTTPBase",
    "HTTPBearer",
    "Header",
    "Info",
    "License",
    "Link",
    "MediaType",
    "MutualTLS",
    "OAuth2",
    "OAuthFlow",
    "OAuthFlowAuthorizationCode",
    "OAuthFlowClientCredentials",
    "OAuthFlowImplicit",
    "OAuthFlowPassword",
    "OAuthFlows",
    "OpenAPI",
    "OpenAPIExtensions",
    "OpenIdConnect",
    "Operation",
    "Parameter",
    "ParameterBase",
    "ParameterInType",
    "PathItem",
    "Reference",
    "RequestBody",
    "Response",
    "Schema",
    "SchemaOrBool",
    "SecurityBase",
    "SecurityScheme",
    "SecuritySchemeType",
    "Server",
    "ServerVariable",
    "Tag",
)

#: The names of :mod:`kernel_openapi.models` and :mod:`kernel_openapi.encoders`
#: importable from here, loaded on first use.
_LAZY = {
    **dict.fromkeys(MODEL_NAMES, "kernel_openapi.models"),
    "jsonable_encoder": "kernel_openapi.encoders",
    "SerializationError": "kernel_openapi.encoders",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module 'kernel_openapi' has no attribute {name!r}")


@dataclass
class OpenAPIConfig:
    """What ``configure_openapi`` recorded for an app: the defaults of its documents."""

    title: str = DEFAULT_TITLE
    version: str = DEFAULT_API_VERSION
    openapi_version: str = DEFAULT_OPENAPI_VERSION
    summary: str | None = None
    description: str | None = None
    tags: Sequence[Tag | str] | None = None
    servers: Sequence[Server] | None = None
    terms_of_service: str | None = None
    contact: Contact | None = None
    license_info: License | None = None
    security_schemes: dict[str, SecurityScheme] | None = None
    security: list[dict[str, list[str]]] | None = None
    external_documentation: ExternalDocumentation | None = None
    openapi_extensions: dict[str, Any] | None = None


_configs: WeakKeyDictionary[Any, OpenAPIConfig] = WeakKeyDictionary()


def configure_openapi(
    app: ApiGatewayResolver,
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
    external_documentation: ExternalDocumentation | None = None,
    openapi_extensions: dict[str, Any] | None = None,
) -> None:
    """Record the defaults of ``app``'s OpenAPI documents (takes the keywords of :func:`get_openapi_schema`).

    ``get_openapi_schema``, ``get_openapi_json_schema``, the Swagger UI route
    and ``kernel openapi`` then use them wherever they are not given a value of
    their own. Calling it again replaces the previous configuration.
    """
    settings = dict(locals())
    del settings["app"]
    _configs[app] = OpenAPIConfig(**settings)


_served: WeakKeyDictionary[Any, dict[str, Any]] = WeakKeyDictionary()


def record_served_document(app: Any, **keywords: Any) -> None:
    """Record the keywords ``app`` serves its document with (the Swagger UI route calls this).

    ``kernel openapi APP`` then exports the document the route serves, with
    the same title, servers, security...; ``keywords`` are those of
    :func:`get_openapi_json_schema`, only the ones given.
    """
    _served[app] = dict(keywords)


def served_document_keywords(app: Any) -> dict[str, Any]:
    """The keywords recorded by :func:`record_served_document` for ``app`` (empty when none were)."""
    return dict(_served.get(app) or {})


def openapi_config(app: Any) -> OpenAPIConfig:
    """The configuration ``configure_openapi`` recorded for ``app`` (the defaults if it was never called)."""
    return _configs.get(app) or OpenAPIConfig()


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
    external_documentation: ExternalDocumentation | None = None,
    openapi_extensions: dict[str, Any] | None = None,
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
    :param external_documentation: a link to the API's further documentation.
    :param openapi_extensions: ``x-`` keys added to the document's top level.

    A keyword left at its default takes the value ``app.configure_openapi()``
    recorded, if any.

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
    external_documentation: ExternalDocumentation | None = None,
    openapi_extensions: dict[str, Any] | None = None,
) -> str:
    """The OpenAPI document of ``app`` as JSON text (indented); takes the keywords of :func:`get_openapi_schema`.

    An app whose class sets ``openapi_json_version`` (``BedrockAgentResolver``:
    ``"3.0.3"``) gets its document in that OpenAPI 3.0 version, optional values
    written ``nullable: true``.
    """
    keywords = dict(locals())  # first, so it holds exactly the parameters
    from pydantic_core import to_json

    document = _document(app, keywords, read_only=True)
    written_as = getattr(app, "openapi_json_version", None)
    if written_as:
        # Bedrock agents read OpenAPI 3.0 only: the app's class says so.
        document = _as_openapi_30(to_json(document, by_alias=True, exclude_none=True), written_as)
    # pydantic-core writes indented JSON several times faster than json.dumps,
    # and writes the models a plugin may have put into the document as
    # model_dump would: by alias, without unset fields.
    return to_json(document, indent=2, by_alias=True, exclude_none=True).decode()


def _as_openapi_30(text: bytes, version: str) -> dict[str, Any]:
    """The 3.1 document ``text`` rewritten for OpenAPI ``version`` (3.0.x), as Powertools rewrites it.

    A null alternative of ``anyOf`` (how pydantic writes ``Optional``) becomes
    ``nullable: true``, the 3.0 spelling.
    """
    import json

    def rewrite(value: Any) -> None:
        if isinstance(value, dict):
            alternatives = value.get("anyOf")
            if isinstance(alternatives, list) and {"type": "null"} in alternatives:
                alternatives.remove({"type": "null"})
                value["nullable"] = True
            for item in value.values():
                rewrite(item)
        elif isinstance(value, list):
            for item in value:
                rewrite(item)

    document: dict[str, Any] = json.loads(text)
    document["openapi"] = version
    rewrite(document)
    return document


def _document(app: ApiGatewayResolver, keywords: dict[str, Any], read_only: bool = False) -> dict[str, Any]:
    from kernel_openapi.generator import build_document

    keywords = {key: value for key, value in keywords.items() if key != "app"}
    config = _configs.get(app)
    if config is not None:
        defaults = OpenAPIConfig()
        for field in fields(OpenAPIConfig):
            name = field.name
            given = keywords[name]
            # A keyword at its default (or empty) takes the configured value.
            if given == getattr(defaults, name) or not given:
                keywords[name] = getattr(config, name) or given
    return build_document(app, **keywords, read_only=read_only)


__all__ = sorted(
    [
        "DEFAULT_API_VERSION",
        "DEFAULT_OPENAPI_VERSION",
        "DEFAULT_TITLE",
        "OpenAPIConfig",
        "configure_openapi",
        "get_openapi_json_schema",
        "get_openapi_schema",
        "openapi_config",
        "record_served_document",
        "served_document_keywords",
        *_LAZY,
    ]
)
