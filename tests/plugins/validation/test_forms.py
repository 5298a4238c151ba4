"""Forms, files, cookies and models as groups of query or header parameters.

No ``from __future__ import annotations``: some markers take a test's local values.
"""

import json
from typing import Annotated, Any

import pytest
from kernel_validation import Cookie
from pydantic import BaseModel, Field

from kernel import APIGatewayHttpResolver, File, Form, Header, Query, UploadFile
from tests.events import http_event, rest_event
from tests.plugins.validation.helpers import answer, invalid, validated_app

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
BOUNDARY = "----kernel7MA4YWxk"
MULTIPART = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def multipart(*parts: tuple[str, str | None, str | None, bytes]) -> bytes:
    """A multipart/form-data body of ``(name, filename, content type, content)`` parts."""
    out = b""
    for name, filename, content_type, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode()
        if content_type:
            out += f"Content-Type: {content_type}\r\n".encode()
        out += b"\r\n" + content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def form_app() -> Any:
    app = validated_app()

    @app.post("/signup")
    def signup(
        name: Annotated[str, Form(min_length=1)],
        age: Annotated[int, Form(ge=0)],
        tags: Annotated[list[str], Form()] = [],  # noqa: B006
        newsletter: Annotated[bool, Form()] = False,
    ):
        return {"name": name, "age": age, "tags": tags, "newsletter": newsletter}

    return app


def test_a_urlencoded_form_is_read_field_by_field():
    app = form_app()

    assert answer(app, "POST", "/signup", headers=FORM, body="name=Ada+L&age=36&tags=a&tags=b&newsletter=true") == (
        200,
        {"name": "Ada L", "age": 36, "tags": ["a", "b"], "newsletter": True},
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ("name=Ada&age=old", [(["body", "age"], "int_parsing")]),
        ("name=&age=-1", [(["body", "name"], "string_too_short"), (["body", "age"], "greater_than_equal")]),
        ("", [(["body", "name"], "missing"), (["body", "age"], "missing")]),
        ("age=3", [(["body", "name"], "missing")]),
    ],
)
def test_bad_form_fields_are_a_422(body, errors):
    assert answer(form_app(), "POST", "/signup", headers=FORM, body=body) == (422, invalid(*errors))


def test_a_form_route_also_reads_a_json_object_and_refuses_other_content_types():
    app = form_app()

    assert answer(app, "POST", "/signup", headers={"Content-Type": "application/json"}, body='{"name": "Ada", "age": 3}') == (
        200,
        {"name": "Ada", "age": 3, "tags": [], "newsletter": False},
    )
    assert answer(app, "POST", "/signup", headers={"Content-Type": "text/plain"}, body="name=Ada") == (
        415,
        {"statusCode": 415, "detail": [{"loc": ["body"], "type": "unsupported_content_type"}]},
    )


def upload_app(**file_options: Any) -> Any:
    app = validated_app()

    @app.post("/upload")
    def upload(
        document: Annotated[UploadFile, File(**file_options)],
        thumbnail: Annotated[bytes, File()],
        title: Annotated[str, Form()] = "untitled",
    ):
        return {
            "filename": document.filename,
            "content_type": document.content_type,
            "size": len(document),
            "first_bytes": list(document.content[:4]),
            "thumbnail": list(thumbnail),
            "title": title,
        }

    return app


MALFORMED = [(["body"], "multipart_invalid")]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def test_a_multipart_body_gives_files_with_their_name_type_and_bytes():
    body = multipart(
        ("document", "scan.png", "image/png", PNG),
        ("thumbnail", "t.bin", None, b"\x00\xff"),
        ("title", None, None, "Café".encode()),
    )

    status, answered = answer(upload_app(), "POST", "/upload", headers=MULTIPART, body=body, is_base64=True)

    assert status == 200
    assert answered == {
        "filename": "scan.png",
        "content_type": "image/png",
        "size": len(PNG),
        "first_bytes": [0x89, 0x50, 0x4E, 0x47],
        "thumbnail": [0, 255],
        "title": "Café",
    }


def test_a_list_of_files_receives_every_file_sent_under_the_name():
    app = validated_app()

    @app.post("/many")
    def many(files: Annotated[list[UploadFile], File()]):
        return [file.filename for file in files]

    body = multipart(("files", "a.txt", "text/plain", b"a"), ("files", "b.txt", "text/plain", b"b"))

    assert answer(app, "POST", "/many", headers=MULTIPART, body=body, is_base64=True) == (200, ["a.txt", "b.txt"])


@pytest.mark.parametrize(
    ("headers", "body", "errors"),
    [
        # No boundary in the content type.
        (
            {"Content-Type": "multipart/form-data"},
            multipart(("title", None, None, b"x")),
            [(["body"], "multipart_boundary_missing")],
        ),
        # Not multipart at all.
        (MULTIPART, b"just some text", [(["body"], "multipart_invalid")]),
        # Cut short before the closing boundary.
        (MULTIPART, multipart(("document", "a", None, b"abc"))[:-12], [(["body"], "multipart_invalid")]),
        # A part without a form-data name.
        (MULTIPART, f"--{BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nx\r\n--{BOUNDARY}--\r\n".encode(), MALFORMED),
        # A header line that is not a header.
        (MULTIPART, f"--{BOUNDARY}\r\nnot a header\r\n\r\nx\r\n--{BOUNDARY}--\r\n".encode(), MALFORMED),
        # Well formed, but the files are missing.
        (
            MULTIPART,
            multipart(("title", None, None, b"x")),
            [(["body", "document"], "missing"), (["body", "thumbnail"], "missing")],
        ),
        # A text field where a file is expected.
        (
            MULTIPART,
            multipart(("document", None, None, b"x"), ("thumbnail", "t", None, b"")),
            [(["body", "document"], "value_error")],
        ),
    ],
)
def test_bad_multipart_bodies_are_a_422_never_a_500(headers, body, errors):
    assert answer(upload_app(), "POST", "/upload", headers=headers, body=body, is_base64=True) == (422, invalid(*errors))


def test_a_file_over_its_size_limit_is_a_413():
    app = upload_app(max_size=100)
    body = multipart(("document", "big.bin", None, b"x" * 101), ("thumbnail", "t", None, b""))

    assert answer(app, "POST", "/upload", headers=MULTIPART, body=body, is_base64=True) == (
        413,
        {"statusCode": 413, "message": "The file 'document' is larger than 100 bytes"},
    )
    body = multipart(("document", "ok.bin", None, b"x" * 100), ("thumbnail", "t", None, b""))
    assert answer(app, "POST", "/upload", headers=MULTIPART, body=body, is_base64=True)[0] == 200


def test_a_multipart_body_sent_as_text_is_read_too():
    body = multipart(("document", "a.txt", "text/plain", b"hello"), ("thumbnail", "t", None, b"x"))

    status, answered = answer(upload_app(), "POST", "/upload", headers=MULTIPART, body=body.decode())

    assert (status, answered["filename"], answered["size"]) == (200, "a.txt", 5)


def test_a_body_that_is_not_base64_is_a_400():
    event = rest_event("POST", "/upload", headers=MULTIPART, body="not base64!")
    event["isBase64Encoded"] = True

    response = upload_app()(event, None)

    assert (response["statusCode"], json.loads(response["body"])) == (
        400,
        {"statusCode": 400, "message": "Request body is not valid base64"},
    )


def cookie_routes(app: Any) -> Any:
    @app.get("/prefs")
    def prefs(session: Annotated[str, Cookie(min_length=3)], theme: Annotated[str, Cookie()] = "light"):
        return {"session": session, "theme": theme}

    return app


def test_cookies_are_read_from_the_cookie_header():
    app = cookie_routes(validated_app())

    assert answer(app, "GET", "/prefs", headers={"Cookie": "session=abc123; theme=dark"}) == (
        200,
        {"session": "abc123", "theme": "dark"},
    )
    assert answer(app, "GET", "/prefs", headers={"Cookie": "theme=dark"}) == (422, invalid((["cookie", "session"], "missing")))
    assert answer(app, "GET", "/prefs", headers={"Cookie": "session=ab"}) == (
        422,
        invalid((["cookie", "session"], "string_too_short")),
    )


def test_cookies_are_read_from_the_http_api_cookies_field():
    app = cookie_routes(APIGatewayHttpResolver(enable_validation=True, plugins=["http", "validation"]))

    response = app(http_event("GET", "/prefs", cookies=["session=xyz9", "theme=blue"]), None)

    assert json.loads(response["body"]) == {"session": "xyz9", "theme": "blue"}


class Filters(BaseModel):
    q: str
    limit: int = Field(10, le=100)
    tags: list[str] = []


class Tracing(BaseModel):
    x_trace_id: str
    x_sampled: bool = False


def test_a_model_marked_query_or_header_is_read_as_a_group_of_parameters():
    app = validated_app()

    @app.get("/search")
    def search(filters: Annotated[Filters, Query()], tracing: Annotated[Tracing, Header()]):
        return {"filters": filters.model_dump(), "tracing": tracing.model_dump()}

    headers = {"X-Trace-Id": "t-1", "X-Sampled": "1"}
    assert answer(app, "GET", "/search", headers=headers, query={"q": "lamp", "tags": ["a", "b"]}) == (
        200,
        {"filters": {"q": "lamp", "limit": 10, "tags": ["a", "b"]}, "tracing": {"x_trace_id": "t-1", "x_sampled": True}},
    )
    assert answer(app, "GET", "/search", query={"limit": "500"}) == (
        422,
        invalid(
            (["query", "filters", "q"], "missing"),
            (["query", "filters", "limit"], "less_than_equal"),
            (["header", "tracing", "x-trace-id"], "missing"),
        ),
    )


def test_the_openapi_document_shows_forms_files_cookies_and_groups():
    app = validated_app(plugins=["rest", "validation", "openapi"])
    cookie_routes(app)

    @app.post("/upload")
    def upload(document: Annotated[UploadFile, File(description="The scan")], title: Annotated[str, Form()]):
        return {}

    @app.post("/signup")
    def signup(name: Annotated[str, Form()]):
        return {}

    @app.get("/search")
    def search(filters: Annotated[Filters, Query()]):
        return {}

    document = app.get_openapi_schema().model_dump(mode="json", by_alias=True, exclude_none=True)
    paths, schemas = document["paths"], document["components"]["schemas"]

    upload_body = paths["/upload"]["post"]["requestBody"]
    assert upload_body == {
        "required": True,
        "content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Body_upload_upload_post"}}},
    }
    assert schemas["Body_upload_upload_post"]["properties"]["document"] == {
        "description": "The scan",
        "format": "binary",
        "title": "Document",
        "type": "string",
    }
    assert schemas["Body_upload_upload_post"]["required"] == ["document", "title"]
    assert list(paths["/signup"]["post"]["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]
    assert [(p["name"], p["in"], p["required"]) for p in paths["/prefs"]["get"]["parameters"]] == [
        ("session", "cookie", True),
        ("theme", "cookie", False),
    ]
    assert [(p["name"], p["in"], p["required"]) for p in paths["/search"]["get"]["parameters"]] == [
        ("q", "query", True),
        ("limit", "query", False),
        ("tags", "query", False),
    ]


def test_upload_file_describes_itself():
    file = UploadFile(content=b"abc", filename="a.txt", content_type="text/plain")

    assert (len(file), repr(file)) == (3, "UploadFile(filename='a.txt', content_type='text/plain', size=3)")


def test_where_powertools_raises_on_a_missing_boundary_kernel_answers_422():
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver as PowertoolsResolver
    from aws_lambda_powertools.event_handler.openapi.params import Form as PowertoolsForm

    theirs = PowertoolsResolver(enable_validation=True)

    @theirs.post("/upload")
    def upload(title: Annotated[str, PowertoolsForm()]):
        return {}

    event = rest_event("POST", "/upload", headers={"Content-Type": "multipart/form-data"}, body="x")
    with pytest.raises(ValueError, match="Missing boundary"):
        theirs(event, None)
    assert answer(upload_app(), "POST", "/upload", headers={"Content-Type": "multipart/form-data"}, body="x") == (
        422,
        invalid((["body"], "multipart_boundary_missing")),
    )
