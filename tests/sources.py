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

    def app(self, **kwargs: Any) -> Any:
        import kernel

        kwargs.setdefault("plugins", [self.name, *self.plugins])
        return getattr(kernel, self.resolver)(**kwargs)

    def __str__(self) -> str:
        return self.name


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


CASES: list[SourceCase] = [
    SourceCase("rest", "APIGatewayRestResolver", events.rest_event, read_multi_value),
]
