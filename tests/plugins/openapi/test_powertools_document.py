"""The same app, on kernel and on Powertools 3.37, has the same OpenAPI document.

One rich app (path, query and header parameters, bodies, pydantic models with
optional and aliased fields, a dataclass, tags, security, servers, extensions,
custom responses, validation on) is declared on both, and the two documents
are compared as JSON, and as model trees. They are equal except for the
differences docs/migrating.md names, each undone here by name:

- the validation error schemas describe the 422 body kernel sends
  (``statusCode`` in ``HTTPValidationError`` and ``ResponseValidationError``;
  no ``msg``, which no error item carries, in ``ValidationError``'s required);
- the default title names no product (checked in its own test).
"""

import json
import warnings
from dataclasses import dataclass
from enum import Enum
from types import SimpleNamespace
from typing import Annotated, Any, Literal, Optional

import kernel_openapi
import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver as PowertoolsResolver
from aws_lambda_powertools.event_handler.openapi import models as powertools_models
from aws_lambda_powertools.event_handler.openapi import params as powertools_params
from pydantic import BaseModel, Field

import kernel

KERNEL = SimpleNamespace(Resolver=kernel.APIGatewayRestResolver, models=kernel_openapi, params=kernel)
POWERTOOLS = SimpleNamespace(Resolver=PowertoolsResolver, models=powertools_models, params=powertools_params)


class Status(str, Enum):
    OPEN = "open"
    CLOSED = "closed"


class Address(BaseModel):
    street: str
    zip_code: Optional[str] = Field(default=None, alias="zipCode")  # noqa: UP045 - as Powertools users write it


class Customer(BaseModel):
    name: str = Field(description="Full name", min_length=1)
    email: str | None = None
    address: Address | None = None
    status: Status = Status.OPEN
    kind: Literal["person", "company"] = "person"
    tags: list[str] = []


@dataclass
class Note:
    text: str
    pinned: bool = False


def rich_app(side: SimpleNamespace) -> tuple[Any, dict[str, Any]]:
    """The app, declared with ``side``'s names, and the keywords of its document."""
    p, m = side.params, side.models
    app = side.Resolver(enable_validation=True)

    @app.get(
        "/customers/<customer_id>",
        tags=["customers"],
        summary="Read a customer",
        description="One customer, by number",
        operation_id="readCustomer",
        response_description="The customer",
        openapi_extensions={"x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST"}},
    )
    def read(
        customer_id: Annotated[int, p.Path(description="The number", gt=0)],
        fields: Annotated[list[str] | None, p.Query(description="Fields to include")] = None,
        page_size: Annotated[int, p.Query(alias="pageSize", le=100)] = 10,
        x_request_id: Annotated[str | None, p.Header()] = None,
    ) -> Customer:
        return Customer(name="x")

    @app.post(
        "/customers",
        tags=["customers"],
        security=[{"bearer": ["write"]}],
        responses={
            201: {"description": "Created", "content": {"application/json": {"model": Customer}}},
            409: {"description": "Already exists"},
        },
    )
    def create(customer: Annotated[Customer, p.Body(description="The new customer")]) -> Customer:
        return customer

    @app.put("/customers/<customer_id>/note")
    def note(customer_id: int, note: Note) -> Note:
        return note

    @app.patch("/customers/<customer_id>")
    def rename(
        customer_id: str,
        name: Annotated[str, p.Body(embed=True)],
        email: Annotated[str | None, p.Body(embed=True)] = None,
    ) -> dict:
        return {}

    @app.get("/customers", tags=["customers"], deprecated=True)
    def listing(status: Status | None = None, limit: int = 20) -> list[Customer]:
        return []

    @app.get("/health")
    def health():
        return {"ok": True}

    @app.delete("/customers/<customer_id>", include_in_schema=False)
    def hidden(customer_id: str):
        return {}

    keywords = {
        "title": "Customers",
        "version": "3.2.1",
        "summary": "Customer records",
        "description": "Customers and their notes",
        "servers": [
            m.Server(
                url="https://api.example.com/{stage}",
                description="Production",
                variables={"stage": m.ServerVariable(default="prod", enum=["prod", "dev"])},
                openapi_extensions={"x-region": "eu-west-1"},
            )
        ],
        "tags": [m.Tag(name="customers", description="Customer records"), "misc"],
        "terms_of_service": "https://example.com/terms",
        "contact": m.Contact(name="Desk", email="desk@example.com", url="https://example.com"),
        "license_info": m.License(name="MIT", url="https://opensource.org/licenses/MIT"),
        "security_schemes": {
            "bearer": m.HTTPBearer(bearerFormat="JWT"),
            "key": m.APIKey(
                name="X-Api-Key", in_=m.APIKeyIn.header, openapi_extensions={"x-amazon-apigateway-authtype": "custom"}
            ),
            "oauth": m.OAuth2(
                flows=m.OAuthFlows(
                    authorizationCode=m.OAuthFlowAuthorizationCode(
                        authorizationUrl="https://auth.example.com/authorize",
                        tokenUrl="https://auth.example.com/token",
                        scopes={"write": "Write"},
                    )
                )
            ),
        },
        "security": [{"key": []}],
        "external_documentation": m.ExternalDocumentation(url="https://docs.example.com", description="Docs"),
        "openapi_extensions": {"x-owner": "customers-team"},
    }
    return app, keywords


def _json(side: SimpleNamespace) -> dict[str, Any]:
    app, keywords = rich_app(side)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # neither side warns about this app
        return json.loads(app.get_openapi_json_schema(**keywords))


def _undo_named_differences(powertools: dict[str, Any]) -> dict[str, Any]:
    """Powertools' document with kernel's validation error schemas (docs/migrating.md says why)."""
    from kernel_openapi.generator import VALIDATION_ERROR_SCHEMAS

    schemas = powertools["components"]["schemas"]
    for name in ("HTTPValidationError", "ResponseValidationError"):
        assert "statusCode" not in schemas[name]["properties"]
        assert "required" not in schemas[name]
    assert schemas["ValidationError"]["required"] == ["loc", "msg", "type"]
    assert "msg" not in schemas["ValidationError"]["properties"]
    schemas.update(json.loads(json.dumps(VALIDATION_ERROR_SCHEMAS)))
    return powertools


def test_the_documents_are_equal_as_json_but_for_the_named_differences():
    ours = _json(KERNEL)
    theirs = _undo_named_differences(_json(POWERTOOLS))
    assert ours == theirs


def test_the_parts_most_apps_rely_on_are_equal_as_written():
    ours, theirs = _json(KERNEL), _json(POWERTOOLS)
    for key in ("openapi", "info", "servers", "security", "tags", "externalDocs", "x-owner"):
        assert ours[key] == theirs[key], key
    assert ours["components"]["securitySchemes"] == theirs["components"]["securitySchemes"]
    for path, item in theirs["paths"].items():
        for method, operation in item.items():
            # Every operation, including /health, may answer 422 when the app validates.
            assert "422" in operation["responses"], (method, path)
            assert ours["paths"][path][method] == operation, (method, path)
    for name in ("Customer", "Address", "Note", "Body_rename_customers__customer_id__patch"):
        assert ours["components"]["schemas"][name] == theirs["components"]["schemas"][name], name


def test_the_model_trees_have_the_same_shape():
    trees = []
    for side in (KERNEL, POWERTOOLS):
        app, keywords = rich_app(side)
        trees.append(app.get_openapi_schema(**keywords))
    for tree in trees:
        assert tree.paths is not None
        assert tree.components is not None
        create = tree.paths["/customers"].post
        # Responses are keyed by integer status.
        assert list(create.responses) == [422, 201, 409]
        body = create.requestBody.content["application/json"].schema_
        assert body.ref == "#/components/schemas/Customer"
        customer = tree.components.schemas["Customer"]
        assert customer.type == "object"
        assert list(customer.properties) == ["name", "email", "address", "status", "kind", "tags"]
        assert customer.properties["name"].minLength == 1
        schemes = tree.components.securitySchemes
        assert [type(scheme).__name__ for scheme in schemes.values()] == ["HTTPBearer", "APIKey", "OAuth2"]
        assert schemes["key"].in_.value == "header"
        assert type(schemes["oauth"].flows).__name__ == "OAuthFlows"
        assert schemes["oauth"].flows.authorizationCode.tokenUrl == "https://auth.example.com/token"
        assert tree.paths["/customers"].get.deprecated is True
        read = tree.paths["/customers/{customer_id}"].get
        assert [parameter.in_.value for parameter in read.parameters] == ["path", "query", "query", "header"]
        assert read.model_extra == {"x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST"}}
    ours, theirs = (tree.model_dump(mode="json", by_alias=True, exclude_none=True) for tree in trees)
    assert ours == _undo_named_differences(theirs)


def test_the_model_tree_dumps_to_the_json_document():
    app, keywords = rich_app(KERNEL)
    tree = app.get_openapi_schema(**keywords)
    assert json.loads(tree.model_dump_json(by_alias=True, exclude_none=True)) == json.loads(
        app.get_openapi_json_schema(**keywords)
    )


def test_deliberate_difference_the_default_title_names_no_product():
    ours = kernel.APIGatewayRestResolver(plugins=["rest", "openapi"])
    theirs = PowertoolsResolver()
    assert json.loads(ours.get_openapi_json_schema())["info"] == {"title": "API", "version": "1.0.0"}
    assert json.loads(theirs.get_openapi_json_schema())["info"] == {
        "title": "Powertools for AWS Lambda (Python) API",
        "version": "1.0.0",
    }


def test_without_validation_only_the_unreferenced_error_schemas_differ():
    documents = []
    for side in (KERNEL, POWERTOOLS):
        app = side.Resolver()

        @app.get("/customers/<customer_id>")
        def read(customer_id: int) -> Customer:
            return Customer(name="x")

        documents.append(json.loads(app.get_openapi_json_schema(title="T")))
    ours, theirs = documents
    # Powertools lists the validation error schemas though nothing refers to them.
    assert set(theirs["components"]["schemas"]) - set(ours["components"]["schemas"]) == {
        "HTTPValidationError",
        "ValidationError",
        "ResponseValidationError",
    }
    for name in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        del theirs["components"]["schemas"][name]
    assert ours == theirs


@pytest.mark.parametrize("version", ["3.0.3", "2.0"])
def test_an_openapi_version_other_than_3_1_warns_on_both(version):
    for side in (KERNEL, POWERTOOLS):
        app = side.Resolver()
        with pytest.warns(UserWarning, match="3.1"):
            document = json.loads(app.get_openapi_json_schema(openapi_version=version))
        assert document["openapi"] == "3.1.0"


def test_a_duplicate_operation_id_warns_on_both_with_the_same_words():
    messages = []
    for side in (KERNEL, POWERTOOLS):
        app = side.Resolver()

        @app.get("/a", operation_id="same")
        def first():
            return {}

        @app.get("/b", operation_id="same")
        def second():
            return {}

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            app.get_openapi_json_schema()
        messages.append([str(warning.message) for warning in caught if "Duplicate" in str(warning.message)])
    assert messages[0] == messages[1] == [f"Duplicate Operation ID same for function second in {__file__}"]
