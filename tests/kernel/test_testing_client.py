"""kernel.testing.Client: the events it builds, the responses it decodes, the sources it refuses."""

from __future__ import annotations

import pytest

from kernel import APIGatewayRestResolver, App, Cookie, Response
from kernel.testing import Client


def rest_app():
    # The compression plugin, for the compress=True route below.
    app = APIGatewayRestResolver(plugins=["rest", "compression"])

    @app.get("/echo")
    def echo():
        event = app.current_event
        return {
            "query": event.resolved_query_string_parameters,
            "header": event.get_header_value("x-thing"),
            "cookie": event.get_header_value("cookie"),
            "body": event.json_body,
        }

    @app.post("/bytes")
    def raw():
        return Response(200, "application/octet-stream", app.current_event.decoded_body.encode()[::-1])

    @app.get("/cookies")
    def cookies():
        return Response(204, "text/plain", None, cookies=[Cookie("a", "1"), Cookie("b", "2")], headers={"X-Many": ["1", "2"]})

    @app.get("/big", compress=True)
    def big():
        return {"data": "x" * 2000}

    return app


def test_the_event_is_the_sources_own_and_carries_the_request():
    client = Client(rest_app())
    response = client.get("/echo?tag=a&tag=b", headers={"X-Thing": "yes"}, cookies={"s": "1"}, json={"n": 1})
    assert response.status_code == 200
    assert response.json() == {"query": {"tag": ["a", "b"]}, "header": "yes", "cookie": "s=1", "body": {"n": 1}}
    assert client.raw_event["httpMethod"] == "GET"
    assert client.raw_event["multiValueQueryStringParameters"] == {"tag": ["a", "b"]}
    assert client.raw_event["headers"]["Content-Type"] == "application/json"
    assert client.raw_response == response.raw
    assert client.raw_response["statusCode"] == 200


def test_query_given_as_a_mapping():
    response = Client(rest_app()).get("/echo", query={"q": "café au lait", "tag": ["a", "b"]})
    assert response.json()["query"] == {"q": ["café au lait"], "tag": ["a", "b"]}


def test_binary_bodies_go_base64_both_ways():
    client = Client(rest_app())
    response = client.post("/bytes", body=b"abc", headers={"Content-Type": "application/octet-stream"})
    assert client.raw_event["isBase64Encoded"] is True
    assert client.raw_response["isBase64Encoded"] is True
    assert response.content == b"cba"


def test_headers_repeat_and_cookies_are_read_by_name():
    response = Client(rest_app()).get("/cookies")
    assert response.status_code == 204
    assert response.headers.get_list("x-many") == ["1", "2"]
    assert response.headers["X-Many"] == "1, 2"
    assert response.cookies == {"a": "1", "b": "2"}
    assert response.content == b""


def test_gzip_is_undone():
    client = Client(rest_app())
    response = client.get("/big", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert client.raw_response["isBase64Encoded"] is True
    assert response.json() == {"data": "x" * 2000}


def test_event_options_per_client_and_per_request():
    client = Client(rest_app(), stage="prod")
    client.get("/echo")
    assert client.raw_event["requestContext"]["stage"] == "prod"
    client.get("/echo", stage="beta")
    assert client.raw_event["requestContext"]["stage"] == "beta"


def test_an_unpinned_app_is_driven_as_rest_unless_told():
    app = App(plugins=["rest", "http"])

    @app.get("/which")
    def which():
        return {"kind": type(app.current_event).__name__}

    assert Client(app).get("/which").json() == {"kind": "APIGatewayProxyEvent"}
    assert Client(app, "http").get("/which").json() == {"kind": "APIGatewayProxyEventV2"}


def test_a_source_the_app_lacks_is_refused():
    with pytest.raises(LookupError, match="The app has no event source 'alb'"):
        Client(rest_app(), "alb")


def test_a_source_without_a_builder_is_refused():
    from kernel.plugin_api import BaseRequest, Source

    bare = Source("bare", BaseRequest, recognise=lambda event: False, check=lambda event: None, render=lambda *args: {})
    app = App(plugins=[bare], source="bare")
    with pytest.raises(LookupError, match="'bare' declares no event builder"):
        Client(app)
