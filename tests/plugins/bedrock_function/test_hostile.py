"""Hostile function calls: mutated events never crash the resolver, and every answer is an envelope.

The events are this source's realistic calls with hostile parameters, then
mutated as tests/behaviour/test_hostile_events.py mutates every HTTP source's
events (keys dropped, values of other types, huge, deep or non-ASCII values).
Whatever the event, ``resolve()`` answers the envelope an agent reads, and
nothing of Python's internals reaches the answer.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kernel import BedrockAgentFunctionResolver
from tests.behaviour.test_hostile_events import LEAKS, SETTINGS, _mutate
from tests.plugins.bedrock_function.events import call

parameter_types = st.sampled_from(["string", "integer", "number", "boolean", "array", "Integer", ""])
parameter_values = st.one_of(
    st.sampled_from(["Porto", "3", "-1.5e3", "true", "[1, 2]", "9" * 5_000, "nan", "", " 7 "]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
)


def reading_app() -> BedrockAgentFunctionResolver:
    app = BedrockAgentFunctionResolver(debug=False)

    @app.tool(name="find_rooms")
    def find_rooms(city, nights=1, budget=100.0, breakfast=False):
        event = app.current_event
        return {
            "arguments": [city, nights, budget, breakfast],
            "parameters": [(item.name, item.type, item.value) for item in event.parameters],
            "agent": [event.agent.name, event.agent.id, event.agent.alias, event.agent.version],
            "session": [event.session_attributes, event.prompt_session_attributes, event.session_id],
            "text": [event.input_text, event.message_version, event.action_group, event.function],
        }

    return app


@st.composite
def function_calls(draw: st.DrawFn) -> dict[str, Any]:
    names = st.sampled_from(["city", "nights", "budget", "breakfast", "other", ""])
    parameters = draw(st.lists(st.tuples(names, parameter_types, parameter_values), max_size=5))
    function = draw(st.sampled_from(["find_rooms", "find_rooms", "missing", "FIND_ROOMS"]))
    event = call(function, *parameters, session_attributes=draw(st.dictionaries(st.text(max_size=5), st.text(max_size=5))))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        _mutate(draw, event)
    return event


@SETTINGS
@given(event=function_calls())
def test_every_call_is_answered_in_the_envelope(event):
    result = reading_app()(event, None)
    assert set(result) == {"messageVersion", "response", "sessionAttributes", "promptSessionAttributes"}
    assert result["messageVersion"] == "1.0"
    assert set(result["response"]) == {"actionGroup", "function", "functionResponse"}
    assert set(result["response"]["functionResponse"]) == {"responseBody"}
    text = result["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
    assert isinstance(text, str)
    assert isinstance(result["sessionAttributes"], dict)
    assert isinstance(result["promptSessionAttributes"], dict)
    answer = json.loads(text)
    if isinstance(answer, str):
        assert answer.startswith("Error: "), answer
        assert not any(leak in answer for leak in LEAKS), answer
        # Reading the request never fails; only an echoed value no JSON holds (10**5000) may not serialize.
        assert answer != "Error: InternalServerError: The tool failed"
