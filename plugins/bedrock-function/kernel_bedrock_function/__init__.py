"""Bedrock Agents action groups defined with function details: ``BedrockAgentFunctionResolver``.

Installed with ``pip install --no-index --find-links dist "kernel[bedrock-function]"``
from the wheelhouse ``scripts/wheelhouse`` builds. An agent whose action group
lists functions (rather than an OpenAPI schema, the ``bedrock`` source's
kind) calls one by name with typed parameters, and reads back text::

    app = BedrockAgentFunctionResolver()

    @app.tool(name="get_weather", description="The weather in a city")
    def get_weather(city: str, days: int = 1):
        return {"city": city, "days": days}

How it fits the kernel's hooks. The entry point ``bedrock-function`` is a
:class:`~kernel.plugin_api.Source` like any other, and a call goes down the
kernel's usual request path:

- ``parse_event``: the declared source wraps the event in a
  :class:`BedrockAgentFunctionEvent` (recognised by its ``function`` key, and
  no ``apiPath``); a malformed one is answered in the envelope without
  calling any tool.
- ``match_route``: routing is by function name, not by method and path. The
  source's own implementation (``tryfirst``, and only ever asked about its
  own requests) finds the tool in the app's :attr:`~BedrockAgentFunctionResolver.tools`
  and returns its route with the agent's parameters, converted, as the
  route's arguments (as path parameters are for an HTTP route). The request's
  method and path are empty, which no route rule matches, so the kernel's
  matcher never serves a function call, and an unknown name takes the
  not-found route, which the resolver answers ``Unknown tool``.
- the exception handlers and middlewares run as for any route; the resolver
  registers a last-resort handler for ``Exception`` so that every failure (a
  missing parameter, a tool that raises) is answered in the envelope.
- ``build_response``: the source renders the envelope (``messageVersion``,
  ``response.actionGroup``, ``function``, ``functionResponse.responseBody.TEXT.body``,
  the session attributes).

There is no event builder: an agent calls a function, which no HTTP request
describes, so ``kernel serve`` and :class:`kernel.testing.Client` do not
drive this source; tests build the event (see :func:`function_event`).
"""

from __future__ import annotations

from typing import Any

from kernel.plugin_api import BaseRequest, Route, Source, hookimpl
from kernel_bedrock_function.events import function_event
from kernel_bedrock_function.request import (
    BedrockAgentFunctionEvent,
    BedrockFunctionAgent,
    BedrockFunctionParameter,
    check_event,
    is_function_event,
)
from kernel_bedrock_function.resolver import SOURCE, BedrockAgentFunctionResolver, Tool, convert
from kernel_bedrock_function.response import BedrockFunctionResponse, function_response

__all__ = [
    "BedrockAgentFunctionEvent",
    "BedrockAgentFunctionResolver",
    "BedrockFunctionAgent",
    "BedrockFunctionParameter",
    "BedrockFunctionResponse",
    "BedrockFunctionSource",
    "Tool",
    "check_event",
    "convert",
    "function_event",
    "function_response",
    "is_function_event",
    "source",
]


class BedrockFunctionSource(Source):
    """The function-details source, which routes a call by the function's name."""

    @hookimpl(tryfirst=True)
    def match_route(self, app: Any, request: BaseRequest) -> tuple[Route, dict[str, Any]] | None:
        """The tool the agent calls and its arguments; None (not found) for a name the app has no tool for."""
        tools = getattr(app, "tools", None)
        tool = tools.get(request["function"]) if tools else None
        if tool is None:
            return None
        return tool.route, tool.arguments(request.get("parameters"))


source = BedrockFunctionSource(
    SOURCE,
    BedrockAgentFunctionEvent,
    recognise=is_function_event,
    check=check_event,
    render=function_response,
    # An agent invokes the function itself: there is no HTTP request for `kernel serve` to stand in for.
    over_http=False,
)
