"""BedrockAgentResolver validates by default and writes its JSON document in OpenAPI 3.0, as Powertools does."""

import inspect
import json
from typing import Optional

from aws_lambda_powertools.event_handler import BedrockAgentResolver as PowertoolsBedrock
from kernel_openapi.generator import VALIDATION_ERROR_SCHEMAS
from pydantic import BaseModel

from kernel import BedrockAgentResolver
from tests.events import bedrock_event


class Item(BaseModel):
    name: str
    note: Optional[str] = None  # noqa: UP045 - as Powertools users write it


def _declare(app):
    @app.get("/items/<item_id>", description="Read one item")
    def read(item_id: int, q: Optional[str] = None) -> Item:  # noqa: UP045
        return Item(name="pen")

    @app.post("/items", description="Create an item")
    def create(item: Item) -> Item:
        return item

    return app


def test_the_constructor_takes_powertools_keywords_and_validates_by_default():
    ours = inspect.signature(BedrockAgentResolver).parameters
    theirs = inspect.signature(PowertoolsBedrock).parameters
    assert [(name, ours[name].default) for name in theirs] == [(name, theirs[name].default) for name in theirs]
    assert BedrockAgentResolver(plugins=["bedrock"]).validation_enabled
    assert not BedrockAgentResolver(plugins=["bedrock"], enable_validation=False).validation_enabled


def test_a_bad_parameter_is_answered_422_without_asking_for_validation():
    app = _declare(BedrockAgentResolver(plugins=["bedrock"]))
    response = app(bedrock_event("GET", "/items/x"), None)
    assert response["response"]["httpStatusCode"] == 422
    unchecked = _declare(BedrockAgentResolver(plugins=["bedrock"], enable_validation=False))
    assert unchecked(bedrock_event("GET", "/items/x"), None)["response"]["httpStatusCode"] == 200


def test_the_json_document_is_openapi_3_0_with_nullable_optionals():
    doc = json.loads(_declare(BedrockAgentResolver(plugins=["bedrock", "openapi"])).get_openapi_json_schema())
    assert doc["openapi"] == "3.0.3"
    assert doc["components"]["schemas"]["Item"]["properties"]["note"] == {
        "anyOf": [{"type": "string"}],
        "nullable": True,
        "title": "Note",
    }
    query = doc["paths"]["/items/{item_id}"]["get"]["parameters"][1]
    assert query["schema"] == {"anyOf": [{"type": "string"}], "nullable": True, "title": "Q"}
    assert '"type": "null"' not in json.dumps(doc)


def test_the_json_document_equals_powertools_but_for_the_named_differences():
    ours = json.loads(_declare(BedrockAgentResolver()).get_openapi_json_schema(title="Items"))
    theirs = json.loads(_declare(PowertoolsBedrock()).get_openapi_json_schema(title="Items"))
    # Validation error schemas describe kernel's 422 bodies (docs/migrating.md).
    theirs["components"]["schemas"].update(json.loads(json.dumps(VALIDATION_ERROR_SCHEMAS)))
    assert ours == theirs


def test_the_model_stays_openapi_3_1_as_in_powertools():
    assert _declare(BedrockAgentResolver()).get_openapi_schema().openapi == "3.1.0"
    assert _declare(PowertoolsBedrock()).get_openapi_schema().openapi == "3.1.0"
