"""``BedrockAgentFunctionResolver``: tools an agent calls by name, and how a call reaches one."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from kernel import InternalServerError, NotFoundError
from kernel.plugin_api import BadRequestError, BaseApp, Response, Route, ServiceError, json_serializer
from kernel_bedrock_function.response import BedrockFunctionResponse, error_text, logger

__all__ = ["SOURCE", "BedrockAgentFunctionResolver", "Tool", "convert"]

#: The plugin name of the source the resolver is pinned to.
SOURCE = "bedrock-function"

FunctionT = TypeVar("FunctionT", bound=Callable[..., Any])

# The default serializer: the text json.dumps writes (as Powertools does), with the
# kernel's extra types (dates, decimals, dataclasses...) and non-finite floats as null.
_json_text = json_serializer(", ", ": ")


def convert(kind: Any, value: str) -> Any:
    """A parameter's value as its type in the function's definition says: ``int``, ``float``, ``bool`` or text.

    ``integer`` and ``number`` values that do not read as one stay text;
    ``boolean`` is true for ``"true"`` in any case. Other types (``string``,
    ``array``) are passed as the text the agent sent.
    """
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            return value
    if kind == "number":
        try:
            return float(value)
        except ValueError:
            return value
    if kind == "boolean":
        return value.lower() == "true"
    return value


class Tool:
    """A function an agent calls: its name, description, function and the parameters it takes.

    The parameters are read from the function's signature once, when it is
    registered: the agent's parameters are passed by name to those the
    function declares (others are left out), and a call that lacks one
    without a default is answered ``Error: BadRequestError: Missing
    parameter '<name>'``.
    """

    __slots__ = ("accepted", "description", "func", "name", "required", "route")

    def __init__(self, name: str, description: str | None, func: Callable[..., Any]) -> None:
        self.name = name
        self.description = description
        self.func = func
        parameters = [
            parameter
            for parameter in inspect.signature(func).parameters.values()
            if parameter.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        ]
        #: The names of the parameters the function takes.
        self.accepted = frozenset(parameter.name for parameter in parameters)
        #: Those without a default, in the signature's order.
        self.required = tuple(parameter.name for parameter in parameters if parameter.default is inspect.Parameter.empty)
        #: The route serving the tool's calls; its method is ``TOOL``, its path the tool's name.
        self.route = Route("TOOL", name, self.call, description=description, include_in_schema=False)

    def call(self, **arguments: Any) -> BedrockFunctionResponse:
        """Call the function with ``arguments`` (see :meth:`arguments`); its answer as a :class:`BedrockFunctionResponse`."""
        for required in self.required:
            if required not in arguments:
                raise BadRequestError(f"Missing parameter {required!r}")
        result = self.func(**arguments)
        if isinstance(result, BedrockFunctionResponse):
            return result
        if isinstance(result, Response):
            # An HTTP response: only its body means something to an agent.
            result = result.body
        return BedrockFunctionResponse(body=result)

    def arguments(self, parameters: Any) -> dict[str, Any]:
        """The keyword arguments of a call: the agent's parameters the function takes, converted (see :func:`convert`)."""
        accepted = self.accepted
        # A name sent twice: the last value counts.
        return {item["name"]: convert(item.get("type"), item["value"]) for item in parameters or () if item["name"] in accepted}

    def __repr__(self) -> str:
        return f"<Tool {self.name!r} -> {getattr(self.func, '__qualname__', self.func)!r}>"


class BedrockAgentFunctionResolver(BaseApp):
    """Tools a Bedrock agent calls, for an action group defined with function details.

    :param serializer: writes each answer as text; by default JSON as
        ``json.dumps`` writes it, also taking dates, decimals, dataclasses,
        enums, UUIDs and sets, and writing non-finite floats as ``null``.
    :param debug: name the exception a tool raised in the agent's answer
        (``Error: ValueError: ...``) rather than a generic message; by default
        read from the ``POWERTOOLS_DEV`` environment variable.
    :param plugins: the plugins to use (the ``bedrock-function`` source is
        always one of them); by default that source alone, since the HTTP
        features (CORS, compression, validation...) have no part in a
        function call. Name a plugin of yours here to add its hooks.

    Declare tools with :meth:`tool`; the app has no HTTP routes (``get``,
    ``post``... raise :class:`TypeError`).
    """

    def __init__(
        self,
        serializer: Callable[[Any], str] | None = None,
        *,
        debug: bool | None = None,
        plugins: list[str | object] | None = None,
    ) -> None:
        super().__init__(
            source=SOURCE,
            plugins=[SOURCE] if plugins is None else plugins,
            debug=debug,
            serializer=serializer or _json_text,
        )
        #: The tools by name.
        self.tools: dict[str, Tool] = {}
        # The last resort: every failure is answered in the envelope, as the agent expects.
        # An exception_handler the app registers for a class (or for Exception) wins.
        self.exception_handler(Exception)(self._answer_failure)

    def tool(self, name: str | None = None, description: str | None = None) -> Callable[[FunctionT], FunctionT]:
        """Register the decorated function as the tool ``name`` (by default the function's name).

        The agent's parameters reach the function's parameters of the same
        names, converted after their type (see :func:`convert`); its return
        value is the answer (a :class:`BedrockFunctionResponse` to also set the
        session attributes or the response state). Registering a name again
        warns, and the new function replaces the old one.
        """

        def register(func: FunctionT) -> FunctionT:
            tool_name = name or func.__name__
            tool = Tool(tool_name, description, func)
            previous = self.tools.get(tool_name)
            if previous is not None:
                warnings.warn(f"The tool {tool_name!r} is registered again: the new function replaces the old", stacklevel=2)
                self.routes.remove(previous.route)
            self.tools[tool_name] = tool
            self.routes.append(tool.route)
            return func

        return register

    def _answer_failure(self, exc: Exception) -> BedrockFunctionResponse:
        if isinstance(exc, ServiceError):
            # Raised to be answered: the message is meant for the agent.
            return BedrockFunctionResponse(body=error_text(type(exc).__name__, exc.msg))
        logger.error("The tool %r raised an exception", self.current_event.function, exc_info=exc)
        if self.debug:
            return BedrockFunctionResponse(body=error_text(type(exc).__name__, str(exc)))
        answer = InternalServerError("The tool failed")
        return BedrockFunctionResponse(body=error_text(type(answer).__name__, answer.msg))

    def _not_found(self) -> Any:
        raise NotFoundError(f"Unknown tool {self.current_event.function!r}")

    # -- what an agent cannot call ---------------------------------------------------

    def _add_route(self, rule: str, method: str, func: Callable[..., Any], settings: dict[str, Any]) -> None:
        raise TypeError("BedrockAgentFunctionResolver serves tools, declared with @app.tool(): it has no HTTP routes")

    def include_router(self, router: Any, prefix: str | None = None) -> None:
        """Refused: a router holds HTTP routes, which an agent calling functions never reaches."""
        raise TypeError("BedrockAgentFunctionResolver serves tools, declared with @app.tool(): it has no HTTP routes")
