"""Routing patterns: dynamic routes, nested parameters, catch-all regular expressions, several methods per route."""

from __future__ import annotations

from tests.events import http_event, rest_event
from tests.powertools_patterns.harness import answer, answers


def dynamic_routes(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/todos/<todo_id>")
    def get_todo_by_id(todo_id: str):
        return {"id": todo_id}

    @app.get("/<account_id>/todos/<todo_id>")
    def get_account_todo(account_id: str, todo_id: str):
        return {"account": account_id, "id": todo_id}

    @app.get("/todos/done")
    def done():
        return {"done": True}

    return app


def test_dynamic_route():
    assert answer(dynamic_routes, rest_event("GET", "/todos/42"))["body"] == {"id": "42"}


def test_nested_dynamic_route():
    response = answer(dynamic_routes, rest_event("GET", "/acme/todos/7"))
    assert response["body"] == {"account": "acme", "id": "7"}


def test_static_route_wins_over_dynamic():
    assert answer(dynamic_routes, rest_event("GET", "/todos/done"))["body"] == {"done": True}


def test_parameter_with_safe_characters():
    # A path parameter takes one segment, with the characters URLs allow unescaped.
    response = answer(dynamic_routes, rest_event("GET", "/todos/a-b_c.d~e@f:g%20h"))
    assert response["statusCode"] == 200


def test_parameter_spans_one_segment():
    assert answer(dynamic_routes, rest_event("GET", "/todos/1/2"))["statusCode"] == 404


def catch_all(lib):
    app = lib.APIGatewayRestResolver()

    @app.get(".+")
    def catch_any_route_get_method():
        return {"path_received": app.current_event.path}

    return app


def test_catch_all_rule_without_slash_serves_every_path():
    # A rule holding regular-expression syntax is matched as written, as on Powertools.
    replies = answers(catch_all, rest_event("GET", "/anything/here"), rest_event("GET", "/"))
    assert [reply["body"] for reply in replies] == [{"path_received": "/anything/here"}, {"path_received": "/"}]


def multiple_methods(lib):
    app = lib.APIGatewayRestResolver()

    @app.route("/todos", method=["PUT", "POST"])
    def create_todo():
        return {"method": app.current_event.http_method, "todo": app.current_event.json_body}

    @app.route("/todos/<todo_id>", method="DELETE")
    def delete_todo(todo_id: str):
        return lib.Response(status_code=204, content_type=None, body="")

    @app.head("/todos")
    def head_todos():
        return lib.Response(status_code=200, headers={"X-Total-Count": "2"})

    @app.patch("/todos/<todo_id>")
    def patch_todo(todo_id: str):
        return {"patched": todo_id}

    return app


def test_one_function_for_two_methods():
    put, post, get = answers(
        multiple_methods,
        rest_event("PUT", "/todos", body='{"title": "a"}'),
        rest_event("POST", "/todos", body='{"title": "b"}'),
        rest_event("GET", "/todos"),
    )
    assert put["body"] == {"method": "PUT", "todo": {"title": "a"}}
    assert post["body"] == {"method": "POST", "todo": {"title": "b"}}
    assert get["statusCode"] == 404


def test_head_and_patch():
    head, patch = answers(multiple_methods, rest_event("HEAD", "/todos"), rest_event("PATCH", "/todos/3"))
    assert head["multiValueHeaders"]["X-Total-Count"] == ["2"]
    assert patch["body"] == {"patched": "3"}


def test_delete_answers_no_content():
    response = answer(multiple_methods, rest_event("DELETE", "/todos/3"))
    assert response["statusCode"] == 204


def trailing_slash(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/todos")
    def todos():
        return {"todos": []}

    return app


def test_rest_ignores_a_trailing_slash():
    assert answer(trailing_slash, rest_event("GET", "/todos/"))["body"] == {"todos": []}


def test_percent_encoded_parameter():
    assert answer(dynamic_routes, rest_event("GET", "/todos/a%20b"))["body"] == {"id": "a%20b"}


def test_head_on_a_get_route():
    assert answer(trailing_slash, rest_event("HEAD", "/todos"))["statusCode"] == 404


def catch_all_slash(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/.+")
    def catch_any_route_get_method():
        return {"path_received": app.current_event.path}

    return app


def test_catch_all_route():
    response = answer(catch_all_slash, rest_event("GET", "/any/path/at/all"))
    assert response["body"] == {"path_received": "/any/path/at/all"}


def regex_segment(lib):
    app = lib.APIGatewayHttpResolver()

    @app.get("/files/<name>/(.+)")
    def file_path(name: str):
        return {"name": name, "path": app.current_event.path}

    @app.get("/v[12]/status")
    def status():
        return {"status": "ok"}

    return app


def test_regex_in_rule():
    first, second, missing = answers(
        regex_segment,
        http_event("GET", "/v1/status"),
        http_event("GET", "/v2/status"),
        http_event("GET", "/v3/status"),
    )
    assert first["body"] == second["body"] == {"status": "ok"}
    assert missing["statusCode"] == 404
