"""HTTP translation of the test's third-party ``edge`` source."""

from __future__ import annotations

from typing import Any


def event_from_http(method: str, path: str, query_string: bytes, headers: Any, body: bytes, **kwargs: Any) -> dict[str, Any]:
    if method == "TRACE":
        raise ValueError("edge events cannot carry TRACE requests")
    if method == "CONNECT":
        raise RuntimeError("a bug in the source")
    return {"edge": {"verb": method, "uri": path, "payload": body.decode(), "id": kwargs["request_id"]}}


def http_from_response(response: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    return response["code"], [("X-Edge", "1")], str(response["text"]).encode()
