"""The request of API Gateway REST APIs (payload format 1.0) and the parts users read from it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from kernel.plugin_api import CaseInsensitiveDict, EventPart, ProxyV1Request, field


class Identity(
    EventPart,
    fields="sourceIp userAgent accountId apiKey apiKeyId caller user userArn accessKey principalOrgId "
    "cognitoAuthenticationProvider cognitoAuthenticationType cognitoIdentityId cognitoIdentityPoolId",
):
    """``requestContext.identity``: who called."""

    @property
    def client_cert(self) -> ClientCert | None:
        """The client's mutual-TLS certificate, or None without one."""
        cert = self.get("clientCert")
        return ClientCert(cert) if isinstance(cert, dict) else None


class ClientCert(EventPart, fields="clientCertPem issuerDN serialNumber subjectDN"):
    """``requestContext.identity.clientCert``: the client's mutual-TLS certificate."""

    validity_not_after = field("validity", "notAfter")
    validity_not_before = field("validity", "notBefore")


class Authorizer(EventPart, fields="integrationLatency"):
    """``requestContext.authorizer``: what a Lambda or Cognito authorizer passed on."""

    claims = field("claims", default={}, doc="A Cognito authorizer's claims (``{}`` without any).")
    scopes = field("scopes", default=[], doc="A Cognito authorizer's scopes (``[]`` without any).")
    principal_id = field("principalId", default="", doc="The principal a Lambda authorizer named (``''`` without one).")

    def get_context(self) -> dict[str, Any]:
        """The whole authorizer object: the context a Lambda authorizer returned, with its principal."""
        return self._data


class RequestContext(
    EventPart,
    fields="accountId apiId domainName domainPrefix extendedRequestId httpMethod path protocol requestId "
    "requestTime requestTimeEpoch resourceId resourcePath stage operationName routeKey "
    "connectedAt connectionId eventType messageDirection messageId",
):
    """``requestContext``: the stage, identity, authorizer and ids of the request."""

    identity = field("identity", wrap=Identity)
    authorizer = field("authorizer", wrap=Authorizer)


class APIGatewayProxyEvent(ProxyV1Request):
    """A REST API request (payload format 1.0), as ``app.current_event``."""

    version = field("version")
    resource = field("resource")
    path_parameters = field("pathParameters", default={}, doc="The resource's path parameters (``{}`` without any).")
    stage_variables = field("stageVariables", default={}, doc="The stage's variables (``{}`` without any).")

    @property
    def multi_value_headers(self) -> dict[str, list[str]]:
        headers = self.__dict__.get("_multi_value_headers")
        if headers is None:
            headers = self._multi_value_headers = CaseInsensitiveDict(self.string_lists("multiValueHeaders"))
        return headers

    @property
    def query_string_parameters(self) -> dict[str, str]:
        return self._query_string_parameters

    @cached_property
    def _query_string_parameters(self) -> dict[str, str]:
        return self.strings("queryStringParameters")

    @cached_property
    def multi_value_query_string_parameters(self) -> dict[str, list[str]]:
        return self.string_lists("multiValueQueryStringParameters")

    @property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        multi = self.multi_value_query_string_parameters
        if multi:
            return multi
        return super().resolved_query_string_parameters

    @property
    def resolved_headers_field(self) -> dict[str, Any]:
        return self.multi_value_headers or self.headers

    @cached_property
    def request_context(self) -> RequestContext:
        return RequestContext(self._data.get("requestContext"))

    def base_path(self) -> str:
        stage = self.request_context.stage
        context_path = self.request_context.path
        # Read lazily, so not checked with the event: a malformed context is no stage.
        if type(stage) is not str or type(context_path) is not str or not stage or stage == "$default":
            return ""
        # The stage is a whole first segment: stage "prod" is not the base of "/production/...".
        base = f"/{stage}"
        return base if context_path == base or context_path.startswith(base + "/") else ""
