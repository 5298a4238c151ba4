"""The differences between kernel and Powertools that the differential test allows, each named once.

Every :class:`Difference` names the section of ``docs/migrating.md`` that
explains it to users (a test checks that the section exists). It takes the
two answers to one request, Powertools' and kernel's, read as a client reads
them (:func:`tests.powertools_patterns.harness.readable`), and returns them
with what it allows set aside, or unchanged when it does not apply. Answers
still unequal once every difference is set aside fail the test.

An answer is the response dict, or ``("raised", "ExceptionName")`` when the
library raised instead of answering.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

Answer = Any
Case = Any  # tests.fidelity.test_differential.Case


@dataclass(frozen=True)
class Difference:
    """One allowed difference: its name, the docs/migrating.md heading explaining it, and how it is set aside."""

    name: str
    section: str
    set_aside: Callable[[Case, Answer, Answer], tuple[Answer, Answer]]


def _headers_key(answer: dict[str, Any]) -> str:
    return "multiValueHeaders" if "multiValueHeaders" in answer else "headers"


def _without_header(answer: dict[str, Any], name: str) -> dict[str, Any]:
    key = _headers_key(answer)
    return {**answer, key: {k: v for k, v in (answer.get(key) or {}).items() if k.lower() != name.lower()}}


def _header(answer: dict[str, Any], name: str) -> Any:
    for key, value in (answer.get(_headers_key(answer)) or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def _both_answered(pt: Answer, kernel: Answer) -> bool:
    return isinstance(pt, dict) and isinstance(kernel, dict)


# -- each difference -------------------------------------------------------------------------


def _lattice_cookies(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    # A Lattice response has no `cookies` field: kernel sends the last cookie in Set-Cookie.
    if not case.source.startswith("lattice") or not _both_answered(pt, kernel) or "cookies" not in pt:
        return pt, kernel
    cookies = pt["cookies"]
    pt = {key: value for key, value in pt.items() if key != "cookies"}
    if cookies and _header(kernel, "Set-Cookie") == cookies[-1]:
        kernel = _without_header(kernel, "Set-Cookie")
    return pt, kernel


def _alb_joined_headers(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    # Without multi-value headers, kernel joins a header's values where Powertools keeps the last.
    if case.source != "alb" or not _both_answered(pt, kernel):
        return pt, kernel
    theirs = pt.get("headers") or {}
    headers = dict(kernel.get("headers") or {})
    for name, value in headers.items():
        if name in theirs and theirs[name] != value and value.split(", ")[-1] == theirs[name]:
            headers[name] = theirs[name]
    return pt, {**kernel, "headers": headers}


def _vary(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    # kernel's CORS and compression name the request header their answer depends on.
    if not _both_answered(pt, kernel) or _header(pt, "Vary") is not None:
        return pt, kernel
    return pt, _without_header(kernel, "Vary")


def _no_body_statuses(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    if not _both_answered(pt, kernel) or pt.get("statusCode") not in (204, 304):
        return pt, kernel
    return {**pt, "body": kernel.get("body")}, kernel


def _decoded(value: Any) -> Any:
    if isinstance(value, str):
        return unquote_plus(value)
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    if isinstance(value, dict):
        return {key: _decoded(item) for key, item in value.items()}
    return value


def _alb_query_decoded(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    # Powertools' ALBResolver hands routes the query values percent-encoded, as ALB sends them.
    if not case.source.startswith("alb") or not case.query or not _both_answered(pt, kernel):
        return pt, kernel
    return {**pt, "body": _decoded(pt.get("body"))}, kernel


def _dotted_segment(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    # In "/files/<name>.<ext>" the dot is a dot for kernel, any character for Powertools: the same
    # route answers, with the parameters split at another place.
    if not _both_answered(pt, kernel):
        return pt, kernel
    theirs, ours = pt.get("body"), kernel.get("body")
    if isinstance(theirs, dict) and isinstance(ours, dict) and theirs.get("route") == ours.get("route") == "file":
        return {**pt, "body": "file"}, {**kernel, "body": "file"}
    return pt, kernel


def _lattice_bodiless_validation(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    # Powertools fails with a TypeError when it validates a VPC Lattice request that has no body;
    # kernel validates it as any other request (a missing required body is a 422).
    if case.source.startswith("lattice") and case.body is None and pt == ("raised", "TypeError") and isinstance(kernel, dict):
        return kernel, kernel
    return pt, kernel


#: Every difference the test allows, in the order they are set aside.
DIFFERENCES: tuple[Difference, ...] = (
    Difference("VPC Lattice cookies in Set-Cookie", "Two response dicts differ", _lattice_cookies),
    Difference("ALB single-value headers joined", "Two response dicts differ", _alb_joined_headers),
    Difference("Vary names the request headers an answer depends on", "Answers say what they vary on", _vary),
    Difference("204 and 304 carry no body", "A 204 or 304 answer has no body", _no_body_statuses),
    Difference("ALB query strings decoded", "ALB query strings are decoded", _alb_query_decoded),
    Difference("a dot in a rule is a dot", "A dot in a rule is a dot", _dotted_segment),
    Difference(
        "Lattice requests without a body are validated", "Bad input is answered, not raised", _lattice_bodiless_validation
    ),
)


def set_aside(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer, list[str]]:
    """Both answers with every allowed difference set aside, and the names of those that applied."""
    applied = []
    for difference in DIFFERENCES:
        before = (pt, kernel)
        pt, kernel = difference.set_aside(case, pt, kernel)
        if (pt, kernel) != before:
            applied.append(difference.name)
    return pt, kernel, applied
