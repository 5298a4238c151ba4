"""openapi_extensions= puts ``x-`` keys on routes, the document, servers and security schemes, as in Powertools."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver as PowertoolsResolver
from aws_lambda_powertools.event_handler.openapi import models as powertools_models
from kernel_openapi import APIKey, APIKeyIn, HTTPBearer, OAuth2, OAuthFlowPassword, OAuthFlows, Server

from kernel import APIGatewayRestResolver, SchemaValidationError

GATEWAY = {"x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST"}}


def _document(app: Any, **kwargs: Any) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return json.loads(app.get_openapi_json_schema(**kwargs))


def _declare(app: Any) -> None:
    @app.get("/orders", openapi_extensions=GATEWAY)
    def orders():
        return []

    @app.get("/plain")
    def plain():
        return []


def _keywords(models: Any) -> dict[str, Any]:
    return {
        "title": "Orders",
        "openapi_extensions": {"x-logo": {"url": "https://example.com/logo.png"}},
        "servers": [models.Server(url="https://api.example.com", openapi_extensions={"x-region": "eu-west-1"})],
        "security_schemes": {
            "key": models.APIKey(
                name="X-Key", in_=models.APIKeyIn.header, openapi_extensions={"x-amazon-apigateway-authtype": "custom"}
            ),
            "bearer": models.HTTPBearer(openapi_extensions={"x-token-format": "JWT"}),
        },
    }


def test_every_level_gets_its_x_keys():
    app = APIGatewayRestResolver(plugins=["rest", "openapi"])
    _declare(app)
    doc = _document(app, **_keywords(__import__("kernel_openapi")))

    assert doc["x-logo"] == {"url": "https://example.com/logo.png"}
    assert doc["paths"]["/orders"]["get"]["x-amazon-apigateway-integration"] == GATEWAY["x-amazon-apigateway-integration"]
    assert not any(key.startswith("x-") for key in doc["paths"]["/plain"]["get"])
    assert doc["servers"] == [{"url": "https://api.example.com", "x-region": "eu-west-1"}]
    assert doc["components"]["securitySchemes"] == {
        "key": {"type": "apiKey", "in": "header", "name": "X-Key", "x-amazon-apigateway-authtype": "custom"},
        "bearer": {"type": "http", "scheme": "bearer", "x-token-format": "JWT"},
    }


def test_the_document_matches_powertools():
    ours = APIGatewayRestResolver(plugins=["rest", "openapi"])
    theirs = PowertoolsResolver()
    _declare(ours)
    _declare(theirs)
    mine = _document(ours, **_keywords(__import__("kernel_openapi")))
    powertools = _document(theirs, **_keywords(powertools_models))
    # Without validation Powertools also lists the validation error schemas, which
    # nothing refers to; kernel leaves them out (docs/migrating.md).
    del powertools["components"]["schemas"]
    assert mine == powertools


def test_the_model_tree_keeps_them_too():
    app = APIGatewayRestResolver(plugins=["rest", "openapi"])
    _declare(app)
    schema = app.get_openapi_schema(openapi_extensions={"x-top": 1})
    assert schema.model_extra == {"x-top": 1}
    assert schema.paths is not None
    operation = schema.paths["/orders"].get
    assert operation is not None
    assert operation.model_extra == GATEWAY


@pytest.mark.parametrize(
    "build",
    [
        lambda: Server(url="/", openapi_extensions={"region": "eu"}),
        lambda: HTTPBearer(openapi_extensions={"format": "JWT"}),
        lambda: APIKey(name="k", in_=APIKeyIn.query, openapi_extensions={"bad": 1}),
        lambda: OAuth2(flows=OAuthFlows(password=OAuthFlowPassword(tokenUrl="/t")), openapi_extensions={"y-a": 1}),
    ],
)
def test_a_key_without_the_x_prefix_is_refused_where_the_model_is_built(build):
    with pytest.raises(SchemaValidationError, match="start with 'x-'"):
        build()


def test_a_route_or_document_key_without_the_x_prefix_is_refused_when_the_document_is_built():
    app = APIGatewayRestResolver(plugins=["rest", "openapi"])

    @app.get("/a", openapi_extensions={"integration": {}})
    def a():
        return {}

    with pytest.raises(SchemaValidationError, match="'integration'"):
        app.get_openapi_json_schema()
    other = APIGatewayRestResolver(plugins=["rest", "openapi"])
    with pytest.raises(SchemaValidationError, match="'logo'"):
        other.get_openapi_schema(openapi_extensions={"logo": 1})


def test_a_router_route_keeps_its_extensions_under_its_prefix():
    from kernel import Router

    app = APIGatewayRestResolver(plugins=["rest", "openapi"])
    router = Router()

    @router.get("/orders", openapi_extensions=GATEWAY, deprecated=True)
    def orders():
        return []

    app.include_router(router, prefix="/v1")
    operation = _document(app)["paths"]["/v1/orders"]["get"]
    assert operation["x-amazon-apigateway-integration"] == GATEWAY["x-amazon-apigateway-integration"]
    assert operation["deprecated"] is True
