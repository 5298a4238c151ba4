"""Function-details events as AWS documents them (the input event of an action group defined with functions)."""

from __future__ import annotations

from typing import Any

GROUP = "BookingActions"


def call(
    function: str,
    *parameters: tuple[str, str, str],
    session_attributes: dict[str, str] | None = None,
    prompt_session_attributes: dict[str, str] | None = None,
    **replace: Any,
) -> dict[str, Any]:
    """The event an agent sends to call ``function``; each parameter is ``(name, type, value)``."""
    event = {
        "messageVersion": "1.0",
        "agent": {"name": "travel-agent", "id": "QWERTY1234", "alias": "TSTALIASID", "version": "DRAFT"},
        "inputText": "Book me a room in Porto for two nights",
        "sessionId": "987654321098765",
        "actionGroup": GROUP,
        "function": function,
        "parameters": [{"name": name, "type": kind, "value": value} for name, kind, value in parameters],
        "sessionAttributes": dict(session_attributes or {}),
        "promptSessionAttributes": dict(prompt_session_attributes or {}),
    }
    event.update(replace)
    return event


def envelope(function: str, body: str, *, session: dict | None = None, prompt: dict | None = None, **more: Any) -> dict:
    """The envelope an agent expects back, with ``body`` as the text of the answer."""
    answer: dict[str, Any] = {
        "messageVersion": "1.0",
        "response": {"actionGroup": GROUP, "function": function, "functionResponse": {"responseBody": {"TEXT": {"body": body}}}},
        "sessionAttributes": session or {},
        "promptSessionAttributes": prompt or {},
    }
    if "state" in more:
        answer["response"]["functionResponse"]["responseState"] = more.pop("state")
    answer.update(more)
    return answer
