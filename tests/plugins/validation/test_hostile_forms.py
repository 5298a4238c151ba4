"""Hostile form, multipart and cookie requests: each gets its exact 4xx, nothing raises, nothing leaks.

No ``from __future__ import annotations``: the markers take the test's local values.
"""

import base64
import json
import logging
import time
from typing import Annotated, Any

import pytest
from kernel_validation import Cookie, forms
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser

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

    @app.post("/files")
    def files(documents: Annotated[list[UploadFile], File()]):
        return {"files": len(documents)}

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
        # The first of repeated fields wins for a single-valued parameter, as on Powertools.
        ("name=a&name=b", (200, {"name": "a", "age": 0})),
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


def test_many_fields_or_parts_are_read_in_linear_time(monkeypatch):
    # Past the caps too, for an app that raises them.
    monkeypatch.setattr(forms, "MAX_FIELDS", 100_000)
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


# -- python-multipart's log records --------------------------------------------------------

#: Bodies (boundary "xx") python-multipart logs a WARNING about, then refuses.
LOGGED = {
    "text before the first boundary": "junk\r\n" + part("document", "x", "a") + "--xx--\r\n",
    "a space in a header name": '--xx\r\nContent Disposition: form-data; name="document"\r\n\r\nx\r\n--xx--\r\n',
    "a header without a name": "--xx\r\n: form-data\r\n\r\nx\r\n--xx--\r\n",
    "a CR without LF after the first boundary": '--xx\rContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--xx--\r\n',
    "bare LF line ends": part("document", "x", "a").replace("\r\n", "\n") + "--xx--\n",
    "a header line ending in CR alone": '--xx\r\nContent-Disposition: form-data; name="a"\rX\r\n\r\nx\r\n--xx--\r\n',
    "the blank line after the headers ending in CR alone": '--xx\r\nContent-Disposition: form-data; name="a"\r\n\rX',
    "text after the first boundary": '--xx  \r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--xx--\r\n',
    "a closing boundary with one dash": "--xx-x",
}


@pytest.mark.parametrize("body", LOGGED.values(), ids=LOGGED.keys())
def test_python_multipart_left_alone_logs_a_warning_for_each_of_these_bodies(body, caplog):
    # What the next test guards against: without kernel's quiet logger, each body writes a record.
    caplog.set_level(logging.DEBUG)
    parser = MultipartParser(b"xx", {})
    with pytest.raises(MultipartParseError):
        parser.write(body.encode())

    assert [(record.name, record.levelname) for record in caplog.records] == [("python_multipart.multipart", "WARNING")]


@pytest.mark.parametrize("body", LOGGED.values(), ids=LOGGED.keys())
def test_a_malformed_multipart_body_is_a_422_and_writes_no_log_record(body, caplog):
    caplog.set_level(logging.DEBUG)

    response = APP.resolve(rest_event("POST", "/upload", headers=MULTIPART, body=body), None)

    assert response == {
        "statusCode": 422,
        "body": '{"statusCode":422,"detail":[{"loc":["body"],"type":"multipart_invalid"}]}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }
    assert caplog.records == []


def _logging_setup() -> list[Any]:
    root, own = logging.getLogger(), logging.getLogger("python_multipart.multipart")
    return [
        root.level,
        list(root.handlers),
        list(root.filters),
        logging.root.manager.disable,
        own.level,
        own.disabled,
        own.propagate,
        list(own.filters),
        list(own.handlers),
    ]


def test_reading_forms_leaves_the_logging_configuration_and_other_parsers_alone(caplog):
    before = _logging_setup()
    for body in LOGGED.values():
        assert send("POST", "/upload", headers=MULTIPART, body=body) == (422, MALFORMED)
    assert send("POST", "/upload", headers=MULTIPART, body=part("document", "x", "a") + "--xx--\r\n")[0] == 200

    assert _logging_setup() == before
    # A parser the app makes itself still logs through python-multipart's logger.
    caplog.set_level(logging.WARNING, logger="python_multipart.multipart")
    with pytest.raises(MultipartParseError, match="boundary"):
        MultipartParser(b"xx", {}).write(b"junk")
    assert [record.name for record in caplog.records] == ["python_multipart.multipart"]


# -- how many fields and files a form may hold ----------------------------------------------


def _resolve(path: str, headers: dict[str, str], body: str) -> dict[str, Any]:
    return APP.resolve(rest_event("POST", path, headers=headers, body=body), None)


def _too_large(message: str) -> dict[str, Any]:
    return {
        "statusCode": 413,
        "body": json.dumps({"statusCode": 413, "message": message}, separators=(",", ":")),
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }


def _ok(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": 200,
        "body": json.dumps(body, separators=(",", ":")),
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }


def _urlencoded(count: int) -> str:
    """``count`` fields, the last of them ``name``."""
    return "&".join([*(f"f{i}=1" for i in range(count - 1)), "name=ada"])


def test_the_caps_are_starlettes():
    assert (forms.MAX_FIELDS, forms.MAX_FILES) == (1000, 1000)


def test_a_urlencoded_form_of_1000_fields_is_read_and_one_of_1001_is_a_413():
    assert _resolve("/signup", FORM, _urlencoded(1000)) == _ok({"name": "ada", "age": 0})
    assert _resolve("/signup", FORM, _urlencoded(1001)) == _too_large("The form has more than 1000 fields")
    # Every piece between "&" counts, empty ones too: 1000 fields and a trailing "&" are 1001.
    assert _resolve("/signup", FORM, _urlencoded(1000) + "&") == _too_large("The form has more than 1000 fields")


def test_a_urlencoded_form_of_many_thousand_fields_is_refused_before_it_is_read():
    body = _urlencoded(200_000)
    assert _resolve("/signup", FORM, _urlencoded(1))["statusCode"] == 200  # the route's first request warms it up
    times = []
    for _ in range(3):
        started = time.perf_counter()
        answer = _resolve("/signup", FORM, body)
        times.append(time.perf_counter() - started)
        assert answer == _too_large("The form has more than 1000 fields")

    # Reading them all takes about 0.4 s; counting the "&" about 2 ms.
    assert min(times) < 0.05


def _fields(count: int) -> str:
    return "".join(part(f"f{i}", "v") for i in range(count))


def _files(count: int) -> str:
    return "".join(part("documents", "v", f"{i}.txt") for i in range(count))


def test_a_multipart_form_of_1000_fields_and_1000_files_is_read():
    body = _fields(999) + part("title", "Lease") + _files(999) + part("document", "x" * 10, "a.bin") + "--xx--\r\n"
    assert _resolve("/upload", MULTIPART, body) == _ok({"size": 10, "title": "Lease"})
    assert _resolve("/files", MULTIPART, _files(1000) + "--xx--\r\n") == _ok({"files": 1000})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_fields(1001) + part("document", "x", "a") + "--xx--\r\n", "The form has more than 1000 fields"),
        (_files(1000) + part("document", "x", "a") + "--xx--\r\n", "The form has more than 1000 files"),
        # Counted at each part's headers: the answer comes at the part over the cap, the rest of the
        # body unread (here, a body that never closes, answered 422 when read to its end).
        (_fields(1001) + part("document", "x", "a"), "The form has more than 1000 fields"),
        (_files(1001) + "\xff garbage", "The form has more than 1000 files"),
    ],
    ids=["fields", "files", "fields-unread-rest", "files-unread-rest"],
)
def test_a_multipart_form_over_a_cap_is_a_413(body, message):
    assert _resolve("/upload", MULTIPART, body) == _too_large(message)


def test_an_app_may_set_other_caps(monkeypatch):
    monkeypatch.setattr(forms, "MAX_FIELDS", 3)
    monkeypatch.setattr(forms, "MAX_FILES", 2)

    assert _resolve("/signup", FORM, _urlencoded(3)) == _ok({"name": "ada", "age": 0})
    assert _resolve("/signup", FORM, _urlencoded(4)) == _too_large("The form has more than 3 fields")
    assert _resolve("/files", MULTIPART, _fields(3) + _files(2) + "--xx--\r\n") == _ok({"files": 2})
    assert _resolve("/files", MULTIPART, _fields(4) + "--xx--\r\n") == _too_large("The form has more than 3 fields")
    assert _resolve("/files", MULTIPART, _files(3) + "--xx--\r\n") == _too_large("The form has more than 2 files")
