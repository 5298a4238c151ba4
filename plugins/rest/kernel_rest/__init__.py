"""The API Gateway REST API event source (Lambda proxy integration, payload 1.0).

Installed with ``pip install kernel[rest]``; the entry point ``rest`` makes it
the source of ``APIGatewayRestResolver`` and lets an unpinned ``App()``
recognise REST events.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from kernel import hookimpl
from kernel.request import BaseRequest, EventPart, ProxyV1Request, check_proxy_v1_event, checked, list_map, string_map
from kernel.response import Response, encoded_body, multi_value_headers

__all__ = ["APIGatewayProxyEvent", "Authorizer", "Identity", "RequestContext"]


class Identity(EventPart):
    """``requestContext.identity``: who called."""

    @property
    def source_ip(self) -> str | None:
        return self.get("sourceIp")

    @property
    def user_agent(self) -> str | None:
        return self.get("userAgent")

    @property
    def account_id(self) -> str | None:
        return self.get("accountId")

    @property
    def api_key(self) -> str | None:
        return self.get("apiKey")

    @property
    def api_key_id(self) -> str | None:
        return self.get("apiKeyId")

    @property
    def caller(self) -> str | None:
        return self.get("caller")

    @property
    def user(self) -> str | None:
        return self.get("user")

    @property
    def user_arn(self) -> str | None:
        return self.get("userArn")

    @property
    def access_key(self) -> str | None:
        return self.get("accessKey")

    @property
    def principal_org_id(self) -> str | None:
        return self.get("principalOrgId")

    @property
    def cognito_authentication_provider(self) -> str | None:
        return self.get("cognitoAuthenticationProvider")

    @property
    def cognito_authentication_type(self) -> str | None:
        return self.get("cognitoAuthenticationType")

    @property
    def cognito_identity_id(self) -> str | None:
        return self.get("cognitoIdentityId")

    @property
    def cognito_identity_pool_id(self) -> str | None:
        return self.get("cognitoIdentityPoolId")

    @property
    def client_cert(self) -> dict[str, Any] | None:
        return self.get("clientCert")


class Authorizer(EventPart):
    """``requestContext.authorizer``: what a Lambda or Cognito authorizer passed on."""

    @property
    def claims(self) -> dict[str, Any] | None:
        return self.get("claims")

    @property
    def scopes(self) -> list[str] | None:
        return self.get("scopes")

    @property
    def principal_id(self) -> str | None:
        return self.get("principalId")

    @property
    def integration_latency(self) -> int | None:
        return self.get("integrationLatency")


class RequestContext(EventPart):
    """``requestContext``: the stage, identity, authorizer and ids of the request."""

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
    def extended_request_id(self) -> str | None:
        return self.get("extendedRequestId")

    @property
    def http_method(self) -> str | None:
        return self.get("httpMethod")

    @property
    def path(self) -> str | None:
        return self.get("path")

    @property
    def protocol(self) -> str | None:
        return self.get("protocol")

    @property
    def request_id(self) -> str | None:
        return self.get("requestId")

    @property
    def request_time(self) -> str | None:
        return self.get("requestTime")

    @property
    def request_time_epoch(self) -> int | None:
        return self.get("requestTimeEpoch")

    @property
    def resource_id(self) -> str | None:
        return self.get("resourceId")

    @property
    def resource_path(self) -> str | None:
        return self.get("resourcePath")

    @property
    def stage(self) -> str | None:
        return self.get("stage")

    @property
    def identity(self) -> Identity:
        return Identity(self.get("identity"))

    @property
    def authorizer(self) -> Authorizer:
        return Authorizer(self.get("authorizer"))


class APIGatewayProxyEvent(ProxyV1Request):
    """A REST API request (payload format 1.0), as ``app.current_event``."""

    @property
    def version(self) -> str | None:
        return self._data.get("version")

    @property
    def resource(self) -> str | None:
        return self._data.get("resource")

    @property
    def headers(self) -> dict[str, str]:
        # Checked on first use rather than on every request: most routes never read them.
        headers = self.__dict__.get("_headers")
        if headers is None:
            headers = self._headers = checked(string_map, self._data.get("headers"), "headers")
        return headers

    @property
    def multi_value_headers(self) -> dict[str, list[str]]:
        headers = self.__dict__.get("_multi_value_headers")
        if headers is None:
            value = self._data.get("multiValueHeaders")
            headers = self._multi_value_headers = checked(list_map, value, "multiValueHeaders", "string lists")
        return headers

    @property
    def query_string_parameters(self) -> dict[str, str] | None:
        return self._query_string_parameters

    @cached_property
    def _query_string_parameters(self) -> dict[str, str] | None:
        return checked(string_map, self._data.get("queryStringParameters"), "queryStringParameters") or None

    @cached_property
    def multi_value_query_string_parameters(self) -> dict[str, list[str]] | None:
        value = self._data.get("multiValueQueryStringParameters")
        return checked(list_map, value, "multiValueQueryStringParameters", "string lists") or None

    @property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        multi = self.multi_value_query_string_parameters
        if multi:
            return multi
        return super().resolved_query_string_parameters

    @property
    def resolved_headers_field(self) -> dict[str, Any]:
        return self.multi_value_headers or self.headers

    @property
    def path_parameters(self) -> dict[str, str] | None:
        return self._data.get("pathParameters")

    @property
    def stage_variables(self) -> dict[str, str] | None:
        return self._data.get("stageVariables")

    @cached_property
    def request_context(self) -> RequestContext:
        return RequestContext(self._data.get("requestContext"))

    def base_path(self) -> str:
        stage = self.request_context.stage
        context_path = self.request_context.path or ""
        if stage and stage != "$default" and context_path.startswith(f"/{stage}"):
            return f"/{stage}"
        return ""


def is_rest_event(event: Any) -> bool:
    """Whether ``event`` has the shape of a REST API (payload 1.0) event."""
    if not isinstance(event, dict) or "httpMethod" not in event or "path" not in event:
        return False
    context = event.get("requestContext")
    # ALB events also carry httpMethod and path, but their context names the load balancer.
    return not (isinstance(context, dict) and "elb" in context)


@hookimpl
def parse_event(app: Any, event: dict[str, Any]) -> APIGatewayProxyEvent | None:
    """Wrap REST events; reject malformed ones when the app is pinned to this source."""
    if app.source != "rest" and not is_rest_event(event):
        return None
    problem = check_proxy_v1_event(event)
    if problem is not None:
        request = APIGatewayProxyEvent(event if isinstance(event, dict) else {})
        return request.reject(f"Malformed event: {problem}")
    return APIGatewayProxyEvent(event)


@hookimpl(trylast=True)
def build_response(request: BaseRequest, response: Response[Any]) -> dict[str, Any] | None:
    """The REST proxy integration response: multi-value headers, cookies as Set-Cookie values."""
    # The identity test first: isinstance() on a Mapping subclass goes through ABCMeta.
    if type(request) is not APIGatewayProxyEvent and not isinstance(request, APIGatewayProxyEvent):
        return None
    body, is_base64 = encoded_body(response)
    return {
        "statusCode": response.status_code,
        "body": body,
        "isBase64Encoded": is_base64,
        "multiValueHeaders": multi_value_headers(response),
    }
