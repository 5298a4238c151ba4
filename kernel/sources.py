"""The event sources the reference API names, and the plugin serving each.

This table is the kernel's only knowledge of the built-in sources: it maps the
compatibility names (``ProxyEventType``, the resolver classes) to plugin names.
What a source does lives entirely in its plugin, and a third-party source is
used by plugin name (``App(source="edge")``) without appearing here.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class ProxyEventType(Enum):
    """The event sources of the reference API."""

    APIGatewayProxyEvent = "APIGatewayProxyEvent"
    APIGatewayProxyEventV2 = "APIGatewayProxyEventV2"
    ALBEvent = "ALBEvent"
    BedrockAgentEvent = "BedrockAgentEvent"
    VPCLatticeEvent = "VPCLatticeEvent"
    VPCLatticeEventV2 = "VPCLatticeEventV2"
    LambdaFunctionUrlEvent = "LambdaFunctionUrlEvent"


PLUGIN_FOR = {
    ProxyEventType.APIGatewayProxyEvent: "rest",
    ProxyEventType.APIGatewayProxyEventV2: "http",
    ProxyEventType.ALBEvent: "alb",
    ProxyEventType.BedrockAgentEvent: "bedrock",
    ProxyEventType.VPCLatticeEvent: "lattice",
    ProxyEventType.VPCLatticeEventV2: "lattice",
    ProxyEventType.LambdaFunctionUrlEvent: "function-url",
}


def source_for(proxy_type: Any) -> str:
    """The plugin name serving ``proxy_type`` (a ProxyEventType or a plugin name)."""
    if isinstance(proxy_type, ProxyEventType):
        return PLUGIN_FOR[proxy_type]
    if isinstance(proxy_type, str):
        return proxy_type
    raise TypeError(f"proxy_type must be a ProxyEventType or a plugin name, not {proxy_type!r}")
