"""The reference API's resolver classes: apps pinned to one event source.

Each is an :class:`~kernel.app.ApiGatewayResolver` whose source is fixed; the
source's behaviour comes from its plugin (``pip install kernel[alb]`` for
``ALBResolver``...). Building one without its plugin installed raises
:class:`~kernel.exceptions.PluginNotFoundError` naming the extra.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from kernel.app import ApiGatewayResolver
from kernel.sources import ProxyEventType


class _PinnedResolver(ApiGatewayResolver):
    _proxy: ProxyEventType

    def __init__(
        self,
        cors: Any = None,
        debug: bool | None = None,
        serializer: Callable[[Any], str] | None = None,
        strip_prefixes: list[str | re.Pattern[str]] | None = None,
        enable_validation: bool = False,
        *,
        plugins: Sequence[str | object] | None = None,
    ) -> None:
        super().__init__(self._proxy, cors, debug, serializer, strip_prefixes, enable_validation, plugins=plugins)


class APIGatewayRestResolver(_PinnedResolver):
    """API Gateway REST APIs (payload format 1.0); routes ignore trailing slashes."""

    _proxy = ProxyEventType.APIGatewayProxyEvent
    strip_trailing_slashes = True


class APIGatewayHttpResolver(_PinnedResolver):
    """API Gateway HTTP APIs (payload format 2.0)."""

    _proxy = ProxyEventType.APIGatewayProxyEventV2


class ALBResolver(_PinnedResolver):
    """Application Load Balancer targets."""

    _proxy = ProxyEventType.ALBEvent


class LambdaFunctionUrlResolver(_PinnedResolver):
    """Lambda Function URLs."""

    _proxy = ProxyEventType.LambdaFunctionUrlEvent


class VPCLatticeResolver(_PinnedResolver):
    """VPC Lattice (payload version 1)."""

    _proxy = ProxyEventType.VPCLatticeEvent


class VPCLatticeV2Resolver(_PinnedResolver):
    """VPC Lattice (payload version 2)."""

    _proxy = ProxyEventType.VPCLatticeEventV2


class BedrockAgentResolver(_PinnedResolver):
    """Bedrock Agent action groups."""

    _proxy = ProxyEventType.BedrockAgentEvent
