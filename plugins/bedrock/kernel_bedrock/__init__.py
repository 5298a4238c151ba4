"""The Amazon Bedrock Agents event source (action groups described by an OpenAPI schema).

Installed with ``pip install --no-index --find-links dist "kernel[bedrock]"`` from the
wheelhouse ``scripts/wheelhouse`` builds; the entry point ``bedrock``
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

from typing import Any

from kernel.plugin_api import BadRequestError, BaseRequest, Source, hookimpl
from kernel_bedrock.request import (
    BedrockAgentEvent,
    BedrockAgentInfo,
    BedrockAgentProperty,
    BedrockAgentRequestBody,
    BedrockAgentRequestMedia,
    check_event,
    is_bedrock_event,
)
from kernel_bedrock.response import BedrockResponse, bedrock_response, read_bedrock_response

__all__ = [
    "BedrockAgentEvent",
    "BedrockAgentInfo",
    "BedrockAgentProperty",
    "BedrockAgentRequestBody",
    "BedrockAgentRequestMedia",
    "BedrockResponse",
    "BedrockSource",
    "bedrock_response",
    "check_event",
    "is_bedrock_event",
    "read_bedrock_response",
    "source",
]


def _is_placeholder(segment: str) -> bool:
    return len(segment) > 2 and segment[0] == "{" and segment[-1] == "}"


class BedrockSource(Source):
    """The Bedrock Agent source, which also fills the path template's placeholders."""

    @hookimpl(tryfirst=True)
    def before_handle(self, request: BaseRequest, arguments: dict[str, Any]) -> None:
        """Give the route function the parameter values the agent sent for the path's placeholders.

        Runs first, so validation sees the values rather than the placeholders.
        """
        if not arguments:
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


source = BedrockSource(
    "bedrock",
    BedrockAgentEvent,
    recognise=is_bedrock_event,
    check=check_event,
    render=bedrock_response,
    build_event="kernel_bedrock.events:bedrock_event",
    read_response=read_bedrock_response,
    options={
        "parameters": "more parameters by name, after those of the query string (non-string values sent as JSON text)",
        "session_attributes": "the session's attributes (default none)",
        "prompt_session_attributes": "the current turn's attributes (default none)",
        "input_text": "what the user said to the agent (default: I want to claim my insurance)",
    },
    # An agent invokes the function itself: there is no HTTP request for `kernel serve` to stand in for.
    over_http=False,
)
