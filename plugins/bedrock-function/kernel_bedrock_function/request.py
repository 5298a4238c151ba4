"""The agent's call of a function, as ``app.current_event``, and the checks of its event."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from kernel.plugin_api import BaseRequest, EventPart, event_check, field, kinds, optional, required

__all__ = [
    "BedrockAgentFunctionEvent",
    "BedrockFunctionAgent",
    "BedrockFunctionParameter",
    "check_event",
    "is_function_event",
]


class BedrockFunctionAgent(EventPart, fields="name id alias version"):
    """``agent``: the agent that called the function."""


class BedrockFunctionParameter(EventPart, fields="name type value"):
    """One parameter the agent sent: its name, its type in the function's definition, and its value as text.

    The types an agent sends are ``string``, ``integer``, ``number``,
    ``boolean`` and ``array``; :func:`check_event` makes sure ``name`` and
    ``value`` are strings.
    """


class BedrockAgentFunctionEvent(BaseRequest):
    """An agent's call of a function of an action group defined with function details, as ``app.current_event``.

    The call has no HTTP method, path, headers nor body: :attr:`http_method`
    and :attr:`path` are empty strings, which no route rule matches, so only
    the app's tools (found by :attr:`function`) serve these requests.
    """

    message_version = field("messageVersion")
    input_text = field("inputText", doc="What the user said to the agent.")
    session_id = field("sessionId")
    action_group = field("actionGroup", doc="The action group the function belongs to.")
    function = field("function", doc="The name of the function the agent calls.")
    agent = field("agent", wrap=BedrockFunctionAgent)
    session_attributes = field(
        "sessionAttributes", default={}, doc="Attributes that persist over the whole session with the agent."
    )
    prompt_session_attributes = field(
        "promptSessionAttributes", default={}, doc="Attributes that persist for the current turn only."
    )

    @cached_property
    def parameters(self) -> list[BedrockFunctionParameter]:
        """The parameters the agent sent, in its order."""
        return [BedrockFunctionParameter(item) for item in self._data.get("parameters") or []]

    @property
    def http_method(self) -> str:
        """Always ``""``: an agent calls a function, not an HTTP method."""
        return ""

    @property
    def path(self) -> str:
        """Always ``""``: an agent calls a function, not a path."""
        return ""

    @property
    def headers(self) -> dict[str, str]:
        """Always empty: an agent sends no headers."""
        return {}

    @property
    def query_string_parameters(self) -> dict[str, str] | None:
        """Always None: the function's parameters are in :attr:`parameters`."""
        return None

    @property
    def body(self) -> str | None:
        """Always None: an agent sends a function no body."""
        return None

    @property
    def is_base64_encoded(self) -> bool | None:
        """Always false."""
        return False


def is_function_event(event: Any) -> bool:
    """Whether ``event`` is a Bedrock Agent's call of a function (an action group defined with function details).

    Such an event names a ``function`` where the call of an action group
    described by an OpenAPI schema names an ``apiPath`` (the ``bedrock`` source's).
    """
    return (
        type(event) is dict
        and "function" in event
        and "actionGroup" in event
        and "messageVersion" in event
        and "apiPath" not in event
    )


def _check_parameters(event: dict[str, Any]) -> str | None:
    parameters = event.get("parameters")
    if parameters is None:
        return None
    if type(parameters) is not list:
        return "'parameters' is not a list"
    for item in parameters:
        if type(item) is not dict or type(item.get("name")) is not str or type(item.get("value")) is not str:
            return "'parameters' holds an item without a string 'name' and 'value'"
        if type(item.get("type", "")) is not str:
            return "'parameters' holds an item whose 'type' is not a string"
    return None


#: What makes a function call malformed (None when the resolver can rely on it).
check_event = event_check(
    required(kinds.NAME, "function"),
    required(kinds.STRING, "actionGroup"),
    _check_parameters,
    optional(kinds.OBJECT, "sessionAttributes", "promptSessionAttributes", "agent"),
)
