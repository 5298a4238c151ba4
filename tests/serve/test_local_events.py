"""The events the adapter has each source build: every servable source recognises its own.

What each builder puts in its event is tested with the source's plugin
(tests/plugins/<source>/test_events.py); here, the adapter's side: it hands the
builder the request as the client sent it, and the app that gets the event
knows its source.
"""

from __future__ import annotations

import pytest

from kernel import App
from kernel.asgi import ASGIAdapter
from tests.serve.harness import call
from tests.serve.sources import CASES


def test_each_lattice_resolver_is_served_its_own_payload_version():
    from kernel import VPCLatticeResolver, VPCLatticeV2Resolver

    assert ASGIAdapter(VPCLatticeResolver(plugins=["lattice"])).source == "lattice"
    assert ASGIAdapter(VPCLatticeV2Resolver(plugins=["lattice"])).source == "lattice-v2"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_app_for_every_source_recognises_each_local_event(case):
    """An unpinned app with every servable source tells the local events apart."""
    app = App(plugins=sorted({served.source for served in CASES}))

    @app.get("/which")
    def which():
        return {"request": type(app.current_event).__name__}

    answer = call(ASGIAdapter(app, case.source, options=case.options), "GET", "/which")
    assert answer.status == 200
    expected = {
        "rest": "APIGatewayProxyEvent",
        "http": "APIGatewayProxyEventV2",
        "function-url": "LambdaFunctionUrlEvent",
        "alb": "ALBEvent",
        "lattice": "VPCLatticeEvent",
        "lattice-v2": "VPCLatticeEventV2",
    }[case.source]
    assert answer.json() == {"request": expected}


def test_the_adapter_hands_the_builder_the_request_as_sent():
    from kernel_rest import APIGatewayProxyEvent, is_rest_event, rest_response
    from kernel_rest.events import rest_event

    from kernel.plugin_api import Source, check_proxy_v1_event

    seen = []

    def spying_builder(request, **options):
        seen.append((request, options))
        return rest_event(request, **options)

    spy = Source(
        "spy",
        APIGatewayProxyEvent,
        recognise=is_rest_event,
        check=check_proxy_v1_event,
        render=rest_response,
        build_event=spying_builder,
        options={"stage": "the stage"},
    )
    app = App(plugins=[spy], source="spy")

    @app.post("/items/<item>")
    def item(item):
        return {"item": item}

    headers = [(b"X-Many", b"1"), (b"x-many", b"2"), (b"content-type", b"application/json")]
    answer = call(
        ASGIAdapter(app, options={"stage": "prod"}),
        "POST",
        "/items/x y",
        b"tag=a&tag=b&q=caf%C3%A9",
        headers,
        b'{"n": 1}',
        raw_path=b"/items/x%20y",
    )
    assert answer.status == 200
    ((request, options),) = seen
    # The path and query string as the client sent them, header names in lower case, the body as bytes.
    assert (request.method, request.path, request.query_string) == ("POST", "/items/x%20y", "tag=a&tag=b&q=caf%C3%A9")
    assert request.headers[-3:] == (("x-many", "1"), ("x-many", "2"), ("content-type", "application/json"))
    assert (request.body, request.is_base64) == (b'{"n": 1}', None)
    assert options == {"stage": "prod"}
    assert request.source_ip == "127.0.0.1"
