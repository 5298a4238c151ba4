"""The agent's call of an operation, as ``app.current_event``, and the checks of its event."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from kernel.plugin_api import BaseRequest, EventPart, content_types, event_check, field, kinds, optional, required

__all__ = [
    "BedrockAgentEvent",
    "BedrockAgentInfo",
    "BedrockAgentProperty",
    "BedrockAgentRequestBody",
    "BedrockAgentRequestMedia",
    "check_event",
    "is_bedrock_event",
]


class BedrockAgentInfo(EventPart, fields="name id alias version"):
    """``agent``: the agent that called the action group."""


class BedrockAgentProperty(EventPart, fields="name type value"):
    """One parameter or body property: its name, schema type and value (always a string)."""

    # check_event makes sure every property has a string name and value.


class BedrockAgentRequestMedia(EventPart):
    """The body in one media type: a list of properties."""

    @property
    def properties(self) -> list[BedrockAgentProperty]:
        """The body's properties, in the order the agent sent them."""
        return [BedrockAgentProperty(item) for item in self.get("properties") or []]


class BedrockAgentRequestBody(EventPart):
    """``requestBody``: the body by media type."""

    @property
    def content(self) -> dict[str, BedrockAgentRequestMedia]:
        """The body in each media type the agent sent it in."""
        return {media_type: BedrockAgentRequestMedia(media) for media_type, media in (self.get("content") or {}).items()}


class BedrockAgentEvent(BaseRequest):
    """An agent's call of an action-group operation, as ``app.current_event``.

    It has no headers and no raw body: :attr:`headers` is empty, and
    :attr:`json_body` is built from the ``application/json`` properties of
    :attr:`request_body` (:attr:`body` is that object as JSON text).
    """

    message_version = field("messageVersion")
    input_text = field("inputText", doc="What the user said to the agent.")
    session_id = field("sessionId")
    action_group = field("actionGroup")
    api_path = field("apiPath", doc="The operation's path template in the action group's schema.")
    http_method = field("httpMethod", doc="The operation's HTTP method.")
    path = field("apiPath", doc="The operation's path template, routed as the path.")
    agent = field("agent", wrap=BedrockAgentInfo)
    session_attributes = field(
        "sessionAttributes", default={}, doc="Attributes that persist over the whole session with the agent."
    )
    prompt_session_attributes = field(
        "promptSessionAttributes", default={}, doc="Attributes that persist for the current turn only."
    )

    @cached_property
    def parameters(self) -> list[BedrockAgentProperty]:
        """Every parameter the agent sent (path, query and header ones alike)."""
        return [BedrockAgentProperty(item) for item in self._data.get("parameters") or []]

    @cached_property
    def request_body(self) -> BedrockAgentRequestBody | None:
        """The body by media type, or None without one."""
        body = self._data.get("requestBody")
        return None if body is None else BedrockAgentRequestBody(body)

    @property
    def headers(self) -> dict[str, str]:
        """Always empty: an agent sends no headers (header parameters are in :attr:`parameters`)."""
        return {}

    @cached_property
    def query_string_parameters(self) -> dict[str, str]:
        """Every parameter the agent sent, by name (the last of a repeated one); ``{}`` without any."""
        return {item["name"]: item["value"] for item in self._data.get("parameters") or []}

    @property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        """Every parameter the agent sent, each as a one-value list."""
        # Never split on commas: a value (a sentence, a query) may hold some.
        return {name: [value] for name, value in self.query_string_parameters.items()}

    @cached_property
    def body(self) -> str | None:
        """:attr:`json_body` as JSON text, for code that reads the body as text (validation does)."""
        json_body = self.json_body
        return None if json_body is None else json.dumps(json_body)

    @property
    def is_base64_encoded(self) -> bool | None:
        """Always None, as on Powertools: the event has no such field (the body is rebuilt as JSON text)."""
        return None

    @cached_property
    def json_body(self) -> Any:
        """The ``application/json`` body as an object of its properties' values; None without one."""
        content = (self._data.get("requestBody") or {}).get("content") or {}
        media = content.get(content_types.APPLICATION_JSON)
        if media is None:
            return None
        return {item["name"]: item["value"] for item in media.get("properties") or []}


def is_bedrock_event(event: Any) -> bool:
    """Whether ``event`` is a Bedrock Agent action-group call described by an OpenAPI schema."""
    return type(event) is dict and "actionGroup" in event and "apiPath" in event and "messageVersion" in event


def _check_properties(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if type(value) is not list:
        return f"{name!r} is not a list"
    for item in value:
        if type(item) is not dict or type(item.get("name")) is not str or type(item.get("value")) is not str:
            return f"{name!r} holds an item without a string 'name' and 'value'"
    return None


def _check_body(event: dict[str, Any]) -> str | None:
    problem = _check_properties(event.get("parameters"), "parameters")
    if problem is not None:
        return problem
    body = event.get("requestBody")
    if body is not None:
        content = body.get("content") if type(body) is dict else None
        if type(content) is not dict:
            return "'requestBody.content' is not an object"
        for media_type, media in content.items():
            if type(media) is not dict:
                return f"'requestBody.content.{media_type}' is not an object"
            problem = _check_properties(media.get("properties"), f"requestBody.content.{media_type}.properties")
            if problem is not None:
                return problem
    return None


#: What makes an agent event malformed (None when routing can rely on it).
check_event = event_check(
    required(kinds.NAME, "httpMethod"),
    required(kinds.ABSOLUTE_PATH, "apiPath"),
    required(kinds.STRING, "actionGroup"),
    _check_body,
    optional(kinds.OBJECT, "sessionAttributes", "promptSessionAttributes", "agent"),
)
