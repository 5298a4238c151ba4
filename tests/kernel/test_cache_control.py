"""Route ``cache_control=``: the value on 200 answers, ``no-cache`` on every other status, per source."""

import pytest

from kernel import NotFoundError, Response, Router, ServiceError
from tests.sources import supporting

# Sources whose responses carry no headers (Bedrock Agent) cannot hold these headers.
pytestmark = pytest.mark.parametrize("source", supporting("response_headers"), ids=str)

POLICY = "max-age=300, public"


def call(source, app, path, method="GET"):
    return source.read(app(source.make_event(method, path), None))


def make_app(source):
    app = source.app()

    @app.get("/ok", cache_control=POLICY)
    def ok():
        return {"ok": True}

    @app.get("/plain")
    def plain():
        return {"ok": True}

    @app.get("/created", cache_control=POLICY)
    def created():
        return {"created": True}, 201

    @app.get("/response", cache_control=POLICY)
    def response():
        return Response(200, "text/plain", "hi", headers={"Cache-Control": "private"})

    @app.get("/redirect", cache_control=POLICY)
    def redirect():
        return Response(302, None, "", headers={"Location": "/ok"})

    @app.get("/missing", cache_control=POLICY)
    def missing():
        raise NotFoundError("gone")

    @app.get("/error", cache_control=POLICY)
    def error():
        raise ServiceError(503, "down")

    return app


def test_200_gets_the_route_policy(source):
    reply = call(source, make_app(source), "/ok")
    assert reply.status == 200
    assert reply.header("Cache-Control") == POLICY
    assert reply.json() == {"ok": True}


def test_route_policy_replaces_a_header_set_by_the_route_on_200(source):
    reply = call(source, make_app(source), "/response")
    assert reply.headers["cache-control"] == [POLICY]


@pytest.mark.parametrize(("path", "status"), [("/created", 201), ("/redirect", 302), ("/missing", 404), ("/error", 503)])
def test_other_statuses_get_no_cache(source, path, status):
    reply = call(source, make_app(source), path)
    assert reply.status == status
    assert reply.header("Cache-Control") == "no-cache"


def test_exception_handler_answer_gets_no_cache_unless_200(source):
    app = source.app()

    class Teapot(Exception):
        pass

    @app.exception_handler(Teapot)
    def handle(exc):
        return Response(418, "text/plain", "teapot")

    @app.get("/tea", cache_control=POLICY)
    def tea():
        raise Teapot()

    reply = call(source, app, "/tea")
    assert reply.status == 418
    assert reply.header("Cache-Control") == "no-cache"


def test_route_without_policy_gets_no_header(source):
    assert call(source, make_app(source), "/plain").header("Cache-Control") is None


def test_unmatched_request_gets_no_header(source):
    reply = call(source, make_app(source), "/nowhere")
    assert reply.status == 404
    assert reply.header("Cache-Control") is None


def test_router_routes_keep_their_policy(source):
    app = source.app()
    router = Router()

    @router.get("/items", cache_control="no-store")
    def items():
        return []

    app.include_router(router, prefix="/api")
    assert call(source, app, "/api/items").header("Cache-Control") == "no-store"
