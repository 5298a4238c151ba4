"""The names a Powertools app imports from its OpenAPI modules are importable from kernel_openapi."""

from __future__ import annotations

import json
import warnings

import kernel_openapi
import pytest
from aws_lambda_powertools.event_handler import content_types as powertools_content_types
from aws_lambda_powertools.event_handler.openapi import models as powertools_models
from kernel_openapi import models

from kernel import APIGatewayRestResolver, content_types

# The models Powertools' documentation and its users build documents with.
MODEL_NAMES = [
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
    "XML",
]


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_each_model_powertools_has_is_importable_from_kernel_openapi(name):
    assert hasattr(powertools_models, name)
    assert getattr(kernel_openapi, name) is getattr(models, name)


def test_the_enums_have_powertools_members():
    for name in ("ParameterInType", "APIKeyIn", "SecuritySchemeType"):
        ours = {member.name: member.value for member in getattr(models, name)}
        theirs = {member.name: member.value for member in getattr(powertools_models, name)}
        assert ours == theirs


def test_models_are_built_as_in_powertools_and_dump_the_same():
    def build(m):
        return [
            m.Example(summary="A pen", value={"name": "pen"}),
            m.Schema(type="object", properties={"a": m.Schema(type="integer")}, required=["a"]),
            m.Parameter(name="q", schema=m.Schema(type="string"), required=False, **{"in": m.ParameterInType.query}),
            m.Server(url="https://api.example.com", description="prod"),
            m.Tag(name="pets", description="Pets"),
            m.APIKey(name="X-Key", in_=m.APIKeyIn.header),
            m.OAuth2(flows=m.OAuthFlows(password=m.OAuthFlowPassword(tokenUrl="/token", scopes={"r": "read"}))),
        ]

    for ours, theirs in zip(build(models), build(powertools_models), strict=True):
        dump = {"by_alias": True, "exclude_none": True, "mode": "json"}
        assert ours.model_dump(**dump) == theirs.model_dump(**dump), type(ours).__name__


def test_text_plain_is_a_content_type_and_plain_text_stays():
    assert content_types.TEXT_PLAIN == powertools_content_types.TEXT_PLAIN == "text/plain"
    assert content_types.PLAIN_TEXT == "text/plain"
    assert content_types.APPLICATION_JSON == powertools_content_types.APPLICATION_JSON
    assert content_types.TEXT_HTML == powertools_content_types.TEXT_HTML


def _document(app, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return json.loads(app.get_openapi_json_schema(**kwargs))


def test_configure_openapi_sets_the_defaults_of_every_document():
    app = APIGatewayRestResolver(plugins=["rest", "openapi"])
    app.configure_openapi(
        title="Orders",
        version="2.0.0",
        description="Order service",
        servers=[models.Server(url="https://api.example.com")],
        tags=["orders"],
        security_schemes={"bearer": models.HTTPBearer()},
        security=[{"bearer": []}],
        external_documentation=models.ExternalDocumentation(url="https://docs.example.com"),
        openapi_extensions={"x-team": "payments"},
    )

    @app.get("/orders", tags=["orders"])
    def orders():
        return []

    doc = _document(app)
    assert doc["info"] == {"title": "Orders", "version": "2.0.0", "description": "Order service"}
    assert doc["servers"] == [{"url": "https://api.example.com"}]
    assert doc["tags"] == [{"name": "orders"}]
    assert doc["security"] == [{"bearer": []}]
    assert doc["components"]["securitySchemes"] == {"bearer": {"type": "http", "scheme": "bearer"}}
    # A URL model field is normalised as Powertools normalises it (pydantic AnyUrl).
    assert doc["externalDocs"] == {"url": "https://docs.example.com/"}
    assert doc["x-team"] == "payments"
    # A keyword given to get_openapi_schema wins over the configured one.
    assert _document(app, title="Other")["info"]["title"] == "Other"
    assert app.get_openapi_schema().info.title == "Orders"


def test_configure_openapi_takes_powertools_signature():
    import inspect

    ours = inspect.signature(kernel_openapi.configure_openapi).parameters
    theirs = inspect.signature(APIGatewayRestResolverOfPowertools().configure_openapi).parameters
    assert list(ours)[1:] == list(theirs)


def APIGatewayRestResolverOfPowertools():
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver as Resolver

    return Resolver()


def test_get_openapi_schema_takes_powertools_keywords():
    import inspect

    from aws_lambda_powertools.event_handler import APIGatewayRestResolver as Resolver

    for name in ("get_openapi_schema", "get_openapi_json_schema"):
        ours = list(inspect.signature(getattr(kernel_openapi, name)).parameters)[1:]
        theirs = list(inspect.signature(getattr(Resolver, name)).parameters)[1:]
        assert ours == theirs, name
