"""Hostile events: mutated sample events of every source never crash ``resolve()`` nor leak internals.

For each source of :data:`tests.sources.CASES`, hypothesis builds a realistic
event with the source's own builder (hostile paths, headers, query strings,
cookies and bodies: deep JSON, huge integers, bad base64, text that is not
UTF-8), then mutates it: drops keys, changes the type of values, inserts
huge, deeply nested or non-ASCII values. Each event goes through the raw
``resolve()`` of an app pinned to the source, with and without validation,
whose routes read every accessor of the request. None of the routes raises on
purpose, so:

- ``resolve()`` never raises;
- every answer reads back in the source's response shape, with an ``int``
  status;
- no body carries a traceback, a file path or the validation library's text
  (the apps are not in debug mode).

A third property sends each source that carries headers and raw bodies
(:func:`tests.sources.supporting`) hostile requests for the parameter kinds
validation reads from more than JSON: a urlencoded form, a multipart upload,
cookies and a ``Depends()`` tree reading a header. Their bodies are broken
forms and multipart messages (boundaries missing, repeated, too long or not
latin-1; bodies cut short, not UTF-8, not base64), their content types wrong,
their cookies malformed; and their error bodies must not carry pydantic's
internals either (``input_value``, its documentation URLs).

Each run first tries a few seed events per source (one of each hostile body
and path kind it can carry), then drawn ones. CI draws a modest number: 30
per source and app, the same ones on every run (``derandomize``), so a
failure there is reproducible. To search longer, with fresh examples on each
run, set ``KERNEL_HYPOTHESIS_EXAMPLES`` to the number per source and app::

    KERNEL_HYPOTHESIS_EXAMPLES=2000 .venv/bin/pytest -p no:cacheprovider tests/behaviour/test_hostile_events.py

(about 36,000 events, some four minutes on a 2-core machine). A failure
prints the smallest event hypothesis found that fails.
"""

from __future__ import annotations

import base64
import os
from typing import Annotated, Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kernel_validation import Cookie

from kernel import Body, Depends, File, Form, Header, ServiceError, UnauthorizedError, UploadFile
from tests.sources import CASES, SourceCase, supporting

EXAMPLES_ENV = "KERNEL_HYPOTHESIS_EXAMPLES"
LONG_RUN = os.environ.get(EXAMPLES_ENV, "").strip() != ""
# Per source and app (plain, validated): 60 examples per source in CI.
EXAMPLES = int(os.environ.get(EXAMPLES_ENV) or 30)

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # Reproducible in CI; a long run explores new examples each time.
    derandomize=not LONG_RUN,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# What must never reach a client outside debug mode: a traceback, a path to a
# source file, pydantic's own words.
LEAKS = ("Traceback", ".py", "pydantic", "validation error for")

# The body the builder is given, found again in the built event (as text, or
# as its base64) and replaced by a hostile body the builder would not make.
MARKER = "kernel-hostile-marker"
MARKER_BASE64 = base64.b64encode(MARKER.encode()).decode()


MAX_NESTING = 250


def _nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


# -- hostile values ---------------------------------------------------------------

# Bodies, by kind, each kind as likely as the others.
DEEP_BODIES = [
    "[" * 1_000 + "]" * 1_000,  # 2 KB, nested deeper than the parser recurses
    '{"a":' * 5_000 + "1" + "}" * 5_000,
    "[" * 100_000,
]
HUGE_NUMBER_BODIES = [
    "1" * 4_301,  # more digits than int() converts
    '{"n": -' + "9" * 20_000 + "}",
    "1e99999",
]
ODD_BODIES = [
    "NaN",
    "-Infinity",
    '{"a": "\\ud800"}',
    "\ud800",  # a lone surrogate: no UTF-8 text has one
    "{",
    "",
    " ",
    "null",
    '{"a": 1}',
    '"text"',
    "caf\u00e9 \U0001f600",
    "\x00\x01\x02",
    "x" * 300_000,
]
HOSTILE_BODIES = [*DEEP_BODIES, *HUGE_NUMBER_BODIES, *ODD_BODIES]
hostile_bodies = st.one_of(st.sampled_from(DEEP_BODIES), st.sampled_from(HUGE_NUMBER_BODIES), st.sampled_from(ODD_BODIES))
# Bodies sent with the base64 flag: not base64 at all, not ASCII, not UTF-8 once decoded.
HOSTILE_BASE64 = [
    "%%%",
    "\u00e9t\u00e9",
    "YWJj\u00e9",
    "YQ",  # missing padding
    "YQ===",
    base64.b64encode(b"\xff\xfe\xfd").decode(),
    base64.b64encode(b'{"a": ' + b"[" * 2_000 + b"}").decode(),
    base64.b64encode(b"1" * 5_000).decode(),
    "",
    " ",
]

json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
hostile_values = st.one_of(
    json_leaves,
    st.lists(json_leaves, max_size=3),
    st.dictionaries(st.text(max_size=8), json_leaves, max_size=3),
    st.sampled_from(HOSTILE_BODIES),
    st.sampled_from(HOSTILE_BASE64),
    st.just(10**5_000),  # str() of it raises ValueError
    # Nested values, as deep as hypothesis can still print in a failure report
    # (a Lambda event is parsed by json.loads: never deeper than about 1,000).
    st.integers(min_value=50, max_value=MAX_NESTING).map(_nested),
    # Built afresh for each example: a mutation may add to them.
    st.builds(lambda: {"a": _nested(MAX_NESTING)}),
    st.builds(lambda: ["x"] * 10_000),
    st.just("\u00e9\U0001f600\u200b" * 10_000),
)

# Paths with what routing finds hard: long segments full of separators for the
# mixed segments below (the old regex backtracked on them), odd characters,
# escapes, empty segments.
hostile_paths = st.one_of(
    st.sampled_from(
        [
            "/",
            "/items/7",
            "/files/report.tar.gz",
            "/files/" + "-" * 20_000 + "!",
            "/files/" + "-." * 10_000 + "#",
            "/dates/" + "-" * 20_000,
            "/dates/2024-01-31",
            "/items/" + "x" * 100_000,
            "/items/%",
            "/items/%ff%fe",
            "/items/\u00e9\U0001f600",
            "//items//7//",
            "/items/7/",
            "/" + "/" * 5_000,
            "/items/a b",
        ]
    ),
    st.text(st.characters(codec="utf-8", exclude_characters="?#"), max_size=40).map(lambda text: "/" + text),
)
header_names = st.sampled_from(["X-A", "x-a", "Content-Type", "Accept", "Origin", "Accept-Encoding", "Authorization"])
header_values = st.one_of(
    st.sampled_from(["application/json", "text/plain", "application/json; charset=\u00e9", "*/*", "gzip", ""]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
    st.just("v" * 50_000),
)
query_values = st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20), min_size=1, max_size=3)


@st.composite
def events(draw: st.DrawFn, case: SourceCase) -> dict[str, Any]:
    """A realistic event of ``case``'s source with hostile parts, then mutated."""
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]))
    # Half the events reach the route that reads everything; the rest try the router.
    path = draw(st.one_of(st.just("/items/7"), hostile_paths))
    parts: dict[str, Any] = {
        "query": draw(st.dictionaries(st.sampled_from(["q", "page", "tag", "\u00e9"]), query_values, max_size=3))
    }
    if case.request_headers:
        parts["headers"] = draw(st.dictionaries(header_names, header_values, max_size=4))
        parts["cookies"] = draw(st.lists(st.sampled_from(["s=1", "a=\u00e9", "=", "broken", "x=" + "y" * 5_000]), max_size=3))
    body_kind = draw(st.sampled_from(["hostile", "base64", "json", "none"]))
    if body_kind == "json" or not case.raw_request_body:
        if body_kind != "none":
            parts["body"] = draw(st.sampled_from(['{"a": 1, "b": [1, 2]}', '{"name": "\u00e9"}', "{}"]))
    elif body_kind == "hostile":
        parts["body"] = MARKER
    elif body_kind == "base64" and case.base64_request_body:
        parts["body"] = MARKER.encode()
        parts["is_base64"] = True
    event = case.make_event(method, path, **parts)
    if "body" in parts and parts["body"] in (MARKER, MARKER.encode()):
        hostile = draw(st.sampled_from(HOSTILE_BASE64) if parts.get("is_base64") else hostile_bodies)
        _replace_strings(event, {MARKER: hostile, MARKER_BASE64: hostile})
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        _mutate(draw, event)
    return event


def seed_events(case: SourceCase) -> list[dict[str, Any]]:
    """Events every run tries first, whatever hypothesis draws: one of each hostile kind the source can carry."""
    seeds = [case.make_event("GET", path) for path in ("/dates/" + "-" * 20_000, "/files/" + "-." * 10_000 + "#")]
    if case.raw_request_body:
        for body in [*DEEP_BODIES, *HUGE_NUMBER_BODIES]:
            event = case.make_event("POST", "/items/7", body=MARKER)
            _replace_strings(event, {MARKER: body})
            seeds.append(event)
    if case.base64_request_body:
        for body in HOSTILE_BASE64:
            event = case.make_event("POST", "/items/7", body=MARKER.encode(), is_base64=True)
            _replace_strings(event, {MARKER_BASE64: body})
            seeds.append(event)
    return seeds


def _replace_strings(value: Any, replacements: dict[str, str]) -> None:
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in list(items):
        if isinstance(item, str) and item in replacements:
            value[key] = replacements[item]
        else:
            _replace_strings(item, replacements)


def _places(value: Any, depth: int = 0) -> list[tuple[Any, Any]]:
    """Every (container, key) of the event, down to a few levels (not into the hostile values themselves)."""
    found: list[tuple[Any, Any]] = []
    if depth > 6:
        return found
    items = value.items() if isinstance(value, dict) else enumerate(value[:20]) if isinstance(value, list) else ()
    for key, item in items:
        found.append((value, key))
        found.extend(_places(item, depth + 1))
    return found


def _mutate(draw: st.DrawFn, event: dict[str, Any]) -> None:
    places = _places(event)
    if not places:
        event[draw(st.text(max_size=10))] = draw(hostile_values)
        return
    container, key = draw(st.sampled_from(places))
    action = draw(st.sampled_from(["drop", "replace", "replace", "add"]))
    if action == "drop":
        del container[key]
    elif action == "replace":
        container[key] = draw(hostile_values)
    else:
        target = container[key]
        if isinstance(target, dict):
            target[draw(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=10))] = draw(hostile_values)
        elif isinstance(target, list):
            target.append(draw(hostile_values))
        else:
            container[key] = [target, draw(hostile_values)]


# -- the apps ---------------------------------------------------------------------


def _read_everything(event: Any) -> dict[str, Any]:
    """Read every accessor of the request; the 400s malformed parts answer are caught so the rest is read too."""
    readers = {
        "method": lambda: event.http_method,
        "path": lambda: event.path,
        "headers": lambda: event.headers,
        "header": lambda: event.get_header_value("x-a"),
        "header_exact": lambda: event.get_header_value("X-A", case_sensitive=True),
        "resolved_headers": lambda: event.resolved_headers_field,
        "query": lambda: event.query_string_parameters,
        "query_value": lambda: event.get_query_string_value("q"),
        "query_values": lambda: event.get_multi_value_query_string_values("q"),
        "resolved_query": lambda: event.resolved_query_string_parameters,
        "body": lambda: event.body,
        "base64": lambda: event.is_base64_encoded,
        "decoded_body": lambda: event.decoded_body,
        "json_body": lambda: event.json_body,
        "base_path": lambda: event.base_path(),
        "cookies": lambda: getattr(event, "resolved_cookies_field", None),
        "raw": lambda: dict(event),
    }
    problems = []
    for name, read in readers.items():
        try:
            read()
        except ServiceError as exc:
            problems.append([name, exc.status_code])
    # Only fixed text and numbers: nothing the client sent is echoed back, so
    # whatever the leak check finds came from the kernel.
    return {"problems": problems}


def plain_app(case: SourceCase) -> Any:
    app = case.app(debug=False)

    @app.get("/")
    def index():
        return {"ok": True}

    @app.route("/items/<item_id>", ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"])
    def item(item_id: str):
        return _read_everything(app.current_event)

    @app.get("/files/<name>.<ext>")
    def file(name: str, ext: str):
        return {"lengths": [len(name), len(ext)], **_read_everything(app.current_event)}

    @app.get("/dates/<year>-<month>-<day>")
    def date(year: str, month: str, day: str):
        return {"lengths": [len(year), len(month), len(day)], **_read_everything(app.current_event)}

    return app


def validated_app(case: SourceCase) -> Any:
    app = case.app(debug=False, plugins=case.plugin_list("validation"), enable_validation=True)

    @app.get("/items/<item_id>")
    def read_item(item_id: int, q: int = 0, tag: list[str] | None = None) -> dict[str, int]:
        return {"item": item_id % 10, "q": q % 10}

    @app.route("/items/<item_id>", ["POST", "PUT", "PATCH", "DELETE"])
    def write_item(item_id: int, body: Annotated[dict[str, int], Body()]) -> dict[str, int]:
        return {"item": item_id % 10, "keys": len(body)}

    @app.get("/files/<name>.<ext>")
    def file(name: str, ext: str) -> dict[str, int]:
        return {"length": len(name) + len(ext)}

    return app


# -- the property -------------------------------------------------------------------


def check(case: SourceCase, app: Any, event: dict[str, Any]) -> None:
    response = app.resolve(event, None)  # never raises: no route raises on purpose
    reply = case.read(response)
    assert type(reply.status) is int, reply.raw
    for leak in LEAKS:
        assert leak not in reply.body, (leak, reply.status, reply.body[:500])


def explore(case: SourceCase, app: Any) -> None:
    """Check the seed events, then as many drawn ones as the settings say."""

    def run(event: dict[str, Any]) -> None:
        check(case, app, event)

    for seed in seed_events(case):
        run = example(event=seed)(run)
    SETTINGS(given(event=events(case))(run))()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_events_are_answered_in_shape_without_leaks(case: SourceCase) -> None:
    explore(case, plain_app(case))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_events_are_answered_in_shape_without_leaks_under_validation(case: SourceCase) -> None:
    explore(case, validated_app(case))


# -- forms, files, cookies and dependencies ------------------------------------------

BOUNDARY = "xx"
FORM_CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=\u00e9",
    f"multipart/form-data; boundary={BOUNDARY}",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=a; boundary=b",
    "multipart/form-data; boundary=" + "a" * 300,
    "multipart/form-data; boundary=\u20ac",
    'multipart/form-data; boundary="',
    "application/json",
    "text/plain",
    "",
    ";;;",
]


def _part(name: str, content: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"


_CLOSE = f"--{BOUNDARY}--\r\n".encode()
_UPLOAD = _part("document", b"\x89PNG\x00\xff", "a.png") + _part("title", "caf\u00e9".encode()) + _CLOSE
FORM_BODIES: list[bytes] = [
    b"name=Ada&age=36",
    b"name=%ff%fe&age=%zz%",
    b"name=a&name=b&age=1&age=x",
    b"&".join(b"f%d=1" % i for i in range(5_000)),
    b"n" * 100_000 + b"=1",
    b"name=\xff\xfe",
    _UPLOAD,
    _UPLOAD[:-10],
    _UPLOAD.replace(b"document", b"\xff"),
    _part("title", b"\xff\xfe") + _CLOSE,
    _part("document", b"x" * 2_000, "big.bin") + _CLOSE,
    b"".join(_part(f"f{i}", b"v") for i in range(2_000)) + _CLOSE,
    f"--{BOUNDARY}\r\n".encode() + b"X-A: b\r\n" * 2_000 + b"\r\nv\r\n" + _CLOSE,
    f"--{BOUNDARY}\r\nContent-Disposition: ;;;=\r\n\r\nv\r\n".encode() + _CLOSE,
    _CLOSE,
    b"",
    b'{"name": "Ada", "age": 3}',
]
HOSTILE_COOKIES = [
    "session=abc123",
    "session",
    "=; ;;=x",
    'session="abc; x',
    "session=%ff%zz",
    "session=\u00e9\x00",
    "x=" + "y" * 5_000,
]
# What a validation error body must not carry, beyond LEAKS: pydantic's own fields and links.
ERROR_LEAKS = (*LEAKS, "input_value", "errors.pydantic.dev", "'ctx'", '"ctx"', '"url"')


def bearer_token(authorization: Annotated[str, Header()]) -> str:
    """A dependency reading a header, raising an HTTP error on purpose (401) when it is not a bearer token."""
    if not authorization.startswith("Bearer "):
        raise UnauthorizedError("Unauthorized")
    return authorization


def current_user(token: Annotated[str, Depends(bearer_token)], x_a: Annotated[int, Header()] = 0) -> int:
    return len(token) + x_a % 10


def forms_app(case: SourceCase) -> Any:
    """A validating app whose routes take a form, an upload, cookies and a dependency."""
    app = case.app(debug=False, plugins=case.plugin_list("validation"), enable_validation=True)

    @app.post("/form")
    def form(name: Annotated[str, Form(min_length=1)], age: Annotated[int, Form(ge=0)] = 0) -> dict[str, int]:
        return {"name": len(name), "age": age % 10}

    @app.post("/upload")
    def upload(
        document: Annotated[UploadFile, File(max_size=1_000)], title: Annotated[str, Form()] = "untitled"
    ) -> dict[str, int]:
        return {"size": len(document), "title": len(title)}

    @app.get("/prefs")
    def prefs(session: Annotated[str, Cookie(min_length=3)], theme: Annotated[str, Cookie()] = "light") -> dict[str, int]:
        return {"session": len(session), "theme": len(theme)}

    @app.get("/dep")
    def dep(who: Annotated[int, Depends(current_user)]) -> dict[str, int]:
        return {"who": who}

    return app


@st.composite
def form_events(draw: st.DrawFn, case: SourceCase) -> dict[str, Any]:
    """A request for a form, upload, cookie or dependency route, with hostile parts, then mutated."""
    path = draw(st.sampled_from(["/form", "/upload", "/prefs", "/dep"]))
    method = "GET" if path in ("/prefs", "/dep") else draw(st.sampled_from(["POST", "POST", "PUT", "post"]))
    headers = {"Content-Type": draw(st.sampled_from(FORM_CONTENT_TYPES))}
    if draw(st.booleans()):
        headers["Authorization"] = draw(st.sampled_from(["Bearer t", "Basic x", "", "Bearer " + "t" * 10_000]))
    if draw(st.booleans()):
        headers["X-A"] = draw(st.sampled_from(["1", "x", "9" * 5_000, ""]))
    parts: dict[str, Any] = {"headers": headers}
    parts["cookies"] = draw(st.lists(st.sampled_from(HOSTILE_COOKIES), max_size=3))
    body = draw(st.sampled_from(FORM_BODIES))
    if body:
        # Base64 for bodies that are not UTF-8 text; either way for the others.
        try:
            text = body.decode()
        except UnicodeDecodeError:
            text = None
        if text is None or (case.base64_request_body and draw(st.booleans())):
            parts["body"], parts["is_base64"] = body, True
        else:
            parts["body"] = text
    event = case.make_event(method, path, **parts)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        _mutate(draw, event)
    return event


def check_without_error_leaks(case: SourceCase, app: Any, event: dict[str, Any]) -> None:
    response = app.resolve(event, None)  # never raises: the routes and dependencies raise only HTTP errors
    reply = case.read(response)
    assert type(reply.status) is int, reply.raw
    assert reply.status < 500, (reply.status, reply.body[:500])
    for leak in ERROR_LEAKS:
        assert leak not in reply.body, (leak, reply.status, reply.body[:500])


FORM_CASES = [case for case in supporting("raw_request_body") if case.request_headers and case.base64_request_body]


@pytest.mark.parametrize("case", FORM_CASES, ids=str)
def test_hostile_forms_files_cookies_and_dependencies_are_answered_without_leaks(case: SourceCase) -> None:
    app = forms_app(case)

    def run(event: dict[str, Any]) -> None:
        check_without_error_leaks(case, app, event)

    # Every hostile body and content type once, on the route it attacks, before the drawn ones.
    for body in FORM_BODIES:
        for content_type in FORM_CONTENT_TYPES:
            for path in ("/form", "/upload"):
                event = case.make_event("POST", path, headers={"Content-Type": content_type}, body=body, is_base64=True)
                check_without_error_leaks(case, app, event)
    SETTINGS(given(event=form_events(case))(run))()
