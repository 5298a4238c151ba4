"""Form fields and uploaded files: the same answers, but for kernel's caps on how many a form holds."""

# No `from __future__ import annotations`: the annotations name `lib`, a local of each app.
from typing import Annotated

from tests.events import rest_event
from tests.powertools_patterns.harness import answer

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
MULTIPART = {"Content-Type": "multipart/form-data; boundary=xx"}


def forms(lib):
    app = lib.APIGatewayRestResolver(enable_validation=True)

    @app.post("/signup")
    def signup(name: Annotated[str, lib.Form()]):
        return {"name": name}

    @app.post("/upload")
    def upload(documents: Annotated[list[lib.UploadFile], lib.File()], title: Annotated[str, lib.Form()] = "untitled"):
        return {"files": len(documents), "title": title}

    return app


def urlencoded(count: int) -> dict:
    """A form of ``count`` fields, the last of them ``name``."""
    body = "&".join([*(f"f{i}=1" for i in range(count - 1)), "name=ada"])
    return rest_event("POST", "/signup", headers=FORM, body=body)


def multipart(fields: int, files: int) -> dict:
    """``fields`` text fields and ``files`` files, base64-encoded as API Gateway sends binary media types."""
    parts = [f'--xx\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\nv\r\n' for i in range(fields)]
    parts += [f'--xx\r\nContent-Disposition: form-data; name="documents"; filename="{i}.txt"\r\n\r\nv\r\n' for i in range(files)]
    # The builder encodes the body.
    return rest_event("POST", "/upload", headers=MULTIPART, body="".join(parts) + "--xx--\r\n", is_base64=True)


def test_forms_up_to_the_caps_are_answered_alike():
    assert answer(forms, urlencoded(1000))["body"] == {"name": "ada"}
    assert answer(forms, multipart(1000, 1000))["body"] == {"files": 1000, "title": "untitled"}


def test_a_form_past_the_field_cap_is_a_413_where_powertools_reads_it():
    # Powertools reads 5,000 fields (or any number) and answers 200.
    for event in (urlencoded(1001), urlencoded(5000), multipart(1001, 1), multipart(5000, 1)):
        got = answer(forms, event, allow=("form-fields-cap",))
        assert (got["statusCode"], got["body"]) == (413, {"statusCode": 413, "message": "The form has more than 1000 fields"})


def test_a_form_past_the_file_cap_is_a_413_where_powertools_reads_it():
    for event in (multipart(0, 1001), multipart(0, 5000)):
        got = answer(forms, event, allow=("form-files-cap",))
        assert (got["statusCode"], got["body"]) == (413, {"statusCode": 413, "message": "The form has more than 1000 files"})


# -- one name sent several times -------------------------------------------------------------


def several(lib):
    app = lib.APIGatewayRestResolver(enable_validation=True)

    @app.post("/tag")
    def tag(tag: Annotated[str, lib.Form()]):
        return {"tag": tag}

    @app.post("/tags")
    def tags(tags: Annotated[list[str], lib.Form()]):
        return {"tags": tags}

    @app.post("/document")
    def document(document: Annotated[lib.UploadFile, lib.File()]):
        return {"filename": document.filename, "content": document.content.decode()}

    @app.post("/documents")
    def documents(documents: Annotated[list[lib.UploadFile], lib.File()]):
        return {"filenames": [document.filename for document in documents]}

    return app


def parts(path: str, name: str, *values: str, files: bool = False) -> dict:
    """A multipart body sending ``name`` once per value: files named ``<value>.txt``, or text fields."""
    filename = '; filename="{}.txt"' if files else ""
    body = "".join(
        f'--xx\r\nContent-Disposition: form-data; name="{name}"{filename.format(value)}\r\n\r\n{value}\r\n' for value in values
    )
    return rest_event("POST", path, headers=MULTIPART, body=body + "--xx--\r\n", is_base64=True)


def test_a_single_valued_field_sent_several_times_takes_the_first_value():
    urlencoded = rest_event("POST", "/tag", headers=FORM, body="tag=a&tag=b&tag=c")

    assert answer(several, urlencoded)["body"] == {"tag": "a"}
    assert answer(several, parts("/tag", "tag", "a", "b", "c"))["body"] == {"tag": "a"}


def test_a_single_file_parameter_sent_several_files_takes_the_first():
    got = answer(several, parts("/document", "document", "a", "b", files=True))

    assert (got["statusCode"], got["body"]) == (200, {"filename": "a.txt", "content": "a"})


def test_a_list_receives_every_field_or_file_sent_under_its_name():
    urlencoded = rest_event("POST", "/tags", headers=FORM, body="tags=a")

    assert answer(several, urlencoded)["body"] == {"tags": ["a"]}
    assert answer(several, parts("/tags", "tags", "a", "b"))["body"] == {"tags": ["a", "b"]}
    assert answer(several, parts("/documents", "documents", "a", "b", files=True))["body"] == {"filenames": ["a.txt", "b.txt"]}
