"""Event sources as the shared behavioural suite sees them.

Each :class:`SourceCase` knows how to build an app pinned to its source, how
to make a realistic event for a method/path/headers/query/body, and how to
read the response dict back into status, headers and body. A new source joins
the suite in ``tests/behaviour`` by adding its case to :data:`CASES`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from tests import events


@dataclass(frozen=True)
class Reply:
    """A response dict, read back: status, headers (lower-case names, list values), body."""

    status: int
    headers: dict[str, list[str]]
    body: str
    raw: dict[str, Any]

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return None if not values else ", ".join(values)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class SourceCase:
    name: str  # the plugin name
    resolver: str  # the attribute of `kernel` pinned to this source
    make_event: Callable[..., dict[str, Any]]
    read: Callable[[dict[str, Any]], Reply]
    plugins: tuple[str, ...] = ()
    # Capabilities a test can require with `supporting(...)`; a source without one sits that test out.
    response_headers: bool = True  # the response dict carries arbitrary headers (Bedrock Agent: no headers)
    label: str = ""  # the test id, when one plugin serves several cases (ALB modes, Lattice versions)

    def app(self, **kwargs: Any) -> Any:
        import kernel

        kwargs.setdefault("plugins", [self.name, *self.plugins])
        return getattr(kernel, self.resolver)(**kwargs)

    def __str__(self) -> str:
        return self.label or self.name


def _decode(body: str | None, is_base64: bool) -> str:
    if body is None:
        return ""
    return base64.b64decode(body).decode("latin-1") if is_base64 else body


def read_multi_value(response: dict[str, Any]) -> Reply:
    """REST-style responses: ``multiValueHeaders`` (and possibly ``headers``)."""
    headers: dict[str, list[str]] = {}
    for name, value in (response.get("headers") or {}).items():
        headers.setdefault(name.lower(), []).append(value)
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers[name.lower()] = list(values)
    return Reply(response["statusCode"], headers, _decode(response.get("body"), response.get("isBase64Encoded", False)), response)


def read_single_value(response: dict[str, Any]) -> Reply:
    """Payload 2.0 responses (HTTP API, Function URL): one string per header, a ``cookies`` list."""
    headers: dict[str, list[str]] = {name.lower(): [value] for name, value in (response.get("headers") or {}).items()}
    if response.get("cookies"):
        headers.setdefault("set-cookie", []).extend(response["cookies"])
    return Reply(response["statusCode"], headers, _decode(response.get("body"), response.get("isBase64Encoded", False)), response)


def read_bedrock(response: dict[str, Any]) -> Reply:
    """Bedrock Agent envelopes: the status, one media type (read as Content-Type) and a text body."""
    inner = response["response"]
    ((media_type, content),) = inner["responseBody"].items()
    return Reply(inner["httpStatusCode"], {"content-type": [media_type]}, content["body"], response)


CASES: list[SourceCase] = [
    SourceCase("rest", "APIGatewayRestResolver", events.rest_event, read_multi_value),
    SourceCase("http", "APIGatewayHttpResolver", events.http_event, read_single_value),
    SourceCase("function-url", "LambdaFunctionUrlResolver", events.function_url_event, read_single_value),
    SourceCase("alb", "ALBResolver", events.alb_event, read_single_value),
    SourceCase("alb", "ALBResolver", partial(events.alb_event, multi_value=True), read_multi_value, label="alb-multi-value"),
    SourceCase("lattice", "VPCLatticeResolver", events.lattice_event, read_single_value),
    SourceCase("lattice", "VPCLatticeV2Resolver", events.lattice_v2_event, read_single_value, label="lattice-v2"),
    SourceCase("bedrock", "BedrockAgentResolver", events.bedrock_event, read_bedrock, response_headers=False),
]


def supporting(capability: str) -> list[SourceCase]:
    """The cases whose source has ``capability`` (a boolean field of :class:`SourceCase`).

    A shared test that needs what some source cannot do is parametrised with
    ``@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)``:
    the sources left out are named in the field's comment, not skipped at run time.
    """
    return [case for case in CASES if getattr(case, capability)]
