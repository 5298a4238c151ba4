"""HTTP requests as Application Load Balancer events, for ``kernel serve`` and :class:`kernel.asgi.ASGIAdapter`.

The event is the one a load balancer sends to a Lambda target group. As the
load balancer does, it passes query parameters exactly as sent (not
percent-decoded), lower-cases header names, and base64-encodes binary
bodies. A target group either has multi-value headers off (the default: one
value per header and parameter, the last one) or on (``multiValueHeaders``
and ``multiValueQueryStringParameters`` with every value).
"""

from __future__ import annotations

from typing import Any

from kernel.asgi import encode_body, header_pairs, query_pairs, read_response

TARGET_GROUP_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/kernel-local/0123456789abcdef"


def event_from_http(
    method: str,
    path: str,
    query_string: bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    *,
    multi_value: bool | str = False,
    **_: Any,
) -> dict[str, Any]:
    """Build the ALB event of one HTTP request (see :mod:`kernel.asgi` for the parameters).

    :param multi_value: emulate a target group with multi-value headers on
        (``True`` or the text ``"true"``/``"1"``, as ``kernel serve`` passes it).
    """
    multi_headers: dict[str, list[str]] = {}
    for name, value in header_pairs(headers):
        multi_headers.setdefault(name, []).append(value)
    multi_query: dict[str, list[str]] = {}
    for name, value in query_pairs(query_string, decode=False):
        multi_query.setdefault(name, []).append(value)
    content_type = multi_headers.get("content-type", [None])[-1]
    text, is_base64 = encode_body(body, content_type) if body else ("", False)
    event: dict[str, Any] = {
        "requestContext": {"elb": {"targetGroupArn": TARGET_GROUP_ARN}},
        "httpMethod": method,
        "path": path,
    }
    if _flag(multi_value):
        event["multiValueQueryStringParameters"] = multi_query
        event["multiValueHeaders"] = multi_headers
    else:
        event["queryStringParameters"] = {name: values[-1] for name, values in multi_query.items()}
        event["headers"] = {name: values[-1] for name, values in multi_headers.items()}
    event["body"] = text
    event["isBase64Encoded"] = is_base64
    return event


def _flag(value: bool | str) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def http_from_response(response: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Read an ALB response dict: ``headers`` or ``multiValueHeaders``, base64 bodies."""
    return read_response(response)
