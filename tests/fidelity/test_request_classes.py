"""Request classes side by side with Powertools' data classes: each accessor gives the same answer.

The differences a migrating user may meet are named in docs/migrating.md
("Request objects are the sources' own") and asserted here too.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes import BedrockAgentEvent as PowertoolsBedrockAgentEvent
from kernel_bedrock import BedrockAgentEvent

from tests.events import bedrock_event


def _read(request: Any, name: str) -> Any:
    try:
        return getattr(request, name)
    except Exception as error:  # the exception is the answer being compared
        return ("raised", type(error).__name__)


BEDROCK_ACCESSORS = [
    "query_string_parameters",
    "multi_value_query_string_parameters",
    "resolved_query_string_parameters",
    "headers",
    "resolved_headers_field",
    "resolved_cookies_field",
    "is_base64_encoded",
    "json_body",
    "session_attributes",
    "prompt_session_attributes",
    "path",
    "api_path",
    "http_method",
    "input_text",
    "session_id",
    "action_group",
    "message_version",
]

BEDROCK_EVENTS = {
    "bare": bedrock_event("GET", "/claims"),
    "parameters": {
        **bedrock_event("GET", "/claims"),
        "parameters": [
            {"name": "id", "type": "string", "value": "1"},
            {"name": "id", "type": "string", "value": "2"},
            {"name": "q", "type": "string", "value": "a, b"},
        ],
    },
    "empty parameters": {**bedrock_event("GET", "/claims"), "parameters": []},
}


@pytest.mark.parametrize("event", BEDROCK_EVENTS.values(), ids=BEDROCK_EVENTS.keys())
@pytest.mark.parametrize("name", BEDROCK_ACCESSORS)
def test_bedrock_accessors_answer_as_powertools(event, name):
    assert _read(BedrockAgentEvent(event), name) == _read(PowertoolsBedrockAgentEvent(event), name)


def test_bedrock_query_string_value_as_powertools():
    event = BEDROCK_EVENTS["parameters"]
    ours, theirs = BedrockAgentEvent(event), PowertoolsBedrockAgentEvent(event)
    for name in ("id", "q", "missing"):
        assert ours.get_query_string_value(name, "d") == theirs.get_query_string_value(name, "d")
    assert ours.query_string_parameters == {"id": "2", "q": "a, b"}


def test_bedrock_body_and_parameter_lists_differ_as_documented():
    # migrating.md, "Request objects are the sources' own": kernel rebuilds the body from the
    # application/json properties (Powertools has none) and lists a parameter's value where
    # Powertools' multi-value map of an agent event is always empty.
    event = {
        **BEDROCK_EVENTS["parameters"],
        "requestBody": {"content": {"application/json": {"properties": [{"name": "b", "type": "string", "value": "x"}]}}},
    }
    ours, theirs = BedrockAgentEvent(event), PowertoolsBedrockAgentEvent(event)
    assert theirs.body is None
    assert theirs.decoded_body is None
    assert ours.body == ours.decoded_body == '{"b": "x"}'
    assert ours.json_body == theirs.json_body == {"b": "x"}
    assert theirs.get_multi_value_query_string_values("id") == []
    assert ours.get_multi_value_query_string_values("id") == ["2"]
