"""A third-party event source for the tests: events are ``{"edge": {"verb", "uri", "payload"}}``.

It ships a ``local`` module, so the ASGI adapter serves it like a built-in source.
"""

from __future__ import annotations

from typing import Any

from kernel import hookimpl
from kernel.request import BaseRequest
from kernel.response import Response

plugin_name = "edge"


class EdgeRequest(BaseRequest):
    @property
    def http_method(self) -> str:
        return self._data["edge"]["verb"]

    @property
    def path(self) -> str:
        return self._data["edge"]["uri"]

    @property
    def headers(self) -> dict[str, str]:
        return {}

    @property
    def query_string_parameters(self) -> dict[str, str] | None:
        return None

    @property
    def body(self) -> str | None:
        return self._data["edge"]["payload"]

    @property
    def is_base64_encoded(self) -> bool:
        return False


@hookimpl
def parse_event(event: dict[str, Any]) -> EdgeRequest | None:
    return EdgeRequest(event) if "edge" in event else None


@hookimpl(trylast=True)
def build_response(request: BaseRequest, response: Response[Any]) -> dict[str, Any] | None:
    if not isinstance(request, EdgeRequest):
        return None
    return {"code": response.status_code, "text": response.body}
