"""Lambda events for the benchmarks, shaped the way each service sends them.

Every workload hands both libraries the very same event dict. The events carry
a realistic request context and headers, since parsing them is part of what a
handler pays for on every request.
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


def _split_query(query: dict[str, str] | None) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    if not query:
        return None, None
    return dict(query), {name: [value] for name, value in query.items()}


def rest_event(
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: Any = None,
) -> dict[str, Any]:
    """An API Gateway REST API proxy event (payload 1.0) for ``method path``."""
    all_headers = {**_HEADERS, **(headers or {})}
    single_query, multi_query = _split_query(query)
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {name: [value] for name, value in all_headers.items()},
        "queryStringParameters": single_query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "domainName": "abcdef1234.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "abcdef1234",
            "extendedRequestId": "P0cS7FhYDoEFfSw=",
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
                "sourceIp": "198.51.100.23",
                "user": None,
                "userAgent": all_headers["User-Agent"],
                "userArn": None,
            },
            "path": f"/prod{path}",
            "protocol": "HTTP/1.1",
            "requestId": "7d5f0c2e-9a1b-4c3d-8e7f-0a1b2c3d4e5f",
            "requestTime": "25/Nov/2026:21:00:00 +0000",
            "requestTimeEpoch": 1795640400000,
            "resourceId": "a1b2c3",
            "resourcePath": path,
            "stage": "prod",
        },
        "body": _body(body),
        "isBase64Encoded": False,
    }


def http_event(
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: Any = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API event (payload 2.0) for ``method path``."""
    all_headers = {name.lower(): value for name, value in {**_HEADERS, **(headers or {})}.items()}
    raw_query = "&".join(f"{name}={value}" for name, value in (query or {}).items())
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": all_headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "domainName": "abcdef1234.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "abcdef1234",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "198.51.100.23",
                "userAgent": all_headers["user-agent"],
            },
            "requestId": "P0cS7FhYDoEFfSw=",
            "routeKey": "$default",
            "stage": "$default",
            "time": "25/Nov/2026:21:00:00 +0000",
            "timeEpoch": 1795640400000,
        },
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = dict(query)
    if body is not None:
        event["body"] = _body(body)
    return event


def alb_event(
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: Any = None,
) -> dict[str, Any]:
    """An Application Load Balancer target event (single-value headers) for ``method path``."""
    all_headers = {name.lower(): value for name, value in {**_HEADERS, **(headers or {})}.items()}
    return {
        "requestContext": {
            "elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/bench/0123456789abcdef"}
        },
        "httpMethod": method,
        "path": path,
        "queryStringParameters": dict(query or {}),
        "headers": all_headers,
        # ALB always sends a body, empty when the request had none.
        "body": _body(body) or "",
        "isBase64Encoded": False,
    }


def _body(body: Any) -> str | None:
    if body is None or isinstance(body, str):
        return body
    return json.dumps(body)


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
