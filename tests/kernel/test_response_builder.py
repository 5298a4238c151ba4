"""ResponseBuilder: the reference's public builder of response dicts, for code outside an app's pipeline."""

from __future__ import annotations

import base64
import gzip

import pytest
from kernel_alb import ALBEvent
from kernel_http import APIGatewayProxyEventV2
from kernel_rest import APIGatewayProxyEvent

from kernel import CORSConfig, Response, ResponseBuilder
from kernel.routing import Route
from tests.events import alb_event, http_event, rest_event


def test_a_json_body_is_serialised_and_rendered_in_the_request_source_shape():
    event = APIGatewayProxyEvent(rest_event("GET", "/x"))
    builder = ResponseBuilder(Response(200, "application/json", {"a": 1}))
    assert (builder.response.status_code, builder.route) == (200, None)
    assert builder.build(event) == {
        "statusCode": 200,
        "body": '{"a":1}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }
    alb = ResponseBuilder(Response(201, "text/plain", "made", headers={"X-Tag": "t"})).build(ALBEvent(alb_event("POST", "/x")))
    assert alb == {
        "statusCode": 201,
        "body": "made",
        "isBase64Encoded": False,
        "headers": {"Content-Type": "text/plain", "X-Tag": "t"},
    }


def test_a_custom_serializer_writes_the_body():
    event = APIGatewayProxyEventV2(http_event("GET", "/x"))
    built = ResponseBuilder(Response(200, "application/json", {"a": 1}), serializer=lambda body: "custom").build(event)
    assert built["body"] == "custom"


def test_the_route_s_cache_control_cors_and_compression_apply():
    route = Route("GET", "/x", lambda: None, cors=True, compress=True, cache_control="max-age=60")
    headers = {"Origin": "https://app.example.com", "Accept-Encoding": "gzip"}
    event = APIGatewayProxyEvent(rest_event("GET", "/x", headers=headers))
    body = {"words": ["many"] * 50}
    built = ResponseBuilder(Response(200, "application/json", body), route=route).build(
        event, CORSConfig("https://app.example.com")
    )
    assert built["multiValueHeaders"]["Cache-Control"] == ["max-age=60"]
    assert built["multiValueHeaders"]["Access-Control-Allow-Origin"] == ["https://app.example.com"]
    assert built["multiValueHeaders"]["Content-Encoding"] == ["gzip"]
    assert built["isBase64Encoded"] is True
    assert gzip.decompress(base64.b64decode(built["body"])) == b'{"words":[' + b",".join([b'"many"'] * 50) + b"]}"


def test_a_subclass_can_change_what_it_builds():
    class Stamped(ResponseBuilder):
        def build(self, event, cors=None):
            self.response.headers["X-Built-By"] = "subclass"
            return super().build(event, cors)

    built = Stamped(Response(200, "text/plain", "hi")).build(APIGatewayProxyEvent(rest_event("GET", "/x")))
    assert built["multiValueHeaders"]["X-Built-By"] == ["subclass"]


def test_a_request_no_installed_source_makes_is_refused():
    class Unknown:
        pass

    with pytest.raises(LookupError, match="No installed event source makes Unknown requests"):
        ResponseBuilder(Response(200, "text/plain", "hi")).build(Unknown())
