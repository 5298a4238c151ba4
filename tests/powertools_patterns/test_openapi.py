"""OpenAPI: the document of an app (titles, tags, summaries, security schemes), Swagger UI."""

# No `from __future__ import annotations`: the annotations name `lib`, a local of each app.
import json
from typing import Annotated

from pydantic import BaseModel, Field

from tests.events import rest_event
from tests.powertools_patterns.harness import as_kernel_document, both, readable
from tests.powertools_patterns.names import library


class Todo(BaseModel):
    id: int
    title: str = Field(description="What to do", examples=["buy milk"])
    completed: bool = False


def documented(lib):
    app = lib.APIGatewayRestResolver(enable_validation=True)

    @app.get(
        "/todos/<todo_id>",
        summary="Get a todo",
        description="Answers the todo with this id.",
        response_description="The todo",
        tags=["Todos"],
        operation_id="getTodo",
    )
    def get_todo(todo_id: Annotated[int, lib.Path(description="The todo's id")]) -> Todo:
        return Todo(id=todo_id, title="read")

    @app.post("/todos", tags=["Todos"], summary="Create a todo")
    def create_todo(todo: Todo) -> Todo:
        return todo

    @app.get("/health", include_in_schema=False)
    def health():
        return {"ok": True}

    @app.get("/search", tags=["Search"])
    def search(q: Annotated[str, lib.Query(description="Words to find", min_length=2)], page: int = 1) -> list[Todo]:
        return []

    return app


def schemas(build, **options):
    powertools_app, kernel_app = both(build)
    return (
        json.loads(powertools_app.get_openapi_json_schema(**options)),
        json.loads(kernel_app.get_openapi_json_schema(**options)),
    )


OPTIONS = {
    "title": "Todo API",
    "version": "1.2.0",
    "summary": "Todos for everyone",
    "description": "Keeps track of todos",
}


def test_info_and_paths():
    expected, got = schemas(documented, **OPTIONS)
    assert (
        got["info"]
        == expected["info"]
        == {
            "title": "Todo API",
            "version": "1.2.0",
            "summary": "Todos for everyone",
            "description": "Keeps track of todos",
        }
    )
    assert got["openapi"] == expected["openapi"]
    assert sorted(got["paths"]) == sorted(expected["paths"]) == ["/search", "/todos", "/todos/{todo_id}"]


def test_operation():
    expected, got = schemas(documented, **OPTIONS)
    operation = got["paths"]["/todos/{todo_id}"]["get"]
    assert operation == expected["paths"]["/todos/{todo_id}"]["get"]
    assert operation["summary"] == "Get a todo"
    assert operation["operationId"] == "getTodo"
    assert operation["tags"] == ["Todos"]


def test_request_body_and_parameters():
    expected, got = schemas(documented, **OPTIONS)
    assert got["paths"]["/todos"] == expected["paths"]["/todos"]
    assert got["paths"]["/search"] == expected["paths"]["/search"]


def test_components():
    expected, got = schemas(documented, **OPTIONS)
    assert got["components"]["schemas"]["Todo"] == expected["components"]["schemas"]["Todo"]


def secured(lib):
    app = lib.APIGatewayRestResolver(enable_validation=True)

    @app.get("/admin", security=[{"bearer": []}])
    def admin():
        return {"admin": True}

    @app.get("/public")
    def public():
        return {"public": True}

    return app


def security_options(lib):
    return {
        "title": "Secured",
        "version": "1.0.0",
        "servers": [lib.Server(url="https://api.example.com", description="production")],
        "tags": [lib.Tag(name="Admin", description="For administrators")],
        "security_schemes": {
            "bearer": lib.HTTPBearer(bearerFormat="JWT"),
            "api_key": lib.APIKey(name="X-Api-Key", **{"in": lib.APIKeyIn.header}),
        },
        "security": [{"api_key": []}],
    }


def secured_schemas():
    powertools_app, kernel_app = both(secured)
    return (
        json.loads(powertools_app.get_openapi_json_schema(**security_options(library("powertools")))),
        json.loads(kernel_app.get_openapi_json_schema(**security_options(library("kernel")))),
    )


def test_security_schemes():
    expected, got = secured_schemas()
    assert got["components"]["securitySchemes"] == expected["components"]["securitySchemes"]
    assert got["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert got["security"] == expected["security"] == [{"api_key": []}]
    assert got["servers"] == expected["servers"]
    assert got["tags"] == expected["tags"]


def test_operation_security():
    expected, got = secured_schemas()
    assert got["paths"]["/admin"]["get"]["security"] == expected["paths"]["/admin"]["get"]["security"] == [{"bearer": []}]


def swagger(lib):
    app = lib.APIGatewayRestResolver(enable_validation=True)
    app.enable_swagger(path="/swagger", title="Todo API", version="1.0.0")

    @app.get("/todos")
    def todos() -> list[str]:
        return ["read"]

    return app


def test_swagger_ui_page():
    powertools_app, kernel_app = both(swagger)
    event = rest_event("GET", "/swagger")
    expected = powertools_app.resolve(event, None)
    got = kernel_app.resolve(event, None)
    assert got["statusCode"] == expected["statusCode"] == 200
    assert got["multiValueHeaders"]["Content-Type"] == expected["multiValueHeaders"]["Content-Type"] == ["text/html"]
    assert "SwaggerUIBundle" in got["body"]


def configured(lib):
    app = lib.APIGatewayRestResolver(enable_validation=True)
    app.configure_openapi(
        title="Configured API",
        version="2.0.0",
        description="Configured once, served everywhere",
        tags=[lib.Tag(name="Todos", description="Things to do")],
        contact=lib.Contact(name="Team", email="team@example.com"),
        license_info=lib.License(name="MIT"),
    )

    @app.get("/todos", tags=["Todos"])
    def todos() -> list[Todo]:
        return []

    return app


def test_configure_openapi():
    expected, got = schemas(configured)
    assert got["info"] == expected["info"]
    assert got["info"]["contact"] == {"name": "Team", "email": "team@example.com"}
    assert got["tags"] == expected["tags"] == [{"name": "Todos", "description": "Things to do"}]


def test_whole_document():
    expected, got = schemas(documented, **OPTIONS)
    assert got == as_kernel_document(expected, ("validation-error-schemas",))


def test_swagger_json():
    powertools_app, kernel_app = both(swagger)
    event = rest_event("GET", "/swagger", query={"format": "json"})
    expected = readable(powertools_app.resolve(event, None))
    got = readable(kernel_app.resolve(event, None))
    expected["body"] = as_kernel_document(expected["body"], ("validation-error-schemas",))
    assert got == expected
    assert got["body"]["info"]["title"] == "Todo API"


def test_default_title():
    powertools_app, kernel_app = both(swagger)
    expected = json.loads(powertools_app.get_openapi_json_schema())
    got = json.loads(kernel_app.get_openapi_json_schema())
    assert got == as_kernel_document(expected, ("validation-error-schemas", "default-title"))
    assert got["info"]["title"] == "API"
