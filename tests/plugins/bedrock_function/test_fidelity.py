"""The same app on kernel and on Powertools 3.37 answers the same events with the same envelopes.

Where kernel answers differently on purpose (a failing call is never answered
with Python's own words; a malformed event is answered, not raised), the test
says so and asserts kernel's exact envelope; docs/migrating.md lists them.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import BedrockAgentFunctionResolver as PowertoolsResolver
from aws_lambda_powertools.event_handler import BedrockFunctionResponse as PowertoolsResponse
from aws_lambda_powertools.event_handler import exceptions as powertools_errors

import kernel
from kernel import BedrockAgentFunctionResolver, BedrockFunctionResponse
from tests.plugins.bedrock_function.events import call, envelope


def booking_app(resolver: Any, response: Any, errors: Any) -> Any:
    """One app, written once against either implementation's names."""
    app = resolver()

    @app.tool(name="find_rooms", description="Rooms free in a city")
    def find_rooms(city: str, nights: int = 1, budget: float = 100.0, breakfast: bool = False):
        return {"city": city, "nights": nights, "budget": budget, "breakfast": breakfast, "rooms": ["101", "102"]}

    @app.tool()
    def greet(name):
        return f"Olá {name}"

    @app.tool(name="book")
    def book(room: str):
        return response(
            body={"booked": room},
            session_attributes={"room": room},
            prompt_session_attributes={"step": "booked"},
            knowledge_bases=[{"knowledgeBaseId": "KB12345678", "retrievalConfiguration": {"vectorSearchConfiguration": {}}}],
        )

    @app.tool(name="ask_again")
    def ask_again():
        return response(body="Which city?", response_state="REPROMPT")

    @app.tool(name="give_up")
    def give_up():
        return response(body={"reason": "closed"}, response_state="FAILURE", session_attributes={})

    @app.tool(name="nothing")
    def nothing():
        return None

    @app.tool(name="count")
    def count():
        return 3

    @app.tool(name="pair")
    def pair():
        return ({"a": 1}, 201)  # not (body, status): a tool's answer is only a body

    @app.tool(name="echo_types")
    def echo_types(a, b, c, d, e):
        return {name: [value, type(value).__name__] for name, value in {"a": a, "b": b, "c": c, "d": d, "e": e}.items()}

    @app.tool(name="refuse")
    def refuse():
        raise errors.BadRequestError("rooms are booked a day ahead")

    @app.tool(name="keyword_only")
    def keyword_only(*, city: str, **extra):
        return {"city": city, "extra": extra}

    return app


def answers(event: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    ours = booking_app(BedrockAgentFunctionResolver, BedrockFunctionResponse, kernel)(event, None)
    theirs = booking_app(PowertoolsResolver, PowertoolsResponse, powertools_errors).resolve(event, None)
    return ours, theirs


SAME = {
    "typed parameters": call(
        "find_rooms",
        ("city", "string", "Porto"),
        ("nights", "integer", "2"),
        ("budget", "number", "80.5"),
        ("breakfast", "boolean", "TRUE"),
        session_attributes={"user": "ana"},
        prompt_session_attributes={"turn": "3"},
    ),
    "defaults for parameters not sent": call("find_rooms", ("city", "string", "Porto")),
    "parameters the tool does not take are left out": call(
        "find_rooms", ("city", "string", "Porto"), ("colour", "string", "blue"), ("nights", "integer", "1")
    ),
    "the last of a repeated parameter": call("find_rooms", ("city", "string", "Lisbon"), ("city", "string", "Porto")),
    "a string answer is JSON text": call("greet", ("name", "string", "Ana")),
    "every field of a BedrockFunctionResponse": call("book", ("room", "string", "101"), session_attributes={"user": "ana"}),
    "REPROMPT, the agent's attributes sent back": call(
        "ask_again", session_attributes={"user": "ana"}, prompt_session_attributes={"turn": "1"}
    ),
    "FAILURE, empty attributes are the agent's": call("give_up", session_attributes={"user": "ana"}),
    "None is an empty string": call("nothing"),
    "a number": call("count"),
    "a tuple is a list": call("pair"),
    "values that do not read as their type stay text": call(
        "echo_types",
        ("a", "integer", "1.5"),
        ("b", "number", "many"),
        ("c", "boolean", "yes"),
        ("d", "array", '["x", "y"]'),
        ("e", "Integer", "7"),
    ),
    "Python reads integers with spaces and underscores": call(
        "echo_types",
        ("a", "integer", " 12 "),
        ("b", "number", "1_000.5"),
        ("c", "boolean", "false"),
        ("d", "string", "7"),
        ("e", "integer", "-0"),
    ),
    "a ServiceError's message is for the agent": call("refuse"),
    "keyword-only parameters; **kwargs gets nothing": call("keyword_only", ("city", "string", "Porto"), ("x", "string", "1")),
    "no parameters list at all": {key: value for key, value in call("nothing").items() if key != "parameters"},
    "no session attributes at all": {
        key: value for key, value in call("count").items() if key not in ("sessionAttributes", "promptSessionAttributes")
    },
}


@pytest.mark.parametrize("event", SAME.values(), ids=SAME.keys())
def test_the_envelope_is_powertools_own(event):
    ours, theirs = answers(event)
    assert ours == theirs


def test_the_envelopes_compared_are_the_ones_an_agent_expects():
    """The comparison above is not vacuous: two of its envelopes, written out."""
    ours, _ = answers(SAME["typed parameters"])
    assert ours == envelope(
        "find_rooms",
        '{"city": "Porto", "nights": 2, "budget": 80.5, "breakfast": true, "rooms": ["101", "102"]}',
        session={"user": "ana"},
        prompt={"turn": "3"},
    )
    ours, _ = answers(SAME["every field of a BedrockFunctionResponse"])
    assert ours == envelope(
        "book",
        '{"booked": "101"}',
        session={"room": "101"},
        prompt={"step": "booked"},
        knowledgeBasesConfiguration=[
            {"knowledgeBaseId": "KB12345678", "retrievalConfiguration": {"vectorSearchConfiguration": {}}}
        ],
    )


# -- deliberate differences ------------------------------------------------------------------


def test_an_unknown_tool_is_named_not_a_key_error():
    ours, theirs = answers(call("fly"))
    assert theirs == envelope("fly", "\"Error: KeyError: 'fly'\"")
    assert ours == envelope("fly", "\"Error: NotFoundError: Unknown tool 'fly'\"")


def test_a_missing_parameter_is_named_without_python_s_words():
    ours, theirs = answers(call("greet"))
    assert theirs == envelope(
        "greet", "\"Error: TypeError: booking_app.<locals>.greet() missing 1 required positional argument: 'name'\""
    )
    assert ours == envelope("greet", "\"Error: BadRequestError: Missing parameter 'name'\"")


def test_a_malformed_event_is_answered_where_powertools_raises():
    event = call("greet", ("name", "string", "Ana"))
    del event["function"]
    ours = booking_app(BedrockAgentFunctionResolver, BedrockFunctionResponse, kernel)(event, None)
    with pytest.raises(ValueError, match="function"):
        booking_app(PowertoolsResolver, PowertoolsResponse, powertools_errors).resolve(event, None)
    assert ours == {
        "messageVersion": "1.0",
        "response": {
            "actionGroup": "BookingActions",
            "function": None,
            "functionResponse": {
                "responseBody": {
                    "TEXT": {"body": "\"Error: BadRequestError: Malformed event: 'function' is missing or not a string\""}
                }
            },
        },
        "sessionAttributes": {},
        "promptSessionAttributes": {},
    }


def test_dates_and_decimals_are_answered_where_powertools_fails():
    import decimal

    def app_of(resolver: Any) -> Any:
        app = resolver()

        @app.tool(name="stay")
        def stay():
            return {"from": datetime.date(2030, 5, 1), "price": decimal.Decimal("89.90")}

        return app

    event = call("stay")
    assert app_of(PowertoolsResolver).resolve(event, None) == envelope(
        "stay", '"Error: TypeError: Object of type date is not JSON serializable"'
    )
    assert app_of(BedrockAgentFunctionResolver)(event, None) == envelope("stay", '{"from": "2030-05-01", "price": "89.90"}')


def test_a_float_that_is_not_finite_is_null_not_nan():
    def app_of(resolver: Any) -> Any:
        app = resolver()

        @app.tool(name="ratio")
        def ratio():
            return {"ratio": float("nan"), "count": 2}

        return app

    assert app_of(PowertoolsResolver).resolve(call("ratio"), None) == envelope("ratio", '{"ratio": NaN, "count": 2}')
    assert app_of(BedrockAgentFunctionResolver)(call("ratio"), None) == envelope("ratio", '{"ratio": null, "count": 2}')


def test_a_custom_serializer_writes_answers_and_errors_alike():
    def app_of(resolver: Any) -> Any:
        app = resolver(serializer=lambda value: f"<{value}>")

        @app.tool(name="greet")
        def greet(name: str):
            return {"hello": name}

        return app

    event = call("greet", ("name", "string", "Ana"))
    ours = app_of(BedrockAgentFunctionResolver)(event, None)
    assert ours == app_of(PowertoolsResolver).resolve(event, None)
    assert ours == envelope("greet", "<{'hello': 'Ana'}>")
    failed = app_of(BedrockAgentFunctionResolver)(call("greet"), None)
    assert failed == envelope("greet", "<Error: BadRequestError: Missing parameter 'name'>")
