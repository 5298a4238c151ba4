"""The API Gateway REST API event source (Lambda proxy integration, payload 1.0).

Installed with ``pip install kernel[rest]``; the entry point ``rest`` makes it
the source of ``APIGatewayRestResolver`` and lets an unpinned ``App()``
recognise REST events.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from kernel.plugin_api import (
    EventPart,
    ProxyV1Request,
    Response,
    Source,
    check_proxy_v1_event,
    checked,
    encoded_body,
    field,
    list_map,
    multi_value_headers,
    string_map,
)

__all__ = ["APIGatewayProxyEvent", "Authorizer", "Identity", "RequestContext", "is_rest_event", "source"]


class Identity(EventPart):
    """``requestContext.identity``: who called."""

    source_ip = field("sourceIp")
    user_agent = field("userAgent")
    account_id = field("accountId")
    api_key = field("apiKey")
    api_key_id = field("apiKeyId")
    caller = field("caller")
    user = field("user")
    user_arn = field("userArn")
    access_key = field("accessKey")
    principal_org_id = field("principalOrgId")
    cognito_authentication_provider = field("cognitoAuthenticationProvider")
    cognito_authentication_type = field("cognitoAuthenticationType")
    cognito_identity_id = field("cognitoIdentityId")
    cognito_identity_pool_id = field("cognitoIdentityPoolId")
    client_cert = field("clientCert")


class Authorizer(EventPart):
    """``requestContext.authorizer``: what a Lambda or Cognito authorizer passed on."""

    claims = field("claims")
    scopes = field("scopes")
    principal_id = field("principalId")
    integration_latency = field("integrationLatency")


class RequestContext(EventPart):
    """``requestContext``: the stage, identity, authorizer and ids of the request."""

    account_id = field("accountId")
    api_id = field("apiId")
    domain_name = field("domainName")
    domain_prefix = field("domainPrefix")
    extended_request_id = field("extendedRequestId")
    http_method = field("httpMethod")
    path = field("path")
    protocol = field("protocol")
    request_id = field("requestId")
    request_time = field("requestTime")
    request_time_epoch = field("requestTimeEpoch")
    resource_id = field("resourceId")
    resource_path = field("resourcePath")
    stage = field("stage")
    identity = field("identity", wrap=Identity)
    authorizer = field("authorizer", wrap=Authorizer)


class APIGatewayProxyEvent(ProxyV1Request):
    """A REST API request (payload format 1.0), as ``app.current_event``."""

    version = field("version")
    resource = field("resource")
    path_parameters = field("pathParameters")
    stage_variables = field("stageVariables")

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


def rest_response(app: Any, request: Any, response: Response[Any]) -> dict[str, Any]:
    """The REST proxy integration response: multi-value headers, cookies as Set-Cookie values."""
    body, is_base64 = encoded_body(response)
    return {
        "statusCode": response.status_code,
        "body": body,
        "isBase64Encoded": is_base64,
        "multiValueHeaders": multi_value_headers(response),
    }


source = Source(
    "rest",
    APIGatewayProxyEvent,
    recognise=is_rest_event,
    check=check_proxy_v1_event,
    render=rest_response,
    build_event="kernel_rest.events:rest_event",
    options={
        "stage": "the stage: a named one (prod) prefixes the request context's path; $default (the default) is a custom domain",
        "resource": "the API resource the request matched (default /{proxy+})",
        "path_parameters": "the resource's path parameters (default: the proxy parameter)",
    },
)
