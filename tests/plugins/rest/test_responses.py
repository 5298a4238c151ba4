"""The REST source's response dicts, exactly as API Gateway's proxy integration reads them."""

from __future__ import annotations

from typing import Any

from kernel import APIGatewayRestResolver, App, Cookie, Response
from tests.events import rest_event


def rest_app(**kwargs: Any) -> APIGatewayRestResolver:
    return APIGatewayRestResolver(plugins=["rest"], **kwargs)


def test_json_response_dict():
    app = rest_app()

    @app.get("/hello")
    def hello():
        return {"message": "hi"}

    assert app(rest_event("GET", "/hello"), None) == {
        "statusCode": 200,
        "body": '{"message":"hi"}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }


def test_response_dict_has_exactly_these_keys():
    app = rest_app()
    assert sorted(app(rest_event("GET", "/"), None)) == ["body", "isBase64Encoded", "multiValueHeaders", "statusCode"]


def test_headers_cookies_and_binary_body():
    app = rest_app()

    @app.get("/file")
    def file():
        return Response(
            status_code=200,
            content_type="application/octet-stream",
            body=b"\x00\x01\x02",
            headers={"X-Multi": ["1", "2"]},
            cookies=[Cookie("id", "7", http_only=True), "theme=dark"],
        )

    assert app(rest_event("GET", "/file"), None) == {
        "statusCode": 200,
        "body": "AAEC",
        "isBase64Encoded": True,
        "multiValueHeaders": {
            "X-Multi": ["1", "2"],
            "Content-Type": ["application/octet-stream"],
            "Set-Cookie": ["id=7; HttpOnly; Secure", "theme=dark"],
        },
    }


def test_header_with_none_value_is_left_out():
    app = rest_app()

    @app.get("/x")
    def x():
        return Response(200, "text/plain", "ok", headers={"X-Gone": None})  # type: ignore[dict-item]

    assert app(rest_event("GET", "/x"), None)["multiValueHeaders"] == {"Content-Type": ["text/plain"]}


def test_unpinned_app_recognises_rest_events():
    app = App(plugins=["rest"])

    @app.get("/hello")
    def hello():
        return {"source": type(app.current_event).__name__}

    assert app(rest_event("GET", "/hello"), None) == {
        "statusCode": 200,
        "body": '{"source":"APIGatewayProxyEvent"}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }


def test_the_stage_is_not_part_of_the_routed_path():
    app = rest_app()

    @app.get("/hello")
    def hello():
        return {"stage": app.current_event.request_context.stage}

    assert app(rest_event("GET", "/hello", stage="v2"), None)["body"] == '{"stage":"v2"}'
