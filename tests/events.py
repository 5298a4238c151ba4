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


def _v2_parts(
    headers: dict[str, str | list[str]] | None,
    query: dict[str, str | list[str]] | None,
) -> tuple[dict[str, str], dict[str, str] | None, str]:
    """Headers, query string parameters and raw query string as payload 2.0 carries them."""
    from urllib.parse import urlencode

    # Payload 2.0 has no multi-value maps: repeats are joined with commas, and
    # header names arrive lower-cased.
    joined_headers = {
        name.lower(): ",".join(value) if isinstance(value, list) else value for name, value in (headers or {}).items()
    }
    pairs = [(name, item) for name, value in (query or {}).items() for item in (value if isinstance(value, list) else [value])]
    joined_query = {name: ",".join(value) if isinstance(value, list) else value for name, value in (query or {}).items()}
    return joined_headers, joined_query or None, urlencode(pairs)


def http_event(
    method: str = "GET",
    path: str = "/",
    headers: dict[str, str | list[str]] | None = None,
    query: dict[str, str | list[str]] | None = None,
    body: str | bytes | None = None,
    is_base64: bool = False,
    cookies: list[str] | None = None,
    stage: str = "$default",
    path_parameters: dict[str, str] | None = None,
    raw_path: str | None = None,
    route_key: str | None = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API event (payload format 2.0).

    ``path`` is the routed path; on a named stage the raw path starts with
    ``/<stage>`` as on the API's own endpoint, unless ``raw_path`` says
    otherwise (a custom domain).
    """
    joined_headers, joined_query, raw_query = _v2_parts(headers, query)
    if raw_path is None:
        raw_path = path if stage == "$default" else f"/{stage}{path}"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key or "$default",
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": {
            "accept": "*/*",
            "content-length": str(len(body or "")),
            "host": "id.execute-api.us-east-1.amazonaws.com",
            "user-agent": "agent",
            "x-forwarded-for": "192.168.0.1",
            **joined_headers,
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api-id",
            "authorizer": {"jwt": {"claims": {"claim1": "value1"}, "scopes": ["scope1", "scope2"]}},
            "domainName": "id.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "id",
            "http": {
                "method": method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": "192.168.0.1",
                "userAgent": "agent",
            },
            "requestId": "id",
            "routeKey": route_key or "$default",
            "stage": stage,
            "time": "12/Mar/2020:19:03:58 +0000",
            "timeEpoch": 1583348638390,
        },
        "isBase64Encoded": is_base64,
    }
    if cookies:
        event["cookies"] = list(cookies)
    if joined_query:
        event["queryStringParameters"] = joined_query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if body is not None:
        event["body"] = _encode(body, is_base64)
    event["stageVariables"] = {"stageVariable1": "value1"}
    return event


def function_url_event(
    method: str = "GET",
    path: str = "/",
    headers: dict[str, str | list[str]] | None = None,
    query: dict[str, str | list[str]] | None = None,
    body: str | bytes | None = None,
    is_base64: bool = False,
    cookies: list[str] | None = None,
    url_id: str = "abcdefghijklmnopqrstuvwxyz0123",
) -> dict[str, Any]:
    """A Lambda Function URL event (payload format 2.0, no stage, no route key)."""
    joined_headers, joined_query, raw_query = _v2_parts(headers, query)
    domain = f"{url_id}.lambda-url.us-east-1.on.aws"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": {
            "accept": "*/*",
            "host": domain,
            "user-agent": "Mozilla/5.0",
            "x-amzn-trace-id": "Root=1-62ecd163-5f302e550dcde3b12402207d",
            "x-forwarded-for": "123.123.123.123",
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https",
            **joined_headers,
        },
        "requestContext": {
            "accountId": "anonymous",
            "apiId": url_id,
            "domainName": domain,
            "domainPrefix": url_id,
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "123.123.123.123",
                "userAgent": "Mozilla/5.0",
            },
            "requestId": "id",
            "routeKey": "$default",
            "stage": "$default",
            "time": "05/Aug/2022:08:14:39 +0000",
            "timeEpoch": 1659687279885,
        },
        "isBase64Encoded": is_base64,
    }
    if cookies:
        event["cookies"] = list(cookies)
    if joined_query:
        event["queryStringParameters"] = joined_query
    if body is not None:
        event["body"] = _encode(body, is_base64)
    return event


_ALB_TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/lambda-tg/49e9d65c45c6791a"


def _value_lists(values: dict[str, str | list[str]] | None) -> dict[str, list[str]]:
    return {name: list(value) if isinstance(value, list) else [value] for name, value in (values or {}).items()}


def alb_event(
    method: str = "GET",
    path: str = "/",
    headers: dict[str, str | list[str]] | None = None,
    query: dict[str, str | list[str]] | None = None,
    body: str | bytes | None = None,
    is_base64: bool = False,
    cookies: list[str] | None = None,
    multi_value: bool = False,
    encode_query: bool = True,
) -> dict[str, Any]:
    """An Application Load Balancer event, single-value or (``multi_value``) multi-value mode.

    ALB lower-cases header names and passes query strings on as the client
    wrote them: ``query`` holds the values a route should see, percent-encoded
    here as a client would (unless ``encode_query`` is False). A name given
    several values keeps only the last one in single-value mode, as ALB does.
    """
    from urllib.parse import quote

    multi_headers = {
        "accept": ["*/*"],
        "host": ["lambda-alb-123578498.us-east-2.elb.amazonaws.com"],
        "user-agent": ["curl/7.79.1"],
        "x-amzn-trace-id": ["Root=1-62fa9327-21cdd4da4c6db451490a5fb7"],
        "x-forwarded-for": ["72.12.164.125"],
        "x-forwarded-port": ["443"],
        "x-forwarded-proto": ["https"],
    }
    multi_headers.update({name.lower(): values for name, values in _value_lists(headers).items()})
    if cookies:
        multi_headers["cookie"] = ["; ".join(cookies)]
    multi_query = {
        (quote(name, safe="") if encode_query else name): [quote(value, safe="") if encode_query else value for value in values]
        for name, values in _value_lists(query).items()
    }
    event: dict[str, Any] = {
        "requestContext": {"elb": {"targetGroupArn": _ALB_TARGET_GROUP}},
        "httpMethod": method,
        "path": path,
    }
    if multi_value:
        event["multiValueQueryStringParameters"] = multi_query
        event["multiValueHeaders"] = multi_headers
    else:
        event["queryStringParameters"] = {name: values[-1] for name, values in multi_query.items()}
        event["headers"] = {name: values[-1] for name, values in multi_headers.items()}
    # ALB sends an empty body rather than none.
    event["body"] = _encode(body, is_base64) or ""
    event["isBase64Encoded"] = is_base64
    return event


def lattice_event(
    method: str = "GET",
    path: str = "/",
    headers: dict[str, str | list[str]] | None = None,
    query: dict[str, str | list[str]] | None = None,
    body: str | bytes | None = None,
    is_base64: bool = False,
    cookies: list[str] | None = None,
    base64_flag_as_text: bool = False,
) -> dict[str, Any]:
    """A VPC Lattice event, payload version 1 (snake_case fields, path with its query string).

    Repeated header values arrive joined with commas; a repeated query
    parameter keeps its last value. ``base64_flag_as_text`` sends
    ``is_base64_encoded`` as ``"true"``/``"false"``, as the service sometimes does.
    """
    from urllib.parse import urlencode

    joined = {name.lower(): ",".join(values) for name, values in _value_lists(headers).items()}
    if cookies:
        joined["cookie"] = "; ".join(cookies)
    pairs = [(name, value) for name, values in _value_lists(query).items() for value in values]
    return {
        "raw_path": f"{path}?{urlencode(pairs)}" if pairs else path,
        "method": method,
        "headers": {
            "user_agent": "curl/7.64.1",
            "x-forwarded-for": "10.213.229.10",
            "host": "test-lambda-service-3908sdf9u3u.dkfjd93.vpc-lattice-svcs.us-east-2.on.aws",
            "accept": "*/*",
            **joined,
        },
        "query_string_parameters": {name: values[-1] for name, values in _value_lists(query).items()},
        "body": _encode(body, is_base64),
        "is_base64_encoded": ("true" if is_base64 else "false") if base64_flag_as_text else is_base64,
    }


def lattice_v2_event(
    method: str = "GET",
    path: str = "/",
    headers: dict[str, str | list[str]] | None = None,
    query: dict[str, str | list[str]] | None = None,
    body: str | bytes | None = None,
    is_base64: bool = False,
    cookies: list[str] | None = None,
) -> dict[str, Any]:
    """A VPC Lattice event, payload version 2: every header and query value in a list."""
    multi_headers = {
        "user-agent": ["curl/7.64.1"],
        "x-forwarded-for": ["10.213.229.10"],
        "host": ["test-lambda-service-3908sdf9u3u.dkfjd93.vpc-lattice-svcs.us-east-2.on.aws"],
        "accept": ["*/*"],
    }
    multi_headers.update({name.lower(): values for name, values in _value_lists(headers).items()})
    if cookies:
        multi_headers["cookie"] = ["; ".join(cookies)]
    return {
        "version": "2.0",
        "path": path,
        "method": method,
        "headers": multi_headers,
        "queryStringParameters": _value_lists(query),
        "body": _encode(body, is_base64),
        "isBase64Encoded": is_base64,
        "requestContext": {
            "serviceNetworkArn": "arn:aws:vpc-lattice:us-east-2:123456789012:servicenetwork/sn-0bf3f2882e9cc805a",
            "serviceArn": "arn:aws:vpc-lattice:us-east-2:123456789012:service/svc-0a40eebed65f8d69c",
            "targetGroupArn": "arn:aws:vpc-lattice:us-east-2:123456789012:targetgroup/tg-6d0ecf831eec9f09",
            "identity": {
                "sourceVpcArn": "arn:aws:ec2:us-east-2:123456789012:vpc/vpc-0b8276c84697e7339",
                "type": "AWS_IAM",
                "principal": "arn:aws:sts::123456789012:assumed-role/example-role/057d00f8b51257ba3c853a0f248943cf",
                "sessionName": "057d00f8b51257ba3c853a0f248943cf",
                "x509SanDns": "example.com",
            },
            "region": "us-east-2",
            "timeEpoch": "1696331543569073",
        },
    }


def _bedrock_property(name: str, value: Any) -> dict[str, str]:
    """A parameter or body property as an agent sends it: its schema type, its value as text."""
    import json

    kind = "string"
    if isinstance(value, bool):
        kind = "boolean"
    elif isinstance(value, int):
        kind = "integer"
    elif isinstance(value, float):
        kind = "number"
    elif isinstance(value, list):
        kind = "array"
    return {"name": name, "type": kind, "value": value if isinstance(value, str) else json.dumps(value)}


def bedrock_event(
    method: str = "GET",
    path: str = "/",
    headers: dict[str, str | list[str]] | None = None,
    query: dict[str, str | list[str]] | None = None,
    body: str | bytes | None = None,
    is_base64: bool = False,
    cookies: list[str] | None = None,
    parameters: dict[str, Any] | None = None,
    session_attributes: dict[str, str] | None = None,
    prompt_session_attributes: dict[str, str] | None = None,
    input_text: str = "I want to claim my insurance",
) -> dict[str, Any]:
    """A Bedrock Agent action-group event for the operation ``method`` ``path`` (the schema's template).

    ``query`` and ``parameters`` both become ``parameters`` items (the agent
    does not tell path, query and header parameters apart); a JSON object
    ``body`` becomes the properties of an ``application/json`` request body.
    An agent sends no headers, cookies or base64: asking for them raises.
    """
    import json

    if headers or cookies or is_base64:
        raise TypeError("A Bedrock Agent event has no headers, cookies or base64 body")
    values: dict[str, Any] = {}
    for name, value in (query or {}).items():
        values[name] = ",".join(value) if isinstance(value, list) else value
    values.update(parameters or {})
    event: dict[str, Any] = {
        "messageVersion": "1.0",
        "agent": {"name": "claims-agent", "id": "8ZXY0W8P1H", "alias": "TSTALIASID", "version": "DRAFT"},
        "inputText": input_text,
        "sessionId": "12345678912345",
        "actionGroup": "ClaimManagementActionGroup",
        "apiPath": path,
        "httpMethod": method,
        "parameters": [_bedrock_property(name, value) for name, value in values.items()],
        "sessionAttributes": dict(session_attributes or {}),
        "promptSessionAttributes": dict(prompt_session_attributes or {}),
    }
    if body is not None:
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("A Bedrock Agent request body is an object of properties")
        event["requestBody"] = {
            "content": {
                "application/json": {
                    "properties": [_bedrock_property(name, value) for name, value in data.items()],
                }
            }
        }
    return event
