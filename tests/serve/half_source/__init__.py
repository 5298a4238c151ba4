"""A third-party event source that declares no event builder: it cannot be served over HTTP."""

from __future__ import annotations

from typing import Any

from kernel.plugin_api import BaseRequest, Response, Source

__all__ = ["source"]


class HalfRequest(BaseRequest):
    """A ``half`` event (never built: the source recognises none)."""


def half_response(app: Any, request: HalfRequest, response: Response[Any]) -> dict[str, Any]:
    """The source's response dict: its status only."""
    return {"status": response.status_code}


source = Source(
    "half",
    HalfRequest,
    recognise=lambda event: False,
    check=lambda event: None,
    render=half_response,
)
