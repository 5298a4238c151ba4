"""The payload 2.0 event of an HTTP request: the builder behind ``source.build_event``.

:func:`http_event` builds the event an HTTP API sends; :func:`payload_v2_event`
is the payload 2.0 shape it shares with Lambda Function URLs (the
``function-url`` plugin builds its events with it, naming what differs: the
domain, the account, no stage or route).

As API Gateway does, the event has header names in lower case with the
values of a repeated header joined by commas, the cookies moved out of the
headers into ``cookies``, the raw query string as sent next to the decoded
parameters (repeated ones joined by commas), and a request context with ids,
the stage, the route and the caller's address. Bodies of non-text content
types arrive base64-encoded.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from kernel.plugin_api import HttpRequest, object_option

DEFAULT_STAGE = "$default"
DEFAULT_ROUTE = "$default"
API_ID = "r3pmxmplak"
ACCOUNT_ID = "123456789012"
API_DOMAIN = f"{API_ID}.execute-api.us-east-1.amazonaws.com"


def http_event(
    request: HttpRequest,
    *,
    stage: str = DEFAULT_STAGE,
    path_parameters: dict[str, str] | None = None,
    raw_path: str | None = None,
    route_key: str | None = None,
    stage_variables: dict[str, str] | None = None,
    authorizer: dict[str, Any] | None = None,
    **_: Any,
) -> dict[str, Any]:
    """Build the HTTP API event of ``request``.

    :param stage: the stage name. With a real stage (``prod``) the raw path
        starts with ``/<stage>``, as when the API is called through its
        ``execute-api`` URL; ``$default`` has no segment in the path.
    :param path_parameters: the route's path parameters; none by default,
        as for the ``$default`` route.
    :param raw_path: the raw path, when it is not the stage and the request
        path (a custom domain mapped to a named stage sends the path alone).
    :param route_key: the route the request matched (``"GET /items/{id}"``);
        ``$default`` by default.
    :param stage_variables: the stage's variables; none by default.
    :param authorizer: what the route's authorizer passed on, as
        ``requestContext.authorizer`` holds it; none by default.
    """
    if raw_path is None:
        raw_path = request.path if stage == DEFAULT_STAGE else f"/{stage}{request.path}"
    return payload_v2_event(
        request,
        domain=request.header("host") or API_DOMAIN,
        api_id=API_ID,
        account_id=ACCOUNT_ID,
        stage=stage,
        raw_path=raw_path,
        route_key=route_key or DEFAULT_ROUTE,
        path_parameters=object_option("path_parameters", path_parameters),
        stage_variables=object_option("stage_variables", stage_variables),
        authorizer=object_option("authorizer", authorizer),
    )


def payload_v2_event(
    request: HttpRequest,
    *,
    domain: str,
    api_id: str,
    account_id: str,
    stage: str = DEFAULT_STAGE,
    raw_path: str | None = None,
    route_key: str = DEFAULT_ROUTE,
    path_parameters: dict[str, str] | None = None,
    stage_variables: dict[str, str] | None = None,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the payload 2.0 event of ``request``, as an HTTP API or a Function URL sends it.

    :param domain: the domain the request was sent to; it becomes the
        ``host`` header when the request has none (every HTTP/1.1 request has one).
    :param api_id: the API's id (a Function URL's is its URL id).
    :param account_id: the account of the API, or of the caller.
    :param raw_path: the raw path; the request's path by default.

    The other parameters are those of :func:`http_event`; the fields they
    fill are left out when they are ``None``, as the services do.
    """
    if raw_path is None:
        raw_path = request.path
    headers = {name: ",".join(values) for name, values in request.header_lists(lower=True).items() if name != "cookie"}
    headers.setdefault("host", domain)
    query = {name: ",".join(values) for name, values in request.query_lists().items()}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": request.query_string,
    }
    cookies = request.cookies()
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    if query:
        event["queryStringParameters"] = query
    context: dict[str, Any] = {"accountId": account_id, "apiId": api_id}
    if authorizer is not None:
        context["authorizer"] = authorizer
    context.update(
        domainName=domain,
        domainPrefix=domain.split(".")[0],
        http={
            "method": request.method,
            "path": unquote(raw_path),
            "protocol": "HTTP/1.1",
            "sourceIp": request.source_ip,
            "userAgent": headers.get("user-agent", ""),
        },
        requestId=request.request_id,
        routeKey=route_key,
        stage=stage,
        time=request.request_time(),
        timeEpoch=request.epoch_millis(),
    )
    event["requestContext"] = context
    body, is_base64 = request.encoded_body()
    if body is not None:
        event["body"] = body
    if path_parameters is not None:
        event["pathParameters"] = path_parameters
    event["isBase64Encoded"] = is_base64
    if stage_variables is not None:
        event["stageVariables"] = stage_variables
    return event
