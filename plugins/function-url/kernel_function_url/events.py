"""The Function URL event of an HTTP request: the builder behind ``source.build_event``.

A Function URL sends the HTTP API payload 2.0, so the event is built by the
``http`` plugin's :func:`kernel_http.events.payload_v2_event`, given what
tells a Function URL apart: its ``<url_id>.lambda-url.<region>.on.aws``
domain (how an unpinned ``App()`` recognises the event, whatever ``host`` the
client sent), the ``anonymous`` account of a URL without IAM auth, and the
``$default`` placeholders of route and stage.
"""

from __future__ import annotations

from typing import Any

from kernel_http.events import payload_v2_event

from kernel.plugin_api import HttpRequest

URL_ID = "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"


def function_url_event(request: HttpRequest, *, url_id: str = URL_ID, **_: Any) -> dict[str, Any]:
    """Build the Function URL event of ``request``.

    :param url_id: the URL's id, the first label of its domain.
    """
    return payload_v2_event(
        request,
        domain=f"{url_id}.lambda-url.us-east-1.on.aws",
        api_id=url_id,
        # A URL whose auth type is NONE names no caller account.
        account_id="anonymous",
    )
