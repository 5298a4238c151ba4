"""schemathesis against the served example app: no server error, every answer matches the document.

The document is read from the app's own ``/swagger?format=json``, and its
server (``/``) tells schemathesis where the API is. Each operation gets a
small, bounded number of generated requests so the run stays well under a
minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

OPERATIONS = [("GET", "/books"), ("GET", "/books/{book_id}"), ("POST", "/books")]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def bookstore_schema(bookstore):
    return schemathesis.openapi.from_url(f"{bookstore}/swagger?format=json")


def test_the_document_lists_the_bookstore_operations(bookstore_schema):
    found = sorted((operation.ok().method.upper(), operation.ok().path) for operation in bookstore_schema.get_all_operations())

    assert found == sorted(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{method} {path}" for method, path in OPERATIONS])
def test_the_api_keeps_to_its_document(bookstore_schema, method, path):
    operation = bookstore_schema[path][method]
    called = []

    # schemathesis' pytest plugin (schema.parametrize) does not run on pytest 9
    # yet, so the operation's hypothesis strategy is driven directly.
    @given(case=operation.as_strategy())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def keeps_to_the_document(case):
        response = case.call_and_validate(checks=CHECKS)
        called.append(response.status_code)

    keeps_to_the_document()

    assert called, "schemathesis sent no request"
