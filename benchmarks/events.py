"""Lambda events for the benchmarks, built by the source plugins' own builders.

Every workload hands both libraries the very same event dict. The events carry
a realistic request context and headers, since parsing them is part of what a
handler pays for on every request. They come from the builders each kernel
source plugin declares (the ones behind ``kernel.testing.Client`` and
``kernel serve``), fed the headers a browser sends.
"""

from __future__ import annotations

import json
from typing import Any

_HEADERS = {
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate, br",
    "Host": "abcdef1234.execute-api.eu-west-1.amazonaws.com",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
    "X-Amzn-Trace-Id": "Root=1-6564c6b2-1c2f0a4b5d6e7f8091a2b3c4",
    "X-Forwarded-For": "198.51.100.23",
    "X-Forwarded-Port": "443",
    "X-Forwarded-Proto": "https",
}
Headers = dict[str, str] | None
_REQUEST = {"request_id": "7d5f0c2e-9a1b-4c3d-8e7f-0a1b2c3d4e5f", "source_ip": "198.51.100.23"}


def _event(plugin: str, method: str, path: str, headers: Any, query: Any, body: Any, **options: Any) -> dict[str, Any]:
    from kernel import plugins

    ((_, source),) = plugins.load([plugin])
    text = body if body is None or isinstance(body, str) else json.dumps(body)
    return source.event(method, path, headers={**_HEADERS, **(headers or {})}, query=query, body=text, **_REQUEST, **options)


def rest_event(
    method: str, path: str, headers: Headers = None, query: Headers = None, body: Any = None, resource: str | None = None
) -> dict[str, Any]:
    """An API Gateway REST API proxy event (payload 1.0) for ``method path``, on the ``prod`` stage.

    ``resource`` is the API's resource template the request matched
    (``/users/{user_id}``); the path by default. Chalice routes by it.
    """
    return _event("rest", method, path, headers, query, body, stage="prod", resource=resource or path)


def rest_multipart_event(
    path: str, parts: list[tuple[str, str | None, bytes]], boundary: str = "bench7MA4YWxk"
) -> dict[str, Any]:
    """A REST API POST of a ``multipart/form-data`` body of ``(name, filename, content)`` parts.

    Base64-encoded, as API Gateway sends it when the API lists
    multipart/form-data among its binary media types.
    """
    from kernel import plugins

    body = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        kind = "Content-Type: application/octet-stream\r\n" if filename else ""
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n{kind}\r\n".encode() + content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    ((_, source),) = plugins.load(["rest"])
    headers = {**_HEADERS, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    return source.event("POST", path, headers=headers, body=body, is_base64=True, stage="prod", resource=path, **_REQUEST)


def http_event(method: str, path: str, headers: Headers = None, query: Headers = None, body: Any = None) -> dict[str, Any]:
    """An API Gateway HTTP API event (payload 2.0) for ``method path``."""
    return _event("http", method, path, headers, query, body)


def alb_event(method: str, path: str, headers: Headers = None, query: Headers = None, body: Any = None) -> dict[str, Any]:
    """An Application Load Balancer target event (single-value headers) for ``method path``."""
    return _event("alb", method, path, headers, query, body)


def function_call(function: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """A Bedrock agent's call of ``function`` with typed ``parameters`` (an action group with function details)."""
    from kernel_bedrock_function import function_event

    return function_event(function, parameters, session_attributes={"user": "ana"})


class LambdaContext:
    """The few attributes of the Lambda context object handlers commonly read."""

    function_name = "bench"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    memory_limit_in_mb = 512
    aws_request_id = "7d5f0c2e-9a1b-4c3d-8e7f-0a1b2c3d4e5f"
    log_group_name = "/aws/lambda/bench"
    log_stream_name = "2026/11/25/[$LATEST]0123456789abcdef"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000
