"""HTTP requests as REST API proxy events, for ``kernel serve`` and :class:`kernel.asgi.ASGIAdapter`.

The event is the one a REST API sends through a ``{proxy+}`` resource with
the Lambda proxy integration: single- and multi-value maps of headers and
query parameters (the single-value ones keep the last value), decoded query
parameters, and a request context with ids, the stage and the caller's
address. Binary bodies arrive base64-encoded, as when the API lists them as
binary media types.
"""

from __future__ import annotations

import time
from typing import Any

from kernel.asgi import encode_body, header_pairs, query_pairs, read_response

DEFAULT_STAGE = "$default"


def event_from_http(
    method: str,
    path: str,
    query_string: bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    *,
    request_id: str = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    source_ip: str = "127.0.0.1",
    stage: str = DEFAULT_STAGE,
    **_: Any,
) -> dict[str, Any]:
    """Build the REST API event of one HTTP request (see :mod:`kernel.asgi` for the parameters).

    :param stage: the stage name. With a real stage (``prod``) the request
        context's path starts with it, as when the API is called through its
        ``execute-api`` URL; the default ``$default`` stands for a custom
        domain mapped to the API, where the URL path is the routed path.
    """
    pairs = header_pairs(headers)
    multi_headers: dict[str, list[str]] = {}
    for name, value in pairs:
        multi_headers.setdefault(name, []).append(value)
    multi_query: dict[str, list[str]] = {}
    for name, value in query_pairs(query_string):
        multi_query.setdefault(name, []).append(value)
    host = multi_headers.get("host", ["localhost"])[-1]
    now = time.time()
    resource = "/" if path == "/" else "/{proxy+}"
    if body:
        text, is_base64 = encode_body(body, multi_headers.get("content-type", [None])[-1])
    else:
        text, is_base64 = None, False
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": {name: values[-1] for name, values in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {name: values[-1] for name, values in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": None if path == "/" else {"proxy": path[1:]},
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": host,
            "domainPrefix": host.split(".")[0],
            "extendedRequestId": request_id[:16],
            "httpMethod": method,
            "identity": {
                "accessKey": None,
                "accountId": None,
                "caller": None,
                "cognitoAuthenticationProvider": None,
                "cognitoAuthenticationType": None,
                "cognitoIdentityId": None,
                "cognitoIdentityPoolId": None,
                "principalOrgId": None,
                "sourceIp": source_ip,
                "user": None,
                "userAgent": multi_headers.get("user-agent", [None])[-1],
                "userArn": None,
            },
            "path": path if stage == DEFAULT_STAGE else f"/{stage}{path}",
            "protocol": "HTTP/1.1",
            "requestId": request_id,
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "requestTimeEpoch": int(now * 1000),
            "resourceId": "local",
            "resourcePath": resource,
            "stage": stage,
        },
        "body": text,
        "isBase64Encoded": is_base64,
    }


def http_from_response(response: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Read a REST proxy response dict: ``multiValueHeaders`` merged over ``headers``, base64 bodies."""
    return read_response(response)
