"""The Application Load Balancer event of an HTTP request: the builder behind ``source.build_event``.

The event is the one a load balancer sends to a Lambda target group behind
an HTTPS listener. As the load balancer does, it lower-cases header names,
adds the ``x-forwarded-*`` and ``x-amzn-trace-id`` headers (unless the
request states them), passes query parameters exactly as sent (not
percent-decoded), sends an empty body rather than none, and base64-encodes
binary bodies. A target group either has
multi-value headers off (the default: one value per header and parameter, the
last one) or on (``multiValueHeaders`` and ``multiValueQueryStringParameters``
with every value).
"""

from __future__ import annotations

import hashlib
from typing import Any

from kernel.plugin_api import HttpRequest, flag_option

TARGET_GROUP_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/kernel-local/0123456789abcdef"
LOAD_BALANCER_HOST = "kernel-local-123578498.us-east-1.elb.amazonaws.com"


def alb_event(request: HttpRequest, *, multi_value: bool | str = False, **_: Any) -> dict[str, Any]:
    """Build the ALB event of ``request``.

    :param multi_value: emulate a target group with multi-value headers on
        (``True``, or the text ``"true"``/``"1"`` as ``kernel serve`` passes it).
    """
    headers = _headers(request)
    query = request.query_lists(decode=False)
    body, is_base64 = request.encoded_body()
    event: dict[str, Any] = {
        "requestContext": {"elb": {"targetGroupArn": TARGET_GROUP_ARN}},
        "httpMethod": request.method,
        "path": request.path,
    }
    if flag_option("multi_value", multi_value):
        event["multiValueQueryStringParameters"] = query
        event["multiValueHeaders"] = headers
    else:
        # In single-value mode ALB keeps the last value of a repeated name.
        event["queryStringParameters"] = {name: values[-1] for name, values in query.items()}
        event["headers"] = {name: values[-1] for name, values in headers.items()}
    # ALB sends an empty body rather than none.
    event["body"] = body or ""
    event["isBase64Encoded"] = is_base64
    return event


def _headers(request: HttpRequest) -> dict[str, list[str]]:
    """The request's headers as the load balancer forwards them (lower-case names).

    The headers the load balancer adds (the client's address, its HTTPS
    listener's port and protocol, a trace id) are added when the request does
    not already carry them, so a test can state them, as a proxy in front would.
    """
    headers = request.header_lists(lower=True)
    headers.setdefault("host", [LOAD_BALANCER_HOST])
    headers.setdefault("x-forwarded-for", [request.source_ip])
    headers.setdefault("x-forwarded-port", ["443"])
    headers.setdefault("x-forwarded-proto", ["https"])
    headers.setdefault("x-amzn-trace-id", [_trace_id(request)])
    return headers


def _trace_id(request: HttpRequest) -> str:
    """An X-Ray trace id (``Root=1-<epoch seconds in hex>-<24 hex digits>``), stable for one request."""
    digits = hashlib.sha256(request.request_id.encode()).hexdigest()[:24]
    return f"Root=1-{int(request.now):08x}-{digits}"
