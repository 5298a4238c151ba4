"""The OpenAPI document: top-level keywords, operations, parameters, bodies, responses, security."""

from __future__ import annotations

import enum
import json
import warnings
from typing import Annotated, Any

import pytest
from kernel_openapi import (
    APIKey,
    Contact,
    HTTPBearer,
    License,
    OAuth2,
    OAuthFlowAuthorizationCode,
    OAuthFlows,
    OpenAPI,
    Server,
    Tag,
)
from kernel_openapi.generator import VALIDATION_ERROR_SCHEMAS
from pydantic import BaseModel, Field

from kernel import APIGatewayRestResolver, Body, Header, Path, Query, Router, SchemaValidationError

VALIDATION_SCHEMAS = json.loads(json.dumps(VALIDATION_ERROR_SCHEMAS))
VALIDATION_RESPONSE = {
    "description": "Validation Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
}


def make_app(**kwargs: Any) -> APIGatewayRestResolver:
    kwargs.setdefault("plugins", ["rest", "validation", "openapi"])
    return APIGatewayRestResolver(**kwargs)


def document(app: Any, **kwargs: Any) -> dict[str, Any]:
    """The document as a client reads it: the JSON text, parsed."""
    return json.loads(app.get_openapi_json_schema(**kwargs))


class Pet(BaseModel):
    name: str = Field(description="What it answers to")
    age: int = Field(ge=0)


class Owner(BaseModel):
    name: str
    pets: list[Pet] = []


# -- the top level ----------------------------------------------------------------


def test_an_app_without_routes_has_a_minimal_document_with_our_defaults():
    assert document(make_app()) == {
        "openapi": "3.1.0",
        "info": {"title": "API", "version": "1.0.0"},
        "servers": [{"url": "/"}],
        "paths": {},
    }


def test_every_top_level_keyword():
    app = make_app()

    @app.get("/pets", security=[{"token": []}])
    def pets() -> list[Pet]:
        return []

    doc = document(
        app,
        title="Pet store",
        version="2.1.0",
        summary="Pets, for sale",
        description="A **longer** description",
        tags=["pets", Tag(name="owners", description="People with pets")],
        servers=[Server(url="https://api.example.com/v2", description="production")],
        terms_of_service="https://example.com/terms",
        contact=Contact(name="Support", url="https://example.com/help", email="help@example.com"),
        license_info=License(name="MIT", identifier="MIT"),
        security_schemes={"token": HTTPBearer(bearerFormat="JWT"), "key": APIKey(in_="header", name="X-API-Key")},
        security=[{"key": []}],
    )

    assert {key: value for key, value in doc.items() if key != "paths"} == {
        "openapi": "3.1.0",
        "info": {
            "title": "Pet store",
            "summary": "Pets, for sale",
            "description": "A **longer** description",
            "termsOfService": "https://example.com/terms",
            "contact": {"name": "Support", "url": "https://example.com/help", "email": "help@example.com"},
            "license": {"name": "MIT", "identifier": "MIT"},
            "version": "2.1.0",
        },
        "servers": [{"url": "https://api.example.com/v2", "description": "production"}],
        "components": {
            "schemas": {
                **VALIDATION_SCHEMAS,
                "Pet": {
                    "properties": {
                        "name": {"description": "What it answers to", "title": "Name", "type": "string"},
                        "age": {"minimum": 0, "title": "Age", "type": "integer"},
                    },
                    "required": ["name", "age"],
                    "title": "Pet",
                    "type": "object",
                },
            },
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
        },
        "security": [{"key": []}],
        "tags": [{"name": "pets"}, {"name": "owners", "description": "People with pets"}],
    }
    assert doc["paths"]["/pets"]["get"]["security"] == [{"token": []}]


def test_the_model_form_matches_the_json_form():
    app = make_app()

    @app.post("/owners")
    def add(owner: Owner) -> Owner:
        return owner

    model = app.get_openapi_schema(title="T", servers=[Server(url="/v1")])

    assert isinstance(model, OpenAPI)
    assert model.info.title == "T"
    assert model.paths is not None
    assert model.paths["/owners"].post is not None
    assert model.paths["/owners"].post.operationId == "add_owners_post"
    assert model.model_dump(mode="json", by_alias=True, exclude_none=True) == document(
        app, title="T", servers=[Server(url="/v1")]
    )


def test_an_openapi_version_other_than_3_1_is_replaced_with_a_warning():
    app = make_app()

    with pytest.warns(UserWarning, match=r"OpenAPI 3\.0\.3 cannot describe pydantic v2 schemas"):
        doc = document(app, openapi_version="3.0.3")

    assert doc["openapi"] == "3.1.0"
    assert document(app, openapi_version="3.1.1")["openapi"] == "3.1.1"


def test_a_security_requirement_naming_an_undeclared_scheme_is_an_error():
    app = make_app()

    with pytest.raises(SchemaValidationError, match=r"'oauth' used by the app's security is not declared in security_schemes"):
        app.get_openapi_json_schema(security=[{"oauth": ["read"]}])
    with pytest.raises(SchemaValidationError, match=r"declared: none"):
        app.get_openapi_schema(security=[{"oauth": []}])


def test_a_route_security_requirement_naming_an_undeclared_scheme_is_an_error():
    app = make_app()

    @app.get("/secret", security=[{"token": []}, {"apiKey": []}])
    def secret():
        return {}

    with pytest.raises(SchemaValidationError, match=r"'apiKey' used by the route GET /secret .*\(declared: token\)"):
        app.get_openapi_json_schema(security_schemes={"token": HTTPBearer()})
    oauth = OAuth2(
        flows=OAuthFlows(
            authorizationCode=OAuthFlowAuthorizationCode(
                authorizationUrl="https://auth.example.com/authorize", tokenUrl="https://auth.example.com/token"
            )
        )
    )
    doc = document(app, security_schemes={"token": HTTPBearer(), "apiKey": oauth})
    assert doc["components"]["securitySchemes"]["apiKey"] == {
        "type": "oauth2",
        "flows": {
            "authorizationCode": {
                "scopes": {},
                "authorizationUrl": "https://auth.example.com/authorize",
                "tokenUrl": "https://auth.example.com/token",
            }
        },
    }


# -- operations -------------------------------------------------------------------


def test_an_operation_with_every_route_setting():
    app = make_app()

    @app.put(
        "/pets/<pet_id>",
        summary="Replace a pet",
        description="Replaces every field",
        tags=["pets"],
        operation_id="replacePet",
        response_description="The pet as stored",
    )
    def replace(pet_id: int, pet: Pet) -> Pet:
        return pet

    assert document(app)["paths"] == {
        "/pets/{pet_id}": {
            "put": {
                "tags": ["pets"],
                "summary": "Replace a pet",
                "description": "Replaces every field",
                "operationId": "replacePet",
                "parameters": [
                    {"name": "pet_id", "in": "path", "required": True, "schema": {"title": "Pet Id", "type": "integer"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                },
                "responses": {
                    "422": VALIDATION_RESPONSE,
                    "200": {
                        "description": "The pet as stored",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                    },
                },
            }
        }
    }


def test_defaults_for_summary_operation_id_and_an_unannotated_route():
    app = make_app()

    @app.get("/health")
    def health():
        return {"ok": True}

    assert document(app)["paths"] == {
        "/health": {
            "get": {
                "summary": "GET /health",
                "operationId": "health_health_get",
                "responses": {
                    "422": VALIDATION_RESPONSE,
                    "200": {"description": "Successful Response", "content": {"application/json": {}}},
                },
            }
        }
    }
    # An app that validates may answer 422 on any route, as Powertools documents it.
    assert set(document(app)["components"]["schemas"]) == set(VALIDATION_SCHEMAS)


def test_without_validation_no_operation_answers_422_and_no_error_schema_is_listed():
    app = make_app(plugins=["rest", "openapi"])

    @app.get("/n/<n>")
    def number(n: int, q: str = "") -> Pet:
        return Pet(name="x", age=1)

    doc = document(app)
    assert set(doc["paths"]["/n/{n}"]["get"]["responses"]) == {"200"}
    assert set(doc["components"]["schemas"]) == {"Pet"}


def test_a_function_serving_several_methods_gets_one_operation_per_method():
    app = make_app()

    @app.route("/things", ["GET", "POST"])
    def things():
        return {}

    paths = document(app)["paths"]
    assert sorted(paths["/things"]) == ["get", "post"]
    assert paths["/things"]["post"]["operationId"] == "things_things_post"


def test_routes_left_out_of_the_schema_do_not_appear():
    app = make_app()

    @app.get("/public")
    def public():
        return {}

    @app.get("/internal", include_in_schema=False)
    def internal():
        return {}

    assert list(document(app)["paths"]) == ["/public"]


def test_routes_of_included_routers_carry_their_prefix():
    app = make_app()
    router = Router()

    @router.get("/")
    def index():
        return {}

    @router.get("/<pet_id>")
    def one(pet_id: int):
        return {}

    app.include_router(router, prefix="/pets")

    paths = document(app)["paths"]
    assert list(paths) == ["/pets", "/pets/{pet_id}"]
    assert paths["/pets/{pet_id}"]["get"]["operationId"] == "one_pets__pet_id__get"


def test_a_duplicate_operation_id_warns():
    app = make_app()

    @app.get("/a", operation_id="same")
    def first():
        return {}

    @app.get("/b", operation_id="same")
    def second():
        return {}

    with pytest.warns(UserWarning, match=r"^Duplicate Operation ID same for function second in .*test_document\.py$"):
        app.get_openapi_json_schema()


def test_no_warning_without_duplicates():
    app = make_app()

    @app.get("/a")
    def first():
        return {}

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app.get_openapi_json_schema()


def test_the_document_follows_routes_added_after_it_was_first_made():
    app = make_app()

    @app.get("/a")
    def first():
        return {}

    assert list(document(app)["paths"]) == ["/a"]

    @app.get("/b")
    def second():
        return {}

    assert list(document(app)["paths"]) == ["/a", "/b"]


# -- parameters -------------------------------------------------------------------


def test_parameters_of_every_kind_with_their_documentation():
    app = make_app()

    @app.get("/pets/<pet_id>")
    def find(
        pet_id: Annotated[int, Path(gt=0, description="The pet's number", examples=[7])],
        species: Annotated[str | None, Query(description="Only this species", deprecated=True)] = None,
        page_size: Annotated[int, Query(alias="pageSize", le=100)] = 20,
        ids: Annotated[list[int], Query()] = [],  # noqa: B006
        x_trace_id: Annotated[str, Header(description="Correlates logs")] = "",
        secret: Annotated[str, Query(include_in_schema=False)] = "",
    ):
        return {}

    assert document(app)["paths"]["/pets/{pet_id}"]["get"]["parameters"] == [
        {
            "name": "pet_id",
            "in": "path",
            "required": True,
            "schema": {
                "description": "The pet's number",
                "examples": [7],
                "exclusiveMinimum": 0,
                "title": "Pet Id",
                "type": "integer",
            },
            "description": "The pet's number",
        },
        {
            "name": "species",
            "in": "query",
            "required": False,
            "schema": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "deprecated": True,
                "description": "Only this species",
                "title": "Species",
            },
            "description": "Only this species",
            "deprecated": True,
        },
        {
            "name": "pageSize",
            "in": "query",
            "required": False,
            "schema": {"default": 20, "maximum": 100, "title": "Pagesize", "type": "integer"},
        },
        {
            "name": "ids",
            "in": "query",
            "required": False,
            "schema": {"default": [], "items": {"type": "integer"}, "title": "Ids", "type": "array"},
        },
        {
            "name": "x-trace-id",
            "in": "header",
            "required": False,
            "schema": {"default": "", "description": "Correlates logs", "title": "X-Trace-Id", "type": "string"},
            "description": "Correlates logs",
        },
    ]


class Size(enum.Enum):
    SMALL = "s"
    LARGE = "l"


def test_models_used_by_parameters_are_components():
    app = make_app()

    @app.get("/pets")
    def pets(size: Size = Size.SMALL):
        return {}

    doc = document(app)
    assert doc["paths"]["/pets"]["get"]["parameters"][0]["schema"] == {"$ref": "#/components/schemas/Size", "default": "s"}
    assert doc["components"]["schemas"]["Size"] == {"enum": ["s", "l"], "title": "Size", "type": "string"}
    # The vehicle of the parameters' schemas is not a component.
    assert sorted(doc["components"]["schemas"]) == ["HTTPValidationError", "ResponseValidationError", "Size", "ValidationError"]


# -- bodies and responses ---------------------------------------------------------


def test_an_embedded_body_is_a_component_named_for_the_operation():
    app = make_app()

    @app.post("/adopt")
    def adopt(pet: Pet, owner: Annotated[Owner, Body(description="ignored when embedded")], note: Annotated[str, Body()] = ""):
        return {}

    doc = document(app)
    assert doc["paths"]["/adopt"]["post"]["requestBody"] == {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body_adopt_adopt_post"}}},
    }
    assert doc["components"]["schemas"]["Body_adopt_adopt_post"] == {
        "properties": {
            "pet": {"$ref": "#/components/schemas/Pet"},
            "owner": {"$ref": "#/components/schemas/Owner", "description": "ignored when embedded"},
            "note": {"default": "", "title": "Note", "type": "string"},
        },
        "required": ["pet", "owner"],
        "title": "Body_adopt_adopt_post",
        "type": "object",
    }


def test_an_optional_plain_body_with_a_description_and_media_type():
    app = make_app()

    @app.post("/notes")
    def note(
        text: Annotated[list[str] | None, Body(description="Lines of text", media_type="application/vnd.notes+json")] = None,
    ):
        return {}

    assert document(app)["paths"]["/notes"]["post"]["requestBody"] == {
        "description": "Lines of text",
        "content": {
            "application/vnd.notes+json": {
                "schema": {"anyOf": [{"items": {"type": "string"}, "type": "array"}, {"type": "null"}]}
            }
        },
    }


def test_custom_responses_with_descriptions_models_and_schemas():
    app = make_app()

    class Problem(BaseModel):
        message: str

    @app.get(
        "/pets/<pet_id>",
        responses={
            200: {"description": "The pet"},
            404: {"description": "No such pet", "content": {"application/json": {"model": Problem}}},
            410: {"description": "Gone", "content": {"text/plain": {"schema": {"type": "string"}}}},
        },
    )
    def find(pet_id: int) -> Pet:
        return Pet(name="x", age=1)

    doc = document(app)
    assert doc["paths"]["/pets/{pet_id}"]["get"]["responses"] == {
        "422": VALIDATION_RESPONSE,
        "200": {"description": "The pet", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
        "404": {
            "description": "No such pet",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        },
        "410": {"description": "Gone", "content": {"text/plain": {"schema": {"type": "string"}}}},
    }
    assert set(doc["components"]["schemas"]) == {
        "HTTPValidationError",
        "Pet",
        "Problem",
        "ResponseValidationError",
        "ValidationError",
    }


def test_the_validation_error_components_describe_the_422_answer():
    app = make_app()

    @app.get("/n/<n>")
    def number(n: int):
        return {}

    schemas = document(app)["components"]["schemas"]
    assert schemas["HTTPValidationError"] == {
        "properties": {
            "statusCode": {"type": "integer", "title": "Status Code"},
            "detail": {"items": {"$ref": "#/components/schemas/ValidationError"}, "type": "array", "title": "Detail"},
        },
        "type": "object",
        "required": ["statusCode", "detail"],
        "title": "HTTPValidationError",
    }
    assert schemas["ValidationError"] == {
        "properties": {
            "loc": {"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "type": "array", "title": "Location"},
            "type": {"type": "string", "title": "Error Type"},
        },
        "type": "object",
        "required": ["loc", "type"],
        "title": "ValidationError",
    }


def test_an_inline_return_schema_is_titled():
    app = make_app()

    @app.get("/counts")
    def counts() -> dict[str, int]:
        return {}

    assert document(app)["paths"]["/counts"]["get"]["responses"]["200"]["content"] == {
        "application/json": {"schema": {"additionalProperties": {"type": "integer"}, "type": "object", "title": "Return"}}
    }


def test_a_model_shared_by_many_routes_is_described_once():
    app = make_app()
    for number in range(5):

        def write(pet: Pet, n: int = number) -> Owner:
            return Owner(name="x")

        write.__name__ = f"write{number}"
        app.post(f"/w{number}")(write)

    doc = document(app)
    assert sorted(doc["components"]["schemas"]) == [
        "HTTPValidationError",
        "Owner",
        "Pet",
        "ResponseValidationError",
        "ValidationError",
    ]
    assert [doc["paths"][f"/w{n}"]["post"]["parameters"][0]["schema"]["default"] for n in range(5)] == [0, 1, 2, 3, 4]
