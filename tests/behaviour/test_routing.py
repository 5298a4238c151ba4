"""Routing behaviour every event source shares."""

import pytest

from kernel import Response
from tests.sources import supporting


def test_static_route_answers_json(source):
    app = source.app()

    @app.get("/hello")
    def hello():
        return {"message": "hi"}

    reply = source.read(app(source.make_event("GET", "/hello"), None))
    assert reply.status == 200
    assert reply.header("Content-Type") == "application/json"
    assert reply.json() == {"message": "hi"}


def test_path_parameter_is_passed_to_the_function(source):
    app = source.app()

    @app.get("/users/<user_id>/posts/<post_id>")
    def post(user_id, post_id):
        return {"user": user_id, "post": post_id}

    reply = source.read(app(source.make_event("GET", "/users/42/posts/abc-1"), None))
    assert reply.json() == {"user": "42", "post": "abc-1"}


def test_unknown_path_answers_default_404(source):
    app = source.app()
    reply = source.read(app(source.make_event("GET", "/missing"), None))
    assert reply.status == 404
    assert reply.json() == {"statusCode": 404, "message": "Not found"}


def test_wrong_method_is_not_found(source):
    app = source.app()

    @app.post("/items")
    def create():
        return {}

    assert source.read(app(source.make_event("GET", "/items"), None)).status == 404


def test_tuple_return_sets_status(source):
    app = source.app()

    @app.post("/items")
    def create():
        return {"created": True}, 201

    reply = source.read(app(source.make_event("POST", "/items", body="{}"), None))
    assert reply.status == 201
    assert reply.json() == {"created": True}


# Bedrock Agent responses carry no headers (see tests/plugins/bedrock for its version of this test).
@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)
def test_response_object_is_sent_as_given(source):
    app = source.app()

    @app.get("/text")
    def text():
        return Response(status_code=202, content_type="text/plain", body="accepted", headers={"X-Trace": "abc"})

    reply = source.read(app(source.make_event("GET", "/text"), None))
    assert reply.status == 202
    assert reply.body == "accepted"
    assert reply.header("Content-Type") == "text/plain"
    assert reply.header("X-Trace") == "abc"
