"""Run one pattern app on Powertools and on kernel, and compare what each answers.

An app is a function of the name table (see :mod:`.names`) returning the
resolver. :func:`answers` builds it once per library, resolves the same
events with each, and asserts that the response dicts are equal: status,
every header (single- and multi-value), cookies, the base64 flag and the
body. Bodies are compared as the client reads them: base64 undone, gzip
undone, and JSON parsed (so key order and spacing never count).

Where kernel behaves differently on purpose, the difference is named in
the one list of :mod:`tests.known_differences` (shared with the
differential tests), each entry documented in docs/migrating.md: an
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

from tests.known_differences import KNOWN
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


# The known differences these tests meet (each explained in docs/migrating.md): one list,
# tests.known_differences, shared with the differential tests. By name:
#: how Powertools' answer becomes kernel's (a test names the difference with ``allow=``);
DELIBERATE: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    difference.name: difference.answer for difference in KNOWN if difference.answer is not None
}
#: how Powertools' OpenAPI document becomes kernel's;
DOCUMENT: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    difference.name: difference.document for difference in KNOWN if difference.document is not None
}
#: the exception kernel raises declaring an app Powertools builds;
REFUSED: dict[str, type[Exception]] = {
    difference.name: difference.refused for difference in KNOWN if difference.refused is not None
}
#: the exception Powertools raises out of resolve() on a request kernel answers.
ANSWERED: dict[str, type[Exception]] = {
    difference.name: difference.answered for difference in KNOWN if difference.answered is not None
}


def as_kernel_document(document: dict[str, Any], allow: tuple[str, ...]) -> dict[str, Any]:
    """Powertools' OpenAPI ``document`` changed by the :data:`DOCUMENT` differences ``allow`` names."""
    document = copy.deepcopy(document)
    for name in allow:
        document = DOCUMENT[name](document)
    return document


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
