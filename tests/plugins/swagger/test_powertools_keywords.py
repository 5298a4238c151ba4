"""enable_swagger takes Powertools' keywords, and the document ones reach the page's document."""

import inspect
import json

import kernel_swagger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver as PowertoolsResolver
from kernel_openapi import ExternalDocumentation

from kernel import APIGatewayRestResolver
from tests.events import rest_event


def test_enable_swagger_takes_every_keyword_powertools_takes_with_its_defaults_where_they_are_ours():
    ours = dict(inspect.signature(kernel_swagger.enable_swagger).parameters)
    theirs = dict(inspect.signature(PowertoolsResolver.enable_swagger).parameters)
    del ours["app"], theirs["self"]
    assert list(ours) == list(theirs)
    for name in ("path", "compress", "persist_authorization", "swagger_base_url", "oauth2_config"):
        assert ours[name].default == theirs[name].default, name


def test_external_documentation_and_extensions_reach_the_served_document():
    app = APIGatewayRestResolver(plugins=["rest", "openapi", "swagger"])
    app.enable_swagger(
        external_documentation=ExternalDocumentation(url="https://docs.example.com/guide"),
        openapi_extensions={"x-audience": "partners"},
    )
    response = app(rest_event("GET", "/swagger", query={"format": "json"}), None)
    document = json.loads(response["body"])
    assert document["externalDocs"] == {"url": "https://docs.example.com/guide"}
    assert document["x-audience"] == "partners"
