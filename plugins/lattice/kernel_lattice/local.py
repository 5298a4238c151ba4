"""HTTP requests as VPC Lattice events, for ``kernel serve`` and :class:`kernel.asgi.ASGIAdapter`.

Payload version 2.0 by default (``VPCLatticeV2Resolver``, and ``App``), in
the shape AWS documents: headers and decoded query parameters as lists of
values, and a request context naming the service network, service and target
group. Version 1.0 (``VPCLatticeResolver``, or the option ``version="1.0"``)
has snake-case field names, ``raw_path`` with the query string, repeated
headers joined by commas and one value per query parameter. In both, binary
bodies are base64-encoded.
"""

from __future__ import annotations

import time
from typing import Any

from kernel.asgi import encode_body, header_pairs, query_pairs, read_response

_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012"


def event_from_http(
    method: str,
    path: str,
    query_string: bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    *,
    app: Any = None,
    version: str | None = None,
    **_: Any,
) -> dict[str, Any]:
    """Build the VPC Lattice event of one HTTP request (see :mod:`kernel.asgi` for the parameters).

    :param version: ``"2.0"`` or ``"1.0"``; by default ``"1.0"`` for a
        ``VPCLatticeResolver`` app and ``"2.0"`` otherwise.
    """
    if version is None:
        from kernel import VPCLatticeResolver

        version = "1.0" if isinstance(app, VPCLatticeResolver) else "2.0"
    if version not in {"1.0", "2.0"}:
        raise ValueError(f"Unknown VPC Lattice payload version {version!r} (use 1.0 or 2.0)")
    multi_headers: dict[str, list[str]] = {}
    for name, value in header_pairs(headers):
        multi_headers.setdefault(name, []).append(value)
    joined = {name: ",".join(values) for name, values in multi_headers.items()}
    multi_query: dict[str, list[str]] = {}
    for name, value in query_pairs(query_string):
        multi_query.setdefault(name, []).append(value)
    text, is_base64 = encode_body(body, joined.get("content-type")) if body else ("", False)
    raw_query = query_string.decode("ascii")
    if version == "1.0":
        return {
            "raw_path": f"{path}?{raw_query}" if raw_query else path,
            "method": method,
            "headers": joined,
            "query_string_parameters": {name: values[-1] for name, values in multi_query.items()},
            "body": text,
            "is_base64_encoded": is_base64,
        }
    return {
        "version": "2.0",
        "path": path,
        "method": method,
        "headers": multi_headers,
        "queryStringParameters": multi_query,
        "body": text,
        "isBase64Encoded": is_base64,
        "requestContext": {
            "serviceNetworkArn": f"{_ARN}:servicenetwork/sn-0123456789abcdef0",
            "serviceArn": f"{_ARN}:service/svc-0123456789abcdef0",
            "targetGroupArn": f"{_ARN}:targetgroup/tg-0123456789abcdef0",
            "identity": {"sourceVpcArn": "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0", "type": "NONE"},
            "region": "us-east-1",
            # Lattice sends microseconds since the epoch, as a string.
            "timeEpoch": str(int(time.time() * 1_000_000)),
        },
    }


def http_from_response(response: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Read a VPC Lattice response dict: ``headers`` (and ``cookies``), base64 bodies."""
    return read_response(response)
