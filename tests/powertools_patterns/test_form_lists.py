"""A form parameter receives the type it declares, where Powertools' answer depends on how many parts were sent.

Each test shows both libraries' answers to the same multipart request: where
Powertools refuses a list for a list parameter (``422``) or passes its
``UploadFile`` unvalidated (the route then fails), kernel passes what the
parameter declares. The differences are those of docs/migrating.md, "A form
parameter receives the type it declares", in :mod:`tests.known_differences`.
"""

# No `from __future__ import annotations`: the annotations name `lib`, a local of each app.
import copy
import json
from typing import Annotated, Any

from tests import known_differences
from tests.events import rest_event
from tests.fidelity.test_differential import Case
from tests.powertools_patterns.harness import LambdaContext, answer, answered, both, readable

MULTIPART = {"Content-Type": "multipart/form-data; boundary=xx"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def uploads(lib):
    app = lib.APIGatewayRestResolver(enable_validation=True)

    @app.post("/scans")
    def scans(scans: Annotated[list[bytes], lib.File()]):
        return {"sizes": [len(scan) for scan in scans]}

    @app.post("/documents")
    def documents(documents: Annotated[list[lib.UploadFile], lib.File()]):
        return {"filenames": [document.filename for document in documents]}

    @app.post("/tags")
    def tags(tags: Annotated[list[str], lib.Form()]):
        return {"tags": tags}

    @app.post("/scan")
    def scan(scan: Annotated[bytes, lib.File()]):
        return {"text": scan.decode()}

    @app.post("/attachments")
    def attachments(attachments: Annotated[list[bytes], lib.Form()]):
        return {"sizes": [len(attachment) for attachment in attachments]}

    return app


def parts(path: str, name: str, *contents: str, files: bool = True) -> tuple[Case, dict]:
    """A multipart request sending ``name`` once per content (files ``<i>.txt``, or text fields): its case and event."""
    body = ""
    for i, content in enumerate(contents):
        filename = f'; filename="{i}.txt"' if files else ""
        body += f'--xx\r\nContent-Disposition: form-data; name="{name}"{filename}\r\n\r\n{content}\r\n'
    case = Case("forms", "rest", "POST", path, headers={key: [value] for key, value in MULTIPART.items()})
    # The builder encodes the body, as API Gateway sends binary media types.
    return case, rest_event("POST", path, headers=MULTIPART, body=body + "--xx--\r\n", is_base64=True)


def both_answers(event: dict) -> tuple[Any, Any]:
    """Powertools' and kernel's answers to ``event``, read as a client reads them (or ``("raised", name)``)."""
    results = []
    for app in both(uploads):
        try:
            response = app.resolve(copy.deepcopy(event), LambdaContext())
        except Exception as exc:
            results.append(("raised", type(exc).__name__))
        else:
            results.append(readable(json.loads(json.dumps(response))))
    return results[0], results[1]


def status_and_body(response: dict) -> tuple[int, Any]:
    return response["statusCode"], response["body"]


def test_several_files_into_a_list_of_bytes_are_their_bytes_where_powertools_answers_422():
    case, event = parts("/scans", "scans", "ab", "cde")

    theirs, ours = both_answers(event)

    detail = [{"loc": ["body", "scans", 0], "type": "bytes_type"}, {"loc": ["body", "scans", 1], "type": "bytes_type"}]
    assert status_and_body(theirs) == (422, {"statusCode": 422, "detail": detail})
    assert status_and_body(ours) == (200, {"sizes": [2, 3]})
    assert known_differences.set_aside(case, theirs, ours) == (ours, ours, ["form-list-of-bytes"])


def test_one_file_into_a_list_is_a_list_of_one_where_powertools_passes_the_file_itself():
    # Powertools hands the route the UploadFile, unvalidated: iterating it raises TypeError.
    _, event = parts("/scans", "scans", "ab")
    assert status_and_body(answered(uploads, event, "form-list-of-one")) == (200, {"sizes": [2]})

    _, event = parts("/documents", "documents", "ab")
    assert status_and_body(answered(uploads, event, "form-list-of-one")) == (200, {"filenames": ["0.txt"]})


def test_one_multipart_field_into_a_list_is_a_list_of_one_where_powertools_answers_422():
    case, event = parts("/tags", "tags", "red", files=False)

    theirs, ours = both_answers(event)

    assert status_and_body(theirs) == (422, {"statusCode": 422, "detail": [{"loc": ["body", "tags"], "type": "list_type"}]})
    assert status_and_body(ours) == (200, {"tags": ["red"]})
    assert known_differences.set_aside(case, theirs, ours) == (ours, ours, ["form-list-of-one"])
    # URL-encoded, the same field is a list of one on both.
    assert answer(uploads, rest_event("POST", "/tags", headers=FORM, body="tags=red"))["body"] == {"tags": ["red"]}


def test_several_files_into_bytes_are_the_first_files_bytes_where_powertools_passes_the_file_itself():
    # Powertools hands the route the first UploadFile where it declared bytes: .decode() raises AttributeError.
    _, event = parts("/scan", "scan", "first", "second")
    assert status_and_body(answered(uploads, event, "form-bytes-of-several-files")) == (200, {"text": "first"})


def test_the_neighbouring_cases_are_answered_alike():
    assert answer(uploads, parts("/scan", "scan", "only")[1])["body"] == {"text": "only"}
    assert answer(uploads, parts("/documents", "documents", "a", "b")[1])["body"] == {"filenames": ["0.txt", "1.txt"]}
    assert answer(uploads, parts("/tags", "tags", "red", "blue", files=False)[1])["body"] == {"tags": ["red", "blue"]}
    # Text fields are bytes to a list[bytes] File() parameter on both.
    assert answer(uploads, parts("/scans", "scans", "ab", "cde", files=False)[1])["body"] == {"sizes": [2, 3]}
    # A Form() list of bytes refuses files on both: the set-aside leaves two equal refusals alone.
    case, event = parts("/attachments", "attachments", "ab", "cde")
    theirs, ours = both_answers(event)
    detail = [{"loc": ["body", "attachments", i], "type": "bytes_type"} for i in (0, 1)]
    assert status_and_body(ours) == (422, {"statusCode": 422, "detail": detail})
    assert known_differences.set_aside(case, theirs, ours) == (theirs, ours, [])
    assert theirs == ours


def test_the_differences_are_set_aside_only_for_multipart_requests():
    case, event = parts("/tags", "tags", "red", files=False)
    theirs, ours = both_answers(event)
    urlencoded = Case("forms", "rest", "POST", "/tags", headers={"Content-Type": [FORM["Content-Type"]]})

    assert known_differences.set_aside(case, theirs, ours)[2] == ["form-list-of-one"]
    assert known_differences.set_aside(urlencoded, theirs, ours) == (theirs, ours, [])
