"""Builders of realistic Lambda events, one per source, shaped as AWS documents them.

Each takes the parts a test cares about and fills in the rest the way the
service does (request context, multi-value twins of single-value fields...).
"""

from __future__ import annotations

import base64
import copy
from typing import Any

_REST_CONTEXT: dict[str, Any] = {
    "accountId": "123456789012",
    "apiId": "1234567890",
    "domainName": "1234567890.execute-api.us-east-1.amazonaws.com",
    "domainPrefix": "1234567890",
    "extendedRequestId": "LgLpnGeMIAMEF5w=",
    "httpMethod": "GET",
    "identity": {
        "accessKey": None,
        "accountId": None,
        "caller": None,
        "cognitoAuthenticationProvider": None,
        "cognitoAuthenticationType": None,
        "cognitoIdentityId": None,
        "cognitoIdentityPoolId": None,
        "principalOrgId": None,
        "sourceIp": "203.0.113.10",
        "user": None,
        "userAgent": "Mozilla/5.0",
        "userArn": None,
    },
    "path": "/prod/",
    "protocol": "HTTP/1.1",
    "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    "requestTime": "09/Apr/2015:12:34:56 +0000",
    "requestTimeEpoch": 1428582896000,
    "resourceId": "123456",
    "resourcePath": "/",
    "stage": "prod",
}


def _encode(body: str | bytes | None, is_base64: bool) -> str | None:
    if body is None:
        return None
    if is_base64:
        raw = body.encode() if isinstance(body, str) else body
        return base64.b64encode(raw).decode()
    return body if isinstance(body, str) else body.decode()


def rest_event(
    method: str = "GET",
    path: str = "/",
    headers: dict[str, str | list[str]] | None = None,
    query: dict[str, str | list[str]] | None = None,
    body: str | bytes | None = None,
    is_base64: bool = False,
    cookies: list[str] | None = None,
    stage: str = "prod",
    resource: str | None = None,
    path_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An API Gateway REST API proxy event (payload format 1.0)."""
    multi_headers: dict[str, list[str]] = {}
    for name, value in (headers or {}).items():
        multi_headers[name] = list(value) if isinstance(value, list) else [value]
    if cookies:
        multi_headers["Cookie"] = ["; ".join(cookies)]
    multi_query: dict[str, list[str]] = {}
    for name, value in (query or {}).items():
        multi_query[name] = list(value) if isinstance(value, list) else [value]
    context = copy.deepcopy(_REST_CONTEXT)
    context["httpMethod"] = method
    context["path"] = f"/{stage}{path}"
    context["stage"] = stage
    context["resourcePath"] = resource or path
    return {
        "resource": resource or path,
        "path": path,
        "httpMethod": method,
        # API Gateway keeps the last value of a repeated header/parameter in the single-value maps.
        "headers": {name: values[-1] for name, values in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {name: values[-1] for name, values in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": context,
        "body": _encode(body, is_base64),
        "isBase64Encoded": is_base64,
    }
