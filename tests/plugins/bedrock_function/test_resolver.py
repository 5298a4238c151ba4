"""BedrockAgentFunctionResolver: tools, their arguments and answers, and every failure answered in the envelope."""

from __future__ import annotations

import logging

import pytest
from kernel_bedrock_function import (
    BedrockAgentFunctionEvent,
    BedrockFunctionParameter,
    convert,
    function_event,
    is_function_event,
    source,
)

from kernel import (
    App,
    BedrockAgentFunctionResolver,
    BedrockFunctionResponse,
    NotFoundError,
    PluginNotFoundError,
    Response,
    Router,
    UnauthorizedError,
)
from tests.plugins.bedrock_function.events import GROUP, call, envelope


def body(result: dict) -> str:
    return result["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]


@pytest.fixture
def app() -> BedrockAgentFunctionResolver:
    app = BedrockAgentFunctionResolver(debug=False)

    @app.tool(name="greet", description="Greets someone")
    def greet(name: str, times: int = 1):
        return " ".join([f"hello {name}"] * times)

    @app.tool(name="crash")
    def crash():
        raise RuntimeError("database password is hunter2")

    return app


# -- calls and answers ---------------------------------------------------------------------


def test_a_tool_gets_the_parameters_it_declares_converted(app):
    assert app(call("greet", ("name", "string", "Ana"), ("times", "integer", "2")), None) == envelope(
        "greet", '"hello Ana hello Ana"'
    )


def test_the_name_defaults_to_the_function_s_and_the_function_is_returned_unchanged():
    app = BedrockAgentFunctionResolver()

    def lookup(city: str):
        return {"city": city}

    assert app.tool()(lookup) is lookup
    assert list(app.tools) == ["lookup"]
    assert app.tools["lookup"].description is None
    assert [(route.method, route.path) for route in app.routes] == [("TOOL", "lookup")]
    assert body(app(call("lookup", ("city", "string", "Faro")), None)) == '{"city": "Faro"}'


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("integer", "42", 42),
        ("integer", "-7", -7),
        ("integer", "4.2", "4.2"),
        ("integer", "9" * 5000, "9" * 5000),  # more digits than Python reads: kept as text
        ("number", "4.2", 4.2),
        ("number", "1e3", 1000.0),
        ("number", "abc", "abc"),
        ("boolean", "true", True),
        ("boolean", "True", True),
        ("boolean", "false", False),
        ("boolean", "1", False),
        ("array", "[1, 2]", "[1, 2]"),
        ("string", "42", "42"),
        (None, "42", "42"),
    ],
)
def test_parameter_values_follow_their_type(kind, value, expected):
    assert convert(kind, value) == expected
    assert type(convert(kind, value)) is type(expected)


def test_registering_a_name_again_warns_and_replaces(app):
    with pytest.warns(UserWarning, match="The tool 'greet' is registered again: the new function replaces the old"):

        @app.tool(name="greet")
        def greet_again(name: str):
            return "hi again"

    assert body(app(call("greet", ("name", "string", "Ana")), None)) == '"hi again"'
    assert [route.path for route in app.routes] == ["crash", "greet"]


def test_a_plain_response_gives_its_body(app):
    @app.tool(name="http_style")
    def http_style():
        return Response(status_code=201, content_type="text/plain", body="created", headers={"X-Id": "1"})

    assert app(call("http_style"), None) == envelope("http_style", '"created"')


def test_the_request_is_the_agent_s_call(app):
    seen = {}

    @app.tool(name="inspect")
    def inspect_call():
        event = app.current_event
        seen.update(
            kind=type(event),
            function=event.function,
            group=event.action_group,
            agent=(event.agent.name, event.agent.id, event.agent.alias, event.agent.version),
            text=event.input_text,
            session=event.session_id,
            version=event.message_version,
            attributes=(event.session_attributes, event.prompt_session_attributes),
            parameters=[(item.name, item.type, item.value) for item in event.parameters],
            raw=event.raw_event["sessionId"],
            http=(event.http_method, event.path, event.headers, event.body, event.query_string_parameters),
        )
        return {}

    app(call("inspect", ("city", "string", "Porto"), session_attributes={"user": "ana"}), None)
    assert seen == {
        "kind": BedrockAgentFunctionEvent,
        "function": "inspect",
        "group": GROUP,
        "agent": ("travel-agent", "QWERTY1234", "TSTALIASID", "DRAFT"),
        "text": "Book me a room in Porto for two nights",
        "session": "987654321098765",
        "version": "1.0",
        "attributes": ({"user": "ana"}, {}),
        "parameters": [("city", "string", "Porto")],
        "raw": "987654321098765",
        "http": ("", "", {}, None, None),
    }
    assert isinstance(BedrockAgentFunctionEvent(call("x", ("a", "string", "b"))).parameters[0], BedrockFunctionParameter)


def test_middlewares_and_the_context_work_as_for_routes(app):
    order = []

    def tag(app, next_middleware):
        app.append_context(user="ana")
        order.append("before")
        response = next_middleware(app)
        order.append("after")
        return response

    app.use([tag])

    @app.tool(name="who")
    def who():
        return {"user": app.context["user"], "arguments": app.context["_route_args"]}

    assert body(app(call("who", ("x", "string", "1")), None)) == '{"user": "ana", "arguments": {}}'
    assert order == ["before", "after"]
    assert app.context == {}


# -- failures, answered in the envelope ---------------------------------------------------------


def test_an_unknown_tool(app):
    assert app(call("fly", session_attributes={"user": "ana"}), None) == envelope(
        "fly", "\"Error: NotFoundError: Unknown tool 'fly'\"", session={"user": "ana"}
    )


def test_a_missing_parameter(app):
    assert body(app(call("greet", ("times", "integer", "2")), None)) == "\"Error: BadRequestError: Missing parameter 'name'\""


def test_a_tool_that_raises_reveals_nothing_and_is_logged(app, caplog):
    with caplog.at_level(logging.ERROR, logger="kernel_bedrock_function"):
        result = app(call("crash", session_attributes={"user": "ana"}), None)
    assert result == envelope("crash", '"Error: InternalServerError: The tool failed"', session={"user": "ana"})
    assert "hunter2" not in str(result)
    (record,) = caplog.records
    assert record.getMessage() == "The tool 'crash' raised an exception"
    assert record.exc_info is not None
    assert "hunter2" in str(record.exc_info[1])


def test_in_debug_mode_the_exception_is_named(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_DEV", "1")
    with pytest.warns(UserWarning, match="POWERTOOLS_DEV is set: debug mode is on"):
        app = BedrockAgentFunctionResolver()

    @app.tool(name="crash")
    def crash():
        raise KeyError("room")

    assert body(app(call("crash"), None)) == "\"Error: KeyError: 'room'\""


def test_a_service_error_s_message_is_for_the_agent(app):
    @app.tool(name="private")
    def private():
        raise UnauthorizedError("sign in first")

    assert body(app(call("private"), None)) == '"Error: UnauthorizedError: sign in first"'


def test_an_invalid_response_state_is_refused():
    with pytest.raises(ValueError, match="response_state is 'FAILURE', 'REPROMPT' or None, not 'DONE'"):
        BedrockFunctionResponse(body="x", response_state="DONE")  # type: ignore[arg-type]


def test_an_answer_the_serializer_cannot_write(app, caplog):
    @app.tool(name="raw")
    def raw():
        return b"\x00\x01"

    with caplog.at_level(logging.ERROR, logger="kernel_bedrock_function"):
        result = app(call("raw"), None)
    assert result == envelope("raw", '"Error: InternalServerError: The tool\'s answer could not be serialized"')
    assert caplog.records[0].getMessage() == "The answer of the tool 'raw' could not be serialized"


def test_the_app_s_own_handlers_answer_first(app):
    @app.exception_handler(RuntimeError)
    def runtime_error(exc):
        return BedrockFunctionResponse(body="try later", response_state="FAILURE")

    @app.not_found
    def no_such_tool(exc):
        return BedrockFunctionResponse(body=f"no tool {app.current_event.function}", response_state="REPROMPT")

    assert app(call("crash"), None) == envelope("crash", '"try later"', state="FAILURE")
    assert app(call("swim"), None) == envelope("swim", '"no tool swim"', state="REPROMPT")


def test_a_middleware_may_answer_with_a_plain_response(app):
    def closed(app, next_middleware):
        return Response(status_code=503, content_type="text/plain", body="closed for maintenance")

    app.use([closed])
    assert app(call("greet", ("name", "string", "Ana")), None) == envelope("greet", "closed for maintenance")


NO_NAME_AND_VALUE = "'parameters' holds an item without a string 'name' and 'value'"
MALFORMED = [
    ({"function": 7}, "'function' is missing or not a string"),
    ({"function": ""}, "'function' is missing or not a string"),
    ({"actionGroup": ["a"]}, "'actionGroup' is missing or not a string"),
    ({"parameters": {"city": "Porto"}}, "'parameters' is not a list"),
    ({"parameters": [{"name": "city"}]}, "'parameters' holds an item without a string 'name' and 'value'"),
    (
        {"parameters": [{"name": "city", "value": 3, "type": "integer"}]},
        "'parameters' holds an item without a string 'name' and 'value'",
    ),
    ({"parameters": [{"name": "city", "value": "3", "type": 3}]}, "'parameters' holds an item whose 'type' is not a string"),
    ({"sessionAttributes": "user=ana"}, "'sessionAttributes' is not an object"),
    ({"agent": []}, "'agent' is not an object"),
]


@pytest.mark.parametrize(("change", "problem"), MALFORMED, ids=[problem for _, problem in MALFORMED])
def test_a_malformed_event_calls_no_tool(app, change, problem):
    called = []
    app.use([lambda app, next_middleware: called.append(1) or next_middleware(app)])
    event = call("greet", ("name", "string", "Ana"))
    event.update(change)
    result = app(event, None)
    assert body(result) == f'"Error: BadRequestError: Malformed event: {problem}"'
    assert result["response"]["actionGroup"] == change.get("actionGroup", GROUP)
    assert result["sessionAttributes"] == {}
    assert result["promptSessionAttributes"] == {}
    assert called == []


@pytest.mark.parametrize("event", [None, [], "greet", 3])
def test_an_event_that_is_not_an_object(app, event):
    assert app(event, None) == {
        "messageVersion": "1.0",
        "response": {
            "actionGroup": None,
            "function": None,
            "functionResponse": {
                "responseBody": {"TEXT": {"body": '"Error: BadRequestError: Malformed event: the event is not an object"'}}
            },
        },
        "sessionAttributes": {},
        "promptSessionAttributes": {},
    }


# -- what the resolver is not -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "patch", "head"])
def test_http_routes_are_refused(app, method):
    with pytest.raises(TypeError, match=r"serves tools, declared with @app.tool\(\): it has no HTTP routes"):
        getattr(app, method)("/rooms")(lambda: {})


def test_routers_are_refused(app):
    router = Router()

    @router.get("/rooms")
    def rooms():
        return {}

    with pytest.raises(TypeError, match="it has no HTTP routes"):
        app.include_router(router)


def test_the_http_features_are_not_loaded_by_default(app):
    assert sorted(name for name, _ in app.plugin_manager.list_name_plugin()) == ["bedrock-function", "kernel.matching"]


# -- the source among others ------------------------------------------------------------------


def test_function_events_and_openapi_events_are_told_apart():
    assert is_function_event(call("greet"))
    openapi_call = {"messageVersion": "1.0", "actionGroup": GROUP, "apiPath": "/rooms", "httpMethod": "GET"}
    assert not is_function_event(openapi_call)
    assert not is_function_event({**call("greet"), "apiPath": "/rooms"})
    assert not is_function_event({"function": "greet"})
    assert not is_function_event(None)


def test_an_unpinned_app_answers_a_function_call_in_its_envelope():
    # App() has HTTP routes, no tools: the call reaches none of them, whatever its name.
    app = App(plugins=["rest", "bedrock", "bedrock-function"])

    @app.route("/greet", method=["GET", "POST", ""])
    def greet():
        return {"reached": True}

    result = app(call("greet"), None)
    assert result == envelope("greet", '{"statusCode":404,"message":"Not found"}')


def test_the_names_are_exported_by_kernel():
    import kernel_bedrock_function

    import kernel

    assert kernel.BedrockAgentFunctionResolver is kernel_bedrock_function.BedrockAgentFunctionResolver
    assert kernel.BedrockFunctionResponse is kernel_bedrock_function.BedrockFunctionResponse
    assert source.over_http is False
    assert not source.can_build_events


def test_without_the_plugin_the_names_say_which_extra_to_install(monkeypatch):
    import kernel
    from kernel import plugins

    def nothing_declared(group, name):
        raise LookupError(name)

    monkeypatch.setattr(plugins, "declared", nothing_declared)
    for name in ("BedrockAgentFunctionResolver", "BedrockFunctionResponse"):
        with pytest.raises(PluginNotFoundError, match=r'"kernel\[bedrock-function\]"'):
            getattr(kernel, name)


def test_function_event_builds_what_an_agent_sends(app):
    event = function_event(
        "greet", {"name": "Ana", "times": 2, "ratio": 0.5, "vip": True, "tags": ["a", "b"]}, session_attributes={"user": "ana"}
    )
    assert event["parameters"] == [
        {"name": "name", "type": "string", "value": "Ana"},
        {"name": "times", "type": "integer", "value": "2"},
        {"name": "ratio", "type": "number", "value": "0.5"},
        {"name": "vip", "type": "boolean", "value": "true"},
        {"name": "tags", "type": "array", "value": '["a", "b"]'},
    ]
    assert set(event) == {
        "messageVersion",
        "agent",
        "inputText",
        "sessionId",
        "actionGroup",
        "function",
        "parameters",
        "sessionAttributes",
        "promptSessionAttributes",
    }
    assert source.check(event) is None
    assert body(app(event, None)) == '"hello Ana hello Ana"'


def test_not_found_errors_raised_by_a_tool_are_answered_like_unknown_tools(app):
    @app.tool(name="room")
    def room(number: str):
        raise NotFoundError(f"No room {number}")

    assert body(app(call("room", ("number", "string", "9")), None)) == '"Error: NotFoundError: No room 9"'
