"""The Amazon Bedrock Agents event source (action groups described by an OpenAPI schema).

Installed with ``pip install kernel[bedrock]``; the entry point ``bedrock``
makes it the source of ``BedrockAgentResolver`` and lets an unpinned ``App()``
recognise agent events (they carry ``messageVersion``, ``actionGroup`` and
``apiPath``).

An agent calls an operation of the action group's schema, not a URL:

- ``apiPath`` is the schema's path template (``/claims/{claimId}``). A route
  ``/claims/<claim_id>`` matches it, and the plugin passes the route function
  the value the agent sent in ``parameters`` (looked up by the template's name,
  ``claimId``, then by the route's, ``claim_id``). A placeholder no parameter
  fills is answered ``400``.
- every parameter (path, query or header in the schema) arrives in one
  ``parameters`` list; :attr:`BedrockAgentEvent.query_string_parameters` holds
  them all, as in Powertools.
- the JSON body arrives as a list of properties; :attr:`BedrockAgentEvent.json_body`
  rebuilds the object, each value the string the agent sent.

The answer is the action-group envelope: status, one media type and a text
body. Headers and cookies have nowhere to go and are dropped. Return a
:class:`BedrockResponse` to also set session attributes.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from functools import cached_property
from typing import Any, TypeVar

from kernel import content_types, hookimpl
from kernel.exceptions import BadRequestError
from kernel.request import BaseRequest, EventPart
from kernel.response import Response

__all__ = [
    "BedrockAgentEvent",
    "BedrockAgentInfo",
    "BedrockAgentProperty",
    "BedrockAgentRequestBody",
    "BedrockAgentRequestMedia",
    "BedrockResponse",
    "check_event",
    "is_bedrock_event",
]

ResponseT = TypeVar("ResponseT")

MESSAGE_VERSION = "1.0"


class BedrockAgentInfo(EventPart):
    """``agent``: the agent that called the action group."""

    @property
    def name(self) -> str | None:
        return self.get("name")

    @property
    def id(self) -> str | None:
        return self.get("id")

    @property
    def alias(self) -> str | None:
        return self.get("alias")

    @property
    def version(self) -> str | None:
        return self.get("version")


class BedrockAgentProperty(EventPart):
    """One parameter or body property: its name, schema type and value (always a string)."""

    @property
    def name(self) -> str:
        return self["name"]

    @property
    def type(self) -> str | None:
        return self.get("type")

    @property
    def value(self) -> str:
        return self["value"]


class BedrockAgentRequestMedia(EventPart):
    """The body in one media type: a list of properties."""

    @property
    def properties(self) -> list[BedrockAgentProperty]:
        return [BedrockAgentProperty(item) for item in self.get("properties") or []]


class BedrockAgentRequestBody(EventPart):
    """``requestBody``: the body by media type."""

    @property
    def content(self) -> dict[str, BedrockAgentRequestMedia]:
        return {media_type: BedrockAgentRequestMedia(media) for media_type, media in (self.get("content") or {}).items()}


class BedrockAgentEvent(BaseRequest):
    """An agent's call of an action-group operation, as ``app.current_event``.

    It has no headers and no raw body: :attr:`headers` is empty, and
    :attr:`json_body` is built from the ``application/json`` properties of
    :attr:`request_body` (:attr:`body` is that object as JSON text).
    """

    @property
    def message_version(self) -> str | None:
        return self._data.get("messageVersion")

    @property
    def input_text(self) -> str | None:
        """What the user said to the agent."""
        return self._data.get("inputText")

    @property
    def session_id(self) -> str | None:
        return self._data.get("sessionId")

    @property
    def action_group(self) -> str:
        return self._data["actionGroup"]

    @property
    def api_path(self) -> str:
        """The operation's path template in the action group's schema."""
        return self._data["apiPath"]

    @property
    def http_method(self) -> str:
        return self._data["httpMethod"]

    @property
    def path(self) -> str:
        return self._data["apiPath"]

    @cached_property
    def parameters(self) -> list[BedrockAgentProperty]:
        return [BedrockAgentProperty(item) for item in self._data.get("parameters") or []]

    @cached_property
    def request_body(self) -> BedrockAgentRequestBody | None:
        body = self._data.get("requestBody")
        return None if body is None else BedrockAgentRequestBody(body)

    @cached_property
    def agent(self) -> BedrockAgentInfo:
        return BedrockAgentInfo(self._data.get("agent"))

    @property
    def session_attributes(self) -> dict[str, str]:
        """Attributes that persist over the whole session with the agent."""
        return self._data.get("sessionAttributes") or {}

    @property
    def prompt_session_attributes(self) -> dict[str, str]:
        """Attributes that persist for the current turn only."""
        return self._data.get("promptSessionAttributes") or {}

    @property
    def headers(self) -> dict[str, str]:
        return {}

    @cached_property
    def query_string_parameters(self) -> dict[str, str] | None:
        """Every parameter the agent sent, by name; None when there are none."""
        return {item["name"]: item["value"] for item in self._data.get("parameters") or []} or None

    @property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        # Never split on commas: a value (a sentence, a query) may hold some.
        return {name: [value] for name, value in (self.query_string_parameters or {}).items()}

    @cached_property
    def body(self) -> str | None:
        """:attr:`json_body` as JSON text, for code that reads the body as text (validation does)."""
        json_body = self.json_body
        return None if json_body is None else json.dumps(json_body)

    @property
    def is_base64_encoded(self) -> bool | None:
        return False

    @cached_property
    def json_body(self) -> Any:
        """The ``application/json`` body as an object of its properties' values; None without one."""
        content = (self._data.get("requestBody") or {}).get("content") or {}
        media = content.get(content_types.APPLICATION_JSON)
        if media is None:
            return None
        return {item["name"]: item["value"] for item in media.get("properties") or []}


class BedrockResponse(Response[ResponseT]):
    """A response that also sets the agent's session attributes.

    :param body: what the route answers; anything but ``str`` and ``bytes`` is
        serialised to JSON, whatever ``content_type`` says, since an agent
        only reads text.
    :param status_code: the HTTP status reported to the agent.
    :param content_type: the media type the body is reported under.
    :param session_attributes: replaces the session's attributes.
    :param prompt_session_attributes: replaces the attributes of this turn.
    :param knowledge_bases_configuration: settings of the agent's knowledge
        bases for the rest of the turn.

    Empty attribute maps are not sent.
    """

    def __init__(
        self,
        body: ResponseT | None = None,
        status_code: int = 200,
        content_type: str = content_types.APPLICATION_JSON,
        session_attributes: dict[str, Any] | None = None,
        prompt_session_attributes: dict[str, Any] | None = None,
        knowledge_bases_configuration: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, content_type=content_type, body=body)
        self.session_attributes = session_attributes
        self.prompt_session_attributes = prompt_session_attributes
        self.knowledge_bases_configuration = knowledge_bases_configuration

    def is_json(self) -> bool:
        """Always true: the kernel serialises every structured body for an agent."""
        return True


def is_bedrock_event(event: Any) -> bool:
    """Whether ``event`` is a Bedrock Agent action-group call described by an OpenAPI schema."""
    return type(event) is dict and "actionGroup" in event and "apiPath" in event and "messageVersion" in event


def _check_properties(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if type(value) is not list:
        return f"{field!r} is not a list"
    for item in value:
        if type(item) is not dict or type(item.get("name")) is not str or type(item.get("value")) is not str:
            return f"{field!r} holds an item without a string 'name' and 'value'"
    return None


def check_event(event: Any) -> str | None:
    """Return what makes an agent ``event`` malformed, or None when routing can rely on it."""
    if type(event) is not dict:
        return "the event is not an object"
    method = event.get("httpMethod")
    if type(method) is not str or not method:
        return "'httpMethod' is missing or not a string"
    path = event.get("apiPath")
    if type(path) is not str or path[:1] != "/":
        return "'apiPath' is missing or not an absolute path"
    if type(event.get("actionGroup")) is not str:
        return "'actionGroup' is missing or not a string"
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
    for field in ("sessionAttributes", "promptSessionAttributes", "agent"):
        value = event.get(field)
        if value is not None and type(value) is not dict:
            return f"{field!r} is not an object"
    return None


@hookimpl
def parse_event(app: Any, event: dict[str, Any]) -> BedrockAgentEvent | None:
    """Wrap agent events; reject malformed ones when the app is pinned to this source."""
    if app.source != "bedrock" and not is_bedrock_event(event):
        return None
    problem = check_event(event)
    if problem is not None:
        request = BedrockAgentEvent(event if type(event) is dict else {})
        return request.reject(f"Malformed event: {problem}")
    return BedrockAgentEvent(event)


def _is_placeholder(segment: str) -> bool:
    return len(segment) > 2 and segment[0] == "{" and segment[-1] == "}"


@hookimpl(tryfirst=True)
def before_handle(request: BaseRequest, arguments: dict[str, Any]) -> None:
    """Give the route function the parameter values the agent sent for the path's placeholders.

    Runs first, so validation sees the values rather than the placeholders.
    """
    # Every app with this plugin runs this hook: leave other sources' requests at once.
    if not arguments or (type(request) is not BedrockAgentEvent and not isinstance(request, BedrockAgentEvent)):
        return None
    values = request.query_string_parameters or {}
    for name, segment in arguments.items():
        if _is_placeholder(segment) and segment[1:-1] in values:
            arguments[name] = values[segment[1:-1]]
        elif name in values:
            arguments[name] = values[name]
        elif _is_placeholder(segment):
            raise BadRequestError(f"Missing parameter {segment[1:-1]!r}")
    return None


def _media_type(response: Response[Any]) -> str:
    content_type = next((value for name, value in response.headers.items() if name.lower() == "content-type"), None)
    content_type = content_type or response.content_type
    if isinstance(content_type, list):
        content_type = content_type[0] if content_type else None
    return content_type or content_types.APPLICATION_JSON


def _text(body: Any, serializer: Any) -> str:
    if body is None:
        return ""
    if isinstance(body, bytes):
        # An agent reads text: send UTF-8 as is, anything else base64-encoded.
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(body).decode()
    # A structured body under a non-JSON media type: still JSON, the one text form the app defines.
    return body if isinstance(body, str) else serializer(body)


@hookimpl(trylast=True)
def build_response(app: Any, request: BaseRequest, response: Response[Any]) -> dict[str, Any] | None:
    """The action-group response envelope an agent expects."""
    if type(request) is not BedrockAgentEvent and not isinstance(request, BedrockAgentEvent):
        return None
    data = request.raw_event
    result: dict[str, Any] = {
        "messageVersion": MESSAGE_VERSION,
        "response": {
            "actionGroup": data.get("actionGroup"),
            "apiPath": data.get("apiPath"),
            "httpMethod": data.get("httpMethod"),
            "httpStatusCode": response.status_code,
            "responseBody": {_media_type(response): {"body": _text(response.body, app.serializer)}},
        },
    }
    if isinstance(response, BedrockResponse):
        extras: Mapping[str, Any] = {
            "sessionAttributes": response.session_attributes,
            "promptSessionAttributes": response.prompt_session_attributes,
            "knowledgeBasesConfiguration": response.knowledge_bases_configuration,
        }
        result.update({field: value for field, value in extras.items() if value})
    return result
