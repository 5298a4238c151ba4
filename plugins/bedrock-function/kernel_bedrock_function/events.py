"""The event an agent sends to call a function: :func:`function_event`, for tests and trying an app out."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["function_event"]

DEFAULT_INPUT_TEXT = "What is the weather in Lisbon this week?"
ACTION_GROUP = "WeatherActionGroup"
AGENT = {"name": "weather-agent", "id": "AGENT0FN01", "alias": "TSTALIASID", "version": "DRAFT"}
SESSION_ID = "123456789012345"


def _parameter_type(value: Any) -> str:
    # bool before int: True is an int too.
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, (list, tuple)):
        return "array"
    return "string"


def function_event(
    function: str,
    parameters: dict[str, Any] | None = None,
    *,
    action_group: str = ACTION_GROUP,
    session_attributes: dict[str, str] | None = None,
    prompt_session_attributes: dict[str, str] | None = None,
    input_text: str = DEFAULT_INPUT_TEXT,
) -> dict[str, Any]:
    """The event an agent sends to call ``function`` of ``action_group`` with ``parameters``.

    Each parameter is sent as the agent sends it: its type after the Python
    value's (``integer``, ``number``, ``boolean``, ``array``, else
    ``string``) and its value as text (a string as it is, anything else as
    its JSON text: ``3``, ``true``, ``["a", "b"]``).
    """
    return {
        "messageVersion": "1.0",
        "agent": dict(AGENT),
        "inputText": input_text,
        "sessionId": SESSION_ID,
        "actionGroup": action_group,
        "function": function,
        "parameters": [
            {"name": name, "type": _parameter_type(value), "value": value if isinstance(value, str) else json.dumps(value)}
            for name, value in (parameters or {}).items()
        ],
        "sessionAttributes": dict(session_attributes or {}),
        "promptSessionAttributes": dict(prompt_session_attributes or {}),
    }
