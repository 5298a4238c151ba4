"""The VPC Lattice events of an HTTP request: the builders behind ``source.build_event``.

A Lattice target group sends payload version 1 or 2, chosen when it is
created, so each version has a builder (and a source) of its own:

- :func:`lattice_event`, version 1: snake_case field names, ``raw_path`` with
  the query string, repeated headers joined by commas and one decoded value
  per query parameter;
- :func:`lattice_v2_event`, version 2, in the shape AWS documents: headers and
  decoded query parameters as lists of values, and a request context naming
  the service network, service and target group, the caller and the time.

In both, header names are lower case, the service adds the caller's address
in ``x-forwarded-for``, and binary bodies are base64-encoded.
"""

from __future__ import annotations

from typing import Any

from kernel.plugin_api import HttpRequest, flag_option

REGION = "us-east-2"
ACCOUNT = "123456789012"
SERVICE_HOST = f"test-lambda-service-3908sdf9u3u.dkfjd93.vpc-lattice-svcs.{REGION}.on.aws"
_ARN = f"arn:aws:vpc-lattice:{REGION}:{ACCOUNT}"
SOURCE_VPC_ARN = f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc/vpc-0b8276c84697e7339"


def lattice_event(request: HttpRequest, *, base64_flag_as_text: bool | str = False, **_: Any) -> dict[str, Any]:
    """Build the VPC Lattice payload version 1 event of ``request``.

    :param base64_flag_as_text: send ``is_base64_encoded`` as the text
        ``"true"``/``"false"``, as the service sometimes does (``True``, or
        the text ``"true"``/``"1"`` as ``kernel serve`` passes it).
    """
    query = request.query_lists()
    body, is_base64 = request.encoded_body()
    return {
        "raw_path": f"{request.path}?{request.query_string}" if request.query_string else request.path,
        "method": request.method,
        # Version 1 joins the values of a repeated header with commas.
        "headers": {name: ",".join(values) for name, values in _headers(request).items()},
        "query_string_parameters": {name: values[-1] for name, values in query.items()},
        "body": body,
        "is_base64_encoded": ("true" if is_base64 else "false")
        if flag_option("base64_flag_as_text", base64_flag_as_text)
        else is_base64,
    }


def lattice_v2_event(request: HttpRequest, **_: Any) -> dict[str, Any]:
    """Build the VPC Lattice payload version 2 event of ``request``, from a caller authenticated with IAM."""
    body, is_base64 = request.encoded_body()
    return {
        "version": "2.0",
        "path": request.path,
        "method": request.method,
        "headers": _headers(request),
        "queryStringParameters": request.query_lists(),
        "body": body,
        "isBase64Encoded": is_base64,
        "requestContext": {
            "serviceNetworkArn": f"{_ARN}:servicenetwork/sn-0bf3f2882e9cc805a",
            "serviceArn": f"{_ARN}:service/svc-0a40eebed65f8d69c",
            "targetGroupArn": f"{_ARN}:targetgroup/tg-6d0ecf831eec9f09",
            "identity": {
                "sourceVpcArn": SOURCE_VPC_ARN,
                "type": "AWS_IAM",
                "principal": f"arn:aws:sts::{ACCOUNT}:assumed-role/example-role/057d00f8b51257ba3c853a0f248943cf",
                "sessionName": "057d00f8b51257ba3c853a0f248943cf",
                "x509SanDns": "example.com",
            },
            "region": REGION,
            # Lattice sends microseconds since the epoch, as a string.
            "timeEpoch": str(int(request.now * 1_000_000)),
        },
    }


def _headers(request: HttpRequest) -> dict[str, list[str]]:
    """The request's headers as Lattice forwards them: lower-case names, the caller's address added if missing."""
    headers = request.header_lists(lower=True)
    headers.setdefault("host", [SERVICE_HOST])
    headers.setdefault("x-forwarded-for", [request.source_ip])
    return headers
