"""``method_not_allowed=True``: a known path asked with a method no route serves is answered 405, on every source."""

import json

import pytest

from kernel import Response
from tests.sources import supporting

NOT_ALLOWED = {"statusCode": 405, "message": "Method not allowed"}
NOT_FOUND = {"statusCode": 404, "message": "Not found"}


def items_app(source, **kwargs):
    app = source.app(method_not_allowed=True, **kwargs)

    @app.get("/items")
    def list_items():
        return {"did": "list"}

    @app.post("/items")
    def create_item():
        return {"did": "create"}

    @app.get("/items/<item_id>")
    def get_item(item_id):
        return {"did": "get", "id": item_id}

    @app.delete("/items/<item_id>")
    def delete_item(item_id):
        return {"did": "delete", "id": item_id}

    @app.put("/items/special")
    def put_special():
        return {"did": "special"}

    return app


def test_a_known_path_with_another_method_is_405(source):
    client = source.client(items_app(source))
    for method, path in [("DELETE", "/items"), ("PATCH", "/items"), ("PUT", "/items/7"), ("POST", "/items/special")]:
        response = client.request(method, path)
        assert (response.status_code, response.json()) == (405, NOT_ALLOWED), (method, path)
        assert response.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)
def test_allow_lists_the_methods_of_every_rule_matching_the_path(source):
    client = source.client(items_app(source))
    assert client.patch("/items").headers.get_list("Allow") == ["GET, POST"]
    assert client.put("/items/7").headers.get_list("Allow") == ["DELETE, GET"]
    # A static rule and a dynamic one both match /items/special: the methods of both.
    assert client.post("/items/special").headers.get_list("Allow") == ["DELETE, GET, PUT"]


def test_a_served_method_still_reaches_its_route(source):
    client = source.client(items_app(source))
    assert client.get("/items").json() == {"did": "list"}
    assert client.delete("/items/7").json() == {"did": "delete", "id": "7"}
    # The static rule serves only PUT: DELETE falls through to the dynamic rule, as without the option.
    assert client.delete("/items/special").json() == {"did": "delete", "id": "special"}


def test_an_unknown_path_is_still_404(source):
    client = source.client(items_app(source))
    # "/items/" is another path, except where trailing slashes are ignored (REST: it is "/items" there).
    paths = ["/nothing", "/items/7/parts"] + ([] if source.ignores_trailing_slash else ["/items/"])
    for path in paths:
        response = client.patch(path)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path
        assert "Allow" not in response.headers


def test_without_the_option_a_wrong_method_is_404_as_in_powertools(source):
    app = source.app()

    @app.get("/items")
    def list_items():
        return {}

    response = source.client(app).post("/items")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert "Allow" not in response.headers


def test_the_not_found_handler_answers_unknown_paths_only(source):
    app = items_app(source)

    @app.not_found
    def missing(exc):
        return Response(404, "application/json", {"missing": app.current_event.path})

    client = source.client(app)
    assert client.get("/elsewhere").json() == {"missing": "/elsewhere"}
    assert client.patch("/items").json() == NOT_ALLOWED


def test_global_middlewares_run_around_the_405(source):
    app = items_app(source)
    seen = []

    def record(app, next_middleware):
        response = next_middleware(app)
        seen.append(response.status_code)
        return response

    app.use([record])
    assert source.client(app).patch("/items").status_code == 405
    assert seen == [405]


@pytest.mark.parametrize("source", supporting("request_headers"), ids=str)
def test_options_on_a_cors_app_is_still_the_preflight(source):
    from kernel_cors import CORSConfig

    app = items_app(source, cors=CORSConfig(allow_origin="https://app.example.com"), plugins=source.plugin_list("cors"))
    client = source.client(app)
    preflight = client.options("/items/7", headers={"Origin": "https://app.example.com"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Methods"] == "DELETE,GET,OPTIONS,POST,PUT"
    assert "Allow" not in preflight.headers
    # Another method is still 405, with the CORS headers of the app-wide policy, so a browser can read it.
    refused = client.patch("/items/7", headers={"Origin": "https://app.example.com"})
    assert (refused.status_code, refused.json()) == (405, NOT_ALLOWED)
    assert refused.headers["Access-Control-Allow-Origin"] == "https://app.example.com"


def test_without_cors_options_is_405_like_any_other_method(source):
    response = source.client(items_app(source)).options("/items")
    assert (response.status_code, response.json()) == (405, NOT_ALLOWED)


def test_the_openapi_document_is_unchanged():
    from kernel import APIGatewayRestResolver

    def document(**kwargs):
        app = APIGatewayRestResolver(plugins=["rest", "openapi"], **kwargs)

        @app.get("/items/<item_id>")
        def get_item(item_id: str):
            return {}

        return json.loads(app.get_openapi_json_schema())

    assert document(method_not_allowed=True) == document()
    assert "405" not in json.dumps(document(method_not_allowed=True))


def test_a_matching_request_never_asks_which_methods_the_path_has(source, monkeypatch):
    app = items_app(source)
    asked = []
    monkeypatch.setattr(app.route_table, "allowed_methods", lambda path: asked.append(path) or [])
    client = source.client(app)
    assert client.get("/items/3").status_code == 200
    assert asked == []
    assert client.patch("/items/3").status_code == 404  # the table (stubbed here) says no method serves it
    assert asked == ["/items/3"]
