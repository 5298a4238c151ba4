"""Getting started: one todo API behind each event source (REST, HTTP API, ALB, Function URL, Lattice)."""

from __future__ import annotations

import pytest

from tests.events import alb_event, function_url_event, http_event, lattice_event, lattice_v2_event, rest_event
from tests.powertools_patterns.harness import answer

TODOS = [{"id": 1, "title": "buy milk", "completed": False}, {"id": 2, "title": "write tests", "completed": True}]


def todos_app(resolver: str):
    def build(lib):
        app = getattr(lib, resolver)()

        @app.get("/todos")
        def get_todos():
            return {"todos": TODOS}

        @app.get("/todos/<todo_id>")
        def get_todo(todo_id: str):
            return next(todo for todo in TODOS if str(todo["id"]) == todo_id)

        @app.post("/todos")
        def create_todo():
            todo = app.current_event.json_body
            return {"id": 3, **todo}

        return app

    return build


def alb_multi_value_event(*args, **parts):
    return alb_event(*args, multi_value=True, **parts)


# source: (resolver, event builder, deliberate differences its answers meet)
SOURCES = {
    "rest": ("APIGatewayRestResolver", rest_event, ()),
    "http": ("APIGatewayHttpResolver", http_event, ()),
    "alb": ("ALBResolver", alb_event, ()),
    "alb-multi-value": ("ALBResolver", alb_multi_value_event, ()),
    "function-url": ("LambdaFunctionUrlResolver", function_url_event, ()),
    "lattice": ("VPCLatticeResolver", lattice_event, ("lattice-cookies",)),
    "lattice-v2": ("VPCLatticeV2Resolver", lattice_v2_event, ("lattice-cookies",)),
}


@pytest.fixture(params=SOURCES, ids=str)
def source(request):
    return SOURCES[request.param]


def test_list(source):
    resolver, event, allow = source
    response = answer(todos_app(resolver), event("GET", "/todos"), allow=allow)
    assert response["statusCode"] == 200
    assert response["body"] == {"todos": TODOS}


def test_dynamic_route(source):
    resolver, event, allow = source
    response = answer(todos_app(resolver), event("GET", "/todos/2"), allow=allow)
    assert response["body"]["title"] == "write tests"


def test_post_json(source):
    resolver, event, allow = source
    body = '{"title": "ship it", "completed": false}'
    request = event("POST", "/todos", headers={"Content-Type": "application/json"}, body=body)
    response = answer(todos_app(resolver), request, allow=allow)
    assert response["body"] == {"id": 3, "title": "ship it", "completed": False}


def test_unknown_route(source):
    resolver, event, allow = source
    response = answer(todos_app(resolver), event("GET", "/users"), allow=allow)
    assert response["statusCode"] == 404
    assert response["body"] == {"statusCode": 404, "message": "Not found"}


def test_method_without_route(source):
    resolver, event, allow = source
    assert answer(todos_app(resolver), event("DELETE", "/todos"), allow=allow)["statusCode"] == 404


def test_rest_response_shape():
    response = answer(todos_app("APIGatewayRestResolver"), rest_event("GET", "/todos"))
    assert response["multiValueHeaders"] == {"Content-Type": ["application/json"]}
    assert response["isBase64Encoded"] is False


def test_http_response_shape():
    response = answer(todos_app("APIGatewayHttpResolver"), http_event("GET", "/todos"))
    assert response["headers"] == {"Content-Type": "application/json"}
    assert response["cookies"] == []


def test_alb_response_shape():
    response = answer(todos_app("ALBResolver"), alb_event("GET", "/todos"))
    assert "statusDescription" not in response
    assert response["headers"] == {"Content-Type": "application/json"}
