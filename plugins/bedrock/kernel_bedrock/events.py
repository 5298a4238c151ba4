"""The Bedrock Agent event of an HTTP request: the builder behind ``source.build_event``.

An agent calls an operation of its action group's OpenAPI schema, not a URL,
so the event is the one an agent sends for the operation ``method`` ``path``
(the schema's path template, or a concrete path): every parameter, from the
query string or from the ``parameters`` option, in one ``parameters`` list,
each value as text with its schema type; a JSON object body as the properties
of an ``application/json`` request body. An agent sends no headers, no cookies
and no binary body, so a request holding them cannot be turned into an event
(a ``Content-Type: application/json`` header is the one exception: it only
says what the request body's media type already says).
"""

from __future__ import annotations

import json
from typing import Any

from kernel.plugin_api import HttpRequest, content_types

__all__ = ["UnsendableRequestError", "bedrock_event"]

DEFAULT_INPUT_TEXT = "I want to claim my insurance"
ACTION_GROUP = "ClaimManagementActionGroup"
AGENT = {"name": "claims-agent", "id": "8ZXY0W8P1H", "alias": "TSTALIASID", "version": "DRAFT"}
SESSION_ID = "12345678912345"


class UnsendableRequestError(TypeError, ValueError):
    """A request no agent could send: with headers, cookies or a binary body.

    A :class:`TypeError` for the code that asks for such an event (as the
    test builders always raised), and a :class:`ValueError` for ``kernel
    serve``, which answers ``400`` any request the service could not send.
    """


def _schema_type(value: Any) -> str:
    # bool before int: True is an int too.
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    return "string"


def _property(name: str, value: Any) -> dict[str, str]:
    """A parameter or body property as an agent sends it: its schema type, its value as text."""
    return {"name": name, "type": _schema_type(value), "value": value if isinstance(value, str) else json.dumps(value)}


def _is_json_content_type(name: str, value: str) -> bool:
    return name.lower() == "content-type" and value.split(";")[0].strip().lower() == content_types.APPLICATION_JSON


def _body_properties(request: HttpRequest) -> list[dict[str, str]]:
    try:
        data = json.loads(request.body.decode("utf-8"))
    except ValueError:  # undecodable bytes or invalid JSON alike
        raise ValueError("A Bedrock Agent request body is a JSON object of properties, and this body is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError("A Bedrock Agent request body is a JSON object of properties")
    return [_property(name, value) for name, value in data.items()]


def bedrock_event(
    request: HttpRequest,
    *,
    parameters: dict[str, Any] | None = None,
    session_attributes: dict[str, str] | None = None,
    prompt_session_attributes: dict[str, str] | None = None,
    input_text: str = DEFAULT_INPUT_TEXT,
    **_: Any,
) -> dict[str, Any]:
    """Build the event an agent sends to call the operation ``request.method`` ``request.path``.

    :param parameters: more parameters, by name, after those of the query
        string (a repeated query parameter is sent once, its values joined
        with commas); a value that is not a string is sent as its JSON text,
        typed after it (``integer``, ``boolean``...).
    :param session_attributes: the session's attributes.
    :param prompt_session_attributes: the attributes of the current turn.
    :param input_text: what the user said to the agent.

    Raises :class:`UnsendableRequestError` (a :class:`TypeError`) for a
    request with headers, cookies or a base64 body, which an agent never
    sends, and :class:`ValueError` for a body that is not a JSON object.
    """
    if request.is_base64 or any(not _is_json_content_type(name, value) for name, value in request.headers):
        raise UnsendableRequestError("A Bedrock Agent event has no headers, cookies or base64 body")
    values: dict[str, Any] = {name: ",".join(items) for name, items in request.query_lists().items()}
    values.update(parameters or {})
    event: dict[str, Any] = {
        "messageVersion": "1.0",
        "agent": dict(AGENT),
        "inputText": input_text,
        "sessionId": SESSION_ID,
        "actionGroup": ACTION_GROUP,
        "apiPath": request.path,
        "httpMethod": request.method,
        "parameters": [_property(name, value) for name, value in values.items()],
        "sessionAttributes": dict(session_attributes or {}),
        "promptSessionAttributes": dict(prompt_session_attributes or {}),
    }
    if request.body:
        event["requestBody"] = {"content": {content_types.APPLICATION_JSON: {"properties": _body_properties(request)}}}
    return event
