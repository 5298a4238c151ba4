"""Shared helpers of the kernel tests: apps on the REST source and reading their answers.

The kernel needs an event source to run at all; these tests use the ``rest``
plugin, always enabled by name, so they never depend on what else is installed.
"""

from __future__ import annotations

import json
from typing import Any

from kernel import APIGatewayRestResolver
from tests.events import rest_event


def rest_app(**kwargs: Any) -> APIGatewayRestResolver:
    """A REST resolver using only the ``rest`` plugin (unless ``plugins`` says otherwise)."""
    kwargs.setdefault("plugins", ["rest"])
    return APIGatewayRestResolver(**kwargs)


def call(app: Any, method: str = "GET", path: str = "/", context: Any = None, **event: Any) -> dict[str, Any]:
    """Resolve a REST event built from ``method``, ``path`` and the keywords of ``rest_event``."""
    return app(rest_event(method, path, **event), context)


def json_response(status: int, body: Any, headers: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The exact REST response dict of a JSON answer (compact serialisation) plus ``headers``."""
    return {
        "statusCode": status,
        "body": json.dumps(body, separators=(",", ":")),
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"], **(headers or {})},
    }


NOT_FOUND = json_response(404, {"statusCode": 404, "message": "Not found"})
