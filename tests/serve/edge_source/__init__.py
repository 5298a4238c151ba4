"""A third-party event source for the tests: events are ``{"edge": {"verb", "uri", "payload", "id"}}``.

It declares an event builder and a response reader, so the ASGI adapter
serves it like a built-in source. Its builder refuses ``TRACE`` requests (a
request the service could not send, answered 400) and fails on ``CONNECT``
(a bug in the source, answered 502); its one option, ``region``, takes ``eu``
or ``us`` and refuses anything else with a ValueError.
"""

from __future__ import annotations

from typing import Any

from kernel.plugin_api import BaseRequest, HttpRequest, Response, Source

__all__ = ["EdgeRequest", "source"]


class EdgeRequest(BaseRequest):
    """An ``edge`` event, as ``app.current_event``."""

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


def is_edge_event(event: Any) -> bool:
    """Whether ``event`` is an ``edge`` event."""
    return type(event) is dict and "edge" in event


def check_edge_event(event: Any) -> str | None:
    """Nothing is checked: the tests only send well-formed events."""
    return None


def edge_response(app: Any, request: EdgeRequest, response: Response[Any]) -> dict[str, Any]:
    """The source's response dict: the status as ``code``, the body as ``text``."""
    return {"code": response.status_code, "text": response.body}


REGIONS = ("eu", "us")


def edge_event(request: HttpRequest, *, region: str = "us", **_: Any) -> dict[str, Any]:
    """The ``edge`` event of ``request``, from the edge location in ``region``."""
    if region not in REGIONS:
        raise ValueError(f"region is one of {', '.join(REGIONS)}, not {region!r}")
    if request.method == "TRACE":
        raise ValueError("edge events cannot carry TRACE requests")
    if request.method == "CONNECT":
        raise RuntimeError("a bug in the source")
    return {
        "edge": {
            "verb": request.method,
            "uri": request.path,
            "payload": request.body.decode(),
            "id": request.request_id,
            "region": region,
        }
    }


def read_edge_response(response: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """The status, one ``X-Edge`` header and the text of an ``edge`` response."""
    return response["code"], [("X-Edge", "1")], str(response["text"]).encode()


source = Source(
    "edge",
    EdgeRequest,
    recognise=is_edge_event,
    check=check_edge_event,
    render=edge_response,
    build_event=edge_event,
    read_response=read_edge_response,
    options={"region": "the edge location's region: eu or us (default us)"},
)
