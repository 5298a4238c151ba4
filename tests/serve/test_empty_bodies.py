"""Responses without content: 204, 205 and 304 go out bodiless, and the connection stays usable.

A serialised ``None`` body is the text ``null``; sent after a 204 it broke
uvicorn's framing (the connection dropped, and the next pipelined request got
no answer). RFC 9110: 204, 205 and 304 responses have no content; a 204 must
not carry Content-Length (section 8.6), nor may a 304 unless it equals the
length of the 200 it stands for, which the server cannot know, so neither
carries one; a 205 says ``Content-Length: 0``.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import h11
import pytest

from kernel import App, Response
from kernel.asgi import ASGIAdapter
from tests.serve.harness import call
from tests.serve.sources import CASES, ServeCase
from tests.serve.test_cli_serve import free_port, get, start, stop

APP_SOURCE = """
from kernel import APIGatewayRestResolver, Response

app = APIGatewayRestResolver(plugins=["rest"])


@app.route("/none", method=["GET", "HEAD"])
def none():
    return Response(204, "application/json", None)


@app.route("/bare", method=["GET", "HEAD"])
def bare():
    return Response(204)


@app.route("/reset", method=["GET", "HEAD"])
def reset():
    return Response(205, "text/plain", "ignored")


@app.route("/cached", method=["GET", "HEAD"])
def cached():
    return Response(304, "text/plain", "stale", headers={"ETag": '"v1"'})


@app.route("/empty", method=["GET", "HEAD"])
def empty():
    return Response(200, "text/plain", "")


@app.get("/after")
def after():
    return {"after": True}
"""


def empty_app(source: str) -> App:
    app = App(plugins=[source], source=source)

    @app.route("/none", method=["GET", "HEAD"])
    def none():
        return Response(204, "application/json", None)

    @app.route("/bare", method=["GET", "HEAD"])
    def bare():
        return Response(204)

    @app.route("/reset", method=["GET", "HEAD"])
    def reset():
        return Response(205, "text/plain", "ignored")

    @app.route("/cached", method=["GET", "HEAD"])
    def cached():
        return Response(304, "text/plain", "stale", headers={"ETag": '"v1"'})

    @app.route("/empty", method=["GET", "HEAD"])
    def empty():
        return Response(200, "text/plain", "")

    @app.route("/null", method=["GET", "HEAD"])
    def null():
        return None

    return app


# -- what the adapter sends, for every source -----------------------------------------


@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.parametrize(
    ("path", "status", "length"),
    [
        pytest.param("/none", 204, None, id="204-of-None"),
        pytest.param("/bare", 204, None, id="204-without-body"),
        pytest.param("/reset", 205, "0", id="205-with-a-body"),
        pytest.param("/cached", 304, None, id="304-with-a-body"),
        pytest.param("/empty", 200, "0", id="200-empty"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_responses_without_content_have_no_body(case: ServeCase, path: str, status: int, length: str | None, method: str):
    answer = call(ASGIAdapter(empty_app(case.source), options=case.options), method, path)
    assert answer.status == status
    assert answer.body == b""
    assert answer.all("content-length") == ([] if length is None else [length])


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_serialised_none_is_the_json_body_null_when_the_status_has_content(case: ServeCase):
    # ALB refuses a null body: a route's None is sent as "" there, as Powertools does.
    body = b"" if case.source == "alb" else b"null"
    answer = call(ASGIAdapter(empty_app(case.source), options=case.options), "GET", "/null")
    assert (answer.status, answer.body, answer.all("content-length")) == (200, body, [str(len(body))])
    head = call(ASGIAdapter(empty_app(case.source), options=case.options), "HEAD", "/null")
    assert (head.status, head.body, head.all("content-length")) == (200, b"", [str(len(body))])


def test_the_304_keeps_its_headers():
    answer = call(ASGIAdapter(empty_app("rest")), "GET", "/cached")
    assert sorted(answer.headers) == [("content-type", "text/plain"), ("etag", '"v1"')]


@pytest.mark.parametrize(
    ("body", "base64"),
    [("null", False), ("", False), (None, False), ("c3RhbGU=", True)],
)
def test_a_handlers_204_dict_goes_out_bodiless_whatever_its_body(body, base64):
    def handler(event, context):
        return {"statusCode": 204, "body": body, "isBase64Encoded": base64, "headers": {"X-Kept": "1"}}

    answer = call(ASGIAdapter(handler), "GET", "/")
    assert (answer.status, answer.headers, answer.body) == (204, [("x-kept", "1")], b"")


# -- a live server: the connection survives, pipelined --------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    app_file: Path = tmp_path_factory.mktemp("empty") / "empty_app.py"
    app_file.write_text(APP_SOURCE)
    port = free_port()
    process = start(str(app_file), "--port", str(port), "--log-level", "warning")
    try:
        status, _, _ = get(f"http://127.0.0.1:{port}/after", time.monotonic() + 15)
        assert status == 200
        yield port
    finally:
        output = stop(process)
        # No exception in the server's log: uvicorn logs one when the app breaks HTTP framing.
        assert "Traceback" not in output, output


def pipelined(port: int, requests: list[tuple[str, str]]) -> list[tuple[h11.Response, bytes]]:
    """Send ``requests`` at once on one connection; return each response and its body, as h11 frames them.

    h11 checks the framing: a body after a 204 would be read as the start of
    the next response and fail to parse.
    """
    raw = b"".join(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() for method, path in requests)
    client = h11.Connection(our_role=h11.CLIENT)
    answers: list[tuple[h11.Response, bytes]] = []
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        for method, path in requests:
            # The bytes went out above; h11 only needs to know what was asked.
            client.send(h11.Request(method=method, target=path, headers=[("Host", "127.0.0.1")]))
            client.send(h11.EndOfMessage())
            response: h11.Response | None = None
            body = b""
            while True:
                event = client.next_event()
                if event is h11.NEED_DATA:
                    data = sock.recv(65536)
                    assert data, f"the server closed the connection before answering {method} {path}"
                    client.receive_data(data)
                elif isinstance(event, h11.Response):
                    response = event
                elif isinstance(event, h11.Data):
                    body += event.data
                elif isinstance(event, h11.EndOfMessage):
                    break
            assert response is not None
            answers.append((response, body))
            client.start_next_cycle()
    return answers


def headers_of(response: h11.Response) -> dict[bytes, bytes]:
    return dict(response.headers)


@pytest.mark.parametrize(
    ("method", "path", "status", "length"),
    [
        ("GET", "/none", 204, None),
        ("GET", "/bare", 204, None),
        ("HEAD", "/none", 204, None),
        ("GET", "/reset", 205, b"0"),
        ("GET", "/cached", 304, None),
        ("GET", "/empty", 200, b"0"),
    ],
)
def test_the_next_pipelined_request_is_answered(server: int, method: str, path: str, status: int, length: bytes | None):
    (first, first_body), (second, second_body) = pipelined(server, [(method, path), ("GET", "/after")])
    assert first.status_code == status
    assert first_body == b""
    assert headers_of(first).get(b"content-length") == length
    assert second.status_code == 200
    assert second_body == b'{"after":true}'


def test_many_empty_answers_in_a_row_keep_the_connection(server: int):
    requests = [("GET", "/none"), ("GET", "/cached"), ("GET", "/bare"), ("GET", "/after")] * 3
    answers = pipelined(server, requests)
    assert [response.status_code for response, _ in answers] == [204, 304, 204, 200] * 3
    assert [body for _, body in answers] == [b"", b"", b"", b'{"after":true}'] * 3


# -- the hint when a wrapped app takes another source's events --------------------------


def test_a_handler_answering_malformed_event_gets_one_hint_in_the_log(caplog):
    http_app = App(plugins=["http"], source="http")

    @http_app.get("/ping")
    def ping():
        return {"pong": True}

    def handler(event, context):
        return http_app.resolve(event, context)

    adapter = ASGIAdapter(handler)  # a function: served as rest, the default
    with caplog.at_level(logging.WARNING, logger="kernel.asgi"):
        assert call(adapter, "GET", "/ping").status == 400
        assert call(adapter, "GET", "/ping").status == 400
    hints = [record.getMessage() for record in caplog.records if record.name == "kernel.asgi"]
    assert hints == [
        "The app answered GET /ping with 400 Malformed event: it may take another source's events than 'rest';"
        " serve it with --source NAME (ASGIAdapter(app, source=NAME))"
    ]
    assert call(ASGIAdapter(handler, "http"), "GET", "/ping").json() == {"pong": True}
