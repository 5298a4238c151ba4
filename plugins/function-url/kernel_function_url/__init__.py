"""The Lambda Function URL event source.

Installed with ``pip install kernel[function-url]``; the entry point
``function-url`` makes it the source of ``LambdaFunctionUrlResolver`` and lets
an unpinned ``App()`` recognise Function URL events.

A Function URL sends the HTTP API payload format 2.0 (with ``$default`` as its
route key and stage), so the request class, the event checks and the response
shape come from the ``http`` plugin's package. An unpinned app recognises a
Function URL event by its domain: ``requestContext.domainName`` contains
``".lambda-url."``.
"""

from __future__ import annotations

from typing import Any

from kernel_http import APIGatewayProxyEventV2, is_function_url_domain, is_v2_event, parse_v2, v2_response

from kernel import hookimpl
from kernel.request import BaseRequest
from kernel.response import Response

__all__ = ["LambdaFunctionUrlEvent", "is_function_url_event"]


class LambdaFunctionUrlEvent(APIGatewayProxyEventV2):
    """A Lambda Function URL request, as ``app.current_event``.

    It has every accessor of the HTTP API request. Fields that belong to API
    Gateway features a Function URL lacks hold placeholders: ``route_key`` and
    ``request_context.stage`` are ``"$default"``, and there are no path
    parameters or stage variables.
    """


def is_function_url_event(event: Any) -> bool:
    """Whether ``event`` is a payload 2.0 event sent to a Function URL."""
    return is_v2_event(event) and is_function_url_domain(event)


@hookimpl
def parse_event(app: Any, event: dict[str, Any]) -> LambdaFunctionUrlEvent | None:
    """Wrap Function URL events; reject malformed ones when the app is pinned to this source."""
    if app.source != "function-url" and not is_function_url_event(event):
        return None
    return parse_v2(LambdaFunctionUrlEvent, event)


@hookimpl(trylast=True)
def build_response(request: BaseRequest, response: Response[Any]) -> dict[str, Any] | None:
    """The Function URL response: the HTTP API shape (single-valued headers, a ``cookies`` list)."""
    if type(request) is not LambdaFunctionUrlEvent:
        return None
    return v2_response(response)
