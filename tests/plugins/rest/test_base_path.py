"""The stage a REST request's URL carries, as ``base_path()`` gives it (the Swagger UI page builds its URLs on it)."""

from __future__ import annotations

from typing import Any

import pytest
from kernel_rest import APIGatewayProxyEvent

from tests.events import rest_event


def with_context(stage: Any, context_path: Any) -> APIGatewayProxyEvent:
    event = rest_event("GET", "/orders/42")
    event["requestContext"]["stage"] = stage
    event["requestContext"]["path"] = context_path
    return APIGatewayProxyEvent(event)


@pytest.mark.parametrize(
    ("stage", "context_path", "base"),
    [
        # Called through the execute-api URL: the stage leads the context's path.
        ("prod", "/prod/orders/42", "/prod"),
        ("beta_2", "/beta_2/orders/42", "/beta_2"),
        # Through a custom domain whose base path mapping (/v1) leads to the stage: no stage in the URL.
        ("prod", "/v1/orders/42", ""),
        # A custom domain mapped at its root.
        ("prod", "/orders/42", ""),
        # A custom domain's first segment that merely starts with the stage's name is not the stage.
        ("prod", "/production/orders/42", ""),
        ("prod", "/prod", "/prod"),
        # The default stage stands for a custom domain.
        ("$default", "/orders/42", ""),
        # ... even when the API has a resource of that name: the default stage is never in a URL.
        ("$default", "/$default/orders/42", ""),
    ],
)
def test_the_stage_is_the_base_path_only_when_the_url_carries_it(stage, context_path, base):
    assert with_context(stage, context_path).base_path() == base


@pytest.mark.parametrize(
    ("stage", "context_path"),
    [
        (None, "/prod/orders/42"),
        (7, "/7/orders/42"),
        ("", "/orders/42"),
        ("", "/"),
        ("prod", None),
        ("prod", 7),
        (["prod"], ["/prod"]),
    ],
)
def test_a_malformed_request_context_has_no_base_path(stage, context_path):
    assert with_context(stage, context_path).base_path() == ""


def test_no_request_context_has_no_base_path():
    event = rest_event("GET", "/orders/42")
    del event["requestContext"]
    assert APIGatewayProxyEvent(event).base_path() == ""
