"""Run one pattern app on Powertools and on kernel, and compare what each answers.

An app is a function of the name table (see :mod:`.names`) returning the
resolver. :func:`answers` builds it once per library, resolves the same
events with each, and asserts that the response dicts are equal: status,
every header (single- and multi-value), cookies, the base64 flag and the
body. Bodies are compared as the client reads them: base64 undone, gzip
undone, and JSON parsed (so key order and spacing never count).

Where kernel behaves differently on purpose, the difference is named in
the one allow-list below, each entry documented in docs/migrating.md: an
answer changed in a known way (:data:`DELIBERATE`, which a test names with
``allow=``), an app kernel refuses to build (:data:`REFUSED`, checked by
:func:`refused`) or a request kernel answers where Powertools raises
(:data:`ANSWERED`, checked by :func:`answered`); and for OpenAPI documents,
:data:`DOCUMENT` (applied by :func:`as_kernel_document`).
"""

from __future__ import annotations

import base64
import copy
import gzip
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from tests.powertools_patterns.names import library

App = Any
Build = Callable[[SimpleNamespace], App]


@dataclass
class LambdaContext:
    """The Lambda context of Powertools' testing pattern: the attributes handlers read."""

    function_name: str = "patterns"
    memory_limit_in_mb: int = 128
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:patterns"
    aws_request_id: str = "52fdfc07-2182-154f-163f-5f0f9a621d72"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def _lattice_cookies(answer: dict[str, Any]) -> dict[str, Any]:
    # docs/migrating.md, "Two response dicts differ": a Lattice response has no `cookies` field, so
    # kernel sends the last cookie in a Set-Cookie header where Powertools returns a `cookies` list
    # (an empty one when there is no cookie).
    cookies = answer.pop("cookies", [])
    if cookies:
        answer["headers"]["Set-Cookie"] = cookies[-1]
    return answer


def _vary(field: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def add(answer: dict[str, Any]) -> dict[str, Any]:
        if "multiValueHeaders" in answer:
            answer["multiValueHeaders"]["Vary"] = [field]
        else:
            answer["headers"]["Vary"] = field
        return answer

    return add


# The deliberate differences (docs/migrating.md, "Differences that remain") that patterns meet:
# name -> how Powertools' answer becomes kernel's.
DELIBERATE: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "lattice-cookies": _lattice_cookies,
    # docs/migrating.md, "Answers say what they vary on": every answer of a CORS route (and every
    # preflight) carries Vary: Origin, every answer of a compress=True route Vary: Accept-Encoding,
    # so that caches keep the answers to different clients apart.
    "cors-vary": _vary("Origin"),
    "compress-vary": _vary("Accept-Encoding"),
}


def _error_schemas(document: dict[str, Any]) -> dict[str, Any]:
    # docs/migrating.md, "The validation error schemas describe the 422 body sent": statusCode is
    # listed (and required) and ValidationError requires only loc and type.
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ResponseValidationError"):
        if name in schemas:
            schema = schemas[name]
            schema["properties"] = {"statusCode": {"type": "integer", "title": "Status Code"}, **schema["properties"]}
            schema["required"] = ["statusCode", "detail"]
    if "ValidationError" in schemas:
        schemas["ValidationError"]["required"] = ["loc", "type"]
    return document


def _default_title(document: dict[str, Any]) -> dict[str, Any]:
    # docs/migrating.md, "The default title names no product".
    if document["info"]["title"] == "Powertools for AWS Lambda (Python) API":
        document["info"]["title"] = "API"
    return document


# The deliberate differences of OpenAPI documents: name -> how Powertools' document becomes kernel's.
DOCUMENT: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "validation-error-schemas": _error_schemas,
    "default-title": _default_title,
}


def as_kernel_document(document: dict[str, Any], allow: tuple[str, ...]) -> dict[str, Any]:
    """Powertools' OpenAPI ``document`` changed by the :data:`DOCUMENT` differences ``allow`` names."""
    document = copy.deepcopy(document)
    for name in allow:
        document = DOCUMENT[name](document)
    return document


# The deliberate refusals: apps Powertools builds and kernel refuses when they are declared.
# name -> the exception kernel raises.
REFUSED: dict[str, type[Exception]] = {
    # docs/migrating.md, "Bad input is answered, not raised": a rule that is neither a path nor a
    # regular expression ("items") is a ValueError where it is declared.
    "rule-without-slash": ValueError,
}

# The deliberate answers: requests that make Powertools raise out of resolve() and that kernel answers.
# name -> the exception Powertools raises.
ANSWERED: dict[str, type[Exception]] = {
    # docs/migrating.md, "Bad input is answered, not raised": json_body of a body that is not JSON
    # is a 400 answer, not a JSONDecodeError that fails the invocation.
    "invalid-json-body": json.JSONDecodeError,
    # docs/migrating.md, "The default JSON serializer takes more types": dates, UUIDs, enums, sets...
    # are serialised where Powertools' serializer raises TypeError.
    "serializer-types": TypeError,
}


def readable(answer: dict[str, Any]) -> dict[str, Any]:
    """``answer`` with its body as a client reads it: bytes decoded, decompressed, JSON parsed."""
    answer = copy.deepcopy(answer)
    body = answer.get("body")
    if not isinstance(body, str):
        return answer
    data = base64.b64decode(body) if answer.get("isBase64Encoded") else body.encode()
    encoding = _header(answer, "content-encoding")
    if encoding == "gzip":
        data = gzip.decompress(data)
    elif encoding == "deflate":
        data = zlib.decompress(data)
    try:
        answer["body"] = json.loads(data)
    except ValueError:
        answer["body"] = data
    return answer


def _header(answer: dict[str, Any], name: str) -> str | None:
    for key, value in (answer.get("headers") or {}).items():
        if key.lower() == name:
            return value
    for key, values in (answer.get("multiValueHeaders") or {}).items():
        if key.lower() == name:
            return values[-1]
    return None


def _label(event: dict[str, Any]) -> str:
    http = (event.get("requestContext") or {}).get("http") or {}
    method = event.get("httpMethod") or event.get("method") or http.get("method")
    return f"{method} {event.get('path') or event.get('rawPath')}"


def both(build: Build) -> tuple[App, App]:
    """The app ``build`` makes, on Powertools and on kernel."""
    return build(library("powertools")), build(library("kernel"))


def answers(
    build: Build,
    *events: dict[str, Any],
    allow: tuple[str, ...] = (),
    context: Any = None,
) -> list[dict[str, Any]]:
    """Resolve ``events`` with the app on both libraries; assert equal answers; return kernel's (readable).

    :param allow: names of :data:`DELIBERATE` differences these events meet.
    """
    powertools_app, kernel_app = both(build)
    return compare(powertools_app, kernel_app, *events, allow=allow, context=context)


def compare(
    powertools_app: App,
    kernel_app: App,
    *events: dict[str, Any],
    allow: tuple[str, ...] = (),
    context: Any = None,
) -> list[dict[str, Any]]:
    """Like :func:`answers`, for apps built by the test."""
    context = context or LambdaContext()
    results = []
    for event in events:
        expected = readable(powertools_app.resolve(copy.deepcopy(event), context))
        for name in allow:
            expected = DELIBERATE[name](expected)
        got = readable(kernel_app.resolve(copy.deepcopy(event), context))
        assert got == expected, _label(event)
        results.append(got)
    return results


def refused(build: Build, name: str) -> Exception:
    """Assert that Powertools builds the app and kernel refuses it with the :data:`REFUSED` ``name``; return the error."""
    build(library("powertools"))
    try:
        build(library("kernel"))
    except REFUSED[name] as error:
        return error
    raise AssertionError(f"kernel built an app it should refuse ({name})")


def answered(build: Build, event: dict[str, Any], name: str, context: Any = None) -> dict[str, Any]:
    """Assert that Powertools raises the :data:`ANSWERED` ``name`` on ``event`` and return kernel's (readable) answer."""
    powertools_app, kernel_app = both(build)
    context = context or LambdaContext()
    try:
        powertools_app.resolve(copy.deepcopy(event), context)
    except ANSWERED[name]:
        pass
    else:
        raise AssertionError(f"Powertools answered where it should raise ({name})")
    return readable(kernel_app.resolve(copy.deepcopy(event), context))


def answer(build: Build, event: dict[str, Any], allow: tuple[str, ...] = (), context: Any = None) -> dict[str, Any]:
    """:func:`answers` for one event."""
    return answers(build, event, allow=allow, context=context)[0]
