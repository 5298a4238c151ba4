"""The Swagger UI files the page links: URLs under any base path, caching, 304s, gzip, every source."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import subprocess
import sys
import urllib.parse
from importlib import resources

import pytest
from kernel_swagger import static

from kernel import APIGatewayRestResolver, App, Response, content_types
from kernel.testing import Client
from tests.events import rest_event

PLUGINS = ["rest", "openapi", "swagger"]
FILES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}
IMMUTABLE = "public, max-age=31536000, immutable"
# Lambda refuses a synchronous response larger than 6 MB; an ALB one larger than 1 MB.
LAMBDA_LIMIT = 6 * 1024 * 1024
ALB_LIMIT = 1024 * 1024


def file_bytes(name):
    return resources.files("kernel_swagger").joinpath("assets", name).read_bytes()


def digest(name):
    return hashlib.sha256(file_bytes(name)).hexdigest()[:16]


def make_app(*, compress=False, plugins=PLUGINS, **kwargs):
    app = APIGatewayRestResolver(plugins=[*plugins, *(["compression"] if compress else [])], **kwargs)
    app.enable_swagger(compress=compress)

    @app.get("/hello")
    def hello():
        return {"message": "hello"}

    return app


def get(app, query=None, headers=None, path="/swagger", stage="prod"):
    return app(rest_event("GET", path, query=query, stage=stage, headers=headers), None)


def linked(body):
    """The URLs the page's <link> and <script> elements load, as written (unescaped)."""
    return [
        match.replace("&amp;", "&")
        for match in re.findall(r'<link rel="stylesheet" href="([^"]*)">|<script src="([^"]*)">', body)
        for match in match
        if match
    ]


# -- the page links the files with relative, content-hashed URLs ---------------------


def test_the_page_links_each_file_with_its_digest_relative_to_its_own_url():
    body = get(make_app())["body"]

    assert linked(body) == [
        f"?asset=swagger-ui.css&v={digest('swagger-ui.css')}",
        f"?asset=swagger-ui-bundle.js&v={digest('swagger-ui-bundle.js')}",
    ]
    assert len(body.encode()) < 10_000


@pytest.mark.parametrize(
    ("page_url", "event_path", "settings"),
    [
        # An execute-api URL: the stage is in the URL, not in the event's path.
        ("https://abc.execute-api.eu-west-1.amazonaws.com/prod/swagger", "/swagger", {}),
        # The same with a trailing slash (a REST API routes both).
        ("https://abc.execute-api.eu-west-1.amazonaws.com/prod/swagger/", "/swagger/", {}),
        # A custom domain's base path mapping that reaches the function, removed by strip_prefixes.
        ("https://api.example.com/v1/swagger", "/v1/swagger", {"strip_prefixes": ["/v1"]}),
        # The page at the root of the API.
        ("https://api.example.com/prod", "/", {"path": "/"}),
        ("https://api.example.com/", "/", {"path": "/"}),
        # A page deeper down.
        ("https://api.example.com/prod/docs/api", "/docs/api", {"path": "/docs/api"}),
    ],
)
def test_the_linked_urls_reach_the_files_wherever_the_page_is_served(page_url, event_path, settings):
    settings = dict(settings)  # the parameters are shared by every run of the test in this process
    path = settings.pop("path", "/swagger")
    app = APIGatewayRestResolver(plugins=PLUGINS, **settings)
    app.enable_swagger(path=path)
    page = get(app, path=event_path)
    assert page["statusCode"] == 200

    for url in linked(page["body"]):
        # What the browser asks for: the page's URL with the link's query.
        resolved = urllib.parse.urlsplit(urllib.parse.urljoin(page_url, url))
        assert resolved.path == urllib.parse.urlsplit(page_url).path
        query = dict(urllib.parse.parse_qsl(resolved.query))
        reply = get(app, path=event_path, query=query)
        assert reply["statusCode"] == 200
        assert reply["multiValueHeaders"]["Cache-Control"] == [IMMUTABLE]
        assert reply["body"] == file_bytes(query["asset"]).decode()


# -- what an asset answer holds ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_file_at_its_digest_is_cached_for_a_year(name):
    reply = get(make_app(), query={"asset": name, "v": digest(name)})

    assert reply == {
        "statusCode": 200,
        "body": file_bytes(name).decode("utf-8"),
        "isBase64Encoded": False,
        "multiValueHeaders": {
            "Cache-Control": [IMMUTABLE],
            "ETag": [f'"{digest(name)}"'],
            "X-Content-Type-Options": ["nosniff"],
            "Content-Type": [FILES[name]],
        },
    }


@pytest.mark.parametrize("version", [None, "", "0123456789abcdef", "e6a898692f2d768"])
def test_a_file_asked_without_its_current_digest_is_revalidated_on_every_use(version):
    query = {"asset": "swagger-ui.css"} if version is None else {"asset": "swagger-ui.css", "v": version}

    reply = get(make_app(), query=query)

    assert reply["statusCode"] == 200
    assert reply["body"] == file_bytes("swagger-ui.css").decode()
    assert reply["multiValueHeaders"]["Cache-Control"] == ["no-cache"]
    assert reply["multiValueHeaders"]["ETag"] == [f'"{digest("swagger-ui.css")}"']


@pytest.mark.parametrize("name", ["", "oauth2-redirect.js", "LICENSE", "VERSION", "../page.py", "swagger-ui.CSS"])
def test_any_other_name_is_not_found(name):
    reply = get(make_app(), query={"asset": name, "v": "x"})

    assert reply == {
        "statusCode": 404,
        "body": json.dumps(
            {
                "statusCode": 404,
                "message": f"No Swagger UI asset {name!r}; the assets are swagger-ui-bundle.js, swagger-ui.css",
            },
            separators=(",", ":"),
        ),
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }


def test_asset_wins_over_format():
    reply = get(make_app(), query={"asset": "swagger-ui.css", "format": "json"})

    assert reply["multiValueHeaders"]["Content-Type"] == ["text/css; charset=utf-8"]


# -- conditional requests ------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        '"{tag}"',
        'W/"{tag}"',  # compared weakly, as If-None-Match is
        '"older", "{tag}"',
        '"older",W/"{tag}" , "newer"',
        "*",
    ],
)
def test_a_file_the_client_holds_is_answered_304_without_a_body(condition):
    tag = digest("swagger-ui-bundle.js")

    reply = get(
        make_app(),
        query={"asset": "swagger-ui-bundle.js", "v": tag},
        headers={"If-None-Match": condition.format(tag=tag)},
    )

    assert reply == {
        "statusCode": 304,
        "body": None,
        "isBase64Encoded": False,
        "multiValueHeaders": {
            "Cache-Control": [IMMUTABLE],
            "ETag": [f'"{tag}"'],
            "X-Content-Type-Options": ["nosniff"],
        },
    }


@pytest.mark.parametrize("condition", ['"older"', "", "{tag}", '"{tag}-gzip"', 'W/"x{tag}"', "**"])
def test_a_tag_that_does_not_name_the_file_gets_the_file(condition):
    tag = digest("swagger-ui.css")

    reply = get(make_app(), query={"asset": "swagger-ui.css", "v": tag}, headers={"If-None-Match": condition.format(tag=tag)})

    assert reply["statusCode"] == 200
    assert reply["body"] == file_bytes("swagger-ui.css").decode()


def test_the_page_is_answered_304_while_it_is_unchanged_and_200_once_it_changes():
    app = make_app()
    first = get(app)
    (etag,) = first["multiValueHeaders"]["ETag"]

    again = get(app, headers={"If-None-Match": etag})

    assert again == {
        "statusCode": 304,
        "body": None,
        "isBase64Encoded": False,
        "multiValueHeaders": {"Cache-Control": ["no-cache"], "ETag": [etag]},
    }

    @app.get("/later")
    def later():
        return {}

    changed = get(app, headers={"If-None-Match": etag})
    assert changed["statusCode"] == 200
    assert changed["multiValueHeaders"]["ETag"] != [etag]
    assert "/later" in changed["body"]


def test_each_stage_has_a_page_of_its_own():
    app = make_app()

    prod = get(app, stage="prod")["multiValueHeaders"]["ETag"]
    test = get(app, stage="test")["multiValueHeaders"]["ETag"]

    assert prod != test
    assert get(app, stage="test", headers={"If-None-Match": prod[0]})["statusCode"] == 200


def test_the_document_and_the_redirect_page_are_answered_as_before():
    app = make_app()

    document = get(app, query={"format": "json"}, headers={"If-None-Match": "*"})
    redirect = get(app, query={"format": "oauth2-redirect"})

    assert document["statusCode"] == 200
    assert document["multiValueHeaders"] == {"Content-Type": ["application/json"]}
    assert redirect["multiValueHeaders"] == {"Content-Type": ["text/html"]}


# -- gzip -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FILES))
def test_with_compress_a_client_that_accepts_gzip_gets_the_file_gzipped_once(name):
    reply = get(make_app(compress=True), query={"asset": name, "v": digest(name)}, headers={"Accept-Encoding": "gzip, br"})

    assert reply["statusCode"] == 200
    assert reply["isBase64Encoded"] is True
    assert reply["multiValueHeaders"] == {
        "Cache-Control": [IMMUTABLE],
        "ETag": [f'"{digest(name)}-gzip"'],
        "X-Content-Type-Options": ["nosniff"],
        "Vary": ["Accept-Encoding"],
        "Content-Encoding": ["gzip"],
        "Content-Type": [FILES[name]],
    }
    body = base64.b64decode(reply["body"])
    # Gzipped once: one decompression gives the file, not another gzip stream.
    assert gzip.decompress(body) == file_bytes(name)
    # No name and a zero time in the gzip header: the same bytes in every process.
    assert body[3] == 0
    assert body[4:8] == b"\0\0\0\0"
    assert body == static.gzipped(name)


@pytest.mark.parametrize("accept_encoding", [None, "", "identity", "br", "gzip;q=0", "*, gzip;q=0"])
def test_with_compress_other_clients_get_the_file_as_text(accept_encoding):
    headers = {} if accept_encoding is None else {"Accept-Encoding": accept_encoding}

    reply = get(make_app(compress=True), query={"asset": "swagger-ui.css", "v": digest("swagger-ui.css")}, headers=headers)

    assert reply["isBase64Encoded"] is False
    assert reply["body"] == file_bytes("swagger-ui.css").decode()
    assert reply["multiValueHeaders"]["ETag"] == [f'"{digest("swagger-ui.css")}"']
    assert reply["multiValueHeaders"]["Vary"] == ["Accept-Encoding"]
    assert "Content-Encoding" not in reply["multiValueHeaders"]


def test_with_compress_each_coding_has_its_own_tag():
    app = make_app(compress=True)
    tag = digest("swagger-ui.css")
    query = {"asset": "swagger-ui.css", "v": tag}

    plain_tag_gzip_client = get(app, query=query, headers={"Accept-Encoding": "gzip", "If-None-Match": f'"{tag}"'})
    gzip_tag_gzip_client = get(app, query=query, headers={"Accept-Encoding": "gzip", "If-None-Match": f'"{tag}-gzip"'})

    assert plain_tag_gzip_client["statusCode"] == 200
    assert plain_tag_gzip_client["multiValueHeaders"]["Content-Encoding"] == ["gzip"]
    assert gzip_tag_gzip_client["statusCode"] == 304
    assert gzip_tag_gzip_client["body"] is None
    assert gzip_tag_gzip_client["multiValueHeaders"] == {
        "Cache-Control": [IMMUTABLE],
        "ETag": [f'"{tag}-gzip"'],
        "X-Content-Type-Options": ["nosniff"],
        "Vary": ["Accept-Encoding"],
    }


def test_with_compress_the_page_304_repeats_the_vary_of_its_200():
    app = make_app(compress=True)
    first = get(app, headers={"Accept-Encoding": "gzip"})

    again = get(app, headers={"Accept-Encoding": "gzip", "If-None-Match": first["multiValueHeaders"]["ETag"][0]})

    assert first["multiValueHeaders"]["Vary"] == ["Accept-Encoding"]
    assert again["statusCode"] == 304
    assert again["multiValueHeaders"] == {
        "Cache-Control": ["no-cache"],
        "ETag": first["multiValueHeaders"]["ETag"],
        "Vary": ["Accept-Encoding"],
    }


def test_without_compress_a_file_is_never_gzipped_even_with_the_compression_plugin():
    app = make_app(plugins=[*PLUGINS, "compression"])

    reply = get(app, query={"asset": "swagger-ui-bundle.js"}, headers={"Accept-Encoding": "gzip"})

    assert reply["isBase64Encoded"] is False
    assert "Content-Encoding" not in reply["multiValueHeaders"]
    assert "Vary" not in reply["multiValueHeaders"]


def test_compress_without_the_compression_plugin_is_refused():
    from kernel import PluginNotFoundError

    app = APIGatewayRestResolver(plugins=PLUGINS)

    with pytest.raises(PluginNotFoundError, match="compress=True on route GET /swagger needs the kernel plugin 'compression'"):
        app.enable_swagger(compress=True)


def test_compress_refuses_a_compression_plugin_it_cannot_import(monkeypatch):
    from kernel import PluginNotFoundError

    app = APIGatewayRestResolver(plugins=[*PLUGINS, "compression"])
    monkeypatch.setitem(sys.modules, "kernel_compression", None)  # an import of it fails

    with pytest.raises(PluginNotFoundError, match="'compression' is not installed"):
        app.enable_swagger(compress=True)


# -- every source, and Lambda's limits ------------------------------------------------

SOURCES = ["rest", "http", "function-url", "alb", "lattice", "lattice-v2"]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("accept_encoding", ["gzip", "identity"])
def test_every_source_carries_the_files_intact_and_within_lambdas_limits(source, accept_encoding):
    app = App(plugins=[source, "openapi", "swagger", "compression"])
    app.enable_swagger(compress=True)
    client = Client(app, source=source)
    page = client.get("/swagger", headers={"Accept-Encoding": accept_encoding})
    assert page.status_code == 200

    for url in linked(page.text):
        reply = client.get(f"/swagger{url}", headers={"Accept-Encoding": accept_encoding})
        name = dict(urllib.parse.parse_qsl(url[1:]))["asset"]
        raw = client.raw_response
        assert raw is not None
        assert reply.status_code == 200
        # The client decodes base64 and gzip as a browser behind the service would.
        assert reply.content == file_bytes(name)
        assert reply.headers["Cache-Control"] == IMMUTABLE
        if accept_encoding == "gzip":
            assert raw["isBase64Encoded"] is True
            assert reply.headers["Content-Encoding"] == "gzip"
            size = len(json.dumps(raw))
            assert size < (ALB_LIMIT if source == "alb" else LAMBDA_LIMIT)
        else:
            assert raw["isBase64Encoded"] is False
            assert "content-encoding" not in reply.headers
            assert len(json.dumps(raw)) < LAMBDA_LIMIT


# -- middlewares guard the files too --------------------------------------------------


def test_the_routes_middlewares_run_on_the_files():
    def require_cookie(app, next_middleware):
        if "session=ok" not in (app.current_event.get_header_value("Cookie") or ""):
            return Response(401, content_types.APPLICATION_JSON, {"message": "log in"})
        return next_middleware(app)

    app = APIGatewayRestResolver(plugins=PLUGINS)
    app.enable_swagger(middlewares=[require_cookie])

    refused = get(app, query={"asset": "swagger-ui.css"})
    allowed = get(app, query={"asset": "swagger-ui.css"}, headers={"Cookie": "session=ok"})

    assert refused["statusCode"] == 401
    assert allowed["statusCode"] == 200


# -- cost ------------------------------------------------------------------------------


def test_files_are_read_hashed_and_gzipped_once_per_process():
    code = (
        "from kernel import APIGatewayRestResolver\n"
        "from kernel.testing import Client\n"
        "app = APIGatewayRestResolver(plugins=['rest', 'openapi', 'swagger', 'compression'])\n"
        "app.enable_swagger(compress=True)\n"
        "from kernel_swagger import static\n"
        "assert static.asset.cache_info().currsize == 0\n"
        "client = Client(app)\n"
        "client.get('/swagger')\n"
        "assert static.asset.cache_info().currsize == 2, static.asset.cache_info()\n"
        "assert static.gzipped.cache_info().currsize == 0, 'gzipped before asked'\n"
        "for _ in range(3):\n"
        "    client.get('/swagger?asset=swagger-ui-bundle.js', headers={'Accept-Encoding': 'gzip'})\n"
        "info = static.gzipped.cache_info()\n"
        "assert (info.misses, info.hits) == (1, 2), info\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr


# -- if_none_match ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "etag", "expected"),
    [
        (None, '"a"', False),
        ("", '"a"', False),
        ('"a"', '"a"', True),
        ('"a"', 'W/"a"', True),
        ('W/"a"', '"a"', True),
        ('"b", "a"', '"a"', True),
        ('"b"', '"a"', False),
        ('"ab"', '"a"', False),
        ("a", '"a"', False),  # not a quoted tag
        (" * ", '"a"', True),
        ('"a,b"', '"a,b"', True),  # a comma inside a tag is part of it
    ],
)
def test_if_none_match_compares_entity_tags_weakly(header, etag, expected):
    assert static.if_none_match(header, etag) is expected
