"""Data validation with pydantic: bodies, query strings, path parameters, headers, responses, and handling errors."""

# No `from __future__ import annotations`: the annotations name `lib`, a local of each app.
import json
from typing import Annotated

from pydantic import BaseModel, Field

from tests.events import http_event, rest_event
from tests.powertools_patterns.harness import answer, answers


class Todo(BaseModel):
    userId: int
    id: int | None = None
    title: str
    completed: bool


class TodoSummary(BaseModel):
    id: int
    title: str


JSON = {"Content-Type": "application/json"}


def validated(lib):
    app = lib.APIGatewayRestResolver(enable_validation=True)

    @app.get("/todos/<todo_id>")
    def get_todo_by_id(todo_id: int) -> Todo:
        return Todo(userId=1, id=todo_id, title="read the docs", completed=False)

    @app.post("/todos")
    def create_todo(todo: Todo) -> str:
        return f"created {todo.title} for {todo.userId}"

    @app.get("/todos")
    def get_todos(
        completed: Annotated[bool | None, lib.Query()] = None,
        limit: Annotated[int, lib.Query(gt=0, le=100)] = 10,
        tags: Annotated[list[str], lib.Query()] = [],  # noqa: B006 (the documented pattern)
    ) -> list[TodoSummary]:
        todos = [TodoSummary(id=i, title=f"todo {i}") for i in range(1, limit + 1)]
        return todos[:3]

    @app.get("/accounts/<account_id>")
    def get_account(account_id: Annotated[int, lib.Path(lt=1000)]):
        return {"account_id": account_id}

    @app.get("/me")
    def me(x_api_key: Annotated[str, lib.Header(alias="X-Api-Key")], user_agent: Annotated[str, lib.Header()] = "unknown"):
        return {"key": x_api_key, "agent": user_agent}

    @app.put("/todos/<todo_id>")
    def replace(todo_id: int, todo: Annotated[Todo, lib.Body(embed=True)]) -> dict:
        return {"id": todo_id, "title": todo.title}

    @app.get("/broken")
    def broken() -> Todo:
        return {"title": "no user, no completed"}  # type: ignore[return-value]

    return app


def test_path_converted():
    response = answer(validated, rest_event("GET", "/todos/7"))
    assert response["body"] == {"userId": 1, "id": 7, "title": "read the docs", "completed": False}


def test_path_not_an_integer():
    response = answer(validated, rest_event("GET", "/todos/seven"))
    assert response["statusCode"] == 422
    assert response["body"]["detail"][0]["loc"] == ["path", "todo_id"]


def test_body_validated():
    body = json.dumps({"userId": 2, "title": "ship", "completed": True})
    response = answer(validated, rest_event("POST", "/todos", headers=JSON, body=body))
    assert response["body"] == b"created ship for 2"


def test_body_invalid():
    body = json.dumps({"userId": "two", "completed": "maybe"})
    response = answer(validated, rest_event("POST", "/todos", headers=JSON, body=body))
    assert response["statusCode"] == 422
    assert {tuple(error["loc"]) for error in response["body"]["detail"]} == {
        ("body", "userId"),
        ("body", "title"),
        ("body", "completed"),
    }


def test_body_missing():
    response = answer(validated, rest_event("POST", "/todos", headers=JSON))
    assert response["statusCode"] == 422


def test_embedded_body():
    body = json.dumps({"todo": {"userId": 2, "title": "embed", "completed": False}})
    response = answer(validated, rest_event("PUT", "/todos/4", headers=JSON, body=body))
    assert response["body"] == {"id": 4, "title": "embed"}


def test_query_strings():
    response = answer(
        validated, rest_event("GET", "/todos", query=[("completed", "true"), ("limit", "2"), ("tags", "a"), ("tags", "b")])
    )
    assert response["body"] == [{"id": 1, "title": "todo 1"}, {"id": 2, "title": "todo 2"}]


def test_query_string_out_of_range():
    zero, big, word = answers(
        validated,
        rest_event("GET", "/todos", query={"limit": "0"}),
        rest_event("GET", "/todos", query={"limit": "101"}),
        rest_event("GET", "/todos", query={"limit": "ten"}),
    )
    assert zero["statusCode"] == big["statusCode"] == word["statusCode"] == 422
    assert zero["body"]["detail"][0]["type"] == "greater_than"


def test_path_constraint():
    ok, too_big = answers(validated, rest_event("GET", "/accounts/999"), rest_event("GET", "/accounts/1000"))
    assert ok["body"] == {"account_id": 999}
    assert too_big["statusCode"] == 422


def test_headers():
    ok, default = answers(
        validated,
        rest_event("GET", "/me", headers={"X-Api-Key": "k", "User-Agent": "pytest"}),
        rest_event("GET", "/me", headers={"X-Api-Key": "k"}),
    )
    assert ok["body"] == {"key": "k", "agent": "pytest"}
    assert default["body"] == {"key": "k", "agent": "unknown"}


def test_response_validation_failure():
    response = answer(validated, rest_event("GET", "/broken"))
    assert response["statusCode"] == 422


def handled_errors(lib):
    app = lib.APIGatewayHttpResolver(enable_validation=True)

    @app.exception_handler(lib.RequestValidationError)
    def handle_validation_error(ex):
        return lib.Response(
            status_code=400,
            content_type=lib.content_types.APPLICATION_JSON,
            body={"message": "Invalid data", "fields": [error["loc"][-1] for error in ex.errors()]},
        )

    @app.post("/todos")
    def create_todo(todo: Todo) -> Todo:
        return todo

    return app


def test_validation_errors_handled():
    bad, good = answers(
        handled_errors,
        http_event("POST", "/todos", headers=JSON, body=json.dumps({"userId": 1, "completed": False})),
        http_event("POST", "/todos", headers=JSON, body=json.dumps({"userId": 1, "title": "t", "completed": False, "id": 3})),
    )
    assert bad["statusCode"] == 400
    assert bad["body"] == {"message": "Invalid data", "fields": ["title"]}
    assert good["body"] == {"userId": 1, "id": 3, "title": "t", "completed": False}


def router_validated(lib):
    router = lib.Router()

    @router.get("/<item_id>")
    def get_item(item_id: int, verbose: Annotated[bool, lib.Query()] = False):
        return {"item_id": item_id, "verbose": verbose}

    app = lib.APIGatewayRestResolver(enable_validation=True)
    app.include_router(router, prefix="/items")
    return app


def test_validation_in_routers():
    ok, bad = answers(
        router_validated,
        rest_event("GET", "/items/5", query={"verbose": "yes"}),
        rest_event("GET", "/items/five"),
    )
    assert ok["body"] == {"item_id": 5, "verbose": True}
    assert bad["statusCode"] == 422


def custom_response_error_code(lib):
    app = lib.APIGatewayRestResolver(enable_validation=True, response_validation_error_http_code=500)

    @app.get("/todos/<todo_id>")
    def get_todo(todo_id: int) -> TodoSummary:
        return {"id": todo_id}  # type: ignore[return-value]

    return app


def test_response_validation_error_code():
    response = answer(custom_response_error_code, rest_event("GET", "/todos/1"))
    assert response["statusCode"] == 500


def list_query(lib):
    app = lib.APIGatewayHttpResolver(enable_validation=True)

    @app.get("/todos")
    def todos(id: Annotated[list[int], lib.Query()]):
        return {"ids": id}

    return app


def test_multi_value_query_string():
    several, missing, word = answers(
        list_query,
        http_event("GET", "/todos", query=[("id", "1"), ("id", "2")]),
        http_event("GET", "/todos"),
        http_event("GET", "/todos", query={"id": "x"}),
    )
    assert several["body"] == {"ids": [1, 2]}
    assert missing["statusCode"] == word["statusCode"] == 422


class AliasedTodo(BaseModel):
    userId: int
    id_: int | None = Field(alias="id", default=None)
    title: str
    completed: bool


def aliased(lib):
    app = lib.APIGatewayRestResolver(enable_validation=True)

    @app.get("/todos/<todo_id>")
    def get_todo_by_id(todo_id: int) -> AliasedTodo:
        return AliasedTodo(userId=1, id=todo_id, title="read the docs", completed=False)

    return app


def test_response_model_by_alias():
    response = answer(aliased, rest_event("GET", "/todos/7"))
    assert response["body"] == {"userId": 1, "id": 7, "title": "read the docs", "completed": False}
