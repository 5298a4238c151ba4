"""The API Gateway HTTP API event source (payload format 2.0).

Installed with ``pip install kernel[http]``; the entry point ``http`` makes it
the source of ``APIGatewayHttpResolver`` and lets an unpinned ``App()``
recognise HTTP API events.

Lambda Function URLs send the same payload; the ``function-url`` plugin builds
on the request class, the checks and the response shape defined here.

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
from typing import Any, TypeVar

from kernel import hookimpl
from kernel.request import BaseRequest, EventPart, string_map
from kernel.response import Response, encoded_body

__all__ = [
    "APIGatewayProxyEventV2",
    "Authorizer",
    "AuthorizerIam",
    "ClientCert",
    "Http",
    "RequestContextV2",
    "check_v2_event",
    "is_http_api_event",
    "is_v2_event",
    "v2_response",
]

FUNCTION_URL_DOMAIN = ".lambda-url."


class Http(EventPart):
    """``requestContext.http``: the method, path and client of the request."""

    @property
    def method(self) -> str | None:
        return self.get("method")

    @property
    def path(self) -> str | None:
        return self.get("path")

    @property
    def protocol(self) -> str | None:
        return self.get("protocol")

    @property
    def source_ip(self) -> str | None:
        return self.get("sourceIp")

    @property
    def user_agent(self) -> str | None:
        return self.get("userAgent")


class ClientCert(EventPart):
    """``requestContext.authentication.clientCert``: the client's mutual-TLS certificate."""

    @property
    def client_cert_pem(self) -> str | None:
        return self.get("clientCertPem")

    @property
    def issuer_dn(self) -> str | None:
        return self.get("issuerDN")

    @property
    def serial_number(self) -> str | None:
        return self.get("serialNumber")

    @property
    def subject_dn(self) -> str | None:
        return self.get("subjectDN")

    @property
    def validity_not_after(self) -> str | None:
        return (self.get("validity") or {}).get("notAfter")

    @property
    def validity_not_before(self) -> str | None:
        return (self.get("validity") or {}).get("notBefore")


class AuthorizerIam(EventPart):
    """``requestContext.authorizer.iam``: the caller when the route uses IAM authorization."""

    @property
    def access_key(self) -> str | None:
        return self.get("accessKey")

    @property
    def account_id(self) -> str | None:
        return self.get("accountId")

    @property
    def caller_id(self) -> str | None:
        return self.get("callerId")

    @property
    def principal_org_id(self) -> str | None:
        return self.get("principalOrgId")

    @property
    def user_arn(self) -> str | None:
        return self.get("userArn")

    @property
    def user_id(self) -> str | None:
        return self.get("userId")

    @property
    def _cognito(self) -> dict[str, Any]:
        value = self.get("cognitoIdentity")
        return value if isinstance(value, dict) else {}

    @property
    def cognito_amr(self) -> list[str]:
        """How a Cognito identity authenticated (authentication methods references)."""
        return self._cognito.get("amr") or []

    @property
    def cognito_identity_id(self) -> str | None:
        return self._cognito.get("identityId")

    @property
    def cognito_identity_pool_id(self) -> str | None:
        return self._cognito.get("identityPoolId")


class Authorizer(EventPart):
    """``requestContext.authorizer``: what a JWT, IAM or Lambda authorizer passed on."""

    @property
    def _jwt(self) -> dict[str, Any]:
        value = self.get("jwt")
        return value if isinstance(value, dict) else {}

    @property
    def jwt_claim(self) -> dict[str, Any]:
        """The claims of the validated JWT (``{}`` without a JWT authorizer)."""
        return self._jwt.get("claims") or {}

    @property
    def jwt_scopes(self) -> list[str]:
        """The scopes of the validated JWT (``[]`` without a JWT authorizer)."""
        return self._jwt.get("scopes") or []

    @property
    def get_lambda(self) -> dict[str, Any]:
        """The context a Lambda authorizer returned (``{}`` without one)."""
        value = self.get("lambda")
        return value if isinstance(value, dict) else {}

    def get_context(self) -> dict[str, Any]:
        """The context a Lambda authorizer returned; the same as :attr:`get_lambda`."""
        return self.get_lambda

    @property
    def iam(self) -> AuthorizerIam:
        return AuthorizerIam(self.get("iam"))


class RequestContextV2(EventPart):
    """``requestContext``: the API, stage, route, client and authorizer of the request."""

    @property
    def account_id(self) -> str | None:
        return self.get("accountId")

    @property
    def api_id(self) -> str | None:
        return self.get("apiId")

    @property
    def domain_name(self) -> str | None:
        return self.get("domainName")

    @property
    def domain_prefix(self) -> str | None:
        return self.get("domainPrefix")

    @property
    def http(self) -> Http:
        return Http(self.get("http"))

    @property
    def request_id(self) -> str | None:
        return self.get("requestId")

    @property
    def route_key(self) -> str | None:
        return self.get("routeKey")

    @property
    def stage(self) -> str | None:
        return self.get("stage")

    @property
    def time(self) -> str | None:
        return self.get("time")

    @property
    def time_epoch(self) -> int | None:
        return self.get("timeEpoch")

    @property
    def authentication(self) -> ClientCert | None:
        """The client certificate of a mutual-TLS request, or None."""
        authentication = self.get("authentication")
        cert = authentication.get("clientCert") if isinstance(authentication, dict) else None
        return ClientCert(cert) if isinstance(cert, dict) else None

    @property
    def authorizer(self) -> Authorizer:
        return Authorizer(self.get("authorizer"))


class APIGatewayProxyEventV2(BaseRequest):
    """An HTTP API request (payload format 2.0), as ``app.current_event``.

    API Gateway joins the values of a repeated header or query string
    parameter with commas, so :attr:`headers` and
    :attr:`query_string_parameters` hold one string each, and
    :attr:`resolved_query_string_parameters` splits them again.
    """

    @property
    def version(self) -> str | None:
        return self._data.get("version")

    @property
    def route_key(self) -> str | None:
        return self._data.get("routeKey")

    @property
    def raw_path(self) -> str:
        return self._data["rawPath"]

    @property
    def raw_query_string(self) -> str:
        return self._data.get("rawQueryString") or ""

    @property
    def cookies(self) -> list[str]:
        """The request's cookies as ``name=value`` strings (API Gateway moves them out of the headers)."""
        return self._data.get("cookies") or []

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
    def path_parameters(self) -> dict[str, str]:
        return self._data.get("pathParameters") or {}

    @property
    def stage_variables(self) -> dict[str, str]:
        return self._data.get("stageVariables") or {}

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


V2RequestT = TypeVar("V2RequestT", bound="APIGatewayProxyEventV2")


def parse_v2(request_class: type[V2RequestT], event: Any) -> V2RequestT:
    """Wrap a payload 2.0 event in ``request_class``, rejected when malformed."""
    problem = check_v2_event(event)
    if problem is not None:
        return request_class(event if type(event) is dict else {}).reject(f"Malformed event: {problem}")
    return request_class(event)


def v2_response(response: Response[Any]) -> dict[str, Any]:
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


@hookimpl
def parse_event(app: Any, event: dict[str, Any]) -> APIGatewayProxyEventV2 | None:
    """Wrap HTTP API events; reject malformed ones when the app is pinned to this source."""
    if app.source != "http" and not is_http_api_event(event):
        return None
    return parse_v2(APIGatewayProxyEventV2, event)


@hookimpl(trylast=True)
def build_response(request: BaseRequest, response: Response[Any]) -> dict[str, Any] | None:
    """The HTTP API response: single-valued headers and a ``cookies`` list."""
    # The exact class: a subclass (the Function URL request) belongs to the
    # plugin that made it, which answers for it itself.
    if type(request) is not APIGatewayProxyEventV2:
        return None
    return v2_response(response)
