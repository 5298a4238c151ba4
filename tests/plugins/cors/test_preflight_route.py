"""The preflight route of an app: built once per set of routes, rebuilt when routes are added."""

from __future__ import annotations

from kernel_cors import CORSConfig, preflight_route

from kernel import APIGatewayRestResolver
from tests.events import rest_event

ORIGIN = "https://app.example.com"


def allowed_methods(app: APIGatewayRestResolver) -> list[str]:
    reply = app(rest_event("OPTIONS", "/anything", headers={"Origin": ORIGIN}), None)
    assert reply["statusCode"] == 204
    return reply["multiValueHeaders"]["Access-Control-Allow-Methods"]


def test_the_preflight_route_is_built_once_while_the_routes_stay_the_same():
    app = APIGatewayRestResolver(plugins=["rest", "cors"], cors=CORSConfig(allow_origin=ORIGIN))

    @app.get("/items")
    def items():
        return {}

    first = preflight_route(app)
    assert preflight_route(app) is first
    assert allowed_methods(app) == ["GET,OPTIONS"]
    assert preflight_route(app) is first


def test_a_route_added_later_is_in_the_next_preflight_answer():
    app = APIGatewayRestResolver(plugins=["rest", "cors"], cors=CORSConfig(allow_origin=ORIGIN))

    @app.get("/items")
    def items():
        return {}

    first = preflight_route(app)
    assert allowed_methods(app) == ["GET,OPTIONS"]

    @app.delete("/items/<item_id>")
    def remove(item_id):
        return {}

    assert preflight_route(app) is not first
    assert allowed_methods(app) == ["DELETE,GET,OPTIONS"]
    assert preflight_route(app) is preflight_route(app)


def test_each_app_has_its_own_preflight_route():
    one = APIGatewayRestResolver(plugins=["rest", "cors"], cors=CORSConfig(allow_origin=ORIGIN))
    two = APIGatewayRestResolver(plugins=["rest", "cors"], cors=CORSConfig(allow_origin=ORIGIN))
    one.get("/a")(lambda: {})
    two.put("/b")(lambda: {})
    assert allowed_methods(one) == ["GET,OPTIONS"]
    assert allowed_methods(two) == ["OPTIONS,PUT"]
