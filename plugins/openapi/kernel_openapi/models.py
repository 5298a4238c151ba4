"""The OpenAPI 3.1 document as pydantic models.

Users build the document's metadata with these (``Info``, ``Contact``,
``License``, ``Server``, ``Tag``, the security schemes) and receive an
:class:`OpenAPI` from ``get_openapi_schema()``, a tree of these models down to
the JSON Schemas (:class:`Schema`). Field names follow the specification's
spelling (``termsOfService``, ``operationId``); where that is a Python keyword
or clashes with pydantic (``in``, ``schema``, ``$ref``, ``not``) the field ends
in ``_`` (or is named ``ref``) and is read and written by its alias. Every
model accepts extra keys, so ``x-`` extensions pass through; the models the
specification lets carry extensions where users declare them (servers,
operations, security schemes, the document) also take
``openapi_extensions={"x-name": value}``, whose keys must start with ``x-``.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, model_validator
from pydantic import Discriminator as _Discriminator
from pydantic import Tag as _Tag

from kernel.plugin_api import SchemaValidationError
from kernel_openapi import MODEL_NAMES


class OpenAPIModel(BaseModel):
    """Base of the document's models: extensions allowed, fields by name or alias."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class OpenAPIExtensions(OpenAPIModel):
    """A model that takes ``openapi_extensions``: its ``x-`` keys become keys of the object itself."""

    openapi_extensions: dict[str, Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _spread_extensions(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("openapi_extensions"):
            extensions = data["openapi_extensions"]
            for key in extensions:
                if not str(key).startswith("x-"):
                    raise SchemaValidationError(f"OpenAPI extension keys start with 'x-', not {key!r}")
            data = {key: value for key, value in data.items() if key != "openapi_extensions"}
            data.update(extensions)
        return data


class Contact(OpenAPIModel):
    """Who to contact about the API."""

    name: str | None = None
    url: AnyUrl | None = None
    email: str | None = None


class License(OpenAPIModel):
    """The API's license: a name and an SPDX identifier or a URL."""

    name: str
    identifier: str | None = None
    url: AnyUrl | None = None


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


class Server(OpenAPIExtensions):
    """A server the API is reachable at (``url`` may be relative, like ``/``)."""

    url: str
    description: str | None = None
    variables: dict[str, ServerVariable] | None = None


class ExternalDocumentation(OpenAPIModel):
    """A link to further documentation."""

    description: str | None = None
    url: AnyUrl


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


# -- JSON Schema ---------------------------------------------------------------------


class Discriminator(OpenAPIModel):
    """Which property tells the alternatives of a ``oneOf``/``anyOf`` apart."""

    propertyName: str
    mapping: dict[str, str] | None = None


class XML(OpenAPIModel):
    """How a schema is written as XML."""

    name: str | None = None
    namespace: str | None = None
    prefix: str | None = None
    attribute: bool | None = None
    wrapped: bool | None = None


class Schema(OpenAPIModel):
    """A JSON Schema (2020-12, as OpenAPI 3.1 uses it), with OpenAPI's additions.

    Keywords spelled with ``$`` or that are Python keywords have a field named
    without them (``ref`` for ``$ref``, ``defs`` for ``$defs``, ``not_``,
    ``if_``, ``else_``); any other keyword is kept as an extra.
    """

    schema_: str | None = Field(default=None, alias="$schema")
    vocabulary: str | None = Field(default=None, alias="$vocabulary")
    id: str | None = Field(default=None, alias="$id")
    anchor: str | None = Field(default=None, alias="$anchor")
    dynamicAnchor: str | None = Field(default=None, alias="$dynamicAnchor")
    ref: str | None = Field(default=None, alias="$ref")
    dynamicRef: str | None = Field(default=None, alias="$dynamicRef")
    defs: dict[str, SchemaOrBool] | None = Field(default=None, alias="$defs")
    comment: str | None = Field(default=None, alias="$comment")
    # Applying subschemas.
    allOf: list[SchemaOrBool] | None = None
    anyOf: list[SchemaOrBool] | None = None
    oneOf: list[SchemaOrBool] | None = None
    not_: SchemaOrBool | None = Field(default=None, alias="not")
    if_: SchemaOrBool | None = Field(default=None, alias="if")
    then: SchemaOrBool | None = None
    else_: SchemaOrBool | None = Field(default=None, alias="else")
    dependentSchemas: dict[str, SchemaOrBool] | None = None
    prefixItems: list[SchemaOrBool] | None = None
    items: SchemaOrBool | list[SchemaOrBool] | None = None
    contains: SchemaOrBool | None = None
    properties: dict[str, SchemaOrBool] | None = None
    patternProperties: dict[str, SchemaOrBool] | None = None
    additionalProperties: SchemaOrBool | None = None
    propertyNames: SchemaOrBool | None = None
    unevaluatedItems: SchemaOrBool | None = None
    unevaluatedProperties: SchemaOrBool | None = None
    # Validation.
    type: str | list[str] | None = None
    enum: list[Any] | None = None
    const: Any | None = None
    multipleOf: float | None = Field(default=None, gt=0)
    maximum: float | None = None
    exclusiveMaximum: float | None = None
    minimum: float | None = None
    exclusiveMinimum: float | None = None
    maxLength: int | None = Field(default=None, ge=0)
    minLength: int | None = Field(default=None, ge=0)
    pattern: str | None = None
    maxItems: int | None = Field(default=None, ge=0)
    minItems: int | None = Field(default=None, ge=0)
    uniqueItems: bool | None = None
    maxContains: int | None = Field(default=None, ge=0)
    minContains: int | None = Field(default=None, ge=0)
    maxProperties: int | None = Field(default=None, ge=0)
    minProperties: int | None = Field(default=None, ge=0)
    required: list[str] | None = None
    dependentRequired: dict[str, list[str]] | None = None
    format: str | None = None
    contentEncoding: str | None = None
    contentMediaType: str | None = None
    contentSchema: SchemaOrBool | None = None
    # Annotations.
    title: str | None = None
    description: str | None = None
    default: Any | None = None
    deprecated: bool | None = None
    readOnly: bool | None = None
    writeOnly: bool | None = None
    examples: list[Any] | None = None
    # OpenAPI's own.
    discriminator: Discriminator | None = None
    xml: XML | None = None
    externalDocs: ExternalDocumentation | None = None


#: A JSON Schema is an object or a boolean.
SchemaOrBool = Schema | bool


class Example(OpenAPIModel):
    """A named example of a parameter or a media type."""

    summary: str | None = None
    description: str | None = None
    value: Any | None = None
    externalValue: AnyUrl | None = None


class ParameterInType(Enum):
    """Where a parameter is sent."""

    query = "query"
    header = "header"
    path = "path"
    cookie = "cookie"


# -- security -------------------------------------------------------------------


class SecuritySchemeType(Enum):
    """The kinds of security scheme."""

    apiKey = "apiKey"
    http = "http"
    mutualTLS = "mutualTLS"
    oauth2 = "oauth2"
    openIdConnect = "openIdConnect"


class SecurityBase(OpenAPIExtensions):
    """Base of the security schemes of ``components.securitySchemes``; the subclasses fill in ``type``.

    Named in ``security_schemes={"name": scheme}`` and used by
    ``security=[{"name": [scopes...]}]`` globally or on a route.
    """

    type_: SecuritySchemeType = Field(alias="type")
    description: str | None = None


class APIKeyIn(Enum):
    """Where an API key is sent."""

    query = "query"
    header = "header"
    cookie = "cookie"


class APIKey(SecurityBase):
    """An API key in a header, query parameter or cookie."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.apiKey, alias="type")
    in_: APIKeyIn = Field(alias="in")
    name: str


class HTTPBase(SecurityBase):
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


class OAuth2(SecurityBase):
    """OAuth2, with its flows."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.oauth2, alias="type")
    flows: OAuthFlows


class OpenIdConnect(SecurityBase):
    """OpenID Connect discovery."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.openIdConnect, alias="type")
    openIdConnectUrl: str


class MutualTLS(SecurityBase):
    """Mutual TLS client certificates."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.mutualTLS, alias="type")


#: Any of the security schemes (what ``security_schemes`` maps names to).
SecurityScheme = APIKey | HTTPBase | OAuth2 | OpenIdConnect | HTTPBearer | MutualTLS


def _scheme_kind(value: Any) -> str | None:
    """Which security scheme class a scheme (a model or its JSON) is, from its ``type`` (and HTTP ``scheme``)."""
    if isinstance(value, SecurityBase):
        return type(value).__name__ if type(value).__name__ in _SCHEME_CLASSES else None
    if not isinstance(value, dict):
        return None
    if "$ref" in value:
        return "Reference"
    kind = value.get("type")
    kind = kind.value if isinstance(kind, SecuritySchemeType) else kind
    if kind == "http":
        return "HTTPBearer" if str(value.get("scheme", "")).lower() == "bearer" else "HTTPBase"
    return _SCHEME_OF_TYPE.get(str(kind))


_SCHEME_CLASSES = {"APIKey", "HTTPBase", "HTTPBearer", "OAuth2", "OpenIdConnect", "MutualTLS"}
_SCHEME_OF_TYPE = {"apiKey": "APIKey", "oauth2": "OAuth2", "openIdConnect": "OpenIdConnect", "mutualTLS": "MutualTLS"}

#: A scheme read from a document keeps its class: the ``type`` (and an HTTP
#: scheme's ``scheme``) says which, rather than the first class that fits.
_AnyScheme = Annotated[
    Annotated[APIKey, _Tag("APIKey")]
    | Annotated[HTTPBearer, _Tag("HTTPBearer")]
    | Annotated[HTTPBase, _Tag("HTTPBase")]
    | Annotated[OAuth2, _Tag("OAuth2")]
    | Annotated[OpenIdConnect, _Tag("OpenIdConnect")]
    | Annotated[MutualTLS, _Tag("MutualTLS")]
    | Annotated[Reference, _Tag("Reference")],
    _Discriminator(_scheme_kind),
]


# -- paths ------------------------------------------------------------------------


class Encoding(OpenAPIModel):
    """How one property of a multipart or form body is encoded."""

    contentType: str | None = None
    headers: dict[str, Header | Reference] | None = None
    style: str | None = None
    explode: bool | None = None
    allowReserved: bool | None = None


class MediaType(OpenAPIModel):
    """The schema and examples of one content type."""

    schema_: Schema | Reference | None = Field(default=None, alias="schema")
    example: Any | None = None
    examples: dict[str, Example | Reference] | None = None
    encoding: dict[str, Encoding] | None = None


class ParameterBase(OpenAPIModel):
    """What parameters and headers share."""

    description: str | None = None
    required: bool | None = None
    deprecated: bool | None = None
    style: str | None = None
    explode: bool | None = None
    allowReserved: bool | None = None
    schema_: Schema | Reference | None = Field(default=None, alias="schema")
    example: Any | None = None
    examples: dict[str, Example | Reference] | None = None
    content: dict[str, MediaType] | None = None


class Parameter(ParameterBase):
    """An operation parameter (path, query, header or cookie)."""

    name: str
    in_: ParameterInType = Field(alias="in")


class Header(ParameterBase):
    """A response header."""


class RequestBody(OpenAPIModel):
    """An operation's request body."""

    description: str | None = None
    content: dict[str, MediaType]
    required: bool | None = None


class Link(OpenAPIModel):
    """A link from a response to another operation."""

    operationRef: str | None = None
    operationId: str | None = None
    parameters: dict[str, Any] | None = None
    requestBody: Any | None = None
    description: str | None = None
    server: Server | None = None


class Response(OpenAPIModel):
    """One response of an operation."""

    description: str
    headers: dict[str, Header | Reference] | None = None
    content: dict[str, MediaType] | None = None
    links: dict[str, Link | Reference] | None = None


class Operation(OpenAPIExtensions):
    """One method of one path; ``responses`` are keyed by status code."""

    tags: list[str] | None = None
    summary: str | None = None
    description: str | None = None
    externalDocs: ExternalDocumentation | None = None
    operationId: str | None = None
    parameters: list[Parameter | Reference] | None = None
    requestBody: RequestBody | Reference | None = None
    responses: dict[int, Response | Reference] | None = None
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

    schemas: dict[str, Schema | Reference] | None = None
    responses: dict[str, Response | Reference] | None = None
    parameters: dict[str, Parameter | Reference] | None = None
    examples: dict[str, Example | Reference] | None = None
    requestBodies: dict[str, RequestBody | Reference] | None = None
    headers: dict[str, Header | Reference] | None = None
    securitySchemes: dict[str, _AnyScheme] | None = None
    links: dict[str, Link | Reference] | None = None
    callbacks: dict[str, Any] | None = None
    pathItems: dict[str, PathItem | Reference] | None = None


class OpenAPI(OpenAPIExtensions):
    """A whole OpenAPI document."""

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


Schema.model_rebuild()
Encoding.model_rebuild()

__all__ = ["OpenAPIModel", *MODEL_NAMES]
