"""CORS headers and preflight answers, on every event source that has HTTP headers."""

import pytest
from kernel_cors import CORSConfig

from kernel import NotFoundError, PluginNotFoundError, Response, Router, ServiceError
from tests.sources import supporting

# Sources whose responses carry no headers (Bedrock Agent) cannot hold these headers.
pytestmark = pytest.mark.parametrize("source", supporting("response_headers"), ids=str)

ORIGIN = "https://app.example.com"
DEFAULT_ALLOW_HEADERS = "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key"
STRICT = CORSConfig(
    allow_origin=ORIGIN,
    extra_origins=["http://localhost:3000"],
    allow_headers=["X-Trace-Id"],
    expose_headers=["X-Request-Id"],
    max_age=300,
    allow_credentials=True,
)
STRICT_HEADERS = {
    "access-control-allow-origin": [ORIGIN],
    "access-control-allow-headers": [DEFAULT_ALLOW_HEADERS.replace("X-Api-Key", "X-Api-Key,X-Trace-Id")],
    "access-control-expose-headers": ["X-Request-Id"],
    "access-control-max-age": ["300"],
    "access-control-allow-credentials": ["true"],
}


def make_app(source, **kwargs):
    return source.app(plugins=source.plugin_list("cors"), **kwargs)


def call(source, app, method="GET", path="/items", origin=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if origin is not None:
        headers["Origin"] = origin
    return source.read(app(source.make_event(method, path, headers=headers, **kwargs), None))


def cors_headers(reply):
    return {name: values for name, values in reply.headers.items() if name.startswith("access-control-")}


def app_with_items(source, cors=STRICT):
    app = make_app(source, cors=cors)

    @app.get("/items")
    def list_items():
        return {"items": []}

    @app.put("/items/<item_id>")
    def put_item(item_id):
        return {"id": item_id}

    @app.post("/items", cors=False)
    def create_item():
        return {"created": True}, 201

    return app


# -- headers on responses -------------------------------------------------------


def test_allowed_origin_gets_every_configured_header(source):
    reply = call(source, app_with_items(source), origin=ORIGIN)
    assert reply.status == 200
    assert reply.json() == {"items": []}
    assert reply.headers == {"content-type": ["application/json"], "vary": ["Origin"], **STRICT_HEADERS}


def test_extra_origin_is_echoed(source):
    reply = call(source, app_with_items(source), origin="http://localhost:3000")
    assert reply.header("Access-Control-Allow-Origin") == "http://localhost:3000"
    assert reply.header("Access-Control-Allow-Credentials") == "true"


def test_request_without_origin_gets_no_cors_headers_but_vary(source):
    reply = call(source, app_with_items(source))
    assert reply.status == 200
    assert cors_headers(reply) == {}
    # The same URL answers an allowed Origin differently: caches must key on Origin.
    assert reply.header("Vary") == "Origin"


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "https://APP.example.com",
        "HTTPS://app.example.com",
        "http://app.example.com",
        "https://app.example.com:443",
        "https://app.example.com:8443",
        "https://app.example.com/",
        "https://app.example.com.evil.example",
        " https://app.example.com",
        "https://app.example.com ",
        "https://app.example.com\r\nSet-Cookie: session=stolen",
        "https://app.example.com\nX-Injected: 1",
        "https://app.example.com,https://evil.example",
        "https://evil.example, https://app.example.com",
        "null",
        "",
    ],
)
def test_origin_not_exactly_allowed_gets_no_cors_headers(source, origin):
    reply = call(source, app_with_items(source), origin=origin)
    assert reply.status == 200
    assert cors_headers(reply) == {}
    assert reply.header("Vary") == "Origin"


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "null", "https://x.example\r\nSet-Cookie: session=stolen", "https://a.example,https://b.example"],
)
def test_wildcard_answers_star_and_never_echoes_client_input(source, origin):
    app = app_with_items(source, cors=CORSConfig(allow_credentials=True))
    reply = call(source, app, origin=origin)
    assert cors_headers(reply) == {
        "access-control-allow-origin": ["*"],
        "access-control-allow-headers": [DEFAULT_ALLOW_HEADERS],
    }
    for name, values in reply.headers.items():
        for value in values:
            assert "\r" not in value
            assert "\n" not in value, name


def test_route_opting_out_gets_no_cors_headers_nor_vary(source):
    reply = call(source, app_with_items(source), method="POST", origin=ORIGIN, body="{}")
    assert reply.status == 201
    assert cors_headers(reply) == {}
    assert reply.header("Vary") is None


def test_cors_true_without_app_config_uses_the_permissive_default(source):
    app = make_app(source)

    @app.get("/open", cors=True)
    def open_route():
        return {"ok": True}

    @app.get("/closed")
    def closed_route():
        return {"ok": True}

    reply = call(source, app, path="/open", origin="https://anyone.example")
    assert cors_headers(reply) == {
        "access-control-allow-origin": ["*"],
        "access-control-allow-headers": [DEFAULT_ALLOW_HEADERS],
    }
    assert reply.header("Vary") == "Origin"
    closed = call(source, app, path="/closed", origin="https://anyone.example")
    assert cors_headers(closed) == {}
    assert closed.header("Vary") is None


def test_cors_true_without_app_config_answers_no_preflight(source):
    # As in the reference: only an app-wide CORSConfig answers OPTIONS.
    app = make_app(source)

    @app.get("/open", cors=True)
    def open_route():
        return {"ok": True}

    reply = call(source, app, method="OPTIONS", path="/open", origin="https://anyone.example")
    assert reply.status == 404
    assert reply.json() == {"statusCode": 404, "message": "Not found"}


def test_router_routes_follow_the_app_config(source):
    app = make_app(source, cors=STRICT)
    router = Router()

    @router.get("/orders")
    def orders():
        return []

    @router.get("/private", cors=False)
    def private():
        return []

    app.include_router(router, prefix="/shop")
    assert cors_headers(call(source, app, path="/shop/orders", origin=ORIGIN)) == STRICT_HEADERS
    assert cors_headers(call(source, app, path="/shop/private", origin=ORIGIN)) == {}


def test_not_found_of_a_cors_app_carries_cors_headers(source):
    reply = call(source, app_with_items(source), path="/missing", origin=ORIGIN)
    assert reply.status == 404
    assert reply.json() == {"statusCode": 404, "message": "Not found"}
    assert cors_headers(reply) == STRICT_HEADERS


def test_an_async_not_found_handler_of_a_cors_app_answers_with_cors_headers(source):
    app = app_with_items(source)

    @app.not_found
    async def missing(exc: NotFoundError):
        return Response(404, "text/plain", "nothing here")

    reply = call(source, app, path="/missing", origin=ORIGIN)
    assert (reply.status, reply.body) == (404, "nothing here")
    assert cors_headers(reply) == STRICT_HEADERS


def test_error_answer_of_a_cors_route_carries_cors_headers(source):
    app = make_app(source, cors=STRICT)

    @app.get("/boom")
    def boom():
        raise ServiceError(503, "down")

    reply = call(source, app, path="/boom", origin=ORIGIN)
    assert reply.status == 503
    assert cors_headers(reply) == STRICT_HEADERS


def test_vary_is_merged_with_the_routes_own(source):
    app = make_app(source, cors=STRICT)

    @app.get("/lang")
    def lang():
        return Response(200, "text/plain", "hello", headers={"Vary": "Accept-Language"})

    @app.get("/already")
    def already():
        return Response(200, "text/plain", "hello", headers={"vary": "origin"})

    @app.get("/star")
    def star():
        return Response(200, "text/plain", "hello", headers={"Vary": "*"})

    assert call(source, app, path="/lang", origin=ORIGIN).header("Vary") == "Accept-Language, Origin"
    assert call(source, app, path="/already", origin=ORIGIN).header("Vary") == "origin"
    assert call(source, app, path="/star", origin=ORIGIN).header("Vary") == "*"


def test_without_the_plugin_a_config_is_refused_when_the_app_is_built(source):
    # The config would do nothing without the plugin: building the app fails at once.
    with pytest.raises(PluginNotFoundError) as info:
        source.app(plugins=source.plugin_list(), cors=STRICT)
    assert str(info.value) == (
        "cors=CORSConfig(...) on the app needs the kernel plugin 'cors',"
        " which the app's plugins=[...] does not name: add 'cors' to the list."
    )
    assert info.value.name == "cors"


def test_without_the_plugin_a_cors_route_is_refused_when_declared(source):
    app = source.app(plugins=source.plugin_list())

    def list_items():
        return {"items": []}

    with pytest.raises(PluginNotFoundError) as info:
        app.get("/items", cors=True)(list_items)
    assert str(info.value) == (
        "cors=True on route GET /items needs the kernel plugin 'cors',"
        " which the app's plugins=[...] does not name: add 'cors' to the list."
    )
    assert app.routes == []
    # cors=False (or no cors=) needs no plugin, and adds no CORS header.
    app.get("/items", cors=False)(list_items)
    assert cors_headers(call(source, app, origin=ORIGIN)) == {}


# -- preflight -------------------------------------------------------------------


def test_preflight_answers_204_with_the_methods_of_cors_routes(source):
    reply = call(source, app_with_items(source), method="OPTIONS", origin=ORIGIN)
    assert reply.status == 204
    assert reply.body == ""
    # POST /items opted out of CORS, so it is not offered; no Content-Type on an empty answer.
    assert reply.headers == {
        "access-control-allow-methods": ["GET,OPTIONS,PUT"],
        "vary": ["Origin"],
        **STRICT_HEADERS,
    }


def test_preflight_for_any_path_and_disallowed_origin(source):
    app = app_with_items(source)
    reply = call(source, app, method="OPTIONS", path="/no/such/path", origin="https://evil.example")
    # Answered, but without Allow-Origin the browser refuses the cross-origin request.
    assert reply.status == 204
    assert reply.headers == {"access-control-allow-methods": ["GET,OPTIONS,PUT"], "vary": ["Origin"]}


def test_preflight_without_any_cors_route_offers_options_only(source):
    app = make_app(source, cors=STRICT)

    @app.get("/private", cors=False)
    def private():
        return {}

    reply = call(source, app, method="OPTIONS", path="/private", origin=ORIGIN)
    assert reply.status == 204
    assert reply.header("Access-Control-Allow-Methods") == "OPTIONS"


def test_preflight_sees_routes_added_after_the_first_one(source):
    app = app_with_items(source)
    assert call(source, app, method="OPTIONS", origin=ORIGIN).header("Access-Control-Allow-Methods") == "GET,OPTIONS,PUT"

    @app.delete("/items/<item_id>")
    def delete_item(item_id):
        return {}

    router = Router()

    @router.patch("/things")
    def patch_thing():
        return {}

    app.include_router(router)
    reply = call(source, app, method="OPTIONS", origin=ORIGIN)
    assert reply.header("Access-Control-Allow-Methods") == "DELETE,GET,OPTIONS,PATCH,PUT"


def test_two_apps_answer_their_own_preflights(source):
    first = app_with_items(source)
    second = make_app(source, cors=STRICT)

    @second.delete("/x")
    def delete_x():
        return {}

    assert call(source, first, method="OPTIONS", origin=ORIGIN).header("Access-Control-Allow-Methods") == "GET,OPTIONS,PUT"
    assert call(source, second, method="OPTIONS", origin=ORIGIN).header("Access-Control-Allow-Methods") == "DELETE,OPTIONS"


def test_registered_options_route_wins_over_preflight(source):
    app = app_with_items(source)

    @app.route("/items", method="OPTIONS")
    def options_items():
        return Response(200, "text/plain", "custom", headers={"Allow": "GET"})

    reply = call(source, app, method="OPTIONS", origin=ORIGIN)
    assert reply.status == 200
    assert reply.body == "custom"
    assert reply.header("Access-Control-Allow-Methods") is None
    assert reply.header("Access-Control-Allow-Origin") == ORIGIN
    # Other paths still get the generic preflight.
    other = call(source, app, method="OPTIONS", path="/items/1", origin=ORIGIN)
    assert other.status == 204


def test_custom_not_found_does_not_swallow_preflight(source):
    app = app_with_items(source)
    seen = []

    @app.not_found
    def handle_not_found(exc: NotFoundError):
        seen.append(exc)
        return Response(418, "text/plain", "custom not found")

    preflight = call(source, app, method="OPTIONS", path="/missing", origin=ORIGIN)
    assert preflight.status == 204
    assert seen == []
    missing = call(source, app, method="GET", path="/missing", origin=ORIGIN)
    assert missing.status == 418
    assert missing.body == "custom not found"
    assert len(seen) == 1


def test_preflight_runs_through_global_middlewares(source):
    app = app_with_items(source)
    seen_routes = []

    def stamp(app, next_middleware):
        seen_routes.append(app.context["_route"].method)
        response = next_middleware(app)
        response.headers["X-Stamped"] = "yes"
        return response

    app.use([stamp])
    for _ in range(2):  # the chain built for the preflight route is reused
        reply = call(source, app, method="OPTIONS", origin=ORIGIN)
        assert reply.status == 204
        assert reply.header("X-Stamped") == "yes"
        assert reply.header("Access-Control-Allow-Origin") == ORIGIN
    assert seen_routes == ["OPTIONS", "OPTIONS"]


def test_a_middleware_answering_preflights_200_sends_them_empty(source):
    # For clients that want 200 to an OPTIONS: the preflight answer has no content, as on Powertools.
    app = app_with_items(source)

    def ok(app, next_middleware):
        response = next_middleware(app)
        if response.status_code == 204:
            response.status_code = 200
        return response

    app.use([ok])
    reply = call(source, app, method="OPTIONS", origin=ORIGIN)
    assert reply.status == 200
    assert reply.body == ""
    assert reply.headers == {"access-control-allow-methods": ["GET,OPTIONS,PUT"], "vary": ["Origin"], **STRICT_HEADERS}


def test_preflight_can_be_short_circuited_by_a_middleware(source):
    app = app_with_items(source)

    def deny(app, next_middleware):
        return Response(403, "text/plain", "denied")

    app.use([deny])
    reply = call(source, app, method="OPTIONS", origin=ORIGIN)
    assert reply.status == 403
    assert reply.body == "denied"
    assert reply.header("Access-Control-Allow-Origin") == ORIGIN


def test_exception_in_preflight_middleware_reaches_exception_handlers(source):
    app = app_with_items(source)

    class Blocked(Exception):
        pass

    def block(app, next_middleware):
        raise Blocked()

    @app.exception_handler(Blocked)
    def handle_blocked(exc):
        return Response(429, "text/plain", "slow down")

    app.use([block])
    reply = call(source, app, method="OPTIONS", origin=ORIGIN)
    assert reply.status == 429
    assert reply.body == "slow down"
    assert cors_headers(reply) == STRICT_HEADERS
