"""Testing your code: a module-level app and Lambda handler, called with an event and the lambda_context fixture."""

from __future__ import annotations

import json

import pytest

from tests.events import alb_event, rest_event
from tests.powertools_patterns.harness import compare
from tests.powertools_patterns.names import library


def make_function(lib):
    """What a function module holds: an app, its routes and the Lambda handler."""
    app = lib.APIGatewayRestResolver()

    @app.get("/todos")
    def get_todos():
        return {"todos": [{"id": 1}], "function": app.lambda_context.function_name}

    def lambda_handler(event, context):
        return app.resolve(event, context)

    return app, lambda_handler


@pytest.fixture(params=["powertools", "kernel"])
def handler(request):
    return make_function(library(request.param))[1]


def test_lambda_handler(handler, lambda_context):
    minimal_event = {
        "path": "/todos",
        "httpMethod": "GET",
        "requestContext": {"requestId": "227b78aa-779d-47d4-a48e-ce62120393b8"},
        "queryStringParameters": {},
    }
    ret = handler(minimal_event, lambda_context)
    assert ret["statusCode"] == 200
    assert json.loads(ret["body"]) == {"todos": [{"id": 1}], "function": "patterns"}


def test_same_answers(lambda_context):
    (powertools_app, _), (kernel_app, _) = make_function(library("powertools")), make_function(library("kernel"))
    compare(powertools_app, kernel_app, rest_event("GET", "/todos"), rest_event("GET", "/none"), context=lambda_context)


def alb_function(lib):
    app = lib.ALBResolver()

    @app.get("/hello")
    def hello():
        return {"remaining": app.lambda_context.get_remaining_time_in_millis() > 0}

    return app


def test_alb_with_context(lambda_context):
    (response,) = compare(
        alb_function(library("powertools")), alb_function(library("kernel")), alb_event("GET", "/hello"), context=lambda_context
    )
    assert response["body"] == {"remaining": True}
