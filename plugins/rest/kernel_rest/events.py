"""The REST API event of an HTTP request: the builder behind ``source.build_event``.

The event is the one a REST API sends through a ``{proxy+}`` resource with
the Lambda proxy integration: single- and multi-value maps of headers and
query parameters (the single-value ones keep the last value), decoded query
parameters, and a request context with ids, the stage and the caller's
address. Binary bodies arrive base64-encoded, as when the API lists them as
binary media types.
"""

from __future__ import annotations

from typing import Any

from kernel.plugin_api import HttpRequest, object_option

DEFAULT_STAGE = "$default"
API_ID = "1234567890"


def rest_event(
    request: HttpRequest,
    *,
    stage: str = DEFAULT_STAGE,
    resource: str | None = None,
    path_parameters: dict[str, str] | None = None,
    **_: Any,
) -> dict[str, Any]:
    """Build the REST API event of ``request``.

    :param stage: the stage name. With a real stage (``prod``) the request
        context's path starts with it, as when the API is called through its
        ``execute-api`` URL; ``$default`` stands for a custom domain mapped
        to the API, where the URL path is the routed path.
    :param resource: the resource the request matched; ``/{proxy+}`` by default.
    :param path_parameters: the resource's path parameters; by default the
        ``proxy`` parameter of ``/{proxy+}``.
    """
    path = request.path
    path_parameters = object_option("path_parameters", path_parameters)
    headers = request.header_lists()
    query = request.query_lists()
    host = request.header("host") or f"{API_ID}.execute-api.us-east-1.amazonaws.com"
    if resource is None:
        resource = "/" if path == "/" else "/{proxy+}"
        if path_parameters is None and path != "/":
            path_parameters = {"proxy": path[1:]}
    body, is_base64 = request.encoded_body()
    return {
        "resource": resource,
        "path": path,
        "httpMethod": request.method,
        # API Gateway keeps the last value of a repeated header/parameter in the single-value maps.
        "headers": {name: values[-1] for name, values in headers.items()} or None,
        "multiValueHeaders": headers or None,
        "queryStringParameters": {name: values[-1] for name, values in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": API_ID,
            "domainName": host,
            "domainPrefix": host.split(".")[0],
            "extendedRequestId": request.request_id[:16],
            "httpMethod": request.method,
            "identity": {
                "accessKey": None,
                "accountId": None,
                "caller": None,
                "cognitoAuthenticationProvider": None,
                "cognitoAuthenticationType": None,
                "cognitoIdentityId": None,
                "cognitoIdentityPoolId": None,
                "principalOrgId": None,
                "sourceIp": request.source_ip,
                "user": None,
                "userAgent": request.header("user-agent"),
                "userArn": None,
            },
            "path": path if stage == DEFAULT_STAGE else f"/{stage}{path}",
            "protocol": "HTTP/1.1",
            "requestId": request.request_id,
            "requestTime": request.request_time(),
            "requestTimeEpoch": request.epoch_millis(),
            "resourceId": "a1b2c3",
            "resourcePath": resource,
            "stage": stage,
        },
        "body": body,
        "isBase64Encoded": is_base64,
    }
