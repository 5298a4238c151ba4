"""What a route returns, as every event source delivers it: status, headers, cookies, bodies."""

import warnings
from contextlib import contextmanager

import pytest

from kernel import Cookie, Response
from tests.sources import supporting


def answer(source, result, method="GET"):
    """The response to a route that returns ``result``."""
    app = source.app()

    @app.route("/answer", [method])
    def route():
        return result() if callable(result) else result

    return source.client(app).request(method, "/answer")


def test_dict_is_json(source):
    response = answer(source, {"message": "hi", "items": [1, 2], "nested": {"ok": True}})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.text == '{"message":"hi","items":[1,2],"nested":{"ok":true}}'


def test_list_is_json(source):
    response = answer(source, [1, "two", None])
    assert (response.status_code, response.headers["Content-Type"], response.json()) == (
        200,
        "application/json",
        [1, "two", None],
    )


def test_tuple_return_sets_status(source):
    response = answer(source, ({"created": True}, 201), "POST")
    assert (response.status_code, response.headers["Content-Type"], response.json()) == (
        201,
        "application/json",
        {"created": True},
    )


def test_response_object_sets_status_content_type_and_body(source):
    response = answer(source, Response(status_code=202, content_type="text/plain", body="accepted"))
    assert (response.status_code, response.headers["Content-Type"], response.text) == (202, "text/plain", "accepted")


def test_response_object_with_a_json_body(source):
    response = answer(source, Response(status_code=400, content_type="application/json", body={"error": "bad"}))
    assert (response.status_code, response.json()) == (400, {"error": "bad"})


def test_custom_serializer(source):
    app = source.app(serializer=lambda value: "custom:" + ",".join(sorted(value)))

    @app.get("/keys")
    def keys():
        return {"b": 1, "a": 2}

    response = source.client(app).get("/keys")
    assert (response.status_code, response.text) == (200, "custom:a,b")


def test_empty_body(source):
    response = answer(source, Response(204), "DELETE")
    assert (response.status_code, response.content) == (204, b"")


def test_text_bytes_are_delivered_intact(source):
    response = answer(source, Response(200, "text/csv", "id,name\n1,café\n".encode()))
    assert (response.status_code, response.headers["Content-Type"], response.content) == (
        200,
        "text/csv",
        "id,name\n1,café\n".encode(),
    )


@pytest.mark.parametrize("source", supporting("binary_response_body"), ids=str)
def test_binary_body_is_delivered_intact(source):
    app = source.app()
    data = b"\x89PNG\r\n\x1a\n\x00\xff\xfe"

    @app.get("/logo")
    def logo():
        return Response(200, "image/png", data)

    reply = source.read(app(source.make_event("GET", "/logo"), None))
    assert (reply.status, reply.header("Content-Type"), reply.content) == (200, "image/png", data)
    # Lambda responses are text: the source's response dict says the body is base64.
    assert reply.base64 is True


@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)
def test_response_object_headers(source):
    result = Response(
        status_code=202, content_type="text/plain", body="accepted", headers={"X-Trace": "abc", "Cache-Control": "no-store"}
    )
    response = answer(source, result)
    assert response.status_code == 202
    assert response.text == "accepted"
    assert response.headers["Content-Type"] == "text/plain"
    assert response.headers["X-Trace"] == "abc"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)
def test_header_with_several_values(source):
    response = answer(source, Response(200, "text/plain", "ok", headers={"Vary": ["Origin", "Accept"]}))
    # Every source says the same to the client; multi-value sources keep one header line per value.
    assert response.headers["Vary"] == "Origin, Accept"
    expected = ["Origin", "Accept"] if source.multi_value_response_headers else ["Origin, Accept"]
    assert response.headers.get_list("Vary") == expected


@contextmanager
def cookie_warning(source, count):
    """No warning where every cookie is sent; where only the last fits, the warning that says so."""
    if source.keeps_every_cookie:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield
    else:
        with pytest.warns(UserWarning, match=f"{count} cookies were set and only the last one is sent"):
            yield


@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)
def test_one_cookie(source):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        response = answer(source, Response(200, "text/plain", "in", cookies=[Cookie("session", "abc", http_only=True)]))
    assert response.headers.get_list("Set-Cookie") == ["session=abc; HttpOnly; Secure"]
    assert response.cookies == {"session": "abc"}


@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)
def test_several_cookies(source):
    with cookie_warning(source, 2):
        response = answer(source, Response(200, "text/plain", "in", cookies=[Cookie("session", "abc"), "theme=dark"]))
    expected = ["session=abc; Secure", "theme=dark"] if source.keeps_every_cookie else ["theme=dark"]
    assert response.headers.get_list("Set-Cookie") == expected


@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)
def test_set_cookie_header_is_a_cookie(source):
    result = Response(200, "text/plain", "in", headers={"Set-Cookie": "a=1"}, cookies=[Cookie("b", "2", secure=False)])
    with cookie_warning(source, 2):
        response = answer(source, result)
    assert response.cookies == ({"a": "1", "b": "2"} if source.keeps_every_cookie else {"b": "2"})
    # However the source carries them, two cookies are never joined into one header value.
    assert all("," not in line for line in response.headers.get_list("Set-Cookie"))
