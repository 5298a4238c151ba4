"""Custom domains: a base path mapping routed without its prefix (strip_prefixes)."""

from __future__ import annotations

import re

from tests.events import http_event, rest_event
from tests.powertools_patterns.harness import answer, answers


def stripped(lib):
    app = lib.APIGatewayRestResolver(strip_prefixes=["/payment"])

    @app.get("/subscriptions/<subscription>")
    def get_subscription(subscription):
        return {"subscription_id": subscription}

    @app.get("/")
    def root():
        return {"root": True}

    return app


def test_prefix_stripped():
    response = answer(stripped, rest_event("GET", "/payment/subscriptions/123", stage="$default"))
    assert response["body"] == {"subscription_id": "123"}


def test_path_without_prefix():
    response = answer(stripped, rest_event("GET", "/subscriptions/123", stage="$default"))
    assert response["body"] == {"subscription_id": "123"}


def test_prefix_alone_is_the_root():
    response = answer(stripped, rest_event("GET", "/payment", stage="$default"))
    assert response["body"] == {"root": True}


def stripped_by_regex(lib):
    app = lib.APIGatewayHttpResolver(strip_prefixes=[re.compile(r"/v[1-3]+")])

    @app.get("/orders")
    def orders():
        return {"orders": []}

    return app


def test_prefix_stripped_by_regex():
    v1, v3 = answers(stripped_by_regex, http_event("GET", "/v1/orders"), http_event("GET", "/v3/orders"))
    assert v1["body"] == v3["body"] == {"orders": []}
