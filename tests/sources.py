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


@dataclass(frozen=True)
class SourceCase:
    name: str  # the plugin name
    resolver: str = "App"  # the attribute of `kernel` that builds the app
    options: dict[str, Any] = field(default_factory=dict)  # the source's event options
    plugins: tuple[Any, ...] = ()  # more plugins the app needs
    # Capabilities a test can require with `supporting(...)`; a source without one sits that test out.
    response_headers: bool = True  # the response dict carries arbitrary headers (Bedrock Agent: no headers)
    label: str = ""  # the test id, when one plugin serves several cases (ALB modes)
    # Where the response dict says its body is base64-encoded.
    base64_flag: Callable[[dict[str, Any]], bool] = _proxy_base64_flag
    third_party: bool = False  # the source is the plugin object of tests/thirdparty, not an installed plugin

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
    SourceCase("rest", "APIGatewayRestResolver", {"stage": "prod"}),
    SourceCase("http", "APIGatewayHttpResolver"),
    SourceCase("function-url", "LambdaFunctionUrlResolver"),
    SourceCase("alb", "ALBResolver"),
    SourceCase("alb", "ALBResolver", {"multi_value": True}, label="alb-multi-value"),
    SourceCase("lattice", "VPCLatticeResolver"),
    SourceCase("lattice-v2", "VPCLatticeV2Resolver"),
    SourceCase("bedrock", "BedrockAgentResolver", response_headers=False),
    SourceCase("edge", third_party=True, base64_flag=lambda raw: raw.get("bodyEncoding") == "base64"),
]


def supporting(capability: str) -> list[SourceCase]:
    """The cases whose source has ``capability`` (a boolean field of :class:`SourceCase`).

    A shared test that needs what some source cannot do is parametrised with
    ``@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)``:
    the sources left out are named in the field's comment, not skipped at run time.
    """
    return [case for case in CASES if getattr(case, capability)]
