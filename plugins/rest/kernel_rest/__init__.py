"""The API Gateway REST API event source (Lambda proxy integration, payload 1.0).

Installed with ``pip install --no-index --find-links dist "kernel[rest]"`` from the
wheelhouse ``scripts/wheelhouse`` builds; the entry point ``rest`` makes it
the source of ``APIGatewayRestResolver`` and lets an unpinned ``App()``
recognise REST events.
"""

from __future__ import annotations

from typing import Any

from kernel.plugin_api import Response, Source, check_proxy_v1_event, encoded_body, multi_value_headers
from kernel_rest.request import (
    APIGatewayProxyEvent,
    Authorizer,
    Identity,
    RequestContext,
)

__all__ = ["APIGatewayProxyEvent", "Authorizer", "Identity", "RequestContext", "is_rest_event", "source"]


def is_rest_event(event: Any) -> bool:
    """Whether ``event`` has the shape of a REST API (payload 1.0) event."""
    if not isinstance(event, dict) or "httpMethod" not in event or "path" not in event:
        return False
    context = event.get("requestContext")
    # ALB events also carry httpMethod and path, but their context names the load balancer.
    return not (isinstance(context, dict) and "elb" in context)


def rest_response(app: Any, request: Any, response: Response[Any]) -> dict[str, Any]:
    """The REST proxy integration response: multi-value headers, cookies as Set-Cookie values."""
    # proxy_response() written out, without its keyword arguments: every answer of the source is made here.
    body = response.body
    # encoded_body(), without the call for the usual text body.
    if type(body) is str:
        is_base64 = response.base64_encoded
    else:
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
