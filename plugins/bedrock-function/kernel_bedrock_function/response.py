"""The function-call response envelope: :class:`BedrockFunctionResponse` and writing the envelope."""

from __future__ import annotations

import logging
from typing import Any, Literal

from kernel.plugin_api import Response, text_body

__all__ = ["MESSAGE_VERSION", "RESPONSE_STATES", "BedrockFunctionResponse", "error_text", "function_response"]

logger = logging.getLogger("kernel_bedrock_function")

MESSAGE_VERSION = "1.0"

#: The values of ``responseState``: the agent ends the session on a failure, or asks the model to prompt again.
RESPONSE_STATES = ("FAILURE", "REPROMPT")

ResponseState = Literal["FAILURE", "REPROMPT"]


class BedrockFunctionResponse(Response[Any]):
    """What a tool answers when it also sets the agent's session or the state of its answer.

    :param body: the answer; written with the app's serializer (JSON by
        default, so a string is sent as a JSON string), ``None`` as ``""``.
    :param session_attributes: replaces the session's attributes; when
        empty, the attributes the agent sent are sent back.
    :param prompt_session_attributes: replaces the attributes of this turn,
        likewise.
    :param knowledge_bases: settings of the agent's knowledge bases for the
        rest of the turn (sent only when not empty).
    :param response_state: ``"FAILURE"`` (the agent ends the session with an
        error) or ``"REPROMPT"`` (the agent asks the model again); ``None``
        sends no state, the usual case.

    Raises :class:`ValueError` for another ``response_state``.
    """

    def __init__(
        self,
        body: Any = None,
        session_attributes: dict[str, str] | None = None,
        prompt_session_attributes: dict[str, str] | None = None,
        knowledge_bases: list[dict[str, Any]] | None = None,
        response_state: ResponseState | None = None,
    ) -> None:
        if response_state is not None and response_state not in RESPONSE_STATES:
            raise ValueError(f"response_state is 'FAILURE', 'REPROMPT' or None, not {response_state!r}")
        super().__init__(status_code=200, body=body)
        self.session_attributes = session_attributes
        self.prompt_session_attributes = prompt_session_attributes
        self.knowledge_bases = knowledge_bases
        self.response_state = response_state


def error_text(kind: str, message: str) -> str:
    """The text an agent reads for a call that failed: ``Error: <kind>: <message>``."""
    return f"Error: {kind}: {message}"


def _body_text(app: Any, request: Any, response: Response[Any]) -> str:
    if request.problem is not None:
        # A malformed call: the kernel answers 400; the agent reads it in the envelope's words.
        return app.serializer(error_text("BadRequestError", request.problem))
    if not isinstance(response, BedrockFunctionResponse):
        return text_body(response.body, app.serializer)
    body = response.body
    try:
        return app.serializer("" if body is None else body)
    except Exception as exc:
        # Rendering runs after the exception handlers: answer here, as they would.
        logger.error("The answer of the tool %r could not be serialized", request.get("function"), exc_info=exc)
        return app.serializer(error_text("InternalServerError", "The tool's answer could not be serialized"))


def _attributes(value: Any) -> Any:
    # Those of a malformed event may be anything: an agent reads an object only.
    return value if type(value) is dict else {}


def function_response(app: Any, request: Any, response: Response[Any]) -> dict[str, Any]:
    """The envelope an agent expects back from a function call.

    It names the action group and function called and holds the answer as
    text; the session's attributes go back as the tool set them, or else as
    the agent sent them.
    """
    data = request.raw_event
    function_part: dict[str, Any] = {"responseBody": {"TEXT": {"body": _body_text(app, request, response)}}}
    session_attributes = prompt_session_attributes = knowledge_bases = None
    if isinstance(response, BedrockFunctionResponse):
        if response.response_state is not None:
            function_part["responseState"] = response.response_state
        session_attributes = response.session_attributes
        prompt_session_attributes = response.prompt_session_attributes
        knowledge_bases = response.knowledge_bases
    envelope: dict[str, Any] = {
        "messageVersion": MESSAGE_VERSION,
        "response": {
            "actionGroup": data.get("actionGroup"),
            "function": data.get("function"),
            "functionResponse": function_part,
        },
        "sessionAttributes": session_attributes or _attributes(request.session_attributes),
        "promptSessionAttributes": prompt_session_attributes or _attributes(request.prompt_session_attributes),
    }
    if knowledge_bases:
        envelope["knowledgeBasesConfiguration"] = knowledge_bases
    return envelope
