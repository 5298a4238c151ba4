"""Apps with validation on, on the REST source, and ways to read their answers."""

from __future__ import annotations

import json
from typing import Any

from kernel import APIGatewayRestResolver
from tests.events import rest_event


def validated_app(**kwargs: Any) -> APIGatewayRestResolver:
    """A REST resolver with validation on, using only the ``rest`` and ``validation`` plugins."""
    kwargs.setdefault("plugins", ["rest", "validation"])
    kwargs.setdefault("enable_validation", True)
    return APIGatewayRestResolver(**kwargs)


def answer(app: Any, method: str = "GET", path: str = "/", **event: Any) -> tuple[int, Any]:
    """Resolve a REST event; return the status and the JSON-decoded body."""
    response = app(rest_event(method, path, **event), None)
    return response["statusCode"], json.loads(response["body"])


def invalid(*errors: tuple[list[Any], str]) -> dict[str, Any]:
    """The body of a 422 answer listing ``(loc, type)`` pairs."""
    return {"statusCode": 422, "detail": [{"loc": loc, "type": kind} for loc, kind in errors]}
