"""HTTP requests as Lambda Function URL events, for ``kernel serve`` and :class:`kernel.asgi.ASGIAdapter`.

A function URL sends the HTTP API payload 2.0, so the event is built by the
``http`` plugin's :mod:`kernel_http.local` and then given what tells a
function URL apart: the account is ``anonymous`` (no IAM auth) and the domain
is a ``lambda-url`` one, which is how an unpinned ``App()`` recognises it.
"""

from __future__ import annotations

from typing import Any

from kernel_http.local import event_from_http as _payload_v2_event

from kernel.asgi import read_response

URL_ID = "kernellocal"
DOMAIN = f"{URL_ID}.lambda-url.us-east-1.on.aws"


def event_from_http(
    method: str,
    path: str,
    query_string: bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    **kwargs: Any,
) -> dict[str, Any]:
    """Build the function URL event of one HTTP request (see :mod:`kernel.asgi` for the parameters)."""
    event = _payload_v2_event(method, path, query_string, headers, body, **kwargs)
    context = event["requestContext"]
    context["accountId"] = "anonymous"
    context["apiId"] = URL_ID
    context["domainName"] = DOMAIN
    context["domainPrefix"] = URL_ID
    return event


def http_from_response(response: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Read a function URL response dict: ``headers``, ``cookies`` as ``Set-Cookie``, base64 bodies."""
    return read_response(response)
