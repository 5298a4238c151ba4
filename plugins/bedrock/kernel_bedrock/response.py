"""The action-group response envelope: :class:`BedrockResponse`, writing the envelope and reading it back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from kernel.plugin_api import Response, content_types, text_body

__all__ = ["MESSAGE_VERSION", "BedrockResponse", "bedrock_response", "read_bedrock_response"]

ResponseT = TypeVar("ResponseT")

MESSAGE_VERSION = "1.0"


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


def _media_type(response: Response[Any]) -> str:
    content_type = next((value for name, value in response.headers.items() if name.lower() == "content-type"), None)
    content_type = content_type or response.content_type
    if isinstance(content_type, list):
        content_type = content_type[0] if content_type else None
    return content_type or content_types.APPLICATION_JSON


def bedrock_response(app: Any, request: Any, response: Response[Any]) -> dict[str, Any]:
    """The action-group response envelope an agent expects.

    It names the operation the agent called and holds the status, one media
    type and a text body; headers and cookies have nowhere to go.
    """
    data = request.raw_event
    result: dict[str, Any] = {
        "messageVersion": MESSAGE_VERSION,
        "response": {
            "actionGroup": data.get("actionGroup"),
            "apiPath": data.get("apiPath"),
            "httpMethod": data.get("httpMethod"),
            "httpStatusCode": response.status_code,
            "responseBody": {_media_type(response): {"body": text_body(response.body, app.serializer)}},
        },
    }
    if isinstance(response, BedrockResponse):
        extras: Mapping[str, Any] = {
            "sessionAttributes": response.session_attributes,
            "promptSessionAttributes": response.prompt_session_attributes,
            "knowledgeBasesConfiguration": response.knowledge_bases_configuration,
        }
        result.update({name: value for name, value in extras.items() if value})
    return result


def read_bedrock_response(envelope: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """Read an action-group envelope back: the status, its media type as ``Content-Type``, the body.

    Raises :class:`ValueError` for a dict an agent would refuse: one without
    ``response.httpStatusCode`` or without exactly one media type holding a
    text ``body``.
    """
    inner = envelope.get("response") if isinstance(envelope, dict) else None
    if not isinstance(inner, dict):
        raise ValueError("The response is not an action-group envelope: it has no 'response' object")
    status = inner.get("httpStatusCode")
    if isinstance(status, bool) or not isinstance(status, int):
        raise ValueError(f"The response has no valid httpStatusCode: {status!r}")
    bodies = inner.get("responseBody")
    if not isinstance(bodies, dict) or len(bodies) != 1:
        raise ValueError("The response's 'responseBody' does not hold exactly one media type")
    ((media_type, content),) = bodies.items()
    body = content.get("body") if isinstance(content, dict) else None
    if not isinstance(body, str):
        raise ValueError(f"The response's 'responseBody.{media_type}.body' is not a string")
    return status, [("Content-Type", str(media_type))], body.encode("utf-8")
