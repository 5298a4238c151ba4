"""The API Gateway HTTP API event source (payload format 2.0).

Installed with ``pip install kernel[http]``; the entry point ``http`` makes it
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

from functools import cached_property
from typing import Any

from kernel.plugin_api import BaseRequest, EventPart, Response, Source, encoded_body, field, string_map

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

FUNCTION_URL_DOMAIN = ".lambda-url."


class Http(EventPart):
    """``requestContext.http``: the method, path and client of the request."""

    method = field("method")
    path = field("path")
    protocol = field("protocol")
    source_ip = field("sourceIp")
    user_agent = field("userAgent")


class ClientCert(EventPart):
    """``requestContext.authentication.clientCert``: the client's mutual-TLS certificate."""

    client_cert_pem = field("clientCertPem")
    issuer_dn = field("issuerDN")
    serial_number = field("serialNumber")
    subject_dn = field("subjectDN")
    validity_not_after = field("validity", "notAfter")
    validity_not_before = field("validity", "notBefore")


class AuthorizerIam(EventPart):
    """``requestContext.authorizer.iam``: the caller when the route uses IAM authorization."""

    access_key = field("accessKey")
    account_id = field("accountId")
    caller_id = field("callerId")
    principal_org_id = field("principalOrgId")
    user_arn = field("userArn")
    user_id = field("userId")
    cognito_amr = field(
        "cognitoIdentity", "amr", default=[], doc="How a Cognito identity authenticated (authentication methods references)."
    )
    cognito_identity_id = field("cognitoIdentity", "identityId")
    cognito_identity_pool_id = field("cognitoIdentity", "identityPoolId")


class Authorizer(EventPart):
    """``requestContext.authorizer``: what a JWT, IAM or Lambda authorizer passed on."""

    jwt_claim = field("jwt", "claims", default={}, doc="The claims of the validated JWT (``{}`` without a JWT authorizer).")
    jwt_scopes = field("jwt", "scopes", default=[], doc="The scopes of the validated JWT (``[]`` without a JWT authorizer).")
    iam = field("iam", wrap=AuthorizerIam)

    @property
    def get_lambda(self) -> dict[str, Any]:
        """The context a Lambda authorizer returned (``{}`` without one)."""
        value = self.get("lambda")
        return value if isinstance(value, dict) else {}

    def get_context(self) -> dict[str, Any]:
        """The context a Lambda authorizer returned; the same as :attr:`get_lambda`."""
        return self.get_lambda


class RequestContextV2(EventPart):
    """``requestContext``: the API, stage, route, client and authorizer of the request."""

    account_id = field("accountId")
    api_id = field("apiId")
    domain_name = field("domainName")
    domain_prefix = field("domainPrefix")
    http = field("http", wrap=Http)
    request_id = field("requestId")
    route_key = field("routeKey")
    stage = field("stage")
    time = field("time")
    time_epoch = field("timeEpoch")
    authorizer = field("authorizer", wrap=Authorizer)

    @property
    def authentication(self) -> ClientCert | None:
        """The client certificate of a mutual-TLS request, or None."""
        authentication = self.get("authentication")
        cert = authentication.get("clientCert") if isinstance(authentication, dict) else None
        return ClientCert(cert) if isinstance(cert, dict) else None


class APIGatewayProxyEventV2(BaseRequest):
    """An HTTP API request (payload format 2.0), as ``app.current_event``.

    API Gateway joins the values of a repeated header or query string
    parameter with commas, so :attr:`headers` and
    :attr:`query_string_parameters` hold one string each, and
    :attr:`resolved_query_string_parameters` splits them again.
    """

    version = field("version")
    route_key = field("routeKey")
    raw_query_string = field("rawQueryString", default="")
    cookies = field(
        "cookies", default=[], doc="The request's cookies as ``name=value`` strings (API Gateway moves them out of the headers)."
    )
    path_parameters = field("pathParameters", default={})
    stage_variables = field("stageVariables", default={})

    @property
    def raw_path(self) -> str:
        """The URL path as sent, the stage included when the URL has it."""
        return self._data["rawPath"]

    @cached_property
    def resolved_cookies_field(self) -> dict[str, str]:
        """The request's cookies by name."""
        jar: dict[str, str] = {}
        for cookie in self.cookies:
            name, _, value = cookie.partition("=")
            jar[name.strip()] = value.strip()
        return jar

    @cached_property
    def request_context(self) -> RequestContextV2:
        """The request context (API, stage, client, authorizer)."""
        return RequestContextV2(self._data.get("requestContext"))

    @property
    def http_method(self) -> str:
        return self._data["requestContext"]["http"]["method"]

    @property
    def path(self) -> str:
        """The path to route: :attr:`raw_path` without the stage (see :meth:`base_path`)."""
        raw = self._data["rawPath"]
        prefix = _stage_prefix(raw, self._data["requestContext"].get("stage"))
        return (raw[len(prefix) :] or "/") if prefix else raw

    def base_path(self) -> str:
        """``/<stage>`` when the raw path starts with the stage's segment, else ``""``.

        On the API's own endpoint a named stage is the first path segment; on a
        custom domain (and with ``$default``) it is not part of the path.
        """
        return _stage_prefix(self.raw_path, self.request_context.stage)

    @property
    def headers(self) -> dict[str, str]:
        return self._data.get("headers") or {}

    @property
    def query_string_parameters(self) -> dict[str, str] | None:
        return self._data.get("queryStringParameters") or None

    @cached_property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        # API Gateway joined repeats with commas; a comma inside one value is
        # indistinguishable from a repeat, exactly as in Powertools.
        return {name: value.split(",") for name, value in (self.query_string_parameters or {}).items()}

    @property
    def body(self) -> str | None:
        return self._data.get("body")

    @property
    def is_base64_encoded(self) -> bool | None:
        return self._data.get("isBase64Encoded")


def _stage_prefix(raw_path: str, stage: Any) -> str:
    # Read straight from the event (not through request_context): routing
    # calls this once per request.
    if not stage or stage == "$default" or type(stage) is not str:
        return ""
    prefix = "/" + stage
    # Segment-wise: stage "prod" must not eat the start of "/production".
    if raw_path.startswith(prefix) and (len(raw_path) == len(prefix) or raw_path[len(prefix)] == "/"):
        return prefix
    return ""


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


def check_v2_event(event: Any) -> str | None:
    """Return what makes a payload 2.0 ``event`` malformed, or None when routing can rely on it."""
    # Runs on every request: exact type checks, each field read once.
    if type(event) is not dict:
        return "the event is not an object"
    context = event.get("requestContext")
    if type(context) is not dict:
        return "'requestContext' is missing or not an object"
    http = context.get("http")
    if type(http) is not dict:
        return "'requestContext.http' is missing or not an object"
    method = http.get("method")
    if type(method) is not str or not method:
        return "'requestContext.http.method' is missing or not a string"
    path = event.get("rawPath")
    if type(path) is not str or path[:1] != "/":
        return "'rawPath' is missing or not an absolute path"
    stage = context.get("stage")
    if stage is not None and type(stage) is not str:
        return "'requestContext.stage' is not a string"
    if string_map(event.get("headers")) is None:
        return "'headers' is not a map of strings"
    if string_map(event.get("queryStringParameters")) is None:
        return "'queryStringParameters' is not a map of strings"
    if string_map(event.get("pathParameters")) is None:
        return "'pathParameters' is not a map of strings"
    cookies = event.get("cookies")
    if cookies is not None and (type(cookies) is not list or any(type(cookie) is not str for cookie in cookies)):
        return "'cookies' is not a list of strings"
    body = event.get("body")
    if body is not None and type(body) is not str:
        return "'body' is not a string"
    encoded = event.get("isBase64Encoded")
    if encoded is not None and type(encoded) is not bool:
        return "'isBase64Encoded' is not a boolean"
    return None


def v2_response(app: Any, request: Any, response: Response[Any]) -> dict[str, Any]:
    """The payload 2.0 response dict of HTTP APIs and Function URLs.

    Headers hold one string each (several values joined with ``", "``) and
    every cookie is an item of ``cookies``. A ``Set-Cookie`` header set by
    hand joins ``cookies`` too: joined with commas it would reach the client
    as one broken cookie.
    """
    body, is_base64 = encoded_body(response)
    headers: dict[str, str] = {}
    cookies = [str(cookie) for cookie in response.cookies]
    for name, value in response.headers.items():
        if value is None:
            continue
        # The length test first: it spares a lower() for nearly every header.
        if len(name) == 10 and name.lower() == "set-cookie":
            cookies.extend([value] if isinstance(value, str) else value)
        else:
            headers[name] = value if isinstance(value, str) else ", ".join(value)
    return {
        "statusCode": response.status_code,
        "body": body,
        "isBase64Encoded": is_base64,
        "headers": headers,
        "cookies": cookies,
    }


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
