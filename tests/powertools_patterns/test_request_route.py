"""``app.request.route`` in a middleware: the matched rule, or the request's own path when no rule matched.

A request the not-found handler answers and a CORS preflight are not routed
by any rule; Powertools gives their path (prefixes stripped, trailing slash
kept) as the route, and so does kernel.
"""

import pytest

from tests.events import rest_event
from tests.powertools_patterns.harness import answers

ORIGIN = "https://app.example.com"


def route_reporter(lib):
    app = lib.APIGatewayRestResolver(cors=lib.CORSConfig(allow_origin=ORIGIN), strip_prefixes=["/api"])

    def report(app, next_middleware):
        response = next_middleware(app)
        response.headers["X-Route"] = app.request.route
        response.headers["X-Parameters"] = ",".join(f"{k}={v}" for k, v in sorted(app.request.path_parameters.items()))
        return response

    app.use([report])

    @app.get("/items/<item_id>")
    def item(item_id):
        return {"id": item_id}

    return app


@pytest.mark.parametrize(
    "path",
    ["/items/7", "/api/items/7", "/missing/x", "/api/missing/x", "/missing/", "/api/missing/x/", "/"],
)
@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
def test_the_route_a_middleware_reads(method, path):
    headers = {"Origin": ORIGIN, "Access-Control-Request-Method": "GET"} if method == "OPTIONS" else {}
    (got,) = answers(route_reporter, rest_event(method, path, headers=headers), allow=("cors-vary",))
    matched = path.removeprefix("/api").startswith("/items/") and method == "GET"
    headers = got["multiValueHeaders"]
    assert headers["X-Route"] == ["/items/{item_id}" if matched else path.removeprefix("/api")]
    assert headers["X-Parameters"] == ["item_id=7" if matched else ""]
