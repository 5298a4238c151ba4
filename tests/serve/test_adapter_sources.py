"""The ASGI adapter, driven with a hand-written ASGI client, for every source that can be served."""

from __future__ import annotations

import base64

import pytest

from kernel import App, Cookie, Response
from kernel.asgi import ASGIAdapter
from tests.serve.harness import call
from tests.serve.sources import CASES, ServeCase


@pytest.fixture(params=CASES, ids=str)
def case(request: pytest.FixtureRequest) -> ServeCase:
    return request.param


def serve(case: ServeCase) -> tuple[App, ASGIAdapter]:
    app = App(plugins=[case.source], source=case.source)
    return app, ASGIAdapter(app, options=case.options)


def test_json_route_with_path_parameter(case):
    app, adapter = serve(case)

    @app.get("/hello/<name>")
    def hello(name):
        return {"message": f"hello {name}"}

    answer = call(adapter, "GET", "/hello/ada")
    assert answer.status == 200
    assert answer.header("content-type") == "application/json"
    assert answer.body == b'{"message":"hello ada"}'
    assert answer.header("content-length") == str(len(answer.body))


def test_unknown_path_is_the_default_404(case):
    _, adapter = serve(case)
    answer = call(adapter, "GET", "/missing")
    assert answer.status == 404
    assert answer.json() == {"statusCode": 404, "message": "Not found"}


def test_wrong_method_is_404(case):
    app, adapter = serve(case)

    @app.post("/items")
    def create():
        return {"created": True}

    assert call(adapter, "GET", "/items").status == 404
    assert call(adapter, "POST", "/items", headers=[(b"content-type", b"application/json")], body=b"{}").status == 200


def test_query_string_with_repeated_keys(case):
    app, adapter = serve(case)

    @app.get("/search")
    def search():
        event = app.current_event
        return {"tags": event.get_multi_value_query_string_values("tag"), "q": event.get_query_string_value("q")}

    answer = call(adapter, "GET", "/search", query_string=b"tag=a&tag=b&q=caf%C3%A9")
    assert answer.status == 200
    assert answer.json() == {"tags": list(case.repeated_query), "q": case.query_value}


def test_request_header_with_several_values(case):
    app, adapter = serve(case)

    @app.get("/headers")
    def headers():
        return {"many": app.current_event.get_header_value("X-Many"), "one": app.current_event.get_header_value("x-one")}

    answer = call(adapter, "GET", "/headers", headers=[(b"x-many", b"1"), (b"x-many", b"2"), (b"x-one", b"solo")])
    assert answer.json() == {"many": case.repeated_header, "one": ["solo"] if case.header_lists else "solo"}


def test_request_cookies_reach_the_app(case):
    app, adapter = serve(case)

    @app.get("/cookies")
    def cookies():
        event = app.current_event
        return {"cookies": event.raw_event.get("cookies"), "header": event.get_header_value("cookie")}

    answer = call(adapter, "GET", "/cookies", headers=[(b"cookie", b"session=abc; theme=dark")])
    if case.cookies_field:
        assert answer.json() == {"cookies": ["session=abc", "theme=dark"], "header": None}
    else:
        header = "session=abc; theme=dark"
        assert answer.json() == {"cookies": None, "header": [header] if case.header_lists else header}


def test_response_cookies_and_multi_value_headers(case):
    app, adapter = serve(case)

    @app.get("/login")
    def login():
        return Response(
            200,
            "text/plain",
            "welcome",
            headers={"X-Multi": ["1", "2"]},
            cookies=[Cookie("session", "abc"), Cookie("theme", "dark", secure=False)],
        )

    if case.all_cookies:
        answer = call(adapter, "GET", "/login")
    else:
        with pytest.warns(UserWarning, match="Set-Cookie"):
            answer = call(adapter, "GET", "/login")
    assert answer.status == 200
    assert answer.body == b"welcome"
    assert answer.header("content-type") == "text/plain"
    assert tuple(answer.all("x-multi")) == case.response_header_lines
    expected_cookies = ["session=abc; Secure", "theme=dark"]
    assert answer.all("set-cookie") == (expected_cookies if case.all_cookies else expected_cookies[-1:])


def test_binary_request_and_response_bodies(case):
    app, adapter = serve(case)
    payload = bytes(range(256))

    @app.post("/echo")
    def echo():
        event = app.current_event
        assert event.is_base64_encoded
        return Response(200, "application/octet-stream", base64.b64decode(event.body))

    answer = call(adapter, "POST", "/echo", headers=[(b"content-type", b"application/octet-stream")], body=payload)
    assert answer.status == 200
    assert answer.body == payload
    assert answer.header("content-type") == "application/octet-stream"


def test_text_body_arrives_as_text_in_chunks(case):
    app, adapter = serve(case)

    @app.post("/books")
    def add():
        return {"got": app.current_event.json_body, "base64": app.current_event.is_base64_encoded}

    body = b'{"title": "Dune", "price": "9.99"}'
    answer = call(adapter, "POST", "/books", headers=[(b"content-type", b"application/json")], body=[body[:5], body[5:]])
    assert answer.json() == {"got": {"title": "Dune", "price": "9.99"}, "base64": False}


def test_invalid_json_body_is_400(case):
    app, adapter = serve(case)

    @app.post("/books")
    def add():
        return app.current_event.json_body

    answer = call(adapter, "POST", "/books", headers=[(b"content-type", b"application/json")], body=b"{not json")
    assert answer.status == 400
    assert answer.json() == {"statusCode": 400, "message": "Request body is not valid JSON"}


def test_percent_encoded_utf8_path_is_routed(case):
    app, adapter = serve(case)

    @app.get("/files/<name>")
    def file(name):
        return {"name": name}

    answer = call(adapter, "GET", "/files/report%202024.txt")
    assert answer.status == 200
    assert answer.json() == {"name": "report%202024.txt"}


def test_head_request_sends_no_body(case):
    app, adapter = serve(case)

    @app.head("/ping")
    def ping():
        return Response(200, "text/plain", "pong")

    answer = call(adapter, "HEAD", "/ping")
    assert answer.status == 200
    assert answer.body == b""
    assert answer.header("content-length") == "4"
