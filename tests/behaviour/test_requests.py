"""The request as a route reads it on every event source: headers, query strings, cookies, bodies."""

import pytest

from tests.sources import supporting


def echo_app(source, read):
    """An app whose route ``/echo`` (any usual method) answers ``read(current_event)``."""
    app = source.app()

    @app.route("/echo", ["GET", "POST", "PUT"])
    def echo():
        return {"seen": read(app.current_event)}

    return app


def seen(source, read, method="GET", path="/echo", **request):
    response = source.client(echo_app(source, read)).request(method, path, **request)
    assert response.status_code == 200, response.text
    return response.json()["seen"]


def test_current_event_is_the_event_the_source_received(source):
    app = source.app()
    events = []

    @app.get("/raw")
    def raw():
        events.append(app.current_event.raw_event)
        return {}

    client = source.client(app)
    client.get("/raw")
    assert events == [client.raw_event]


# -- headers -----------------------------------------------------------------------


@pytest.mark.parametrize("source", supporting("request_headers"), ids=str)
def test_get_header_value_ignores_case(source):
    def read(event):
        return [event.get_header_value(name) for name in ("X-Api-Key", "x-api-key", "X-API-KEY")]

    value = ["secret"] if source.header_lists else "secret"
    assert seen(source, read, headers={"X-Api-Key": "secret"}) == [value, value, value]


def test_missing_header_gives_the_default(source):
    def read(event):
        return [event.get_header_value("X-Missing"), event.get_header_value("X-Missing", "fallback")]

    assert seen(source, read) == [None, "fallback"]


@pytest.mark.parametrize("source", supporting("request_headers"), ids=str)
def test_repeated_header(source):
    # Joined by the service (with its own separator), or only the last value kept.
    separator = source.repeated_header_separator
    expected: object = "b" if separator is None else f"a{separator}b"
    if source.header_lists:
        expected = ["a", "b"]
    assert seen(source, lambda event: event.get_header_value("x-multi"), headers=[("X-Multi", "a"), ("X-Multi", "b")]) == expected


@pytest.mark.parametrize("source", supporting("request_headers"), ids=str)
def test_request_cookies(source):
    def read(event):
        cookies = event.cookies if source.request_cookie_list else None
        return {"header": event.get_header_value("Cookie"), "list": cookies}

    got = seen(source, read, cookies={"session": "abc", "theme": "dark"})
    if source.request_cookie_list:
        assert got == {"header": None, "list": ["session=abc", "theme=dark"]}
    else:
        header = "session=abc; theme=dark"
        assert got == {"header": [header] if source.header_lists else header, "list": None}


# -- query strings -------------------------------------------------------------------


def test_query_parameters(source):
    def read(event):
        return {
            "page": event.get_query_string_value("page"),
            "all": event.get_multi_value_query_string_values("page"),
            "missing": event.get_query_string_value("missing"),
            "default": event.get_query_string_value("missing", "1"),
            "missing_all": event.get_multi_value_query_string_values("missing"),
            "default_all": event.get_multi_value_query_string_values("missing", ["x"]),
        }

    assert seen(source, read, query={"page": "2"}) == {
        "page": "2",
        "all": ["2"],
        "missing": None,
        "default": "1",
        "missing_all": [],
        "default_all": ["x"],
    }


def test_query_values_are_decoded_by_the_services_that_decode_them(source):
    # API Gateway, Function URLs and Lattice decode query values; ALB passes them on as sent, and its
    # ALBEvent hands them over that way, as Powertools' does.
    def read(event):
        return [event.get_query_string_value(name) for name in ("q", "sym", "empty")]

    query = {"q": "café au lait", "sym": "a&b=c", "empty": ""}
    if source.name.startswith("alb"):
        assert seen(source, read, query=query) == ["caf%C3%A9%20au%20lait", "a%26b%3Dc", ""]
        assert seen(source, read, path="/echo?q=a+b%2Bc") == ["a+b%2Bc", None, None]
    else:
        assert seen(source, read, query=query) == ["café au lait", "a&b=c", ""]
        assert seen(source, read, path="/echo?q=a+b%2Bc") == ["a b+c", None, None]


def test_repeated_query_parameter(source):
    def read(event):
        return {"one": event.get_query_string_value("tag"), "all": event.get_multi_value_query_string_values("tag")}

    one = "x,y" if source.joins_repeated_query_values else "y"
    every = ["x", "y"] if source.keeps_repeated_query_values else [one]
    assert seen(source, read, query={"tag": ["x", "y"]}) == {"one": one, "all": every}


def test_no_query_string(source):
    def read(event):
        return {"single": event.query_string_parameters, "resolved": event.resolved_query_string_parameters}

    # As on Powertools 3, the sources it has give an empty map, not None (the
    # third-party example keeps None).
    single = None if source.name == "edge" else {}
    assert seen(source, read) == {"single": single, "resolved": {}}


# -- bodies --------------------------------------------------------------------------


def test_json_body(source):
    def read(event):
        return event.json_body

    assert seen(source, read, "POST", json={"name": "café", "note": "a, b"}) == {"name": "café", "note": "a, b"}


def test_no_body(source):
    def read(event):
        return [event.decoded_body or None, event.json_body]

    assert seen(source, read) == [None, None]


@pytest.mark.parametrize("source", supporting("raw_request_body"), ids=str)
def test_text_body(source):
    def read(event):
        return event.decoded_body

    assert seen(source, read, "PUT", body="plain text, café", headers={"Content-Type": "text/plain"}) == "plain text, café"


@pytest.mark.parametrize("source", supporting("base64_request_body"), ids=str)
def test_base64_body_is_decoded(source):
    def read(event):
        return {"base64": event.is_base64_encoded, "text": event.decoded_body, "json": event.json_body}

    body = '{"name": "café"}'
    got = seen(source, read, "POST", body=body, is_base64=True, headers={"Content-Type": "application/json"})
    assert got == {"base64": True, "text": body, "json": {"name": "café"}}
