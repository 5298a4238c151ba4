"""The routed path on every event source: trailing slashes, percent-encoded parameters, stripped prefixes."""

import re

NOT_FOUND = {"statusCode": 404, "message": "Not found"}


def test_trailing_slash(source):
    # Only API Gateway REST resolvers drop trailing slashes (as Powertools does); elsewhere they matter.
    app = source.app()

    @app.get("/items")
    def items():
        return {"route": "/items"}

    @app.get("/folders/")
    def folders():
        return {"route": "/folders/"}

    client = source.client(app)
    assert client.get("/items").json() == {"route": "/items"}
    assert client.get("/folders/").json() == {"route": "/folders/"}
    if source.ignores_trailing_slash:
        assert client.get("/items/").json() == {"route": "/items"}
        assert client.get("/folders").json() == {"route": "/folders/"}
    else:
        for path in ("/items/", "/folders"):
            response = client.get(path)
            assert (response.status_code, response.json()) == (404, NOT_FOUND), path


def test_trailing_slash_after_a_path_parameter(source):
    app = source.app()

    @app.get("/files/<name>")
    def file(name):
        return {"name": name}

    response = source.client(app).get("/files/a/")
    expected = (200, {"name": "a"}) if source.ignores_trailing_slash else (404, NOT_FOUND)
    assert (response.status_code, response.json()) == expected


def test_percent_encoded_path_parameter_is_passed_as_sent(source):
    # Every source routes the path as the client sent it; the route decodes when it needs the text.
    app = source.app()

    @app.get("/files/<name>")
    def file(name):
        return {"name": name}

    client = source.client(app)
    assert client.get("/files/a%20b").json() == {"name": "a%20b"}
    assert client.get("/files/c%2B%2B").json() == {"name": "c%2B%2B"}
    assert client.get("/files/caf%C3%A9").json() == {"name": "caf%C3%A9"}


def test_an_encoded_slash_stays_inside_its_segment(source):
    app = source.app()

    @app.get("/files/<name>")
    def file(name):
        return {"name": name}

    client = source.client(app)
    assert client.get("/files/a%2Fb").json() == {"name": "a%2Fb"}
    response = client.get("/files/a/b")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_strip_prefixes_removes_a_base_path(source):
    app = source.app(strip_prefixes=["/api"])

    @app.get("/items")
    def items():
        return {"path": app.current_event.path}

    @app.get("/")
    def root():
        return {"root": True}

    client = source.client(app)
    # The route sees the prefix gone; the request still reports the path as sent.
    assert client.get("/api/items").json() == {"path": "/api/items"}
    assert client.get("/api").json() == {"root": True}
    assert client.get("/items").json() == {"path": "/items"}
    # A prefix is a whole segment: "/apis" does not start with "/api".
    assert client.get("/apis/items").status_code == 404


def test_strip_prefixes_takes_regexes(source):
    app = source.app(strip_prefixes=[re.compile(r"^/v\d+")])

    @app.get("/items")
    def items():
        return {"ok": True}

    client = source.client(app)
    assert client.get("/v1/items").json() == {"ok": True}
    assert client.get("/v22/items").json() == {"ok": True}
    assert client.get("/vx/items").status_code == 404
