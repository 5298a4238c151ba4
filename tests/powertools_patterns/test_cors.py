"""CORS: an app-wide CORSConfig, routes that opt out, pre-flight requests."""

from __future__ import annotations

from tests.events import http_event, rest_event
from tests.powertools_patterns.harness import answer, answers

VARY = ("cors-vary",)  # kernel adds Vary: Origin to the answers of CORS routes


def cors_app(lib):
    cors_config = lib.CORSConfig(
        allow_origin="https://www.example.com",
        extra_origins=["https://dev.example.com"],
        expose_headers=["x-exposed-response-header"],
        allow_headers=["x-custom-request-header"],
        max_age=100,
        allow_credentials=True,
    )
    app = lib.APIGatewayRestResolver(cors=cors_config)

    @app.get("/todos")
    def get_todos():
        return {"todos": []}

    @app.get("/todos/<todo_id>")
    def get_todo_by_id(todo_id: str):
        return {"id": todo_id}

    @app.get("/healthcheck", cors=False)
    def am_i_alive():
        return {"am_i_alive": "yes"}

    return app


def test_allowed_origin():
    response = answer(cors_app, rest_event("GET", "/todos", headers={"Origin": "https://www.example.com"}), allow=VARY)
    headers = response["multiValueHeaders"]
    assert headers["Access-Control-Allow-Origin"] == ["https://www.example.com"]
    assert headers["Access-Control-Allow-Credentials"] == ["true"]


def test_extra_origin():
    response = answer(cors_app, rest_event("GET", "/todos/1", headers={"Origin": "https://dev.example.com"}), allow=VARY)
    assert response["multiValueHeaders"]["Access-Control-Allow-Origin"] == ["https://dev.example.com"]


def test_other_origin():
    response = answer(cors_app, rest_event("GET", "/todos", headers={"Origin": "https://evil.example.org"}), allow=VARY)
    assert "Access-Control-Allow-Origin" not in response["multiValueHeaders"]


def test_route_without_cors():
    response = answer(cors_app, rest_event("GET", "/healthcheck", headers={"Origin": "https://www.example.com"}))
    assert response["multiValueHeaders"] == {"Content-Type": ["application/json"]}


def test_preflight():
    headers = {
        "Origin": "https://www.example.com",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "x-custom-request-header",
    }
    response = answer(cors_app, rest_event("OPTIONS", "/todos", headers=headers), allow=VARY)
    assert response["statusCode"] == 204
    assert response["multiValueHeaders"]["Access-Control-Max-Age"] == ["100"]


def test_preflight_unknown_path():
    response = answer(cors_app, rest_event("OPTIONS", "/nothing", headers={"Origin": "https://www.example.com"}), allow=VARY)
    assert response["statusCode"] == 204


def wildcard(lib):
    app = lib.APIGatewayHttpResolver(cors=lib.CORSConfig())

    @app.get("/hello")
    def hello():
        return {"hello": "world"}

    @app.post("/hello")
    def post_hello():
        return {"posted": True}

    return app


def test_default_cors_config():
    get, preflight, no_origin = answers(
        wildcard,
        http_event("GET", "/hello", headers={"Origin": "https://any.example"}),
        http_event("OPTIONS", "/hello", headers={"Origin": "https://any.example", "Access-Control-Request-Method": "POST"}),
        http_event("GET", "/hello"),
        allow=VARY,
    )
    assert get["headers"]["Access-Control-Allow-Origin"] == "*"
    assert preflight["statusCode"] == 204
    assert "Access-Control-Allow-Origin" not in no_origin["headers"]


def per_route(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/public", cors=True)
    def public():
        return {"public": True}

    @app.get("/private")
    def private():
        return {"public": False}

    return app


def test_cors_per_route():
    public = answer(per_route, rest_event("GET", "/public", headers={"Origin": "https://a.example"}), allow=VARY)
    private = answer(per_route, rest_event("GET", "/private", headers={"Origin": "https://a.example"}))
    assert public["multiValueHeaders"]["Access-Control-Allow-Origin"] == ["*"]
    assert "Access-Control-Allow-Origin" not in private["multiValueHeaders"]


def methods_and_cors(lib):
    app = lib.APIGatewayRestResolver(cors=lib.CORSConfig(allow_origin="https://a.example"))

    @app.route("/todos", method=["GET", "PUT", "POST"])
    def todos():
        return {"todos": []}

    @app.delete("/todos/<todo_id>", cors=False)
    def delete(todo_id: str):
        return {"deleted": todo_id}

    return app


def test_preflight_lists_the_methods_with_cors():
    headers = {"Origin": "https://a.example", "Access-Control-Request-Method": "PUT"}
    response = answer(methods_and_cors, rest_event("OPTIONS", "/todos", headers=headers), allow=VARY)
    assert response["multiValueHeaders"]["Access-Control-Allow-Methods"] == ["GET,OPTIONS,POST,PUT"]
