"""The OpenAPI document and the Swagger UI page of the same app, on Powertools 3.37 and on kernel.

The documents are compared as JSON. Where kernel's document says something
else on purpose, the place is one of :data:`OPENAPI_PLACES`, those of the
differences of :mod:`tests.known_differences` (each explained in
docs/migrating.md, "OpenAPI and schema validation"); nothing else may differ.
The Swagger UI pages are different pages by design (docs/migrating.md, "The
Swagger UI page"): they are compared on what a browser and a client rely on,
the status, the content type and the document the page serves.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import pytest

from tests.fidelity.apps import AREAS
from tests.fidelity.test_differential import SOURCES
from tests.known_differences import KNOWN
from tests.powertools_patterns.names import library

#: Places of the OpenAPI document where kernel's differs from Powertools' on purpose (regexes of
#: JSON pointers), from the known differences.
OPENAPI_PLACES: tuple[str, ...] = tuple(place for difference in KNOWN for place in difference.places)


def differences(theirs: Any, ours: Any, path: str = "") -> list[str]:
    """The JSON pointers (without the leading "/") where two documents differ; numbers compare by value."""
    if isinstance(theirs, dict) and isinstance(ours, dict):
        found = []
        for key in sorted(set(theirs) | set(ours)):
            escaped = key.replace("~", "~0").replace("/", "~1")
            where = f"{path}/{escaped}" if path else escaped
            if key not in theirs or key not in ours:
                found.append(where)
            else:
                found.extend(differences(theirs[key], ours[key], where))
        return found
    if isinstance(theirs, list) and isinstance(ours, list) and len(theirs) == len(ours):
        pairs = enumerate(zip(theirs, ours, strict=True))
        return [where for index, pair in pairs for where in differences(*pair, f"{path}/{index}")]
    return [] if theirs == ours else [path]


def documented_app(which: str, area: str, source: str) -> Any:
    build, _ = AREAS[area]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build(library(which), SOURCES[source][0])


@pytest.mark.parametrize("area", ["validation", "routing", "exceptions"])
def test_the_openapi_documents_are_equal_but_for_the_named_differences(area):
    documents = []
    for which in ("powertools", "kernel"):
        app = documented_app(which, area, "rest")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            documents.append(json.loads(app.get_openapi_json_schema(title="Orders", version="1.2.0", description="The API")))
    unexplained = [where for where in differences(*documents) if not any(re.search(pattern, where) for pattern in OPENAPI_PLACES)]
    assert unexplained == []


def swagger_answers(which: str, query: dict[str, str] | None = None) -> dict[str, Any]:
    _, source, options = SOURCES["rest"]
    app = documented_app(which, "validation", "rest")
    app.enable_swagger(path="/swagger", title="Orders", version="1.2.0")
    return app.resolve(source.event("GET", "/swagger", query=query or {}, **options), None)


def test_the_swagger_page_is_served_as_html_with_the_document_of_the_app():
    for which in ("powertools", "kernel"):
        page = swagger_answers(which)
        assert page["statusCode"] == 200
        assert page["multiValueHeaders"]["Content-Type"] == ["text/html"]
        assert "swagger-ui" in page["body"]
    theirs = json.loads(swagger_answers("powertools", {"format": "json"})["body"])
    ours = json.loads(swagger_answers("kernel", {"format": "json"})["body"])
    unexplained = [where for where in differences(theirs, ours) if not any(re.search(p, where) for p in OPENAPI_PLACES)]
    assert unexplained == []
