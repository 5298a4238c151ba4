"""CloudFront Lambda@Edge origin requests as a kernel event source.

Registered under the entry point ``edge``: ``App(source="edge")`` serves only
these events, and an unpinned ``App()`` recognises them by their
``Records[0].cf.request`` object.
"""

from __future__ import annotations

from functools import cached_property
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, parse_qsl

from kernel import BaseRequest, Response, hookimpl
from kernel.response import encoded_body, multi_value_headers

__all__ = ["EdgeRequest"]

# The name the app registers the module under when it is passed as an object,
# App(plugins=[kernel_edge]); installed, the entry point's name is used.
plugin_name = "edge"


def cf_request(event: Any) -> dict[str, Any] | None:
    """The ``Records[0].cf.request`` object of a Lambda@Edge event, or None for other shapes."""
    # Cheap checks only: an unpinned app asks every source about every event.
    if type(event) is not dict:
        return None
    records = event.get("Records")
    if type(records) is not list or not records or type(records[0]) is not dict:
        return None
    cf = records[0].get("cf")
    request = cf.get("request") if type(cf) is dict else None
    return request if type(request) is dict else None


def check_request(request: dict[str, Any]) -> str | None:
    """Return what makes a CloudFront request malformed, or None when routing can rely on it."""
    method = request.get("method")
    if type(method) is not str or not method:
        return "'method' is missing or not a string"
    uri = request.get("uri")
    if type(uri) is not str or uri[:1] != "/":
        return "'uri' is missing or not an absolute path"
    if type(request.get("querystring", "")) is not str:
        return "'querystring' is not a string"
    headers = request.get("headers", {})
    if type(headers) is not dict or not all(
        type(items) is list and all(type(item) is dict and type(item.get("value")) is str for item in items)
        for items in headers.values()
    ):
        return "'headers' is not a map of [{key, value}] lists"
    body = request.get("body")
    if body is not None and (type(body) is not dict or type(body.get("data", "")) is not str):
        return "'body' is not an object with a 'data' string"
    return None


class EdgeRequest(BaseRequest):
    """A request CloudFront sends to its origin through Lambda@Edge, as ``app.current_event``."""

    def __init__(self, event: dict[str, Any], request: dict[str, Any]) -> None:
        super().__init__(event)
        self._request = request

    @property
    def cf_request(self) -> dict[str, Any]:
        """The raw ``Records[0].cf.request`` object."""
        return self._request

    @property
    def client_ip(self) -> str | None:
        return self._request.get("clientIp")

    @property
    def http_method(self) -> str:
        return self._request["method"]

    @property
    def path(self) -> str:
        return self._request["uri"]

    @cached_property
    def headers(self) -> dict[str, str]:
        # CloudFront keys headers by lower-case name, each with a list of values.
        return {name: ", ".join(item["value"] for item in items) for name, items in self._request.get("headers", {}).items()}

    @cached_property
    def query_string_parameters(self) -> dict[str, str] | None:
        return dict(parse_qsl(self._request.get("querystring", ""), keep_blank_values=True)) or None

    @cached_property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        return parse_qs(self._request.get("querystring", ""), keep_blank_values=True)

    @property
    def body(self) -> str | None:
        return (self._request.get("body") or {}).get("data")

    @property
    def is_base64_encoded(self) -> bool:
        return (self._request.get("body") or {}).get("encoding") == "base64"


@hookimpl
def parse_event(app: Any, event: dict[str, Any]) -> EdgeRequest | None:
    """Wrap Lambda@Edge events; when the app is pinned to ``edge``, reject anything malformed."""
    request = cf_request(event)
    if request is None:
        if app.source != "edge":
            return None
        return EdgeRequest({}, {}).reject("Malformed event: 'Records[0].cf.request' is missing")  # type: ignore[return-value]
    problem = check_request(request)
    if problem is not None:
        return EdgeRequest(event, {}).reject(f"Malformed event: {problem}")  # type: ignore[return-value]
    return EdgeRequest(event, request)


@hookimpl(trylast=True)
def build_response(request: BaseRequest, response: Response[Any]) -> dict[str, Any] | None:
    """The Lambda@Edge response: status as text, headers in CloudFront's list form."""
    if type(request) is not EdgeRequest:
        return None  # another source's request: its own plugin answers
    headers: dict[str, list[dict[str, str]]] = {}
    for name, values in multi_value_headers(response).items():  # cookies arrive as Set-Cookie values
        headers.setdefault(name.lower(), []).extend({"key": name, "value": value} for value in values)
    try:
        description = HTTPStatus(response.status_code).phrase
    except ValueError:
        description = ""
    result: dict[str, Any] = {"status": str(response.status_code), "statusDescription": description, "headers": headers}
    body, is_base64 = encoded_body(response)
    if body is not None:
        result["body"] = body
        result["bodyEncoding"] = "base64" if is_base64 else "text"
    return result
