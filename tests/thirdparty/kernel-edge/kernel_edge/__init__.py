"""CloudFront Lambda@Edge requests (origin and viewer requests) as a kernel event source.

Registered under the entry point ``edge`` (``edge = "kernel_edge:source"``):
``App(source="edge")`` serves only these events, and an unpinned ``App()``
recognises them by their ``Records[0].cf.request`` object. Its event builder
lets ``kernel serve`` and the test client drive an app with HTTP requests.
"""

from __future__ import annotations

import base64
import binascii
from functools import cached_property
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, parse_qsl

from kernel.plugin_api import BaseRequest, EventPart, HttpRequest, Response, Source, encoded_body, field, multi_value_headers

__all__ = ["CloudFrontRequest", "EdgeRequest", "edge_event", "source"]


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


def is_edge_event(event: Any) -> bool:
    """Whether ``event`` has the shape of a Lambda@Edge event."""
    return cf_request(event) is not None


def check_edge_event(event: Any) -> str | None:
    """Return what makes a Lambda@Edge event malformed, or None when routing can rely on it."""
    request = cf_request(event)
    if request is None:
        return "'Records[0].cf.request' is missing"
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


class CloudFrontRequest(EventPart):
    """``Records[0].cf.request``: the request as CloudFront passes it on."""

    client_ip = field("clientIp")
    method = field("method")
    uri = field("uri")
    querystring = field("querystring", default="")
    headers = field("headers", default={}, doc="Headers by lower-case name, each a list of ``{key, value}``.")
    body_data = field("body", "data")
    body_encoding = field("body", "encoding")


class EdgeRequest(BaseRequest):
    """A request CloudFront sends to its origin through Lambda@Edge, as ``app.current_event``."""

    @cached_property
    def cf_request(self) -> CloudFrontRequest:
        """The ``Records[0].cf.request`` object."""
        return CloudFrontRequest(cf_request(self._data))

    @property
    def client_ip(self) -> str | None:
        """The viewer's address."""
        return self.cf_request.client_ip

    @property
    def http_method(self) -> str:
        return self.cf_request.method

    @property
    def path(self) -> str:
        return self.cf_request.uri

    @cached_property
    def headers(self) -> dict[str, str]:
        # CloudFront keys headers by lower-case name, each with a list of values.
        return {name: ", ".join(item["value"] for item in items) for name, items in self.cf_request.headers.items()}

    @cached_property
    def query_string_parameters(self) -> dict[str, str] | None:
        return dict(parse_qsl(self.cf_request.querystring, keep_blank_values=True)) or None

    @cached_property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        return parse_qs(self.cf_request.querystring, keep_blank_values=True)

    @property
    def body(self) -> str | None:
        return self.cf_request.body_data

    @property
    def is_base64_encoded(self) -> bool:
        return self.cf_request.body_encoding == "base64"


def edge_response(app: Any, request: EdgeRequest, response: Response[Any]) -> dict[str, Any]:
    """The Lambda@Edge response: status as text, headers in CloudFront's list form."""
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


def read_edge_response(response: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """Read a Lambda@Edge response back into its status, header pairs and body bytes.

    Raises :class:`ValueError` for a response CloudFront would refuse.
    """
    status = response.get("status") if type(response) is dict else None
    if type(status) is not str or not status.isdigit():
        raise ValueError(f"The response has no valid status: {status!r}")
    headers = response.get("headers", {})
    if type(headers) is not dict:
        raise ValueError("The response headers are not an object")
    pairs: list[tuple[str, str]] = []
    for name, items in headers.items():
        if type(items) is not list or not all(type(item) is dict and type(item.get("value")) is str for item in items):
            raise ValueError(f"The response header {name!r} is not a list of {{key, value}}")
        pairs.extend((item.get("key", name), item["value"]) for item in items)  # "key" is optional
    body = response.get("body", "")
    if type(body) is not str:
        raise ValueError("The response body is not a string")
    if response.get("bodyEncoding") != "base64":
        return int(status), pairs, body.encode("utf-8")
    try:
        return int(status), pairs, base64.b64decode(body, validate=True)
    except binascii.Error:
        raise ValueError("The response body is not valid base64") from None


# At most this much of a body reaches the function, by event type; CloudFront cuts the rest.
BODY_LIMITS = {"origin-request": 1024 * 1024, "viewer-request": 40 * 1024}
DISTRIBUTION = "d111111abcdef8.cloudfront.net"


def edge_event(request: HttpRequest, *, event_type: str = "origin-request", **_: Any) -> dict[str, Any]:
    """The event CloudFront sends for ``request`` to a function associated with ``event_type``.

    The association includes the body, so a body arrives base64-encoded, cut
    at CloudFront's limit. An origin request passes on every viewer header
    (an "all viewer" origin request policy), adds ``X-Forwarded-For`` and
    describes the origin; a viewer request is the viewer's request as sent.
    """
    if event_type not in BODY_LIMITS:
        raise ValueError(f"event_type is origin-request or viewer-request, not {event_type!r}")
    headers: dict[str, list[dict[str, str]]] = {}
    for name, value in request.headers:
        headers.setdefault(name.lower(), []).append({"key": name, "value": value})
    headers.setdefault("host", [{"key": "Host", "value": DISTRIBUTION}])
    cf: dict[str, Any] = {
        "clientIp": request.source_ip,
        "headers": headers,
        "method": request.method,
        "querystring": request.query_string,
        "uri": request.path,
    }
    if event_type == "origin-request":
        headers.setdefault("x-forwarded-for", [{"key": "X-Forwarded-For", "value": request.source_ip}])
        cf["origin"] = {
            "custom": {
                "customHeaders": {},
                "domainName": "example.org",
                "keepaliveTimeout": 5,
                "path": "",
                "port": 443,
                "protocol": "https",
                "readTimeout": 30,
                "sslProtocols": ["TLSv1.2"],
            }
        }
    if request.body:
        data = request.body[: BODY_LIMITS[event_type]]
        cf["body"] = {
            "action": "read-only",
            "data": base64.b64encode(data).decode("ascii"),
            "encoding": "base64",
            "inputTruncated": len(data) < len(request.body),
        }
    config = {
        "distributionDomainName": DISTRIBUTION,
        "distributionId": "EDFDVBD6EXAMPLE",
        "eventType": event_type,
        "requestId": request.request_id,
    }
    return {"Records": [{"cf": {"config": config, "request": cf}}]}


source = Source(
    "edge",
    EdgeRequest,
    recognise=is_edge_event,
    check=check_edge_event,
    render=edge_response,
    build_event=edge_event,
    read_response=read_edge_response,
    options={"event_type": "origin-request (the default) or viewer-request"},
)
