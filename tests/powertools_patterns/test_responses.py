"""Responses: custom status, headers (multi-value), cookies, content types, binary bodies, compression,
debug mode and a custom serializer."""

from __future__ import annotations

import base64
import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

import pytest

from tests.events import alb_event, function_url_event, http_event, lattice_event, rest_event
from tests.powertools_patterns.harness import answer, answered, answers, both

COMPRESS = ("compress-vary",)  # kernel adds Vary: Accept-Encoding to the answers of compress=True routes


def on(build, resolver):
    """``build`` with its app on ``resolver``."""
    return lambda lib: build(lib, resolver)


LOGO = b"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><rect width='10' height='10'/></svg>"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


def fine_grained(lib, resolver="APIGatewayRestResolver"):
    app = getattr(lib, resolver)()

    @app.get("/todos")
    def get_todos():
        custom_headers = {"X-Transaction-Id": ["3490eea9-791b-47a0-91a4-326317db61a9"], "X-Tag": ["a", "b"]}
        return lib.Response(
            status_code=200,
            content_type=lib.content_types.APPLICATION_JSON,
            body={"todos": []},
            headers=custom_headers,
            cookies=[lib.Cookie(name="session_id", value="12345")],
        )

    @app.post("/todos")
    def create_todo():
        return lib.Response(status_code=201, content_type=lib.content_types.APPLICATION_JSON, body=json.dumps({"id": 1}))

    @app.get("/cookies")
    def cookies():
        return lib.Response(
            status_code=200,
            content_type=lib.content_types.TEXT_PLAIN,
            body="cookies",
            cookies=[
                lib.Cookie(name="session", value="abc", secure=True, http_only=True, path="/", max_age=3600),
                lib.Cookie(name="theme", value="dark", same_site=lib.SameSite.STRICT_MODE, domain="example.com"),
            ],
        )

    @app.get("/tuple")
    def status_tuple():
        return {"accepted": True}, 202

    @app.get("/html")
    def html():
        return lib.Response(status_code=200, content_type="text/html", body="<h1>hello</h1>")

    @app.get("/redirect")
    def redirect():
        return lib.Response(status_code=302, headers={"Location": "https://example.com/todos"})

    return app


def test_custom_headers_and_cookie_rest():
    response = answer(fine_grained, rest_event("GET", "/todos"))
    assert response["multiValueHeaders"]["X-Tag"] == ["a", "b"]
    assert response["multiValueHeaders"]["Set-Cookie"] == ["session_id=12345; Secure"]


def test_custom_headers_and_cookie_http():
    response = answer(on(fine_grained, "APIGatewayHttpResolver"), http_event("GET", "/todos"))
    assert response["headers"]["X-Tag"] == "a, b"
    assert response["cookies"] == ["session_id=12345; Secure"]


@pytest.mark.parametrize(
    ("resolver", "event"),
    [
        ("APIGatewayRestResolver", rest_event),
        ("APIGatewayHttpResolver", http_event),
        ("LambdaFunctionUrlResolver", function_url_event),
        ("ALBResolver", lambda *a: alb_event(*a, multi_value=True)),
    ],
    ids=["rest", "http", "function-url", "alb-multi-value"],
)
def test_cookie_attributes(resolver, event):
    response = answer(on(fine_grained, resolver), event("GET", "/cookies"))
    assert response["body"] == b"cookies"


def test_created_with_a_json_string():
    response = answer(fine_grained, rest_event("POST", "/todos"))
    assert response["statusCode"] == 201
    assert response["body"] == {"id": 1}


def test_tuple_with_status():
    response = answer(fine_grained, rest_event("GET", "/tuple"))
    assert response["statusCode"] == 202


def test_other_content_types():
    html, redirect = answers(
        on(fine_grained, "APIGatewayHttpResolver"), http_event("GET", "/html"), http_event("GET", "/redirect")
    )
    assert html["headers"]["Content-Type"] == "text/html"
    assert redirect["statusCode"] == 302
    assert redirect["headers"]["Location"] == "https://example.com/todos"


def binary(lib, resolver="APIGatewayRestResolver"):
    app = getattr(lib, resolver)()

    @app.get("/logo")
    def get_logo():
        return lib.Response(status_code=200, content_type="image/svg+xml", body=LOGO)

    @app.get("/pixel")
    def get_pixel():
        return lib.Response(status_code=200, content_type="image/png", body=PNG)

    return app


def test_binary_response():
    logo, pixel = answers(binary, rest_event("GET", "/logo"), rest_event("GET", "/pixel"))
    assert logo["isBase64Encoded"] is True
    assert logo["body"] == LOGO
    assert pixel["body"] == PNG


def test_binary_response_http():
    response = answer(on(binary, "APIGatewayHttpResolver"), http_event("GET", "/pixel"))
    assert response["isBase64Encoded"] is True


def compressed(lib, resolver="APIGatewayRestResolver"):
    app = getattr(lib, resolver)()

    @app.get("/todos", compress=True)
    def get_todos():
        return {"todos": [{"id": i, "title": f"todo {i}"} for i in range(50)]}

    @app.get("/todos/<todo_id>")
    def get_todo(todo_id: str):
        return lib.Response(
            status_code=200,
            content_type=lib.content_types.APPLICATION_JSON,
            body={"id": todo_id, "title": "x" * 200},
            compress=True,
        )

    @app.get("/logo", compress=True)
    def logo():
        return lib.Response(status_code=200, content_type="image/svg+xml", body=LOGO * 10)

    return app


GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_compress_route():
    response = answer(compressed, rest_event("GET", "/todos", headers=GZIP), allow=COMPRESS)
    assert response["multiValueHeaders"]["Content-Encoding"] == ["gzip"]
    assert response["isBase64Encoded"] is True
    assert len(response["body"]["todos"]) == 50


def test_compress_response():
    response = answer(on(compressed, "APIGatewayHttpResolver"), http_event("GET", "/todos/3", headers=GZIP), allow=COMPRESS)
    assert response["headers"]["Content-Encoding"] == "gzip"
    assert response["body"]["id"] == "3"


def test_compress_binary():
    response = answer(compressed, rest_event("GET", "/logo", headers=GZIP), allow=COMPRESS)
    assert response["body"] == LOGO * 10


def test_no_compression_without_accept_encoding():
    response = answer(compressed, rest_event("GET", "/todos"), allow=COMPRESS)
    assert "Content-Encoding" not in response["multiValueHeaders"]
    assert response["isBase64Encoded"] is False


def debug_mode(lib):
    app = lib.APIGatewayRestResolver(debug=True)

    @app.get("/hello")
    def hello():
        return {"message": "hello"}

    @app.get("/boom")
    def boom():
        raise RuntimeError("database unreachable")

    return app


def test_debug_mode_answers_the_same_text():
    powertools_app, kernel_app = both(debug_mode)
    event = rest_event("GET", "/hello")
    expected = powertools_app.resolve(event, None)
    got = kernel_app.resolve(event, None)
    assert got["body"] == expected["body"]  # the exact text
    assert got["body"] == '{"message":"hello"}'


def test_debug_mode_answers_a_traceback():
    powertools_app, kernel_app = both(debug_mode)
    event = rest_event("GET", "/boom")
    expected = powertools_app.resolve(event, None)
    got = kernel_app.resolve(event, None)
    # The traceback's frames differ (each library's own); the answer around it does not.
    assert {key: value for key, value in got.items() if key != "body"} == {
        key: value for key, value in expected.items() if key != "body"
    }
    assert got["statusCode"] == 500
    assert got["body"].startswith("Traceback (most recent call last):")
    assert got["body"].rstrip().endswith("RuntimeError: database unreachable")


class Color(Enum):
    RED = 1
    BLUE = 2


@dataclass
class Todo:
    title: str
    colors: set


def custom_serializer(obj):
    if isinstance(obj, Enum):
        return obj.name
    if isinstance(obj, set):
        return sorted(obj, key=lambda color: color.name)
    if hasattr(obj, "__dataclass_fields__"):
        return {"title": obj.title, "colors": obj.colors}
    raise TypeError(type(obj).__name__)


def serializer_app(lib):
    app = lib.APIGatewayRestResolver(serializer=lambda x: json.dumps(x, separators=(",", ":"), default=custom_serializer))

    @app.get("/colors")
    def get_colors():
        return {"todo": Todo("paint", {Color.RED, Color.BLUE}), "primary": Color.RED}

    return app


def test_custom_serializer():
    response = answer(serializer_app, rest_event("GET", "/colors"))
    assert response["body"] == {"todo": {"title": "paint", "colors": ["BLUE", "RED"]}, "primary": "RED"}


def test_custom_serializer_text():
    powertools_app, kernel_app = both(serializer_app)
    event = rest_event("GET", "/colors")
    assert kernel_app.resolve(event, None)["body"] == powertools_app.resolve(event, None)["body"]


def base64_request(lib):
    app = lib.APIGatewayRestResolver()

    @app.post("/upload")
    def upload():
        data = base64.b64decode(app.current_event.body) if app.current_event.is_base64_encoded else b""
        return {"size": len(data)}

    return app


def test_binary_request_body():
    response = answer(
        base64_request, rest_event("POST", "/upload", headers={"Content-Type": "image/png"}, body=PNG, is_base64=True)
    )
    assert response["body"] == {"size": len(PNG)}


def env_debug(lib):
    app = lib.APIGatewayHttpResolver()

    @app.get("/boom")
    def boom():
        raise KeyError("user_id")

    return app


@pytest.mark.filterwarnings("ignore:POWERTOOLS_DEV environment variable is enabled:UserWarning")
@pytest.mark.filterwarnings("ignore:POWERTOOLS_DEV is set:UserWarning")
def test_debug_mode_from_the_environment(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_DEV", "true")
    powertools_app, kernel_app = both(env_debug)
    event = http_event("GET", "/boom")
    expected = powertools_app.resolve(event, None)
    got = kernel_app.resolve(event, None)
    assert {key: value for key, value in got.items() if key != "body"} == {
        key: value for key, value in expected.items() if key != "body"
    }
    assert got["statusCode"] == 500
    assert got["body"].rstrip().endswith("KeyError: 'user_id'")


def cached(lib, resolver="APIGatewayRestResolver"):
    app = getattr(lib, resolver)()

    @app.get("/prices", cache_control="max-age=600")
    def prices():
        return {"prices": [1, 2]}

    @app.get("/prices/<item>", cache_control="max-age=600")
    def price(item: str):
        raise lib.NotFoundError(f"no price for {item}")

    @app.delete("/prices/<item>")
    def delete(item: str):
        return lib.Response(status_code=204)

    return app


def test_cache_control():
    ok, missing = answers(cached, rest_event("GET", "/prices"), rest_event("GET", "/prices/tea"))
    assert ok["multiValueHeaders"]["Cache-Control"] == ["max-age=600"]
    assert missing["multiValueHeaders"]["Cache-Control"] == ["no-cache"]


def test_no_content():
    response = answer(on(cached, "APIGatewayHttpResolver"), http_event("DELETE", "/prices/tea"))
    assert response["statusCode"] == 204


def test_lattice_cookie():
    response = answer(on(fine_grained, "VPCLatticeResolver"), lattice_event("GET", "/todos"), allow=("lattice-cookies",))
    assert response["headers"]["Set-Cookie"] == "session_id=12345; Secure"


@dataclass
class Order:
    id: int
    total: Decimal


def default_serializer(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/orders/<order_id>")
    def order(order_id: str):
        return Order(id=int(order_id), total=Decimal("10.50"))

    @app.get("/orders/<order_id>/placed")
    def placed(order_id: str):
        return {"id": order_id, "placed": datetime.date(2026, 11, 29)}

    return app


def test_default_serializer_decimal_and_dataclass():
    response = answer(default_serializer, rest_event("GET", "/orders/3"))
    assert response["body"] == {"id": 3, "total": "10.50"}


def test_default_serializer_dates():
    response = answered(default_serializer, rest_event("GET", "/orders/3/placed"), "serializer-types")
    assert response["body"] == {"id": "3", "placed": "2026-11-29"}


def two_cookies(lib, resolver="APIGatewayRestResolver"):
    app = getattr(lib, resolver)()

    @app.get("/login")
    def login():
        return lib.Response(
            status_code=200,
            content_type=lib.content_types.APPLICATION_JSON,
            body={"logged_in": True},
            headers={"X-Trace": ["1", "2"]},
            cookies=[lib.Cookie(name="session", value="abc"), lib.Cookie(name="theme", value="dark", secure=False)],
        )

    return app


@pytest.mark.parametrize(
    ("resolver", "event"),
    [
        ("APIGatewayRestResolver", rest_event),
        ("APIGatewayHttpResolver", http_event),
        ("LambdaFunctionUrlResolver", function_url_event),
        ("ALBResolver", lambda *a: alb_event(*a, multi_value=True)),
    ],
    ids=["rest", "http", "function-url", "alb-multi-value"],
)
def test_two_cookies_and_a_multi_value_header(resolver, event):
    response = answer(on(two_cookies, resolver), event("GET", "/login"))
    assert response["body"] == {"logged_in": True}


def return_values(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/none")
    def none():
        return None

    @app.get("/text")
    def text():
        return "plain"

    @app.get("/list")
    def items():
        return [1, 2]

    @app.get("/empty-response")
    def empty_response():
        return lib.Response(status_code=200, content_type=lib.content_types.APPLICATION_JSON, body=None)

    return app


@pytest.mark.parametrize("path", ["/none", "/text", "/list", "/empty-response"])
def test_return_values(path):
    response = answer(return_values, rest_event("GET", path))
    assert response["statusCode"] == 200
