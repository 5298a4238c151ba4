"""Hostile form, multipart and cookie requests: each gets its exact 4xx, nothing raises, nothing leaks.

No ``from __future__ import annotations``: the markers take the test's local values.
"""

import base64
import json
import time
from typing import Annotated, Any

import pytest
from kernel_validation import Cookie

from kernel import File, Form, UploadFile
from tests.events import rest_event
from tests.plugins.validation.helpers import invalid, validated_app

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
MULTIPART = {"Content-Type": "multipart/form-data; boundary=xx"}
LEAKS = ("Traceback", ".py", "pydantic", "input_value", "errors.pydantic.dev", "ctx", "url")


def hostile_app() -> Any:
    app = validated_app()

    @app.post("/signup")
    def signup(name: Annotated[str, Form()], age: Annotated[int, Form()] = 0):
        return {"name": name, "age": age}

    @app.post("/upload")
    def upload(document: Annotated[UploadFile, File(max_size=1_000)], title: Annotated[str, Form()] = "untitled"):
        return {"size": len(document), "title": title}

    @app.get("/prefs")
    def prefs(session: Annotated[str, Cookie()]):
        return {"session": session}

    return app


APP = hostile_app()


def send(method: str, path: str, *, raw_base64: str | None = None, **event: Any) -> tuple[int, Any]:
    """Resolve through the raw ``resolve()`` (which must not raise); ``raw_base64`` is put in the event as is."""
    built = rest_event(method, path, **event)
    if raw_base64 is not None:
        built["body"], built["isBase64Encoded"] = raw_base64, True
    response = APP.resolve(built, None)
    for leak in LEAKS:
        assert leak not in response["body"], (leak, response["body"][:300])
    return response["statusCode"], json.loads(response["body"])


def part(name: str, content: str, filename: str | None = None) -> str:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
    return f"--xx\r\nContent-Disposition: {disposition}\r\n\r\n{content}\r\n"


MALFORMED = invalid((["body"], "multipart_invalid"))


@pytest.mark.parametrize(
    "content_type",
    [
        # Longer than python-multipart accepts: it raised its FormParserError out of resolve().
        "multipart/form-data; boundary=" + "a" * 257,
        "multipart/form-data; boundary=" + "a" * 100_000,
        # A character python-multipart cannot read as latin-1: it raised UnicodeEncodeError.
        "multipart/form-data; boundary=\u20ac",
        "multipart/form-data; boundary=\U0001f600; charset=\udcff",
    ],
)
def test_a_boundary_python_multipart_refuses_is_a_422(content_type):
    body = "--xx\r\n" + part("document", "x", "a").removeprefix("--xx\r\n") + "--xx--\r\n"

    assert send("POST", "/upload", headers={"Content-Type": content_type}, body=body) == (422, MALFORMED)


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("multipart/form-data; boundary=" + "a" * 256, "--" + "a" * 256 + "--\r\n", invalid((["body", "document"], "missing"))),
        ("multipart/form-data; boundary=", "--xx--\r\n", invalid((["body"], "multipart_boundary_missing"))),
        ('multipart/form-data; boundary="', "--xx--\r\n", MALFORMED),
        ("multipart/form-data; boundary=a; boundary=b", "--a--\r\n", MALFORMED),
        ("multipart/form-data; boundary=xx", "", MALFORMED),
        ("multipart/form-data; boundary=xx", "--xx\r\nContent-Disposition: form-da", MALFORMED),
        ("multipart/form-data; boundary=xx", "--xx\r\nContent-Disposition: ;;;=\r\n\r\nv\r\n--xx--\r\n", MALFORMED),
        # No content type at all: read as JSON, as Powertools reads it.
        (None, "--xx--\r\n", invalid((["body"], "json_invalid"))),
        (";;;\x00", "name=a", {"statusCode": 415, "detail": [{"loc": ["body"], "type": "unsupported_content_type"}]}),
    ],
)
def test_malformed_multipart_bodies_and_content_types_get_their_exact_answer(content_type, body, expected):
    headers = {} if content_type is None else {"Content-Type": content_type}
    status, answered = send("POST", "/upload", headers=headers, body=body)

    assert (status, answered) == (expected["statusCode"], expected)


def test_non_utf8_names_and_fields_in_a_multipart_body():
    bad_name = b'--xx\r\nContent-Disposition: form-data; name="\xff"; filename="\xfe"\r\n\r\nabc\r\n--xx--\r\n'
    bad_field = b'--xx\r\nContent-Disposition: form-data; name="title"\r\n\r\n\xff\r\n' + part("document", "x", "a").encode()

    # A part under a name no parameter has is not the file the route needs.
    assert send("POST", "/upload", headers=MULTIPART, raw_base64=base64.b64encode(bad_name).decode()) == (
        422,
        invalid((["body", "document"], "missing")),
    )
    assert send("POST", "/upload", headers=MULTIPART, raw_base64=base64.b64encode(bad_field + b"--xx--\r\n").decode()) == (
        422,
        MALFORMED,
    )
    assert send("POST", "/upload", headers=MULTIPART, raw_base64="%%%") == (
        400,
        {"statusCode": 400, "message": "Request body is not valid base64"},
    )


def test_a_file_over_the_limit_is_a_413_and_one_at_the_limit_passes():
    over = part("document", "x" * 1_001, "big.bin") + "--xx--\r\n"
    at = part("document", "x" * 1_000, "ok.bin") + "--xx--\r\n"

    assert send("POST", "/upload", headers=MULTIPART, body=over) == (
        413,
        {"statusCode": 413, "message": "The file 'document' is larger than 1000 bytes"},
    )
    assert send("POST", "/upload", headers=MULTIPART, body=at) == (200, {"size": 1_000, "title": "untitled"})


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Percent-escapes that are not UTF-8 become U+FFFD, as parse_qsl and Starlette read them.
        ("name=%ff%fe&age=1", (200, {"name": "\ufffd\ufffd", "age": 1})),
        ("name=%zz%&age=%", (422, invalid((["body", "age"], "int_parsing")))),
        # The last of repeated fields wins for a single-valued parameter.
        ("name=a&name=b", (200, {"name": "b", "age": 0})),
        ("n" * 1_000_000 + "=1", (422, invalid((["body", "name"], "missing")))),
    ],
)
def test_garbage_in_urlencoded_forms(body, expected):
    assert send("POST", "/signup", headers=FORM, body=body) == expected


def test_urlencoded_forms_whose_base64_or_utf8_is_broken_are_a_400():
    assert send("POST", "/signup", headers=FORM, raw_base64="%%%") == (
        400,
        {"statusCode": 400, "message": "Request body is not valid base64"},
    )
    assert send("POST", "/signup", headers=FORM, raw_base64=base64.b64encode(b"name=\xff").decode()) == (
        400,
        {"statusCode": 400, "message": "Request body is not valid UTF-8"},
    )


def _timed(body: str, headers: dict[str, str], path: str) -> float:
    # The best of three runs: one slow run on a busy machine says nothing about the parser.
    times = []
    for _ in range(3):
        started = time.perf_counter()
        status, _ = send("POST", path, headers=headers, body=body)
        times.append(time.perf_counter() - started)
        assert status == 422
    return min(times)


def test_many_fields_or_parts_are_read_in_linear_time():
    fields = [_timed("&".join(f"f{i}=1" for i in range(count)), FORM, "/signup") for count in (10_000, 40_000)]
    parts = [
        _timed("".join(part(f"f{i}", "v") for i in range(count)) + "--xx--\r\n", MULTIPART, "/upload")
        for count in (2_500, 10_000)
    ]

    # Four times the input: well under sixteen times the time (quadratic), with room for a noisy machine.
    assert fields[1] < fields[0] * 10 + 0.05
    assert parts[1] < parts[0] * 10 + 0.05


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        ("session", (422, invalid((["cookie", "session"], "missing")))),
        ("=; ;;=x", (422, invalid((["cookie", "session"], "missing")))),
        ('session="abc; x', (200, {"session": '"abc'})),
        ("session=%ff%zz", (200, {"session": "%ff%zz"})),
        ("session=\u00e9\x00", (200, {"session": "\u00e9\x00"})),
        ("; ".join(f"c{i}=v" for i in range(20_000)), (422, invalid((["cookie", "session"], "missing")))),
    ],
)
def test_cookies_with_bad_syntax_are_read_or_missing_never_a_crash(cookie, expected):
    assert send("GET", "/prefs", headers={"Cookie": cookie}) == expected


def test_a_multipart_text_body_with_a_lone_surrogate_is_a_400():
    # JSON's "\ud800" reaches the event as a lone surrogate: encoding it as UTF-8 raised UnicodeEncodeError.
    event = rest_event("POST", "/upload", headers=MULTIPART, body="x")
    event["body"] = part("document", "v", "\ud800") + "--xx--\r\n"

    response = APP.resolve(event, None)

    assert (response["statusCode"], json.loads(response["body"])) == (
        400,
        {"statusCode": 400, "message": "Request body is not valid UTF-8"},
    )
