"""The request of API Gateway HTTP APIs (payload format 2.0) and the parts users read from it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from kernel.plugin_api import CaseInsensitiveDict, EventPart, ProxyRequest, field, parse_cookie_header

FUNCTION_URL_DOMAIN = ".lambda-url."


class Http(EventPart, fields="method path protocol sourceIp userAgent"):
    """``requestContext.http``: the method, path and client of the request."""


class ClientCert(EventPart, fields="clientCertPem issuerDN serialNumber subjectDN"):
    """``requestContext.authentication.clientCert``: the client's mutual-TLS certificate."""

    validity_not_after = field("validity", "notAfter")
    validity_not_before = field("validity", "notBefore")


class AuthorizerIam(EventPart):
    """``requestContext.authorizer.iam``: the caller when the route uses IAM authorization (``''`` for what is missing)."""

    access_key = field("accessKey", default="")
    account_id = field("accountId", default="")
    caller_id = field("callerId", default="")
    principal_org_id = field("principalOrgId", default="")
    user_arn = field("userArn", default="")
    user_id = field("userId", default="")
    cognito_amr = field(
        "cognitoIdentity", "amr", default=[], doc="How a Cognito identity authenticated (authentication methods references)."
    )
    cognito_identity_id = field("cognitoIdentity", "identityId", default="")
    cognito_identity_pool_id = field("cognitoIdentity", "identityPoolId", default="")


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


class RequestContextV2(EventPart, fields="accountId apiId domainName domainPrefix requestId routeKey stage time timeEpoch"):
    """``requestContext``: the API, stage, route, client and authorizer of the request."""

    http = field("http", wrap=Http)
    authorizer = field("authorizer", wrap=Authorizer)

    @property
    def authentication(self) -> ClientCert | None:
        """The client certificate of a mutual-TLS request, or None."""
        authentication = self.get("authentication")
        cert = authentication.get("clientCert") if isinstance(authentication, dict) else None
        return ClientCert(cert) if isinstance(cert, dict) else None


class APIGatewayProxyEventV2(ProxyRequest):
    """An HTTP API request (payload format 2.0), as ``app.current_event``.

    API Gateway joins the values of a repeated header or query string
    parameter with commas, so :attr:`headers` and
    :attr:`query_string_parameters` hold one string each, and
    :attr:`resolved_query_string_parameters` splits them again. The entries
    of the ``headers`` and ``queryStringParameters`` maps are checked when
    first read (a malformed one is answered 400 then); a plugin reading one
    header (:meth:`header_text`) looks it up alone.
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

    @property
    def query_string_parameters(self) -> dict[str, str]:
        """Query string parameters, one value each (repeats joined with commas; ``{}`` when there are none).

        A malformed ``queryStringParameters`` map is answered 400.
        """
        params = self.__dict__.get("_query_string_parameters")
        if params is None:
            params = self._query_string_parameters = self.strings("queryStringParameters")
        return params

    @cached_property
    def resolved_cookies_field(self) -> dict[str, str]:
        """The request's cookies by name (from :attr:`cookies`)."""
        return parse_cookie_header("; ".join(cookie for cookie in self.cookies if type(cookie) is str))

    @cached_property
    def resolved_headers_field(self) -> dict[str, Any]:
        """The headers, a value holding commas split into a list (the service joins repeats with commas)."""
        return CaseInsensitiveDict({name: value.split(",") if "," in value else value for name, value in self.headers.items()})

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
        data = self._data
        raw = data["rawPath"]
        stage = data["requestContext"].get("stage")
        if not stage or stage == "$default":
            # Function URLs and the $default stage (most requests): nothing to strip, no call.
            return raw
        prefix = _stage_prefix(raw, stage)
        return (raw[len(prefix) :] or "/") if prefix else raw

    def base_path(self) -> str:
        """``/<stage>`` when the raw path starts with the stage's segment, else ``""``.

        On the API's own endpoint a named stage is the first path segment; on a
        custom domain (and with ``$default``) it is not part of the path.
        """
        return _stage_prefix(self.raw_path, self.request_context.stage)

    def is_repeated_query_parameter(self, name: str) -> bool:
        # queryStringParameters joins repeats with commas: only the raw query string tells.
        raw = self.raw_query_string
        if type(raw) is not str or not raw:
            return False
        from urllib.parse import parse_qs

        return len(parse_qs(raw, keep_blank_values=True).get(name) or ()) > 1

    @cached_property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        # API Gateway joined repeats with commas; a comma inside one value is
        # indistinguishable from a repeat, exactly as in Powertools.
        return {name: value.split(",") for name, value in (self.query_string_parameters or {}).items()}


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
