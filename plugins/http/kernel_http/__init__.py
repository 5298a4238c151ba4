"""The API Gateway HTTP API event source (payload format 2.0).

Installed with ``pip install --no-index --find-links dist "kernel[http]"`` from the
wheelhouse ``scripts/wheelhouse`` builds; the entry point ``http`` makes it
the source of ``APIGatewayHttpResolver`` and lets an unpinned ``App()``
recognise HTTP API events.

Lambda Function URLs send the same payload; the ``function-url`` plugin builds
on the request class, the checks, the response shape and the event builder
defined here.

How an unpinned app tells the two apart (see :func:`is_v2_event`):

- a payload 2.0 event has ``"version": "2.0"``, a ``rawPath`` and an object
  ``requestContext.http``;
- it comes from a Function URL when ``requestContext.domainName`` contains
  ``".lambda-url."`` (Function URLs are always served on
  ``<url-id>.lambda-url.<region>.on.aws``, even behind CloudFront);
- otherwise it comes from an HTTP API when it also has a ``routeKey`` and a
  ``requestContext.stage``.
"""

from __future__ import annotations

from typing import Any

from kernel.plugin_api import Response, Source, encoded_body, event_check, kinds, optional, required
from kernel_http.request import (
    FUNCTION_URL_DOMAIN,
    APIGatewayProxyEventV2,
    Authorizer,
    AuthorizerIam,
    ClientCert,
    Http,
    RequestContextV2,
)

__all__ = [
    "APIGatewayProxyEventV2",
    "Authorizer",
    "AuthorizerIam",
    "ClientCert",
    "Http",
    "RequestContextV2",
    "check_v2_event",
    "is_function_url_domain",
    "is_http_api_event",
    "is_v2_event",
    "source",
    "v2_response",
]


def is_v2_event(event: Any) -> bool:
    """Whether ``event`` has the payload 2.0 shape shared by HTTP APIs and Function URLs."""
    if type(event) is not dict or event.get("version") != "2.0" or "rawPath" not in event:
        return False
    context = event.get("requestContext")
    # VPC Lattice v2 events also say "version": "2.0" but have no requestContext.http.
    return type(context) is dict and type(context.get("http")) is dict


def is_function_url_domain(event: dict[str, Any]) -> bool:
    """Whether a payload 2.0 event was sent to a Lambda Function URL (by its domain name)."""
    domain = event["requestContext"].get("domainName")
    return type(domain) is str and FUNCTION_URL_DOMAIN in domain


def is_http_api_event(event: Any) -> bool:
    """Whether ``event`` is an HTTP API (payload 2.0) event, and not a Function URL one."""
    return is_v2_event(event) and "routeKey" in event and "stage" in event["requestContext"] and not is_function_url_domain(event)


#: What makes a payload 2.0 event malformed (None when routing can rely on it).
check_v2_event = event_check(
    required(kinds.OBJECT, "requestContext", "requestContext.http"),
    required(kinds.NAME, "requestContext.http.method"),
    required(kinds.ABSOLUTE_PATH, "rawPath"),
    optional(kinds.STRING, "requestContext.stage"),
    # The entries of the headers and the query are checked when first read
    # (APIGatewayProxyEventV2.headers, .query_string_parameters), as REST's:
    # a plugin reading one header (CORS's Origin) does not check them all on every request.
    optional(kinds.MAP("strings"), "headers", "queryStringParameters"),
    optional(kinds.STRINGS, "pathParameters"),
    optional(kinds.STRING_LIST, "cookies"),
    optional(kinds.STRING, "body"),
    optional(kinds.BOOLEAN, "isBase64Encoded"),
)


def v2_response(app: Any, request: Any, response: Response[Any]) -> dict[str, Any]:
    """The payload 2.0 response dict of HTTP APIs and Function URLs.

    Headers hold one string each (several values joined with ``", "``) and
    every cookie is an item of ``cookies``. A ``Set-Cookie`` header set by
    hand joins ``cookies`` too: joined with commas it would reach the client
    as one broken cookie.
    """
    # Every request is rendered here: the dict of proxy_response() is built
    # inline, and a response without cookies (most) makes no comprehension.
    cookies = response.cookies
    texts = [str(cookie) for cookie in cookies] if cookies else []
    headers: dict[str, str] = {}
    for name, value in response.headers.items():
        if value is None:
            continue
        # The length test first: it spares a lower() for nearly every header.
        if len(name) == 10 and name.lower() == "set-cookie":
            texts.extend([value] if isinstance(value, str) else value)
        else:
            headers[name] = value if isinstance(value, str) else ", ".join(value)
    body = response.body
    if type(body) is str or body is None:
        is_base64 = response.base64_encoded
    else:
        body, is_base64 = encoded_body(response)
    return {"statusCode": response.status_code, "body": body, "isBase64Encoded": is_base64, "headers": headers, "cookies": texts}


source = Source(
    "http",
    APIGatewayProxyEventV2,
    recognise=is_http_api_event,
    check=check_v2_event,
    render=v2_response,
    build_event="kernel_http.events:http_event",
    options={
        "stage": "the stage name; a real one (prod) starts the raw path, as on the execute-api URL; $default (default) does not",
        "raw_path": "the raw path, when it is not the stage and the path (a custom domain mapped to a named stage)",
        "route_key": "the route the request matched, as METHOD /path (default $default)",
        "path_parameters": "the route's path parameters (default: none, as for $default)",
        "stage_variables": "the stage's variables (default: none)",
        "authorizer": "the requestContext.authorizer an authorizer passed on (a jwt, iam or lambda object; default: none)",
    },
)
