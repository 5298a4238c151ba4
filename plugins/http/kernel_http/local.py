"""HTTP requests as HTTP API events (payload 2.0), for ``kernel serve`` and :class:`kernel.asgi.ASGIAdapter`.

The event is the one an HTTP API sends from its ``$default`` route: the raw
path and query string, header names in lower case with repeated headers
joined by commas, cookies moved out of the headers into ``cookies``, decoded
query parameters (repeated ones joined by commas), and a request context
with ids, the stage and the caller's address. Bodies of non-text content
types arrive base64-encoded, as HTTP APIs send them.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import unquote

from kernel.asgi import cookie_values, encode_body, header_pairs, query_pairs, read_response


def event_from_http(
    method: str,
    path: str,
    query_string: bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    *,
    request_id: str = "JKJaXmPLvHcESHA=",
    source_ip: str = "127.0.0.1",
    **_: Any,
) -> dict[str, Any]:
    """Build the HTTP API event of one HTTP request (see :mod:`kernel.asgi` for the parameters)."""
    pairs = header_pairs(headers)
    joined: dict[str, str] = {}
    for name, value in pairs:
        if name != "cookie":
            joined[name] = f"{joined[name]},{value}" if name in joined else value
    query: dict[str, str] = {}
    for name, value in query_pairs(query_string):
        query[name] = f"{query[name]},{value}" if name in query else value
    host = joined.get("host", "localhost")
    now = time.time()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query_string.decode("ascii"),
        "headers": joined,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": host,
            "domainPrefix": host.split(".")[0],
            "http": {
                "method": method,
                "path": unquote(path),
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": joined.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    cookies = cookie_values(pairs)
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if body:
        event["body"], event["isBase64Encoded"] = encode_body(body, joined.get("content-type"))
    return event


def http_from_response(response: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Read an HTTP API response dict: ``headers``, ``cookies`` as ``Set-Cookie``, base64 bodies."""
    return read_response(response)
