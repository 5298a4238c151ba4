"""gzip compression of responses, on every event source that has HTTP headers."""

import base64
import gzip
import json

import pytest
from kernel_compression import gzip_bytes
from kernel_cors import CORSConfig

from kernel import PluginNotFoundError, Response, ServiceError
from tests.sources import supporting

# Sources whose responses carry no headers (Bedrock Agent) cannot hold these headers.
pytestmark = pytest.mark.parametrize("source", supporting("response_headers"), ids=str)

PAYLOAD = {"items": [{"id": i, "name": f"item-{i}", "tags": ["a", "b"]} for i in range(40)]}
PAYLOAD_JSON = json.dumps(PAYLOAD, separators=(",", ":"))


def make_app(source, *features, **kwargs):
    return source.app(plugins=source.plugin_list("compression", *features), **kwargs)


def call(source, app, path="/data", accept_encoding=None, method="GET", **kwargs):
    headers = kwargs.pop("headers", {})
    if accept_encoding is not None:
        headers["Accept-Encoding"] = accept_encoding
    return source.read(app(source.make_event(method, path, headers=headers, **kwargs), None))


def raw_body(reply) -> bytes:
    """The body bytes the client receives (base64 undone)."""
    return reply.content


def assert_gzipped(reply, expected: bytes):
    assert reply.base64 is True
    assert reply.header("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in (reply.header("Vary") or "")
    body = raw_body(reply)
    assert body == gzip_bytes(expected)
    assert gzip.decompress(body) == expected


def assert_plain(reply, expected: bytes):
    assert reply.header("Content-Encoding") is None
    assert raw_body(reply) == expected


def data_app(source, **route_kwargs):
    app = make_app(source)

    @app.get("/data", **route_kwargs)
    def data():
        return PAYLOAD

    return app


def test_route_compress_gzips_when_accepted(source):
    reply = call(source, data_app(source, compress=True), accept_encoding="gzip, deflate, br")
    assert reply.status == 200
    assert reply.header("Content-Type") == "application/json"
    assert reply.header("Vary") == "Accept-Encoding"
    assert_gzipped(reply, PAYLOAD_JSON.encode())


@pytest.mark.parametrize("accept_encoding", ["GZIP", "br;q=1, gzip;q=0.5", "*", "identity, *;q=0.1", "x-gzip"])
def test_accepting_forms(source, accept_encoding):
    assert_gzipped(call(source, data_app(source, compress=True), accept_encoding=accept_encoding), PAYLOAD_JSON.encode())


@pytest.mark.parametrize(
    "accept_encoding", [None, "", "identity", "br, deflate", "gzip;q=0", "*;q=0", "*, gzip;q=0", "gzip;q=x", "gzipped"]
)
def test_nothing_compressed_when_gzip_is_not_accepted(source, accept_encoding):
    reply = call(source, data_app(source, compress=True), accept_encoding=accept_encoding)
    assert reply.status == 200
    assert reply.base64 is False
    assert reply.json() == PAYLOAD
    assert_plain(reply, PAYLOAD_JSON.encode())
    # The answer would have been gzip for another Accept-Encoding.
    assert reply.header("Vary") == "Accept-Encoding"


def test_route_without_compress_is_left_alone(source):
    reply = call(source, data_app(source), accept_encoding="gzip")
    assert_plain(reply, PAYLOAD_JSON.encode())
    assert reply.header("Vary") is None


def test_response_compress_true_wins_over_route(source):
    app = make_app(source)

    @app.get("/data")
    def data():
        return Response(200, "text/plain", "hello " * 100, compress=True)

    assert_gzipped(call(source, app, accept_encoding="gzip"), b"hello " * 100)


def test_response_compress_false_wins_over_route(source):
    app = make_app(source)

    @app.get("/data", compress=True)
    def data():
        return Response(200, "text/plain", "hello " * 100, compress=False)

    reply = call(source, app, accept_encoding="gzip")
    assert_plain(reply, b"hello " * 100)
    assert reply.header("Vary") is None


def test_bytes_body_is_compressed(source):
    blob = bytes(range(256)) * 8
    app = make_app(source)

    @app.get("/data", compress=True)
    def data():
        return Response(200, "application/octet-stream", blob)

    assert_gzipped(call(source, app, accept_encoding="gzip"), blob)


def test_body_the_route_base64_encoded_is_compressed_as_its_bytes(source):
    blob = b"\x89PNG" + b"\x00" * 500
    app = make_app(source)

    @app.get("/data", compress=True)
    def data():
        response = Response(200, "image/png", base64.b64encode(blob).decode())
        response.base64_encoded = True
        return response

    assert_gzipped(call(source, app, accept_encoding="gzip"), blob)


@pytest.mark.parametrize("header", ["Content-Encoding", "content-encoding"])
def test_already_encoded_body_is_not_encoded_again(source, header):
    already = gzip.compress(b"precompressed " * 20, mtime=0)
    app = make_app(source)

    @app.get("/data", compress=True)
    def data():
        return Response(200, "text/plain", already, headers={header: "gzip"})

    reply = call(source, app, accept_encoding="gzip")
    assert reply.headers["content-encoding"] == ["gzip"]
    assert raw_body(reply) == already
    assert gzip.decompress(raw_body(reply)) == b"precompressed " * 20


def test_other_encoding_is_kept(source):
    app = make_app(source)

    @app.get("/data", compress=True)
    def data():
        return Response(200, "text/plain", b"brotli-bytes", headers={"Content-Encoding": "br"})

    reply = call(source, app, accept_encoding="gzip, br")
    assert reply.header("Content-Encoding") == "br"
    assert raw_body(reply) == b"brotli-bytes"


@pytest.mark.parametrize(("status", "body"), [(200, ""), (200, None), (204, None), (204, "ignored"), (304, None)])
def test_responses_without_content_are_not_compressed(source, status, body):
    app = make_app(source)

    @app.get("/data", compress=True)
    def data():
        return Response(status, "text/plain", body)

    reply = call(source, app, accept_encoding="gzip")
    assert reply.status == status
    assert reply.header("Content-Encoding") is None
    assert reply.base64 is False


def test_content_length_of_the_plain_body_is_dropped(source):
    app = make_app(source)

    @app.get("/data", compress=True)
    def data():
        return Response(200, "text/plain", "x" * 1000, headers={"Content-Length": "1000"})

    reply = call(source, app, accept_encoding="gzip")
    assert_gzipped(reply, b"x" * 1000)
    assert reply.header("Content-Length") is None


def test_error_answer_of_a_compress_route_is_compressed(source):
    app = make_app(source)

    @app.get("/data", compress=True)
    def data():
        raise ServiceError(409, "conflict " * 20)

    reply = call(source, app, accept_encoding="gzip")
    assert reply.status == 409
    expected = json.dumps({"statusCode": 409, "message": "conflict " * 20}, separators=(",", ":")).encode()
    assert_gzipped(reply, expected)


def test_unicode_text_is_compressed_as_utf8(source):
    app = make_app(source)

    @app.get("/data", compress=True)
    def data():
        return Response(200, "text/plain; charset=utf-8", "héllo wörld ✓ " * 30)

    assert_gzipped(call(source, app, accept_encoding="gzip"), ("héllo wörld ✓ " * 30).encode())


def test_without_the_plugin_a_compressed_route_is_refused_when_declared(source):
    app = source.app(plugins=source.plugin_list())

    def data():
        return PAYLOAD

    # compress=True would do nothing without the plugin: declaring it fails at once.
    with pytest.raises(PluginNotFoundError) as info:
        app.get("/data", compress=True)(data)
    assert str(info.value) == (
        "compress=True on route GET /data needs the kernel plugin 'compression',"
        " which the app's plugins=[...] does not name: add 'compression' to the list."
    )
    assert info.value.name == "compression"
    assert app.routes == []
    # Without compress=True the same route is fine and answers uncompressed.
    app.get("/data", compress=False)(data)
    assert_plain(call(source, app, accept_encoding="gzip"), PAYLOAD_JSON.encode())


def test_with_cors_and_cache_control_every_header_is_right(source):
    app = make_app(source, "cors", cors=CORSConfig(allow_origin="https://a.example"))

    @app.get("/data", compress=True, cache_control="max-age=60")
    def data():
        return Response(200, "application/json", PAYLOAD_JSON, headers={"Vary": "Accept-Language"})

    reply = call(source, app, accept_encoding="gzip", headers={"Origin": "https://a.example"})
    assert_gzipped(reply, PAYLOAD_JSON.encode())
    assert reply.header("Cache-Control") == "max-age=60"
    assert reply.header("Access-Control-Allow-Origin") == "https://a.example"
    vary = [token.strip() for token in reply.header("Vary").split(",")]
    assert sorted(vary) == ["Accept-Encoding", "Accept-Language", "Origin"]
    assert vary[0] == "Accept-Language"
