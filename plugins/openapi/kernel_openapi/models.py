"""The OpenAPI 3.1 document as pydantic models.

Users build the document's metadata with these (``Info``, ``Contact``,
``License``, ``Server``, ``Tag``, the security schemes) and receive an
:class:`OpenAPI` from ``get_openapi_schema()``. Field names follow the
specification's spelling (``termsOfService``, ``operationId``); where that is a
Python keyword or clashes with pydantic (``in``, ``schema``, ``$ref``) the
field ends in ``_`` (or is named ``ref``) and is read and written by its alias.
Every model accepts extra keys, so ``x-`` extensions pass through.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class OpenAPIModel(BaseModel):
    """Base of the document's models: extensions allowed, fields by name or alias."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Contact(OpenAPIModel):
    """Who to contact about the API."""

    name: str | None = None
    url: str | None = None
    email: str | None = None


class License(OpenAPIModel):
    """The API's license: a name and an SPDX identifier or a URL."""

    name: str
    identifier: str | None = None
    url: str | None = None


class Info(OpenAPIModel):
    """The document's ``info`` object."""

    title: str
    summary: str | None = None
    description: str | None = None
    termsOfService: str | None = None
    contact: Contact | None = None
    license: License | None = None
    version: str


class ServerVariable(OpenAPIModel):
    """A variable of a server URL template."""

    enum: list[str] | None = Field(default=None, min_length=1)
    default: str
    description: str | None = None


class Server(OpenAPIModel):
    """A server the API is reachable at (``url`` may be relative, like ``/``)."""

    url: str
    description: str | None = None
    variables: dict[str, ServerVariable] | None = None


class ExternalDocumentation(OpenAPIModel):
    """A link to further documentation."""

    description: str | None = None
    url: str


class Tag(OpenAPIModel):
    """A tag used by operations, with a description."""

    name: str
    description: str | None = None
    externalDocs: ExternalDocumentation | None = None


class Reference(OpenAPIModel):
    """A ``{"$ref": ...}`` to a component."""

    ref: str = Field(alias="$ref")
    summary: str | None = None
    description: str | None = None


# -- security -------------------------------------------------------------------


class SecuritySchemeType(str, Enum):
    """The kinds of security scheme."""

    apiKey = "apiKey"
    http = "http"
    mutualTLS = "mutualTLS"
    oauth2 = "oauth2"
    openIdConnect = "openIdConnect"


class SecurityScheme(OpenAPIModel):
    """A security scheme of ``components.securitySchemes``; the subclasses fill in ``type``.

    Named in ``security_schemes={"name": scheme}`` and used by
    ``security=[{"name": [scopes...]}]`` globally or on a route.
    """

    type_: SecuritySchemeType = Field(alias="type")
    description: str | None = None


class APIKeyIn(str, Enum):
    """Where an API key is sent."""

    query = "query"
    header = "header"
    cookie = "cookie"


class APIKey(SecurityScheme):
    """An API key in a header, query parameter or cookie."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.apiKey, alias="type")
    in_: APIKeyIn = Field(alias="in")
    name: str


class HTTPBase(SecurityScheme):
    """An HTTP authentication scheme (``basic``, ``digest``...)."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.http, alias="type")
    scheme: str


class HTTPBearer(HTTPBase):
    """HTTP bearer tokens, optionally saying their format (``JWT``)."""

    scheme: Literal["bearer"] = "bearer"
    bearerFormat: str | None = None


class OAuthFlow(OpenAPIModel):
    """Settings shared by the OAuth2 flows."""

    refreshUrl: str | None = None
    scopes: dict[str, str] = Field(default_factory=dict)


class OAuthFlowImplicit(OAuthFlow):
    """The implicit flow."""

    authorizationUrl: str


class OAuthFlowPassword(OAuthFlow):
    """The resource owner password flow."""

    tokenUrl: str


class OAuthFlowClientCredentials(OAuthFlow):
    """The client credentials flow."""

    tokenUrl: str


class OAuthFlowAuthorizationCode(OAuthFlow):
    """The authorization code flow."""

    authorizationUrl: str
    tokenUrl: str


class OAuthFlows(OpenAPIModel):
    """The OAuth2 flows a scheme supports."""

    implicit: OAuthFlowImplicit | None = None
    password: OAuthFlowPassword | None = None
    clientCredentials: OAuthFlowClientCredentials | None = None
    authorizationCode: OAuthFlowAuthorizationCode | None = None


class OAuth2(SecurityScheme):
    """OAuth2, with its flows."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.oauth2, alias="type")
    flows: OAuthFlows


class OpenIdConnect(SecurityScheme):
    """OpenID Connect discovery."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.openIdConnect, alias="type")
    openIdConnectUrl: str


class MutualTLS(SecurityScheme):
    """Mutual TLS client certificates."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.mutualTLS, alias="type")


# -- paths ------------------------------------------------------------------------


class MediaType(OpenAPIModel):
    """The schema and examples of one content type."""

    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    example: Any | None = None
    examples: dict[str, Any] | None = None


class Parameter(OpenAPIModel):
    """An operation parameter (path, query, header or cookie)."""

    name: str
    in_: Literal["query", "header", "path", "cookie"] = Field(alias="in")
    description: str | None = None
    required: bool | None = None
    deprecated: bool | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    example: Any | None = None
    examples: dict[str, Any] | None = None


class RequestBody(OpenAPIModel):
    """An operation's request body."""

    description: str | None = None
    content: dict[str, MediaType]
    required: bool | None = None


class Response(OpenAPIModel):
    """One response of an operation."""

    description: str
    headers: dict[str, Any] | None = None
    content: dict[str, MediaType] | None = None
    links: dict[str, Any] | None = None


class Operation(OpenAPIModel):
    """One method of one path."""

    tags: list[str] | None = None
    summary: str | None = None
    description: str | None = None
    externalDocs: ExternalDocumentation | None = None
    operationId: str | None = None
    parameters: list[Parameter | Reference] | None = None
    requestBody: RequestBody | Reference | None = None
    responses: dict[str, Response | Reference] | None = None
    callbacks: dict[str, Any] | None = None
    deprecated: bool | None = None
    security: list[dict[str, list[str]]] | None = None
    servers: list[Server] | None = None


class PathItem(OpenAPIModel):
    """The operations of one path."""

    ref: str | None = Field(default=None, alias="$ref")
    summary: str | None = None
    description: str | None = None
    get: Operation | None = None
    put: Operation | None = None
    post: Operation | None = None
    delete: Operation | None = None
    options: Operation | None = None
    head: Operation | None = None
    patch: Operation | None = None
    trace: Operation | None = None
    servers: list[Server] | None = None
    parameters: list[Parameter | Reference] | None = None


class Components(OpenAPIModel):
    """Reusable parts: JSON schemas of models, security schemes..."""

    schemas: dict[str, dict[str, Any]] | None = None
    responses: dict[str, Response | Reference] | None = None
    parameters: dict[str, Parameter | Reference] | None = None
    examples: dict[str, Any] | None = None
    requestBodies: dict[str, RequestBody | Reference] | None = None
    headers: dict[str, Any] | None = None
    securitySchemes: dict[str, SecurityScheme | Reference] | None = None
    links: dict[str, Any] | None = None
    callbacks: dict[str, Any] | None = None
    pathItems: dict[str, PathItem | Reference] | None = None


class OpenAPI(OpenAPIModel):
    """A whole OpenAPI 3.1 document."""

    openapi: str
    info: Info
    jsonSchemaDialect: str | None = None
    servers: list[Server] | None = None
    paths: dict[str, PathItem] | None = None
    webhooks: dict[str, PathItem | Reference] | None = None
    components: Components | None = None
    security: list[dict[str, list[str]]] | None = None
    tags: list[Tag] | None = None
    externalDocs: ExternalDocumentation | None = None


__all__ = [
    "APIKey",
    "APIKeyIn",
    "Components",
    "Contact",
    "ExternalDocumentation",
    "HTTPBase",
    "HTTPBearer",
    "Info",
    "License",
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
    "OpenAPIModel",
    "OpenIdConnect",
    "Operation",
    "Parameter",
    "PathItem",
    "Reference",
    "RequestBody",
    "Response",
    "SecurityScheme",
    "SecuritySchemeType",
    "Server",
    "ServerVariable",
    "Tag",
]
