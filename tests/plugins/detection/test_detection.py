"""An unpinned App() picks the event source from each event's shape, and refuses what it cannot place."""

from __future__ import annotations

import json
from functools import partial

import kernel_function_url
import kernel_http
import kernel_rest
import pytest

from kernel import App, Cookie, Response, UnknownEventError
from tests import events
from tests.events import function_url_event, http_event, rest_event

PLUGINS = ["rest", "http", "function-url"]


def alb_event() -> dict:
    return {
        "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/1"}},
        "httpMethod": "GET",
        "path": "/who",
        "queryStringParameters": {},
        "headers": {"host": "lb.us-east-2.elb.amazonaws.com"},
        "body": "",
        "isBase64Encoded": False,
    }


def lattice_v1_event() -> dict:
    return {
        "raw_path": "/who",
        "method": "GET",
        "headers": {"host": "svc.vpc-lattice-svcs.us-east-2.on.aws"},
        "query_string_parameters": {},
        "body": "",
        "is_base64_encoded": False,
    }


def lattice_v2_event() -> dict:
    # Says "version": "2.0" like HTTP API events, but has no requestContext.http.
    return {
        "version": "2.0",
        "path": "/who",
        "method": "GET",
        "headers": {"host": "svc.vpc-lattice-svcs.us-east-2.on.aws"},
        "queryStringParameters": {},
        "body": "",
        "isBase64Encoded": False,
        "requestContext": {"serviceArn": "arn:aws:vpc-lattice:us-east-2:123456789012:service/svc-1", "region": "us-east-2"},
    }


def bedrock_event() -> dict:
    return {
        "messageVersion": "1.0",
        "actionGroup": "group",
        "sessionId": "1",
        "inputText": "hi",
        "agent": {"alias": "A", "name": "n", "version": "DRAFT", "id": "X"},
        "httpMethod": "GET",
        "apiPath": "/who",
    }


@pytest.fixture
def app():
    app = App(plugins=PLUGINS)

    @app.get("/who")
    def who():
        return Response(
            200,
            "application/json",
            {"source": type(app.current_event).__name__},
            headers={"X-Multi": ["a", "b"]},
            cookies=[Cookie("seen", "1")],
        )

    return app


def test_one_app_serves_rest_http_and_function_url_events(app):
    body = '{"source":"%s"}'
    assert app(rest_event("GET", "/who"), None) == {
        "statusCode": 200,
        "body": body % "APIGatewayProxyEvent",
        "isBase64Encoded": False,
        "multiValueHeaders": {"X-Multi": ["a", "b"], "Content-Type": ["application/json"], "Set-Cookie": ["seen=1; Secure"]},
    }
    assert app(http_event("GET", "/who"), None) == {
        "statusCode": 200,
        "body": body % "APIGatewayProxyEventV2",
        "isBase64Encoded": False,
        "headers": {"X-Multi": "a, b", "Content-Type": "application/json"},
        "cookies": ["seen=1; Secure"],
    }
    assert app(function_url_event("GET", "/who"), None) == {
        "statusCode": 200,
        "body": body % "LambdaFunctionUrlEvent",
        "isBase64Encoded": False,
        "headers": {"X-Multi": "a, b", "Content-Type": "application/json"},
        "cookies": ["seen=1; Secure"],
    }


def test_detection_does_not_depend_on_plugin_order():
    app = App(plugins=list(reversed(PLUGINS)))

    @app.get("/who")
    def who():
        return {"source": type(app.current_event).__name__}

    for event, name in [
        (rest_event("GET", "/who"), "APIGatewayProxyEvent"),
        (http_event("GET", "/who"), "APIGatewayProxyEventV2"),
        (function_url_event("GET", "/who"), "LambdaFunctionUrlEvent"),
    ]:
        assert json.loads(app(event, None)["body"]) == {"source": name}


def test_http_api_on_a_named_stage_is_detected_and_stripped(app):
    reply = app(http_event("GET", "/who", stage="prod"), None)
    assert reply["statusCode"] == 200
    assert json.loads(reply["body"]) == {"source": "APIGatewayProxyEventV2"}


def test_function_url_is_told_apart_by_its_domain_name_alone():
    """An HTTP API event whose domain is a Function URL's is a Function URL event, and vice versa."""
    event = http_event("GET", "/who")
    event["requestContext"]["domainName"] = "abc.lambda-url.eu-west-1.on.aws"
    assert kernel_function_url.is_function_url_event(event)
    assert not kernel_http.is_http_api_event(event)
    event = function_url_event("GET", "/who")
    event["requestContext"]["domainName"] = "api.example.com"
    assert not kernel_function_url.is_function_url_event(event)
    assert kernel_http.is_http_api_event(event)


@pytest.mark.parametrize(
    ("make", "rest", "http", "function_url"),
    [
        pytest.param(rest_event, True, False, False, id="rest"),
        pytest.param(http_event, False, True, False, id="http"),
        pytest.param(function_url_event, False, False, True, id="function-url"),
        pytest.param(alb_event, False, False, False, id="alb"),
        pytest.param(lattice_v1_event, False, False, False, id="lattice-v1"),
        pytest.param(lattice_v2_event, False, False, False, id="lattice-v2"),
        pytest.param(bedrock_event, False, False, False, id="bedrock"),
    ],
)
def test_each_source_claims_only_its_own_shape(make, rest, http, function_url):
    event = make()
    assert kernel_rest.is_rest_event(event) is rest
    assert kernel_http.is_http_api_event(event) is http
    assert kernel_function_url.is_function_url_event(event) is function_url


@pytest.mark.parametrize("make", [alb_event, lattice_v1_event, lattice_v2_event, bedrock_event])
def test_event_of_a_source_not_loaded_raises_unknown_event_error(app, make):
    with pytest.raises(UnknownEventError) as raised:
        app(make(), None)
    assert str(raised.value) == (
        "No event source plugin of this app recognises the event (its sources: rest, http, function-url)"
    )


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(None, id="none"),
        pytest.param("GET /who", id="string"),
        pytest.param(42, id="int"),
        pytest.param(["version", "2.0"], id="list"),
        pytest.param({}, id="empty"),
        pytest.param({"version": "2.0"}, id="version-only"),
        pytest.param({"version": "2.0", "rawPath": "/who", "requestContext": "ctx"}, id="context-str"),
        pytest.param({"version": "2.0", "rawPath": "/who", "requestContext": {"http": None}}, id="http-none"),
        pytest.param({"version": "2.0", "rawPath": "/who", "requestContext": {"http": {}}}, id="no-route-key"),
        pytest.param({"version": 2, "rawPath": "/who", "routeKey": "$default", "requestContext": {"http": {}}}, id="version-int"),
        pytest.param({"httpMethod": "GET"}, id="method-only"),
        pytest.param({"path": "/who"}, id="path-only"),
        pytest.param({"Records": []}, id="records"),
    ],
)
def test_garbage_event_raises_unknown_event_error_only(app, event):
    with pytest.raises(UnknownEventError, match="No event source plugin of this app recognises the event"):
        app(event, None)


@pytest.mark.parametrize(
    ("event", "problem"),
    [
        pytest.param(
            {
                "version": "2.0",
                "rawPath": 7,
                "routeKey": "$default",
                "requestContext": {"stage": "$default", "http": {"method": "GET"}},
            },
            "'rawPath' is missing or not an absolute path",
            id="http-raw-path-int",
        ),
        pytest.param(
            {"version": "2.0", "rawPath": "/who", "routeKey": "$default", "requestContext": {"stage": "$default", "http": {}}},
            "'requestContext.http.method' is missing or not a string",
            id="http-no-method",
        ),
        pytest.param(
            {
                "version": "2.0",
                "rawPath": "/",
                "requestContext": {"domainName": "a.lambda-url.x.on.aws", "http": {"method": None}},
            },
            "'requestContext.http.method' is missing or not a string",
            id="function-url-no-method",
        ),
    ],
)
def test_recognised_but_malformed_event_answers_400_in_its_source_shape(app, event, problem):
    assert app(event, None) == {
        "statusCode": 400,
        "body": json.dumps({"statusCode": 400, "message": f"Malformed event: {problem}"}, separators=(",", ":")),
        "isBase64Encoded": False,
        "headers": {"Content-Type": "application/json"},
        "cookies": [],
    }


def test_pinned_app_rejects_other_shapes_with_400_instead_of_guessing():
    app = App(plugins=PLUGINS, source="http")
    reply = app(rest_event("GET", "/who"), None)
    assert reply["statusCode"] == 400
    assert json.loads(reply["body"]) == {
        "statusCode": 400,
        "message": "Malformed event: 'requestContext.http' is missing or not an object",
    }


ALL_SOURCES = ["rest", "http", "function-url", "alb", "lattice", "lattice-v2", "bedrock"]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(events.rest_event, "APIGatewayProxyEvent", id="rest"),
        pytest.param(events.http_event, "APIGatewayProxyEventV2", id="http"),
        pytest.param(events.function_url_event, "LambdaFunctionUrlEvent", id="function-url"),
        pytest.param(events.alb_event, "ALBEvent", id="alb"),
        pytest.param(partial(events.alb_event, multi_value=True), "ALBEvent", id="alb-multi-value"),
        pytest.param(events.lattice_event, "VPCLatticeEvent", id="lattice-v1"),
        pytest.param(events.lattice_v2_event, "VPCLatticeEventV2", id="lattice-v2"),
        pytest.param(events.bedrock_event, "BedrockAgentEvent", id="bedrock"),
    ],
)
@pytest.mark.parametrize("order", [ALL_SOURCES, list(reversed(ALL_SOURCES))], ids=["forward", "reversed"])
def test_six_sources_in_one_app_are_never_confused(make, expected, order):
    app = App(plugins=order)
    seen = []

    @app.get("/who")
    def who():
        seen.append(type(app.current_event).__name__)
        return {}

    app(make("GET", "/who"), None)
    assert seen == [expected]
