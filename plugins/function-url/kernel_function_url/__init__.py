"""The Lambda Function URL event source.

Installed with ``pip install --no-index --find-links dist "kernel[function-url]"`` from the
wheelhouse ``scripts/wheelhouse`` builds; the entry point
``function-url`` makes it the source of ``LambdaFunctionUrlResolver`` and lets
an unpinned ``App()`` recognise Function URL events.

A Function URL sends the HTTP API payload format 2.0 (with ``$default`` as its
route key and stage), so the request class, the event checks, the response
shape and the event builder come from the ``http`` plugin's package. An
unpinned app recognises a Function URL event by its domain:
``requestContext.domainName`` contains ``".lambda-url."``.
"""

from __future__ import annotations

from typing import Any

from kernel_http import APIGatewayProxyEventV2, check_v2_event, is_function_url_domain, is_v2_event, v2_response

from kernel.plugin_api import Source

__all__ = ["LambdaFunctionUrlEvent", "is_function_url_event", "source"]


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


source = Source(
    "function-url",
    LambdaFunctionUrlEvent,
    recognise=is_function_url_event,
    check=check_v2_event,
    render=v2_response,
    build_event="kernel_function_url.events:function_url_event",
    options={
        "url_id": "the Function URL's id, the first label of its <url_id>.lambda-url.us-east-1.on.aws domain",
    },
)
