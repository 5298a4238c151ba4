"""Event sources as the shared behavioural suite sees them.

Each :class:`SourceCase` names a source plugin (and the options of its
events), builds an app pinned to it, makes realistic events with the
source's own builder and reads response dicts back with the source's own
reader (see :class:`kernel.source.Source`). A new source joins the suite in
``tests/behaviour`` by adding its case to :data:`CASES`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kernel.testing import Client

THIRD_PARTY = Path(__file__).parent / "thirdparty" / "kernel-edge"


@dataclass(frozen=True)
class Reply:
    """A response dict, read back: status, headers (lower-case names, list values), body."""

    status: int
    headers: dict[str, list[str]]
    body: str
    raw: dict[str, Any]
    content: bytes = b""  # the body bytes the client receives (base64 undone)
    base64: bool = False  # whether the response dict carried the body base64-encoded

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return None if not values else ", ".join(values)

    def json(self) -> Any:
        return json.loads(self.body)


def _edge_source() -> Any:
    """The third-party example source of docs/writing-a-plugin.md, as a plugin object."""
    if str(THIRD_PARTY) not in sys.path:
        sys.path.insert(0, str(THIRD_PARTY))
    import kernel_edge

    return kernel_edge.source


def _proxy_base64_flag(raw: dict[str, Any]) -> bool:
    return raw.get("isBase64Encoded") is True


def _corrupt(*path: str | int, value: Any, problem: str) -> Callable[[dict[str, Any]], str]:
    """A ``break_event``: sets the field at ``path`` of a valid event to ``value``, and says what the check answers."""

    def corrupt(event: dict[str, Any]) -> str:
        target: Any = event
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return problem

    return corrupt


@dataclass(frozen=True)
class SourceCase:
    name: str  # the plugin name
    resolver: str = "App"  # the attribute of `kernel` that builds the app
    options: dict[str, Any] = field(default_factory=dict)  # the source's event options
    plugins: tuple[Any, ...] = ()  # more plugins the app needs
    label: str = ""  # the test id, when one plugin serves several cases (ALB modes)
    # Where the response dict says its body is base64-encoded.
    base64_flag: Callable[[dict[str, Any]], bool] = _proxy_base64_flag
    third_party: bool = False  # the source is the plugin object of tests/thirdparty, not an installed plugin

    # -- capabilities a test can require with `supporting(...)`; a source without one sits that test out --------
    # The response dict carries arbitrary headers and cookies (Bedrock Agent: the action-group envelope has
    # room for one media type only).
    response_headers: bool = True
    # The event carries the client's headers and cookies (Bedrock Agent: an agent sends none, and the
    # builder refuses a request with any).
    request_headers: bool = True
    # The event carries the request body as the client sent it, so it may be any text, even invalid JSON
    # (Bedrock Agent: the agent sends the JSON body as a list of properties, rebuilt into an object).
    raw_request_body: bool = True
    # The event can carry a base64-encoded request body (Bedrock Agent: only JSON properties, see above).
    base64_request_body: bool = True
    # The response delivers a bytes body byte for byte (Bedrock Agent: an agent reads text, so bytes
    # that are not UTF-8 reach it as their base64 text).
    binary_response_body: bool = True

    # -- where sources legitimately differ: what a test expects of this one ----------------------------------
    # `/a/` reaches the route `/a` (and the other way round): only API Gateway REST resolvers drop trailing
    # slashes, as in Powertools; everywhere else they are different paths.
    ignores_trailing_slash: bool = False
    # How `get_header_value` reads a header the client repeated: its values joined with this separator,
    # or None when the event keeps the last value only (REST and ALB in their single-value maps).
    repeated_header_separator: str | None = None
    # `headers` and `get_header_value` give each header's values as the list the event holds (VPC Lattice
    # v2, as on Powertools), not one string.
    header_lists: bool = False
    # A repeated query parameter (`?tag=x&tag=y`) as the request reads it:
    # `get_multi_value_query_string_values` gives every value, or else the one `get_query_string_value` gives
    # (single-value ALB and VPC Lattice v1 keep the last value; a Bedrock agent sends one comma-joined value);
    keeps_repeated_query_values: bool = True
    # and `get_query_string_value` gives the values joined with commas ("x,y": HTTP API, Function URL,
    # VPC Lattice v2, Bedrock Agent), or else the last one ("y").
    joins_repeated_query_values: bool = False
    # The request's cookies arrive in the event's `cookies` list, read by `current_event.cookies`, and not in
    # the `Cookie` header (payload 2.0: API Gateway moves them out of the headers).
    request_cookie_list: bool = False
    # A response header with several values keeps each value (multi-value headers), or else reaches the
    # client as one value joined with ", ".
    multi_value_response_headers: bool = False
    # Every cookie set reaches the client; else only the last one fits in the single `Set-Cookie` header
    # (single-value ALB, VPC Lattice), and the app warns.
    keeps_every_cookie: bool = True
    # Corrupts a valid event of the source in place, in a way its `check` rejects, and returns the check's
    # message (answered 400 as "Malformed event: <message>").
    break_event: Callable[[dict[str, Any]], str] = field(kw_only=True)
    # What the source's `check` says of an event that is not even an object.
    non_object_problem: str = "the event is not an object"

    def _plugin(self) -> Any:
        return _edge_source() if self.third_party else self.name

    def plugin(self) -> Any:
        """The source's plugin object."""
        from kernel import plugins

        return _edge_source() if self.third_party else plugins.load([self.name])[0][1]

    def plugin_list(self, *more: Any) -> list[Any]:
        """The plugins an app of this case needs (its source, by name or object), then ``more``."""
        return [self._plugin(), *self.plugins, *more]

    def app(self, **kwargs: Any) -> Any:
        import kernel

        kwargs.setdefault("plugins", self.plugin_list())
        if self.resolver == "App":
            kwargs.setdefault("source", self.name)
        return getattr(kernel, self.resolver)(**kwargs)

    def client(self, app: Any) -> Client:
        return Client(app, self.name, **self.options)

    def make_event(self, method: str = "GET", path: str = "/", **parts: Any) -> dict[str, Any]:
        return self.plugin().event(method, path, **{**self.options, **parts})

    def read(self, response: dict[str, Any]) -> Reply:
        status, pairs, content = self.plugin().read_response(response)
        headers: dict[str, list[str]] = {}
        for name, value in pairs:
            headers.setdefault(name.lower(), []).append(value)
        return Reply(status, headers, content.decode("latin-1"), response, content, bool(self.base64_flag(response)))

    def __str__(self) -> str:
        return self.label or self.name


CASES: list[SourceCase] = [
    SourceCase(
        "rest",
        "APIGatewayRestResolver",
        {"stage": "prod"},
        ignores_trailing_slash=True,
        multi_value_response_headers=True,
        break_event=_corrupt("httpMethod", value=5, problem="'httpMethod' is missing or not a string"),
    ),
    SourceCase(
        "http",
        "APIGatewayHttpResolver",
        repeated_header_separator=",",
        joins_repeated_query_values=True,
        request_cookie_list=True,
        break_event=_corrupt(
            "requestContext", "http", value="GET /", problem="'requestContext.http' is missing or not an object"
        ),
    ),
    SourceCase(
        "function-url",
        "LambdaFunctionUrlResolver",
        repeated_header_separator=",",
        joins_repeated_query_values=True,
        request_cookie_list=True,
        break_event=_corrupt("rawPath", value="items", problem="'rawPath' is missing or not an absolute path"),
    ),
    SourceCase(
        "alb",
        "ALBResolver",
        keeps_repeated_query_values=False,
        keeps_every_cookie=False,
        break_event=_corrupt("path", value="items", problem="'path' is missing or not an absolute path"),
    ),
    SourceCase(
        "alb",
        "ALBResolver",
        {"multi_value": True},
        label="alb-multi-value",
        multi_value_response_headers=True,
        break_event=_corrupt("multiValueHeaders", value=["host"], problem="'multiValueHeaders' is not a map of string lists"),
    ),
    SourceCase(
        "lattice",
        "VPCLatticeResolver",
        repeated_header_separator=",",
        keeps_repeated_query_values=False,
        keeps_every_cookie=False,
        break_event=_corrupt("raw_path", value="items", problem="'raw_path' is missing or not an absolute path"),
    ),
    SourceCase(
        "lattice-v2",
        "VPCLatticeV2Resolver",
        repeated_header_separator=", ",
        header_lists=True,
        joins_repeated_query_values=True,
        keeps_every_cookie=False,
        break_event=_corrupt("path", value="items", problem="'path' is missing or not an absolute path"),
    ),
    SourceCase(
        "bedrock",
        "BedrockAgentResolver",
        response_headers=False,
        request_headers=False,
        raw_request_body=False,
        base64_request_body=False,
        binary_response_body=False,
        keeps_repeated_query_values=False,
        joins_repeated_query_values=True,
        break_event=_corrupt("apiPath", value="claims", problem="'apiPath' is missing or not an absolute path"),
    ),
    SourceCase(
        "edge",
        third_party=True,
        base64_flag=lambda raw: raw.get("bodyEncoding") == "base64",
        repeated_header_separator=", ",
        multi_value_response_headers=True,
        break_event=_corrupt(
            "Records", 0, "cf", "request", "uri", value="items", problem="'uri' is missing or not an absolute path"
        ),
        non_object_problem="'Records[0].cf.request' is missing",
    ),
]


def supporting(capability: str) -> list[SourceCase]:
    """The cases whose source has ``capability`` (a boolean field of :class:`SourceCase`).

    A shared test that needs what some source cannot do is parametrised with
    ``@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)``:
    the sources left out are named in the field's comment, not skipped at run time.
    """
    return [case for case in CASES if getattr(case, capability)]
