"""Every known difference between kernel and Powertools 3.37 that a test allows, in one list.

Each :class:`Difference` names the docs/migrating.md heading that explains it
to users (and, where that section lists several, the item's bold lead
sentence); a test checks that both are there. A difference says how the
tests meet it, in one or more of these shapes:

- ``answer``: how Powertools' response dict becomes kernel's; a pattern test
  (:mod:`tests.powertools_patterns.harness`) names the difference with
  ``allow=``.
- ``set_aside``: takes one request's two answers, Powertools' and kernel's,
  read as a client reads them, and returns them with the difference set
  aside (unchanged when it does not apply); the differential test
  (:mod:`tests.fidelity.test_differential`) applies every one.
- ``document``: how Powertools' OpenAPI document becomes kernel's, and
  ``places``: the JSON pointers (regexes) of the document where it shows.
- ``refused``: the exception kernel raises declaring an app Powertools builds.
- ``answered``: the exception Powertools raises out of ``resolve()`` on a
  request kernel answers.
- ``accessors``: the accessors of ``app.current_event`` (properties and
  methods) that answer differently, as ``"source:name"`` (``"*:*"``: any
  accessor of any source, where Powertools raises);
  :mod:`tests.fidelity.test_request_classes` allows those only.

An answer in ``set_aside`` is the response dict, or ``("raised",
"ExceptionName")`` when the library raised instead of answering.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Answer = Any
Case = Any  # tests.fidelity.test_differential.Case
Document = dict[str, Any]


@dataclass(frozen=True)
class Difference:
    """One known difference: its name, where docs/migrating.md explains it, and how tests meet it."""

    name: str
    #: The docs/migrating.md heading explaining it (without the leading ``#``).
    section: str
    #: The bold lead sentence of its item, when the section lists several.
    item: str | None = None
    answer: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    set_aside: Callable[[Case, Answer, Answer], tuple[Answer, Answer]] | None = None
    document: Callable[[Document], Document] | None = None
    places: tuple[str, ...] = ()
    refused: type[Exception] | None = None
    answered: type[Exception] | None = None
    accessors: tuple[str, ...] = ()


# -- helpers ---------------------------------------------------------------------------------


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


# -- response dicts --------------------------------------------------------------------------


def _lattice_cookies_answer(answer: dict[str, Any]) -> dict[str, Any]:
    # A Lattice response has no `cookies` field, so kernel sends the last cookie in a Set-Cookie
    # header where Powertools returns a `cookies` list (an empty one when there is no cookie).
    cookies = answer.pop("cookies", [])
    if cookies:
        answer["headers"]["Set-Cookie"] = cookies[-1]
    return answer


def _lattice_cookies(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
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


def _add_vary(field: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def add(answer: dict[str, Any]) -> dict[str, Any]:
        if "multiValueHeaders" in answer:
            answer["multiValueHeaders"]["Vary"] = [field]
        else:
            answer["headers"]["Vary"] = field
        return answer

    return add


def _vary(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    # kernel's CORS and compression name the request header their answer depends on.
    if not _both_answered(pt, kernel) or _header(pt, "Vary") is not None:
        return pt, kernel
    return pt, _without_header(kernel, "Vary")


def _no_body_statuses(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    if not _both_answered(pt, kernel) or pt.get("statusCode") not in (204, 304):
        return pt, kernel
    return {**pt, "body": kernel.get("body")}, kernel


def _alb_both_modes(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    # kernel's ALBEvent fills the single-value maps in multi-value mode (each name's last value),
    # where Powertools' are empty: kernel answers what Powertools answers once the event has them.
    if case.source != "alb-multi" or pt == kernel:
        return pt, kernel
    from tests.fidelity.test_differential import POWERTOOLS, answer

    event = case.event()
    for multi, single in (("multiValueHeaders", "headers"), ("multiValueQueryStringParameters", "queryStringParameters")):
        event[single] = {name: values[-1] for name, values in (event.get(multi) or {}).items() if values}
    if answer(POWERTOOLS, case, event) == kernel:
        return kernel, kernel
    return pt, kernel


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


def _too_large(message: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    # Powertools reads a form of any number of fields and files; kernel answers one past its caps 413.
    def refuse(answer: dict[str, Any]) -> dict[str, Any]:
        return {**answer, "statusCode": 413, "body": {"statusCode": 413, "message": message}}

    return refuse


def _multipart(case: Case) -> bool:
    for name, values in (getattr(case, "headers", None) or {}).items():
        if name.lower() == "content-type":
            value = values[-1] if isinstance(values, list) and values else values
            return isinstance(value, str) and value.lower().startswith("multipart/form-data")
    return False


def _refused_where_kernel_answered(pt: Answer, kernel: Answer, kind: str, depth: int) -> bool:
    """Powertools answered 422 with ``kind`` errors only, each at a body loc ``depth`` long; kernel 2xx."""
    if not _both_answered(pt, kernel) or pt.get("statusCode") != 422 or not 200 <= kernel.get("statusCode", 0) < 300:
        return False
    body = pt.get("body")
    errors = body.get("detail") if isinstance(body, dict) else None
    return (
        isinstance(errors, list)
        and bool(errors)
        and all(
            isinstance(error, dict)
            and error.get("type") == kind
            and isinstance(error.get("loc"), list)
            and len(error["loc"]) == depth
            and error["loc"][0] == "body"
            for error in errors
        )
    )


def _form_list_of_bytes(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    # Powertools validates the files sent under a list[bytes] name as its UploadFile objects, which
    # are not bytes: a 422 bytes_type for each file (at its index); kernel passes each file's bytes.
    if _multipart(case) and _refused_where_kernel_answered(pt, kernel, "bytes_type", 3):
        return kernel, kernel
    return pt, kernel


def _form_list_of_one(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer]:
    # A name sent once in a multipart body is a bare value for Powertools, which a list-typed Form()
    # (or File() text field) refuses with a 422 list_type; kernel passes a list of one.
    if _multipart(case) and _refused_where_kernel_answered(pt, kernel, "list_type", 2):
        return kernel, kernel
    return pt, kernel


# -- OpenAPI documents -----------------------------------------------------------------------


def _error_schemas(document: Document) -> Document:
    # statusCode is listed (and required) and ValidationError requires only loc and type.
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ResponseValidationError"):
        if name in schemas:
            schema = schemas[name]
            schema["properties"] = {"statusCode": {"type": "integer", "title": "Status Code"}, **schema["properties"]}
            schema["required"] = ["statusCode", "detail"]
    if "ValidationError" in schemas:
        schemas["ValidationError"]["required"] = ["loc", "type"]
    return document


def _default_title(document: Document) -> Document:
    if document["info"]["title"] == "Powertools for AWS Lambda (Python) API":
        document["info"]["title"] = "API"
    return document


# -- the list --------------------------------------------------------------------------------

TWO_DICTS = "Two response dicts differ"
BAD_INPUT = "Bad input is answered, not raised"
OPENAPI = "OpenAPI and schema validation"
VARY = "Answers say what they vary on"
REQUESTS = "Request objects are the sources' own"
FORM_CAPS = "A form holds at most 1,000 fields and 1,000 files"
FORM_TYPES = "A form parameter receives the type it declares"

#: Every known difference, in the order the differential test sets them aside.
KNOWN: tuple[Difference, ...] = (
    Difference(
        "lattice-cookies",
        TWO_DICTS,
        item="VPC Lattice.",
        answer=_lattice_cookies_answer,
        set_aside=_lattice_cookies,
    ),
    Difference("alb-joined-headers", TWO_DICTS, item="ALB without multi-value headers.", set_aside=_alb_joined_headers),
    # Every answer of a CORS route (and every preflight) carries Vary: Origin, every answer of a
    # compress=True route Vary: Accept-Encoding, so that caches keep different clients' answers apart.
    Difference("vary", VARY, set_aside=_vary),
    Difference("cors-vary", VARY, answer=_add_vary("Origin")),
    Difference("compress-vary", VARY, answer=_add_vary("Accept-Encoding")),
    Difference("no-body-statuses", "A 204 or 304 answer has no body", set_aside=_no_body_statuses),
    Difference(
        "alb-both-modes",
        "ALB requests read alike in both target group modes",
        set_aside=_alb_both_modes,
        accessors=(
            "alb:multi_value_headers",
            "alb:multi_value_query_string_parameters",
            "alb:get_multi_value_query_string_values",
            "alb-multi:headers",
            "alb-multi:query_string_parameters",
            "alb-multi:get_header_value",
            "alb-multi:get_query_string_value",
        ),
    ),
    # Powertools reads get_multi_value_query_string_values() from a multi-value map these sources
    # do not have, so it answers [] (or the default) for every name; kernel lists the values sent.
    Difference(
        "multi-value-query-lists",
        REQUESTS,
        item="get_multi_value_query_string_values() lists the values sent.",
        accessors=(
            "function-url:get_multi_value_query_string_values",
            "lattice:get_multi_value_query_string_values",
            "lattice-v2:get_multi_value_query_string_values",
        ),
    ),
    # A part the event lacks (no headers, no body...) reads None or empty where Powertools raises.
    Difference("lacking-parts-read-empty", REQUESTS, item="A part the event lacks reads empty.", accessors=("*:*",)),
    Difference("dotted-segment", "A dot in a rule is a dot", set_aside=_dotted_segment),
    Difference("lattice-bodiless-validation", BAD_INPUT, set_aside=_lattice_bodiless_validation),
    Difference("form-fields-cap", FORM_CAPS, answer=_too_large("The form has more than 1000 fields")),
    Difference("form-files-cap", FORM_CAPS, answer=_too_large("The form has more than 1000 files")),
    # Several files under a list[bytes] name: Powertools answers 422 (bytes_type), kernel passes the bytes.
    Difference("form-list-of-bytes", FORM_TYPES, set_aside=_form_list_of_bytes),
    # One part under a list-typed name: Powertools passes the UploadFile itself, unvalidated (a route
    # iterating it raises TypeError), or answers a text field 422 (list_type); kernel passes a list of one.
    Difference("form-list-of-one", FORM_TYPES, set_aside=_form_list_of_one, answered=TypeError),
    # Several files under a bytes name: Powertools passes the first UploadFile, unvalidated, where the
    # route declared bytes (bytes' methods raise AttributeError); kernel passes the first file's bytes.
    Difference("form-bytes-of-several-files", FORM_TYPES, answered=AttributeError),
    # A rule that is neither a path nor a regular expression ("items") is a ValueError where it is declared.
    Difference("rule-without-slash", BAD_INPUT, refused=ValueError),
    # json_body of a body that is not JSON is a 400 answer, not a JSONDecodeError failing the invocation.
    Difference("invalid-json-body", BAD_INPUT, answered=json.JSONDecodeError),
    # Dates, UUIDs, enums, sets... are serialised where Powertools' serializer raises TypeError.
    Difference("serializer-types", "The default JSON serializer takes more types", answered=TypeError),
    Difference(
        "validation-error-schemas",
        OPENAPI,
        item="The validation error schemas describe the 422 body sent.",
        document=_error_schemas,
        places=(
            r"^components/schemas/(HTTPValidationError|ResponseValidationError)/(properties/statusCode|required)$",
            r"^components/schemas/ValidationError/required$",
        ),
    ),
    Difference("default-title", OPENAPI, item="The default title names no product.", document=_default_title),
    Difference(
        "validation-schemas-only-with-validation",
        OPENAPI,
        item="No validation error schemas without validation.",
        places=(r"^components$",),
    ),
)

BY_NAME: dict[str, Difference] = {difference.name: difference for difference in KNOWN}


def set_aside(case: Case, pt: Answer, kernel: Answer) -> tuple[Answer, Answer, list[str]]:
    """Both answers with every ``set_aside`` difference set aside, and the names of those that applied."""
    applied = []
    for difference in KNOWN:
        if difference.set_aside is None:
            continue
        before = (pt, kernel)
        pt, kernel = difference.set_aside(case, pt, kernel)
        if (pt, kernel) != before:
            applied.append(difference.name)
    return pt, kernel, applied
